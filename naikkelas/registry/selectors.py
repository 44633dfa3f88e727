"""Every read of the registry goes through these, and they all go through accounts.scope."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from naikkelas.accounts.scope import region_q, scope_for, scoped
from naikkelas.core.names import name_plain, name_similarity
from naikkelas.regions import codes
from naikkelas.registry.models import Business, BusinessTally, Cooperative
from naikkelas.registry.search import business_search_q


@dataclass
class BusinessFilters:
    q: str = ""
    region: str = ""
    status: str = ""
    sector: str = ""
    size_class: str = ""
    gap: str = ""  # a data-quality gap (intake/quality.py): the records to fix

    @classmethod
    def from_mapping(cls, data) -> "BusinessFilters":
        return cls(
            **{
                k: (data.get(k) or "").strip()
                for k in ("q", "region", "status", "sector", "size_class", "gap")
            }
        )


# Above this many expected rows a page is read by walking the name index rather than the region index.
NARROW_ROWS = 5000


def business_list(
    *, user, filters: BusinessFilters | None = None, expected: int | None = None
) -> QuerySet[Business]:
    """Businesses in scope matching the filters, by name. `expected` (from business_count) only steers speed."""
    filters = filters or BusinessFilters()
    narrow = expected is None or expected <= NARROW_ROWS
    qs = scoped(Business.objects.select_related("owner", "village"), user, narrow=narrow)
    if not scope_for(
        user
    ).own:  # a restricted person (UU 27/2022 Pasal 11) is in no staff list; an owner sees theirs
        qs = qs.filter(owner__restricted_at=None)
    return _filtered(qs, filters, narrow=narrow)


def _filtered(qs: QuerySet[Business], filters: BusinessFilters, *, narrow: bool = True) -> QuerySet[Business]:
    if filters.q:
        qs = qs.filter(business_search_q(filters.q))
    if filters.region:
        qs = qs.filter(region_q("village__code", [filters.region], narrow=narrow))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.sector:
        if filters.sector.isdigit():
            qs = qs.filter(kbli__startswith=filters.sector)
        else:
            qs = qs.filter(sector__iexact=filters.sector)
    if filters.size_class:
        qs = qs.filter(size_class=filters.size_class)
    if filters.gap:
        from django.utils import timezone

        from naikkelas.intake.quality import gap_q

        qs = qs.filter(gap_q(filters.gap, timezone.localdate()))
    return qs.order_by("name", "id")


def business_count(*, user, filters: BusinessFilters | None = None) -> int:
    """The number of businesses business_list would give, from the tallies where they can answer."""
    filters = filters or BusinessFilters()
    scope = scope_for(user)
    if filters.q or filters.gap or filters.sector.isdigit() or (scope.own and not scope.everything):
        return business_list(user=user, filters=filters).count()
    qs = scoped(BusinessTally.objects.all(), user)
    if filters.region:
        qs = qs.filter(region_q("village__code", [filters.region]))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.sector:
        qs = qs.filter(sector__iexact=filters.sector)
    if filters.size_class:
        qs = qs.filter(size_class=filters.size_class)
    return (qs.aggregate(n=Sum("count"))["n"] or 0) - restricted_count(user=user, filters=filters)


def restricted_count(*, user, filters: BusinessFilters) -> int:
    """The businesses of restricted persons the tallies count but no list shows (few, found by their index)."""
    from naikkelas.registry.models import Person

    if not Person.all_objects.filter(restricted_at__isnull=False).exists():
        return 0
    restricted = scoped(Business.objects.filter(owner__restricted_at__isnull=False), user)
    return _filtered(restricted, filters).count()


def business_get_for_user(*, user, pk) -> Business:
    """The business, or 404 when it does not exist or lies outside the user's scope."""
    try:
        return scoped(Business.objects.select_related("owner", "village"), user).get(pk=int(pk))
    except (Business.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class CooperativeFilters:
    q: str = ""
    region: str = ""
    status: str = ""
    type: str = ""

    @classmethod
    def from_mapping(cls, data) -> "CooperativeFilters":
        return cls(**{k: (data.get(k) or "").strip() for k in ("q", "region", "status", "type")})


def cooperative_list(*, user, filters: CooperativeFilters | None = None) -> QuerySet[Cooperative]:
    filters = filters or CooperativeFilters()
    qs = scoped(Cooperative.objects.select_related("village"), user)
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q)
            | Q(nik_koperasi__startswith=filters.q)
            | Q(legal_entity_number__icontains=filters.q)
        )
    if filters.region:
        qs = qs.filter(region_q("village__code", [filters.region]))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.type:
        qs = qs.filter(type=filters.type)
    return qs.order_by("name", "id")


def cooperative_get_for_user(*, user, pk) -> Cooperative:
    try:
        return scoped(Cooperative.objects.select_related("village"), user).get(pk=int(pk))
    except (Cooperative.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def business_sectors(*, user) -> list[str]:
    scope = scope_for(user)
    source = Business if scope.own and not scope.everything else BusinessTally
    qs = scoped(source.objects.exclude(sector=""), user)
    if source is BusinessTally:
        qs = qs.filter(count__gt=0)
    return list(qs.values_list("sector", flat=True).distinct().order_by("sector")[:200])


def similar_businesses(*, user, business: Business, limit: int = 5) -> list[Business]:
    """Businesses the user may see that are probably this one (the check at entry): the owner's NIK, the phone,
    or the district, with a name that is alike (naikkelas.core.names). The full search is intake.dedupe."""
    from django.db.models import Q

    words = name_plain(business.name).split()
    near = (
        Q(village__code__startswith=codes.district_of(business.village_id) + ".")
        & Q(name__icontains=words[0])
        if words
        else Q(pk__in=[])
    )
    if business.owner.nik_hash:
        near |= Q(owner__nik_hash=business.owner.nik_hash)
    if business.phone:
        near |= Q(phone=business.phone)
    candidates = scoped(
        Business.objects.filter(near, owner__restricted_at=None)
        .exclude(pk=business.pk)
        .select_related("village"),
        user,
    )[:200]
    alike = [(name_similarity(business.name, c.name), c) for c in candidates]
    return [c for score, c in sorted(alike, key=lambda x: -x[0]) if score >= 0.85][:limit]
