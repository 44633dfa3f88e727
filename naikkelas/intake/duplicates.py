"""Every write of the duplicate search but merging (intake.merge): a run (Splink over the registry's businesses
and persons in a region), the review queue's clusters, and the officers' decisions (not the same — remembered —,
skip)."""

import time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import region_q, scope_for
from naikkelas.intake import dedupe
from naikkelas.intake.models import ClusterStatus, DuplicateCluster, DuplicateRun, NotSame, RecordKind
from naikkelas.regions.models import Region, code_within, common_code
from naikkelas.registry.models import Business, Person

NOT_ALLOWED = gettext_lazy("Only field officers and office admins look for duplicates.")
REGION_OUTSIDE = gettext_lazy("Region: outside your area.")
REGION_UNKNOWN = gettext_lazy("Region: no region has this code (e.g. 18.09 for a regency).")
THRESHOLD_INVALID = gettext_lazy("Threshold: a probability between 0.5 and 1, e.g. 0.9.")
WRONG_STATUS = gettext_lazy("This group was already decided.")


def can_dedupe(user) -> bool:
    """None: the command line or the worker acting for the office as a whole."""
    return user is None or permissions.can(user, "dedupe")


def _region(qs, region_code: str, field: str = "village__code"):
    return qs.filter(region_q(field, [region_code], narrow=False)) if region_code else qs


def training_area(region_code: str, actor=None) -> str:
    """Where the model for a search in region_code learns: the region itself when it holds at least
    settings.DEDUPE_MIN_TRAINING businesses, else the nearest wider region that does (village → district →
    regency → province → everything), never wider than what the user may see. A village's few records alone teach
    the model little: it misses more duplicates, and a handful that mostly share a phone fails Splink's prior
    estimate (benchmarks/dedupe_quality.py --villages)."""
    scope = scope_for(actor) if actor is not None else None
    area = region_code
    while area and _region(Business.objects.all(), area).count() < settings.DEDUPE_MIN_TRAINING:
        wider = area.rpartition(".")[0]  # "18.09.01" → "18.09" → "18" → ""
        if scope is not None and not (scope.covers_region(wider) if wider else scope.everything):
            break
        area = wider
    return area


def records(region_code: str = "", area: str | None = None):
    """The businesses of the area (the region by default) as the duplicate search reads them, streamed; those
    outside the region only teach the model (in_scope false)."""
    area = region_code if area is None else area
    qs = _region(Business.objects.filter(owner__restricted_at=None), area)  # restricted: matched with no one
    for row in qs.values_list(
        "id",
        "name",
        "owner__name",
        "owner__nik_hash",
        "owner__phone",
        "phone",
        "village_id",
        "address",
        "nib",
    ).iterator(chunk_size=20_000):
        pk, name, owner_name, nik_hash, owner_phone, phone, village, address, nib = row
        yield {
            "id": pk,
            "name": name,
            "owner_name": owner_name,
            "nik_hash": nik_hash,
            "phone": phone or owner_phone,
            "village": village,
            "address": address,
            "nib": nib,
            "in_scope": not region_code or code_within(village, region_code),
        }


def person_records(region_code: str = "", area: str | None = None):
    """The persons who run a business in the area (the region by default), each with the village and address of
    one business (the first in the region): persons have no address of their own in the registry. A person is in
    scope when any of their businesses lies in the region."""
    area = region_code if area is None else area
    qs = _region(Business.objects.filter(owner__restricted_at=None), area).order_by("owner_id", "id")
    person = None
    for row in qs.values_list(
        "owner_id",
        "owner__name",
        "owner__nik_hash",
        "owner__phone",
        "owner__birth_date",
        "village_id",
        "address",
    ).iterator(chunk_size=20_000):
        pk, name, nik_hash, phone, born, village, address = row
        if person is None or pk != person["id"]:
            if person is not None:
                yield person
            person = {
                "id": pk,
                "name": name,
                "nik_hash": nik_hash,
                "phone": phone,
                "birth_date": born,
                "village": village,
                "address": address,
                "in_scope": False,
            }
        # a business in the region speaks for them
        if not person["in_scope"] and (not region_code or code_within(village, region_code)):
            person.update(village=village, address=address, in_scope=True)
    if person is not None:
        yield person


def _remembered(kind: str, pairs: list[dict]) -> set[tuple[int, int]]:
    ids = {p["a"] for p in pairs} | {p["b"] for p in pairs}
    return set(NotSame.objects.filter(kind=kind, a__in=ids, b__in=ids).values_list("a", "b"))


def _names(kind: str, ids: list[int]) -> dict[int, str]:
    model = Person if kind == RecordKind.PERSON else Business
    found: dict[int, str] = {}
    for start in range(0, len(ids), 20_000):
        found.update(model.objects.filter(pk__in=ids[start : start + 20_000]).values_list("pk", "name"))
    return found


