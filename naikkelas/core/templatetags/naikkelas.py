"""Template filters for money, phones and query strings."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from naikkelas.core.describe import topic_words
from naikkelas.core.money import number, rupiah
from naikkelas.core.phones import phone_display

register = template.Library()

register.filter("rupiah", rupiah)
register.filter("number", number)
register.filter("phone", phone_display)
register.filter("topic", topic_words)


@register.filter
def topics(slugs) -> str:
    """Several training topics as words, in their order."""
    return ", ".join(topic_words(s) for s in slugs or ())


@register.filter
def rupiah_text(value) -> str:
    """A Rupiah amount that may carry cents (a unit cost of 950,5): rounded to the Rupiah, then shown."""

    if value is None or value == "":
        return "–"
    return rupiah(int(Decimal(value).quantize(Decimal(1), ROUND_HALF_UP)))


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced: pagination keeps the filters."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def get_item(mapping, key):
    """A form's posted value by a name held in a variable: {{ data|get_item:name }}."""
    if not hasattr(mapping, "get"):
        return None
    found = mapping.get(key)
    return (
        mapping.get(str(key)) if found is None and not isinstance(key, str) else found
    )  # JSON keys are text


@register.filter
def kbli_title(code) -> str:
    """A KBLI 2020 code's name (its own, or its golongan pokok's): registry/kbli.py."""
    from naikkelas.registry import kbli

    return kbli.title(code) if code else ""


@register.filter
def duration_words(seconds) -> str:
    """Seconds as a person says them: "40 detik", "3 menit", "1 jam 20 menit" (in the active language)."""
    from django.utils.translation import ngettext

    try:
        seconds = max(int(seconds), 0)
    except (TypeError, ValueError):
        return ""
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = round(seconds / 60)
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    text = ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return (
        f"{text} {ngettext('%(n)d minute', '%(n)d minutes', minutes) % {'n': minutes}}" if minutes else text
    )
