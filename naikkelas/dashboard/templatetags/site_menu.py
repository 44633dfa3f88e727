from django import template

from naikkelas.dashboard.menu import menu_for

register = template.Library()


@register.simple_tag
def menu(user):
    """The menu groups this person may open (dashboard.menu)."""
    return menu_for(user)
