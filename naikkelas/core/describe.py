"""Audit entries and histories in words for people: "Status: Terdaftar → Beroperasi", "Produk: Keripik Pisang",
never "status: registered → operating" or "catalog.product #60". Field and choice labels come from the models."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from naikkelas.core.money import number

PEOPLE = {"registry.person", "accounts.user"}  # a change never names another person: their id only


def model_of(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def record_label(object_type: str) -> str:
    """The kind of record in the reader's language: "Produk", "Usaha", or the raw type when unknown."""
    model = model_of(object_type)
    return capfirst(str(model._meta.verbose_name)) if model else object_type


def _field(model, name: str):
    if model is None:
        return None
    for candidate in (name, name.removesuffix("_id")):
        try:
            field = model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
        # A reverse relation (a partnership's "sales") is no field of the record: the key is described as written.
        return field if hasattr(field, "verbose_name") else None
    return None


def value_text(field, value) -> str:
    """One value as a person reads it: choice labels, yes/no, the related record's name, dicts as key: value."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_text(None, v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return ", ".join(value_text(None, v) for v in value)
    if (
        isinstance(value, int) and abs(value) >= 10_000
    ):  # amounts and counts; years (below 10,000) stay as typed
        return number(value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        related = field.related_model
        if related._meta.label_lower in PEOPLE:
            return f"#{value}"
        found = related._default_manager.filter(pk=value).first()
        return str(found) if found is not None else f"#{value}"
    return str(value)


def changes(object_type: str, before: dict | None, after: dict | None) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each field that changed, in words."""
    model = model_of(object_type)
    before, after = before or {}, after or {}
    out = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key):
            continue
        field = _field(model, key)
        label = capfirst(str(field.verbose_name)) if field is not None else capfirst(key.replace("_", " "))
        out.append((label, value_text(field, before.get(key)), value_text(field, after.get(key))))
    return out


def export_words(after: dict | None) -> list[tuple[str, str | None, str]]:
    """An export's entry in words: which list, how many rows, with which filters (no arrow: nothing changed)."""
    after = after or {}
    lists = {
        "businesses": _("Businesses"),
        "cooperatives": _("Cooperatives"),
        "funnel": _("Funnel"),
        "indicators": _("Office indicators"),
        "lkpj": _("LKPJ material"),
        "rejected_rows": _("Rejected rows of an import"),
        "problems": _("Problems of an import"),
    }
    kind = after.get("export", "")
    out = [(_("List"), None, str(lists.get(kind, kind or "–")))]
    if after.get("rows") is not None:
        out.append((_("Rows"), None, number(after["rows"])))
    filters = {k: v for k, v in (after.get("filters") or {}).items() if v not in (None, "")}
    out.append((_("Filters"), None, value_text(None, filters) if filters else _("none")))
    if after.get("nik"):
        out.append((_("NIK"), None, _("whole, for those who may see it")))
    return out


ACRONYMS = {"sop", "kpi", "sdm", "nib", "pirt", "haccp", "rat", "umkm", "ksp", "usp", "bpom", "sni", "npwp"}


def topic_words(slug: str) -> str:
    """A training topic's key as people read it: "pemasaran-digital" → "Pemasaran digital", "kpi" → "KPI"."""
    words = [w.upper() if w in ACRONYMS else w for w in str(slug or "").replace("_", "-").split("-") if w]
    return capfirst(" ".join(words)) if words else "–"
