"""Every write of the duplicate search: a run (Splink over the registry's businesses in a region), the review
queue's clusters, and the officers' decisions (not the same — remembered —, skip). Merging follows in a later
change."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from naikkelas.accounts.constants import ADMIN_ROLES, Role
from naikkelas.accounts.scope import region_q, scope_for
from naikkelas.intake import dedupe
from naikkelas.intake.models import ClusterStatus, DuplicateCluster, DuplicateRun, NotSame
from naikkelas.registry.models import Business

NOT_ALLOWED = gettext_lazy("Only field officers and office admins look for duplicates.")
REGION_OUTSIDE = gettext_lazy("Region: outside your area.")
THRESHOLD_INVALID = gettext_lazy("Threshold: a probability between 0.5 and 1, e.g. 0.9.")
WRONG_STATUS = gettext_lazy("This group was already decided.")


def can_dedupe(user) -> bool:
    return user is None or (
        user.is_authenticated and user.effective_role in (*ADMIN_ROLES, Role.FIELD_OFFICER)
    )


def records(region_code: str = ""):
    qs = Business.objects.all()
    if region_code:
        qs = qs.filter(region_q("village__code", [region_code], narrow=False))
    for row in qs.values("id", "name", "owner__name", "owner__nik_hash", "owner__phone", "phone", "village_id",
                         "address", "nib").iterator(chunk_size=20_000):  # fmt: skip
        yield {"id": row["id"], "name": row["name"], "owner_name": row["owner__name"],
               "nik_hash": row["owner__nik_hash"], "phone": row["phone"] or row["owner__phone"],
               "village": row["village_id"], "address": row["address"], "nib": row["nib"]}  # fmt: skip


def _remembered(pairs: list[dict]) -> set[tuple[int, int]]:
    ids = {p["a"] for p in pairs} | {p["b"] for p in pairs}
    return set(NotSame.objects.filter(a__in=ids, b__in=ids).values_list("a", "b"))


def run_search(*, actor=None, region_code: str = "", threshold=0.9, backend: str = "duckdb") -> DuplicateRun:
    """Find likely duplicates among the businesses of a region (all, for a national admin or the command line)
    and put them in the review queue, replacing the region's earlier open groups."""
    if not can_dedupe(actor):
        raise PermissionDenied(str(NOT_ALLOWED))
    if actor is not None:
        scope = scope_for(actor)
        if not scope.everything and (not region_code or not scope.covers_region(region_code)):
            raise ValidationError({"region": [str(REGION_OUTSIDE)]})
    try:
        threshold = Decimal(str(threshold))
        if not (Decimal("0.5") <= threshold < 1):
            raise ValueError
    except (ValueError, ArithmeticError):
        raise ValidationError({"threshold": [str(THRESHOLD_INVALID)]}) from None
    result = dedupe.find(list(records(region_code)), threshold=float(threshold), backend=backend)
    known = _remembered(result.pairs)
    pairs = [p for p in result.pairs if (p["a"], p["b"]) not in known]
    clusters = dedupe.components([(p["a"], p["b"]) for p in pairs])
    villages = dict(Business.objects.filter(pk__in=[c[0] for c in clusters]).values_list("pk", "village_id"))
    with transaction.atomic():
        run = DuplicateRun.objects.create(actor=actor, region_code=region_code, threshold=threshold,
                                          backend=backend, records=result.records, pairs=len(pairs),
                                          clusters=len(clusters), seconds=result.seconds,
                                          finished_at=timezone.now())  # fmt: skip
        earlier = DuplicateCluster.objects.filter(status=ClusterStatus.OPEN).exclude(run=run)
        if region_code:
            earlier = earlier.filter(region_q("region_code", [region_code], narrow=False))
        earlier.update(status=ClusterStatus.STALE)
        members_of = {m: n for n, c in enumerate(clusters) for m in c}
        by_cluster: dict[int, list[dict]] = {}
        for p in pairs:
            by_cluster.setdefault(members_of[p["a"]], []).append(p)
        DuplicateCluster.objects.bulk_create(
            DuplicateCluster(run=run, members=c, pairs=by_cluster[n], region_code=villages[c[0]],
                             probability=Decimal(str(max(p["probability"] for p in by_cluster[n]))))
            for n, c in enumerate(clusters)
        )  # fmt: skip
    run.result = {"records": result.records, "pairs": pairs, "clusters": clusters}
    return run


def _open(cluster: DuplicateCluster, actor) -> DuplicateCluster:
    if not can_dedupe(actor) or not scope_for(actor).covers_region(cluster.region_code):
        raise PermissionDenied(str(NOT_ALLOWED))
    cluster = DuplicateCluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.status != ClusterStatus.OPEN:
        raise ValidationError({"status": [str(WRONG_STATUS)]})
    return cluster


@transaction.atomic
def cluster_not_same(*, actor, cluster: DuplicateCluster) -> DuplicateCluster:
    """The officer says these are different businesses: every pair is remembered and never proposed again."""
    cluster = _open(cluster, actor)
    members = cluster.members
    NotSame.objects.bulk_create(
        (NotSame(a_id=a, b_id=b, decided_by=actor) for i, a in enumerate(members) for b in members[i + 1 :]),
        ignore_conflicts=True,
    )
    cluster.status, cluster.decided_by, cluster.decided_at = ClusterStatus.NOT_SAME, actor, timezone.now()
    cluster.save()
    return cluster


@transaction.atomic
def cluster_skip(*, actor, cluster: DuplicateCluster) -> DuplicateCluster:
    cluster = _open(cluster, actor)
    cluster.status, cluster.decided_by, cluster.decided_at = ClusterStatus.SKIPPED, actor, timezone.now()
    cluster.save()
    return cluster
