"""The duplicate review queue: what the page shows of each group (the members side by side, which fields agree
and which differ), scoped to the officer."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from naikkelas.accounts.scope import scoped
from naikkelas.core.money import rupiah
from naikkelas.intake.merge import MERGE_FIELDS, PERSON_FIELDS
from naikkelas.intake.models import ClusterStatus, DuplicateCluster, Merge, PersonMerge, RecordKind
from naikkelas.registry.models import Business, Person

# Beside a masked NIK only the birth year is shown: the district, the day and month of birth and the gender are
# the hidden digits of the NIK, and the businesses' villages give away the district.
PERSON_SHOWN = ("name", "nik_masked", "phone", "email", "birth_year", "businesses")
SHOWN = (
    "name",
    "owner",
    "phone",
    "village",
    "address",
    "nib",
    "sector",
    "kbli",
    "size_class",
    "annual_revenue",
    "founded",
)


@dataclass
class Row:
    field: str
    label: str
    values: list  # (business id, shown value) per member
    agree: bool
    choosable: bool


def open_clusters(*, user, kind: str = "", q: str = "") -> QuerySet[DuplicateCluster]:
    """The groups still to review in the user's area; of one kind, or with a name containing q."""
    qs = scoped(DuplicateCluster.objects.filter(status=ClusterStatus.OPEN), user)
    if kind in RecordKind.values:
        qs = qs.filter(kind=kind)
    for word in q.lower().split()[:5]:
        qs = qs.filter(names__contains=word)
    return qs


def recent_merges(*, user) -> list:
    """The latest merges of either kind the user may undo, newest first."""
    merges = [
        *scoped(Merge.objects.filter(undone_at=None).select_related("survivor"), user)[:20],
        *scoped(PersonMerge.objects.filter(undone_at=None).select_related("survivor"), user)[:20],
    ]
    return sorted(merges, key=lambda m: m.merged_at, reverse=True)[:20]


def _shown(business: Business, name: str):
    if name == "owner":
        owner = business.owner
        return f"{owner.name} · NIK {owner.nik_masked or '–'}"
    if name == "village":
        return business.village.name
    if Business._meta.get_field(name).choices:  # the label, never the stored value ("Mikro", not "mikro")
        return getattr(business, f"get_{name}_display")()
    value = getattr(business, name)
    if name == "annual_revenue":
        return rupiah(value) if value is not None else ""
    if name == "founded":
        return date_format(value, "d/m/Y") if value else ""
    return "" if value is None else value


def _person_rows(cluster: DuplicateCluster) -> tuple[list[Person], list[Row]]:
    members = list(Person.objects.filter(pk__in=cluster.members).prefetch_related("businesses__village"))
    rows = []
    for name in PERSON_SHOWN:
        if name == "businesses":
            values = [
                (p.pk, "; ".join(f"{b.name} ({b.village.name})" for b in p.businesses.all())) for p in members
            ]
            label = capfirst(Business._meta.verbose_name_plural)
        elif name == "birth_year":
            values = [(p.pk, p.birth_date.year if p.birth_date else "") for p in members]
            label = _("Birth year")
        else:
            values = [(p.pk, getattr(p, name) or "") for p in members]
            label = capfirst(Person._meta.get_field(name).verbose_name)
        rows.append(Row(name, label, values, len({str(v) for _pk, v in values}) == 1, name in PERSON_FIELDS))
    return members, rows


def rows_for(cluster: DuplicateCluster) -> tuple[list, list[Row]]:
    if cluster.kind == RecordKind.PERSON:
        return _person_rows(cluster)

    members = list(
        Business.objects.filter(pk__in=cluster.members)
        .select_related("owner", "village")
        .annotate(n_sources=Count("sources", distinct=True), n_visits=Count("visits", distinct=True))
    )
    rows = []
    for name in SHOWN:
        values = [(b.pk, _shown(b, name)) for b in members]
        rows.append(
            Row(
                name,
                capfirst(Business._meta.get_field(name).verbose_name),
                values,
                len({str(v) for _pk, v in values}) == 1,
                name in MERGE_FIELDS,
            )
        )
    return members, rows
