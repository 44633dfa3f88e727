"""Every supervision read, scoped: a cooperative's RAT standing, the compliance lists, and the dashboard by
region."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from naikkelas.accounts.scope import scope_for, scoped
from naikkelas.regions import codes
from naikkelas.regions.models import Region
from naikkelas.registry.constants import CooperativeStatus, CooperativeType
from naikkelas.registry.models import Cooperative
from naikkelas.supervision import rat
from naikkelas.supervision.models import AnnualMeeting, FollowUp, HealthRating, SupervisionVisit


def cooperatives_supervised(*, user) -> QuerySet[Cooperative]:
    """Cooperatives that owe RATs: not dissolved, in the user's scope."""
    return scoped(Cooperative.objects.exclude(status=CooperativeStatus.DISSOLVED), user)


def held_by_cooperative(ids) -> dict[int, dict[int, date]]:
    held: dict[int, dict[int, date]] = defaultdict(dict)
    for coop_id, year, day in AnnualMeeting.objects.filter(cooperative_id__in=ids).values_list(
        "cooperative_id", "book_year", "held_on"
    ):
        held[coop_id][year] = day
    return held


@dataclass
class Compliance:
    year: int  # the calendar year in which the RAT on book year year-1 is due
    late: list[tuple[Cooperative, rat.Standing]] = field(default_factory=list)
    missing_two_years: list[tuple[Cooperative, rat.Standing, rat.Standing]] = field(default_factory=list)
    on_time: int = 0
    not_yet_due: int = 0


def compliance(*, user, year: int, today: date) -> Compliance:
    result = Compliance(year=year)
    coops = list(cooperatives_supervised(user=user).select_related("village"))
    held = held_by_cooperative([c.pk for c in coops])
    for coop in coops:
        where = rat.position(coop.level, coop.legal_entity_date, year, held[coop.pk])
        if where is None:
            continue
        this = where.this
        if this.on_time:
            result.on_time += 1
        elif this.late(today):
            result.late.append((coop, this))
        else:
            result.not_yet_due += 1
        if where.missing_two_years(today):
            result.missing_two_years.append((coop, this, where.before))
    result.late.sort(key=lambda item: (item[1].held_on is not None, item[0].name))
    result.missing_two_years.sort(key=lambda item: item[0].name)
    return result


def latest_ratings(ids) -> dict[int, HealthRating]:
    latest: dict[int, HealthRating] = {}
    for rating in (
        HealthRating.objects.filter(cooperative_id__in=ids)
        .select_related("report")
        .order_by("cooperative_id", "-report__year", "-rated_at")
    ):
        latest.setdefault(rating.cooperative_id, rating)
    return latest


@dataclass
class RegionRow:
    code: str
    name: str
    cooperatives: int = 0
    savings_loan: int = 0
    rat_on_time: int = 0
    rat_late: int = 0
    missing_two_years: int = 0
    ratings: Counter = field(default_factory=Counter)
    open_actions: int = 0
    overdue_actions: int = 0
    visits_this_year: int = 0


def child_level_length(user, region: str | None) -> tuple[str, int]:
    """The region the dashboard splits, and the length of its children's codes (2 → 5 → 8)."""
    scope = scope_for(user)
    if region:
        base = region
    elif scope.everything:
        base = ""
    else:
        base = scope.region_codes[0] if len(scope.region_codes) == 1 else ""
    return base, codes.child_length(base)


def dashboard(*, user, today: date, region: str = "") -> tuple[list[RegionRow], RegionRow]:
    scope = scope_for(user)
    if region and not scope.covers_region(region):
        region = ""
    base, length = child_level_length(user, region)
    coops = [
        c for c in cooperatives_supervised(user=user) if not base or codes.code_within(c.village_id, base)
    ]
    ids = [c.pk for c in coops]
    held = held_by_cooperative(ids)
    ratings = latest_ratings(ids)
    rows: dict[str, RegionRow] = {}
    total = RegionRow(base, "")
    year = today.year
    for coop in coops:
        key = coop.village_id[:length]
        row = rows.setdefault(key, RegionRow(key, ""))
        where = rat.position(coop.level, coop.legal_entity_date, year, held[coop.pk])
        for target in (row, total):
            target.cooperatives += 1
            target.savings_loan += coop.type == CooperativeType.SAVINGS_LOAN
            if where is not None:
                target.rat_on_time += where.this.on_time
                target.rat_late += where.this.late(today)
                target.missing_two_years += where.missing_two_years(today)
            if coop.pk in ratings:
                target.ratings[ratings[coop.pk].category] += 1
    key_of = {c.pk: c.village_id[:length] for c in coops}
    for action in FollowUp.objects.filter(done_on=None, finding__visit__cooperative_id__in=ids).values_list(
        "finding__visit__cooperative_id", "due_on"
    ):
        for target in (rows[key_of[action[0]]], total):
            target.open_actions += 1
            target.overdue_actions += action[1] < today
    for coop_id in SupervisionVisit.objects.filter(cooperative_id__in=ids, visited_on__year=year).values_list(
        "cooperative_id", flat=True
    ):
        rows[key_of[coop_id]].visits_this_year += 1
        total.visits_this_year += 1
    names = dict(Region.objects.filter(code__in=list(rows)).values_list("code", "name"))
    for row in rows.values():
        row.name = names.get(row.code, row.code)
    return sorted(rows.values(), key=lambda r: r.code), total
