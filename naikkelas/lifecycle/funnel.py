"""The funnel registered → operating → modern, for any region and any day, from the history of visits and
assessments.

A business is
  registered  from the day the office registered it;
  operating   on a day when its latest visit so far found it operating, less than FUNNEL_WINDOW_DAYS ago;
  modern      on a day when it is operating and its latest assessment so far is "modern and innovating",
              also less than FUNNEL_WINDOW_DAYS old.
`stages_on` says this for one business and one day, straight from the definition; `timeline` turns a
business's whole history into the days its stages change. `funnel_sync` keeps those changes in FunnelEvent
(per business) and sums them in FunnelDelta (per district and period), so that a province's funnel as of any
day is one small indexed sum, however many visits lie behind it. Tests hold the sums equal to `stages_on`
applied to every business.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import Substr, TruncMonth

from naikkelas.core.bulk import BulkTable, among, exactly
from naikkelas.lifecycle.constants import VisitOutcome
from naikkelas.lifecycle.models import ALL, Assessment, FunnelDelta, FunnelEvent, Grain, VerificationVisit
from naikkelas.regions import codes
from naikkelas.regions.models import Level, Region, level_of
from naikkelas.registry.constants import BusinessStatus
from naikkelas.registry.models import Business

STAGES = ("registered", "operating", "modern")
Visit = tuple[date, str]  # day, outcome; in the order they were made
Rating = tuple[date, bool]  # day, modern; in the order they were made


def window() -> timedelta:
    return timedelta(days=settings.FUNNEL_WINDOW_DAYS)


def stages_on(
    day: date, *, registered_on: date, visits: Sequence[Visit], ratings: Sequence[Rating]
) -> tuple[int, int, int]:
    """(registered, operating, modern) of one business on one day, each 0 or 1, from the definition."""
    if registered_on > day:
        return 0, 0, 0
    past = [v for v in visits if v[0] <= day]
    latest = max(past, key=lambda v: v[0]) if past else None  # max keeps the first of equal days...
    if past:
        latest = [v for v in past if v[0] == latest[0]][-1]  # ...so take the last one made on that day
    operating = bool(latest and latest[1] == VisitOutcome.OPERATING and day < latest[0] + window())
    rated = [r for r in ratings if r[0] <= day]
    rating = None
    if rated:
        last_day = max(r[0] for r in rated)
        rating = [r for r in rated if r[0] == last_day][-1]
    modern = operating and bool(rating and rating[1] and day < rating[0] + window())
    return 1, int(operating), int(modern)


def status_on(day: date, *, registered_on: date, visits: Sequence[Visit], ratings: Sequence[Rating]) -> str:
    """The business status the history gives on a day: closed when the latest visit so far found it closed,
    else its funnel stage (modern, operating or registered)."""
    past = [v for v in visits if v[0] <= day]
    if past and past[-1][1] == VisitOutcome.CLOSED:
        return BusinessStatus.CLOSED
    _r, operating, modern = stages_on(day, registered_on=registered_on, visits=past, ratings=ratings)
    if modern:
        return BusinessStatus.MODERN
    return BusinessStatus.OPERATING if operating else BusinessStatus.REGISTERED


def _intervals_operating(registered_on: date, visits: Sequence[Visit]) -> list[tuple[date, date]]:
    spans: list[tuple[date, date]] = []
    start = until = None
    for day, outcome in sorted(visits, key=lambda v: v[0]):  # stable: same-day visits keep their order
        if start is not None and until <= day:  # lapsed before this visit
            spans.append((start, until))
            start = None
        if outcome == VisitOutcome.OPERATING:
            if start is None:
                start = day
            until = day + window()
        elif start is not None:
            spans.append((start, day))
            start = None
    if start is not None:
        spans.append((start, until))
    clipped = [(max(s, registered_on), e) for s, e in spans]
    return [(s, e) for s, e in clipped if s < e]


def _intervals_modern(ratings: Sequence[Rating]) -> list[tuple[date, date]]:
    ordered = sorted(ratings, key=lambda r: r[0])
    spans = []
    for i, (day, modern) in enumerate(ordered):
        if not modern:
            continue
        end = day + window()
        if i + 1 < len(ordered):
            end = min(end, ordered[i + 1][0])
        if day < end:
            spans.append((day, end))
    return spans


def _intersect(a: list[tuple[date, date]], b: list[tuple[date, date]]) -> list[tuple[date, date]]:
    out = []
    for s1, e1 in a:
        for s2, e2 in b:
            s, e = max(s1, s2), min(e1, e2)
            if s < e:
                out.append((s, e))
    return out


def timeline(
    *, registered_on: date, visits: Sequence[Visit], ratings: Sequence[Rating]
) -> dict[date, tuple[int, int, int]]:
    """The days on which the business's stages change, with the change (+1 in, −1 out) of each stage."""
    changes: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    changes[registered_on][0] += 1
    operating = _intervals_operating(registered_on, visits)
    for index, spans in ((1, operating), (2, _intersect(operating, _intervals_modern(ratings)))):
        for start, end in spans:
            changes[start][index] += 1
            changes[end][index] -= 1
    return {d: tuple(c) for d, c in sorted(changes.items()) if any(c)}


