"""The duplicate review queue: what the page shows of each group (the members side by side, which fields agree
and which differ), scoped to the officer."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from naikkelas.accounts.scope import scoped
from naikkelas.intake.merge import MERGE_FIELDS
from naikkelas.intake.models import ClusterStatus, DuplicateCluster, Merge
from naikkelas.registry.models import Business

SHOWN = ("name", "owner", "phone", "village", "address", "nib", "sector", "kbli", "size_class", "annual_revenue",
         "founded")  # fmt: skip


@dataclass
class Row:
    field: str
    label: str
    values: list  # (business id, shown value) per member
    agree: bool
    choosable: bool


def open_clusters(*, user) -> QuerySet[DuplicateCluster]:
    return scoped(DuplicateCluster.objects.filter(status=ClusterStatus.OPEN), user)


def recent_merges(*, user) -> QuerySet[Merge]:
    return scoped(Merge.objects.filter(undone_at=None).select_related("survivor"), user)[:20]


def _shown(business: Business, name: str):
    if name == "owner":
        owner = business.owner
        return f"{owner.name} · NIK {owner.nik_masked or '–'}"
    if name == "village":
        return business.village.name
    value = getattr(business, name)
    return "" if value is None else value


def rows_for(cluster: DuplicateCluster) -> tuple[list[Business], list[Row]]:
    members = list(Business.objects.filter(pk__in=cluster.members).select_related("owner", "village")
                   .annotate(n_sources=Count("sources", distinct=True), n_visits=Count("visits", distinct=True)))  # fmt: skip
    rows = []
    for name in SHOWN:
        values = [(b.pk, _shown(b, name)) for b in members]
        rows.append(Row(name, str(Business._meta.get_field(name).verbose_name).capitalize(), values,
                        len({str(v) for _pk, v in values}) == 1, name in MERGE_FIELDS))  # fmt: skip
    return members, rows