def _first_villages(kind: str, firsts: list[int]) -> dict[int, str]:
    """Each record's village (a person's: their first business's); a group is filed under the smallest region
    holding all its members, so only those who may see every member review it."""
    if kind == RecordKind.PERSON:
        villages: dict[int, str] = {}
        for owner, village in (
            Business.objects.filter(owner_id__in=firsts)
            .order_by("owner_id", "id")
            .values_list("owner_id", "village_id")
        ):
            villages.setdefault(owner, village)
        return villages
    return dict(Business.objects.filter(pk__in=firsts).values_list("pk", "village_id"))


def _search(kind: str, region_code: str, threshold: float, backend: str, area: str):
    read = records if kind == RecordKind.BUSINESS else person_records
    rows = read(region_code, area)
    result = dedupe.find(rows, threshold=threshold, backend=backend, kind=kind)
    known = _remembered(kind, result.pairs)
    pairs = [p for p in result.pairs if (p["a"], p["b"]) not in known]
    clusters = dedupe.components([(p["a"], p["b"]) for p in pairs])
    return result, pairs, clusters


def check_search(actor, region_code: str, threshold) -> Decimal:
    """Refuse a search this user may not run, in a region outside their area or unknown, or with a threshold that
    is not a probability from 0.5 to 1: before it starts (the page checks before queueing it). Returns the
    threshold."""
    if not can_dedupe(actor):
        raise PermissionDenied(str(NOT_ALLOWED))
    if actor is not None:
        scope = scope_for(actor)
        if not scope.everything and (not region_code or not scope.covers_region(region_code)):
            raise ValidationError({"region": [str(REGION_OUTSIDE)]})
    try:
        threshold = Decimal(str(threshold).strip().replace(",", "."))  # 0,9 as an Indonesian writes it
        if not (Decimal("0.5") <= threshold < 1):
            raise ValueError
    except (ValueError, ArithmeticError):
        raise ValidationError({"threshold": [str(THRESHOLD_INVALID)]}) from None
    if region_code and not Region.objects.filter(code=region_code).exists():
        raise ValidationError({"region": [str(REGION_UNKNOWN)]})
    return threshold


def run_search(
    *,
    actor=None,
    region_code: str = "",
    threshold=0.9,
    backend: str = "duckdb",
    kinds=(RecordKind.BUSINESS, RecordKind.PERSON),
) -> DuplicateRun:
    """Find likely duplicate businesses and persons in a region (all, for a national admin or the command line)
    and put them in the review queue, replacing the region's earlier open groups of those kinds."""
    threshold = check_search(actor, region_code, threshold)
    started = time.monotonic()
    area = training_area(region_code, actor)
    found = {kind: _search(kind, region_code, float(threshold), backend, area) for kind in kinds}
    with transaction.atomic():
        run = DuplicateRun.objects.create(
            actor=actor,
            region_code=region_code,
            threshold=threshold,
            backend=backend,
            records=found[RecordKind.BUSINESS][0].records if RecordKind.BUSINESS in found else 0,
            persons=found[RecordKind.PERSON][0].records if RecordKind.PERSON in found else 0,
            training_area=area,
            trained_on=next(iter(found.values()))[0].trained_on,
            pairs=sum(len(f[1]) for f in found.values()),
            clusters=sum(len(f[2]) for f in found.values()),
            seconds=round(time.monotonic() - started, 2),
            finished_at=timezone.now(),
        )
        run.result = {}
        for kind, (result, pairs, clusters) in found.items():
            earlier = DuplicateCluster.objects.filter(status=ClusterStatus.OPEN, kind=kind).exclude(run=run)
            if region_code:
                earlier = earlier.filter(region_q("region_code", [region_code], narrow=False))
            earlier.update(status=ClusterStatus.STALE)
            if result.labels:  # read with the records (DuckDB)
                names = {pk: label for pk, (label, _region) in result.labels.items()}
                villages = {pk: region for pk, (_label, region) in result.labels.items()}
            else:
                villages = _first_villages(kind, [m for c in clusters for m in c])
                names = _names(kind, [m for c in clusters for m in c])
            members_of = {m: n for n, c in enumerate(clusters) for m in c}
            by_cluster: dict[int, list[dict]] = {}
            for p in pairs:
                by_cluster.setdefault(members_of[p["a"]], []).append(p)
            DuplicateCluster.objects.bulk_create(
                (
                    DuplicateCluster(
                        run=run,
                        kind=kind,
                        members=c,
                        pairs=by_cluster[n],
                        region_code=common_code(villages.get(m, "") for m in c),
                        names=" | ".join(names.get(m, "") for m in c).lower(),
                        probability=Decimal(str(max(p["probability"] for p in by_cluster[n]))),
                    )
                    for n, c in enumerate(clusters)
                ),
                batch_size=2000,
            )
            run.result[kind] = {
                "records": result.records,
                "pairs": pairs,
                "clusters": clusters,
                "untrained": result.untrained,
                "trained_on": result.trained_on,
            }
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
    """The officer says these are different businesses (or persons): every pair is remembered and never proposed
    again."""
    cluster = _open(cluster, actor)
    members = cluster.members
    NotSame.objects.bulk_create(
        (
            NotSame(kind=cluster.kind, a=a, b=b, decided_by=actor)
            for i, a in enumerate(members)
            for b in members[i + 1 :]
        ),
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