# --- keeping FunnelEvent and FunnelDelta --------------------------------------------------------------------

EventRow = tuple[str, str, str, date, int, int, int]  # village, sector, size class, day, r, o, m
CHUNK = 2000


def _history(ids: Sequence[int]):
    wanted = set(ids)
    businesses = {
        pk: (village, sector or "", size or "", registered_on)
        for pk, village, sector, size, registered_on in Business.objects.filter(among("pk", ids)).values_list(
            "pk", "village_id", "sector", "size_class", "registered_on"
        )
        if pk in wanted
    }
    visits: dict[int, list[Visit]] = defaultdict(list)
    for pk, day, outcome in (
        VerificationVisit.objects.filter(among("business_id", ids))
        .order_by("visited_on", "id")
        .values_list("business_id", "visited_on", "outcome")
    ):
        visits[pk].append((day, outcome))
    ratings: dict[int, list[Rating]] = defaultdict(list)
    for pk, day, modern in (
        Assessment.objects.filter(among("business_id", ids))
        .order_by("assessed_on", "id")
        .values_list("business_id", "assessed_on", "modern")
    ):
        ratings[pk].append((day, modern))
    return businesses, visits, ratings


def events_of(business, visits, ratings) -> list[EventRow]:
    village, sector, size, registered_on = business
    changes = timeline(registered_on=registered_on, visits=visits, ratings=ratings)
    return [(village, sector, size, day, *c) for day, c in changes.items()]


def _add(deltas: Counter, row: EventRow, sign: int) -> None:
    village, sector, size, day, r, o, m = row
    district = codes.district_of(village)
    periods = ((Grain.YEAR, day.replace(month=1, day=1)), (Grain.MONTH, day.replace(day=1)), (Grain.DAY, day))
    for s in (sector, ALL):
        for z in (size, ALL):
            for grain, period in periods:
                key = (district, s, z, grain, period)
                current = deltas.get(key, (0, 0, 0))
                deltas[key] = (current[0] + sign * r, current[1] + sign * o, current[2] + sign * m)


def _apply(deltas: dict) -> None:
    rows = [(*key, *v) for key, v in deltas.items() if any(v)]
    if not rows:
        return
    table = FunnelDelta._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f'INSERT INTO "{table}" (region_code, sector, size_class, grain, period, registered, operating, '  # noqa: S608
            "modern) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (sector, size_class, grain, period, region_code) DO UPDATE SET "
            f'registered = "{table}".registered + excluded.registered, '
            f'operating = "{table}".operating + excluded.operating, '
            f'modern = "{table}".modern + excluded.modern',
            rows,
        )


@transaction.atomic
def funnel_sync(ids: Iterable[int]) -> int:
    """Bring the funnel up to date for these businesses (created, changed, visited, assessed or deleted).
    Returns how many businesses' stage history changed."""
    ids = sorted(set(ids))
    changed = 0
    deltas: Counter = Counter()  # summed over all chunks: one upsert per key, however many businesses
    moved: Counter = Counter()  # events gone (-1) and come (+1), counted: many businesses share the same ones
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        businesses, visits, ratings = _history(part)
        old: dict[int, list[EventRow]] = defaultdict(list)
        for pk, *row in (
            FunnelEvent.objects.filter(among("business_id", part))
            .order_by("day")
            .values_list(
                "business_id",
                "village_code",
                "sector",
                "size_class",
                "day",
                "registered",
                "operating",
                "modern",
            )
        ):
            old[pk].append(tuple(row))
        fresh, stale = [], []
        for pk in part:
            new = events_of(businesses[pk], visits[pk], ratings[pk]) if pk in businesses else []
            if new == old[pk]:
                continue
            stale.append(pk)
            moved.update(old[pk])
            moved.subtract(new)
            fresh.extend((pk, codes.district_of(row[0]), *row) for row in new)
        if stale:
            had = [pk for pk in stale if old[pk]]  # a new business has none to delete
            if had:
                FunnelEvent.objects.filter(exactly("business_id", had))._raw_delete(FunnelEvent.objects.db)
            _event_table().insert(fresh)
            changed += len(stale)
    for row, n in moved.items():
        if n:
            _add(deltas, row, -n)  # linear in the sign: n events gone at once
    _apply(deltas)
    return changed


