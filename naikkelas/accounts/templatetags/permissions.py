"""Templates ask the same rules as the services: `{% load permissions %}{% if user|may:"curate" %}`."""

from django import template

from naikkelas.accounts import permissions

register = template.Library()


@register.filter
def may(user, rule: str) -> bool:
    """permissions.can(user, rule): a rule of accounts.permissions.RULES (an unknown name is an error)."""
    return permissions.can(user, rule)