def _event_table() -> BulkTable:
    fields = [
        "business_id",
        "district_code",
        "village_code",
        "sector",
        "size_class",
        "day",
        "registered",
        "operating",
        "modern",
    ]
    return BulkTable(FunnelEvent, fields)


@transaction.atomic
def funnel_rebuild() -> int:
    """Recompute every business's stage history and the sums from scratch; returns the number of events."""
    FunnelEvent.objects.all().delete()
    FunnelDelta.objects.all().delete()
    ids = list(Business.objects.order_by("pk").values_list("pk", flat=True))
    events = 0
    table = _event_table()
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        businesses, visits, ratings = _history(part)
        events += table.insert(
            (pk, codes.district_of(row[0]), *row)
            for pk in part
            for row in events_of(businesses[pk], visits[pk], ratings[pk])
        )
    deltas_from_events()
    return events


def deltas_from_events() -> None:
    """Sum FunnelEvent into FunnelDelta inside the database (bulk loads and rebuilds): twelve INSERT … SELECT,
    one per grain and per choice of summing over sectors and size classes."""
    if connection.vendor == "sqlite":
        periods = {
            Grain.YEAR: "date(day, 'start of year')",
            Grain.MONTH: "date(day, 'start of month')",
            Grain.DAY: "day",
        }
    else:
        periods = {
            Grain.YEAR: "date_trunc('year', day)::date",
            Grain.MONTH: "date_trunc('month', day)::date",
            Grain.DAY: "day",
        }
    target, source = FunnelDelta._meta.db_table, FunnelEvent._meta.db_table
    with connection.cursor() as cursor:
        for sector in ("sector", None):
            for size in ("size_class", None):
                for grain, period in periods.items():
                    group = ["district_code", period] + [c for c in (sector, size) if c]
                    cursor.execute(
                        f'INSERT INTO "{target}" (region_code, sector, size_class, grain, period, registered, '  # noqa: S608
                        f"operating, modern) SELECT district_code, {sector or '%s'}, "
                        f"{size or '%s'}, %s, {period}, SUM(registered), SUM(operating), SUM(modern) "
                        f'FROM "{source}" GROUP BY {", ".join(group)} '
                        "HAVING SUM(registered) <> 0 OR SUM(operating) <> 0 OR SUM(modern) <> 0",
                        [p for p in (None if sector else ALL, None if size else ALL) if p] + [grain],
                    )


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# --- reading ------------------------------------------------------------------------------------------------


@dataclass
class Counts:
    registered: int = 0
    operating: int = 0
    modern: int = 0

    def add(self, r: int, o: int, m: int) -> None:
        self.registered += r or 0
        self.operating += o or 0
        self.modern += m or 0

    @property
    def operating_rate(self) -> float | None:
        return self.operating / self.registered if self.registered else None

    @property
    def modern_rate(self) -> float | None:
        return self.modern / self.operating if self.operating else None


@dataclass
class Funnel:
    region: Region | None
    as_of: date
    sector: str
    size_class: str
    total: Counts
    children: list[tuple[Region, Counts]] = field(default_factory=list)


def _delta_rows(region_code: str, as_of: date, sector: str, size_class: str, child_length: int):
    year_start, month_start = as_of.replace(month=1, day=1), as_of.replace(day=1)
    base = FunnelDelta.objects.filter(sector=sector or ALL, size_class=size_class or ALL)
    if region_code:
        base = base.filter(region_code__startswith=region_code + ".")
    parts = (
        base.filter(grain=Grain.YEAR, period__lt=year_start),
        base.filter(grain=Grain.MONTH, period__gte=year_start, period__lt=month_start),
        base.filter(grain=Grain.DAY, period__gte=month_start, period__lte=as_of),
    )
    for qs in parts:
        yield from (
            qs.annotate(child=Substr("region_code", 1, child_length))
            .values("child")
            .annotate(r=Sum("registered"), o=Sum("operating"), m=Sum("modern"))
            .order_by()
            .values_list("child", "r", "o", "m")
        )


def _event_rows(region_code: str, as_of: date, sector: str, size_class: str):
    qs = FunnelEvent.objects.filter(day__lte=as_of)
    if level_of(region_code) == Level.VILLAGE:
        qs = qs.filter(village_code=region_code)
    else:
        qs = qs.filter(district_code=region_code)
    if sector:
        qs = qs.filter(sector=sector)
    if size_class:
        qs = qs.filter(size_class=size_class)
    return (
        qs.values("village_code")
        .annotate(r=Sum("registered"), o=Sum("operating"), m=Sum("modern"))
        .order_by()
        .values_list("village_code", "r", "o", "m")
    )


def funnel_counts(*, region: Region | None, as_of: date, sector: str = "", size_class: str = "") -> Funnel:
    """The funnel of a region (None: the whole country) as of the end of a day, with one line per child
    region (every child, also those with no businesses)."""
    level = region.level if region else None
    code = region.code if region else ""
    by_child: dict[str, Counts] = defaultdict(Counts)
    if level in (None, Level.PROVINCE, Level.REGENCY):
        rows = _delta_rows(code, as_of, sector, size_class, codes.child_length(code))
    else:
        rows = _event_rows(code, as_of, sector, size_class)
    total = Counts()
    for child, r, o, m in rows:
        by_child[child].add(r, o, m)
        total.add(r, o, m)
    children = []
    if level != Level.VILLAGE:
        kids = Region.objects.filter(parent=region) if region else Region.objects.filter(level=Level.PROVINCE)
        children = [(kid, by_child.get(kid.code, Counts())) for kid in kids.order_by("code")]
    return Funnel(region, as_of, sector, size_class, total, children)


def quarter_ends(first: date, last: date) -> list[date]:
    """The last day of every quarter from the one holding `first` up to `last`, and `last` itself."""
    ends = []
    year, quarter = first.year, (first.month - 1) // 3
    while True:
        end = _month_end(date(year, quarter * 3 + 3, 1))
        if end >= last:
            break
        ends.append(end)
        quarter += 1
        if quarter == 4:
            year, quarter = year + 1, 0
    return [*ends, last]


def funnel_trend(
    *, region: Region | None, until: date, quarters: int = 12, sector: str = "", size_class: str = ""
) -> list[tuple[date, Counts]]:
    """The region's funnel at the end of each of the last `quarters` quarters (the last one cut at `until`)."""
    first = date(until.year - (quarters - 1) // 4 - 1, 1, 1)
    ends = quarter_ends(first, until)[-quarters:]
    code = region.code if region else ""
    monthly: dict[date, Counts] = defaultdict(Counts)  # changes per month (day-grained rows summed by month)
    if region is None or region.level in (Level.PROVINCE, Level.REGENCY):
        qs = FunnelDelta.objects.filter(sector=sector or ALL, size_class=size_class or ALL, grain=Grain.MONTH)
        if code:
            qs = qs.filter(region_code__startswith=code + ".")
        rows = qs.values("period").annotate(r=Sum("registered"), o=Sum("operating"), m=Sum("modern"))
        for row in rows.order_by():
            monthly[row["period"]].add(row["r"], row["o"], row["m"])
    else:
        level_field = "village_code" if region.level == Level.VILLAGE else "district_code"
        qs = FunnelEvent.objects.filter(**{level_field: code})
        if sector:
            qs = qs.filter(sector=sector)
        if size_class:
            qs = qs.filter(size_class=size_class)
        rows = (
            qs.annotate(p=TruncMonth("day"))
            .values("p")
            .annotate(r=Sum("registered"), o=Sum("operating"), m=Sum("modern"))
        )
        for row in rows.order_by():
            monthly[_as_date(row["p"])].add(row["r"], row["o"], row["m"])
    series = []
    for end in ends:
        if end == until and end != _month_end(end):
            series.append(
                (end, funnel_counts(region=region, as_of=end, sector=sector, size_class=size_class).total)
            )
            continue
        c = Counts()
        for month, counts in monthly.items():
            if month <= end:
                c.add(counts.registered, counts.operating, counts.modern)
        series.append((end, c))
    return series


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)
