"""What the office's reports show, computed once and used by the page, the PDF, the XLSX and the API alike:
the plan's lines (each indicator of each plan entry against its target), the budget taken up, the DPRD's points
with what was planned and achieved for them, the head of office's traffic lights, and the ministry's recap.

Achievement (% capaian) is realisation ÷ target × 100 (target ÷ realisation for an indicator where lower is
better); its light follows the scale of Permendagri 86/2017 for evaluating a plan's results: 91–100 and above
"sangat tinggi" (green), 66–90 "tinggi"/"sedang" (yellow), 65 and below "rendah" (red)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import region_q
from naikkelas.planning import selectors
from naikkelas.planning.indicators import DOWN, INDICATORS, Indicator, Value, cooperative_status_on
from naikkelas.planning.models import Plan, PlanBudget, PlanKind, PlanNode, PlanTarget, PokokPikiran
from naikkelas.regions.models import Region
from naikkelas.registry.constants import BusinessStatus, CooperativeStatus
from naikkelas.registry.models import BusinessTally, Cooperative
from naikkelas.supervision.models import AnnualMeeting, FinancialReport

GREEN, YELLOW, RED = "hijau", "kuning", "merah"
LIGHT_WORDS = {GREEN: _("on track"), YELLOW: _("behind"), RED: _("far behind")}


def light_of(achievement: float | None) -> str:
    if achievement is None:
        return ""
    return GREEN if achievement >= 91 else YELLOW if achievement >= 66 else RED


def achievement_of(value, goal, direction: str) -> float | None:
    if value is None or goal in (None, 0):
        return None
    value, goal = float(value), float(goal)
    if direction == DOWN:
        return round(100 * goal / value, 2) if value else None
    return round(100 * value / goal, 2)


def records_link(code: str, region: str, as_of: date) -> str:
    """The list behind an indicator's figure (the list pages keep to the user's area themselves)."""
    group = code.split("-")[0]
    day = as_of.isoformat()
    return {
        "UMKM": f"/usaha/?region={region}", "BIN": f"/usaha/?region={region}",
        "KOP": f"/pengawasan/?region={region}", "SDM": "/pelatihan/ringkasan/?by=region",
        "PEMB": f"/modal/portofolio/?as_of={day}", "PROM": "/katalog/kelola/angka/",
    }.get(group, f"/rencana/indikator/?wilayah={region}&per={day}")  # fmt: skip


class Readings:
    """Indicator values for one region, computed once per day asked (the shipped ones and the office's own)."""

    def __init__(self, region: Region | None):
        self.region = region
        self.code = region.code if region else ""
        self.known = {i.code: i for i in [*INDICATORS, *selectors.custom_indicators_for(self.code)]}
        self._values: dict[tuple[str, date], Value] = {}

    def indicator(self, code: str) -> Indicator | None:
        return self.known.get(code)

    def value(self, code: str, day: date) -> Value | None:
        indicator = self.known.get(code)
        if indicator is None:
            return None
        if (code, day) not in self._values:
            self._values[(code, day)] = indicator.compute(self.code, day)
        return self._values[(code, day)]


@dataclass
class Line:
    node: PlanNode
    target: PlanTarget
    indicator: Indicator | None
    goal: Decimal | None
    value: float | None
    reading: Value | None
    achievement: float | None
    last_year: float | None
    end_goal: Decimal | None
    explanation: str
    link: str

    @property
    def light(self) -> str:
        return light_of(self.achievement)

    @property
    def unit(self) -> str:
        return self.target.unit or (self.indicator.unit if self.indicator else "")


@dataclass
class NodeLine:
    node: PlanNode
    lines: list[Line]
    budget: PlanBudget | None

    @property
    def depth(self) -> int:
        return {"program": 0, "kegiatan": 1}.get(self.node.level, 2)

    @property
    def absorbed(self) -> float | None:
        if self.budget is None or not self.budget.pagu:
            return None
        return round(float(100 * self.budget.spent / self.budget.pagu), 2)


def plan_for(region: Region | None, year: int) -> Plan | None:
    """The region's own Renja for the year, else its Renstra that covers the year."""
    if region is None:
        return None
    plans = Plan.objects.filter(region=region, first_year__lte=year, last_year__gte=year)
    return plans.filter(kind=PlanKind.RENJA).first() or plans.filter(kind=PlanKind.RENSTRA).first()


def targets_for(region: Region | None, year: int) -> dict[str, float]:
    """The year's target of each library indicator in the region's plan (the first entry that sets one)."""
    plan = plan_for(region, year)
    found: dict[str, float] = {}
    if plan is None:
        return found
    for code, targets in (
        PlanTarget.objects.filter(node__plan=plan)
        .exclude(indicator_code="")
        .order_by("node__code", "position")
        .values_list("indicator_code", "targets")
    ):
        if code not in found and targets.get(str(year)) not in (None, ""):
            found[code] = float(targets[str(year)])
    return found


def _number(text) -> Decimal | None:
    return Decimal(text) if text not in (None, "") else None


def _end_goals(plan: Plan) -> dict[tuple[str, str], Decimal]:
    """The Renstra covering the plan's year: its last year's target for each (entry code, indicator)."""
    renstra = Plan.objects.filter(
        region_id=plan.region_id,
        kind=PlanKind.RENSTRA,
        first_year__lte=plan.first_year,
        last_year__gte=plan.first_year,
    ).first()
    if renstra is None:
        return {}
    goals = {}
    for t in PlanTarget.objects.filter(node__plan=renstra).select_related("node"):
        goal = _number(t.targets.get(str(renstra.last_year)))
        if goal is not None:
            goals[(t.node.code, t.indicator_code or t.name)] = goal
    return goals


def plan_lines(
    plan: Plan, year: int, as_of: date, readings: Readings, *, last_year: bool = False
) -> list[NodeLine]:
    """Each entry of the plan with its indicators against the year's targets and its budget for the year.
    A library indicator's realisation is computed in the plan's region as of the day; an output indicator's is
    what the office typed for the year."""
    budgets = {b.node_id: b for b in PlanBudget.objects.filter(node__plan=plan, year=year)}
    end_goals = _end_goals(plan) if last_year else {}
    rows = []
    for node in plan.nodes.order_by("code").prefetch_related("targets"):
        lines = []
        for target in node.targets.all():
            indicator = readings.indicator(target.indicator_code) if target.indicator_code else None
            reading = readings.value(target.indicator_code, as_of) if indicator else None
            value = reading.value if reading else _number(target.realised.get(str(year)))
            before = None
            if last_year:
                if indicator:
                    before = readings.value(target.indicator_code, date(year - 1, 12, 31)).value
                else:
                    before = _number(target.realised.get(str(year - 1)))
            goal = _number(target.targets.get(str(year)))
            direction = indicator.direction if indicator else "naik"
            lines.append(Line(
                node=node, target=target, indicator=indicator, goal=goal,
                value=float(value) if value is not None else None, reading=reading,
                achievement=achievement_of(value, goal, direction),
                last_year=float(before) if before is not None else None,
                end_goal=end_goals.get((node.code, target.indicator_code or target.name)),
                explanation=target.explanations.get(str(year), ""),
                link=records_link(target.indicator_code, plan.region_id, as_of) if indicator else "",
            ))  # fmt: skip
        rows.append(NodeLine(node, lines, budgets.get(node.pk)))
    return rows


def budget_total(rows: list[NodeLine]) -> tuple[Decimal, Decimal]:
    """The plan's budget and spending: the programs' (a program's budget is its kegiatan's total)."""
    programs = [r.budget for r in rows if r.node.level == "program" and r.budget]
    return sum((b.pagu for b in programs), Decimal(0)), sum((b.spent for b in programs), Decimal(0))


@dataclass
class PointReport:
    point: PokokPikiran
    readings: list  # (indicator, value, link to the records) of the point's own indicators
    nodes: list[NodeLine] = field(default_factory=list)

    @property
    def pagu(self) -> Decimal:
        return sum((n.budget.pagu for n in self.nodes if n.budget), Decimal(0))

    @property
    def spent(self) -> Decimal:
        return sum((n.budget.spent for n in self.nodes if n.budget), Decimal(0))

    @property
    def light(self) -> str:
        lights = [line.light for n in self.nodes for line in n.lines if line.light]
        return next((c for c in (RED, YELLOW, GREEN) if c in lights), "")


def point_reports(
    region: Region | None, year: int, as_of: date, readings: Readings, rows: list[NodeLine]
) -> list[PointReport]:
    """The DPRD's points for the region (its own and those given to offices around it), each with its own
    indicators' values and the plan entries linked to it, as planned and achieved."""
    by_node = {r.node.pk: r for r in rows}
    reports = []
    points = (
        selectors.around(PokokPikiran.objects.all(), region)
        .order_by("-given_on", "number")
        .prefetch_related("nodes")
    )
    for point in points:
        values = [(readings.indicator(c), readings.value(c, as_of), records_link(c, readings.code, as_of))
                  for c in point.indicator_codes if readings.indicator(c)]  # fmt: skip
        nodes = [by_node[n.pk] for n in point.nodes.all() if n.pk in by_node]
        reports.append(PointReport(point, values, nodes))
    return reports


@dataclass
class Report:
    region: Region | None
    year: int
    as_of: date
    plan: Plan | None
    rows: list[NodeLine]
    points: list[PointReport]
    readings: list  # every indicator: (indicator, value, link)
    coverage: selectors.Coverage
    pagu: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    plan_region: Region | None = None  # whose plan: the region's own, or the office's above it
    computed: "Readings | None" = None  # the values computed for it, for a page that asks for more days

    @property
    def borrowed(self) -> bool:
        """The plan is the office's above the region: its targets, the region's own figures."""
        return self.plan is not None and self.plan_region != self.region

    @property
    def lines(self) -> list[Line]:
        return [line for row in self.rows for line in row.lines]

    @property
    def absorbed(self) -> float | None:
        return round(float(100 * self.spent / self.pagu), 2) if self.pagu else None

    @property
    def by_objective(self) -> list[tuple[str, list[Line]]]:
        """The lines grouped by their entry's objective (sasaran; the entry's name where none is written), in
        the plan's order: the LKjIP's shape."""
        groups: dict[str, list[Line]] = {}
        for line in self.lines:
            groups.setdefault(line.node.sasaran or line.node.name, []).append(line)
        return list(groups.items())


def report(*, user, region: str = "", as_of=None, year: int | None = None, last_year: bool = False) -> Report:
    """Everything a report shows for a region in the user's area as of a day (the year: the day's)."""
    where, day, _readings = selectors.indicator_values(user=user, region=region, as_of=as_of, compute=False)
    year = year or day.year
    readings = Readings(where)
    plan_region, plan = office_plan(user, where, year)
    rows = plan_lines(plan, year, day, readings, last_year=last_year) if plan else []
    if plan is not None and plan_region != where:
        for row in rows:  # typed realisations are the whole office's: only computed figures are the region's
            row.lines = [line for line in row.lines if line.indicator]
    pagu, spent = budget_total(rows)
    code = where.code if where else ""
    table = [
        (i, readings.value(i.code, day), records_link(i.code, code, day)) for i in readings.known.values()
    ]
    return Report(
        region=where, year=year, as_of=day, plan=plan, rows=rows,
        points=point_reports(where, year, day, readings, rows), readings=table,
        coverage=selectors.coverage(code, day), pagu=pagu, spent=spent, plan_region=plan_region, computed=readings,
    )  # fmt: skip


def office_plan(user, region: Region | None, year: int) -> tuple[Region | None, Plan | None]:
    """The region's own plan for the year, else the plan of the nearest office above it that the user's area
    covers (a district's page shows its regency office's plan and targets)."""
    if region is None:
        return None, None
    for place in reversed(region.ancestors()):  # the region itself first, then upwards
        if place.code != region.code and not permissions.covers(user, place.code):
            continue
        plan = plan_for(place, year)
        if plan is not None:
            return place, plan
    return region, None


# ---- The ministry's recap (ODS shape) -------------------------------------------------------------------------


SIZE_KEYS = ("mikro", "kecil", "menengah", "besar", "unknown")


def ministry_recap(region: Region | None, as_of: date) -> tuple[list[dict], list[dict]]:
    """Cooperatives per region one level down (aktif, tidak aktif, RAT held for last book year, members, equity,
    outside capital, business volume, SHU of last book year) and UMKM by size class and sector."""
    code = region.code if region else ""
    children = list(region.children.order_by("code")) if region is not None else list(
        Region.objects.filter(level=1).order_by("code"))  # fmt: skip
    book_year = as_of.year - 1
    coops = (
        Cooperative.objects.filter(region_q("village__code", [code], narrow=False))
        if code
        else Cooperative.objects.all()
    )
    status = cooperative_status_on(code, as_of)
    meetings = set(
        AnnualMeeting.objects.filter(book_year=book_year, held_on__lte=as_of).values_list(
            "cooperative_id", flat=True
        )
    )
    reports = {
        r["cooperative_id"]: r
        for r in FinancialReport.objects.filter(year=book_year, cooperative__in=coops).values(
            "cooperative_id", "equity", "total_assets", "gross_participation", "non_member_revenue", "shu")
    }  # fmt: skip
    alive = [(pk, members, village) for pk, members, village in coops.values_list("pk", "members", "village_id")
             if pk in status and status[pk] != CooperativeStatus.DISSOLVED]  # fmt: skip
    rows = []
    for child in children:
        prefix = child.code + "."
        mine = [(pk, members) for pk, members, village in alive if village.startswith(prefix)]
        row = {"region": child, "active": 0, "inactive": 0, "rat": 0, "members": 0, "equity": 0, "outside": 0,
               "volume": 0, "shu": 0, "reported": 0}  # fmt: skip
        for pk, members in mine:
            row["active" if status[pk] == CooperativeStatus.ACTIVE else "inactive"] += 1
            row["rat"] += pk in meetings
            row["members"] += members or 0
            r = reports.get(pk)
            if r:
                row["reported"] += 1
                row["equity"] += r["equity"] or 0
                if r["total_assets"] is not None and r["equity"] is not None:
                    row["outside"] += max(r["total_assets"] - r["equity"], 0)
                row["volume"] += (r["gross_participation"] or 0) + (r["non_member_revenue"] or 0)
                row["shu"] += r["shu"] or 0
        rows.append(row)
    tallies = BusinessTally.objects.filter(
        region_q("village__code", [code], narrow=False) if code else Q()
    ).exclude(status=BusinessStatus.CLOSED)
    sizes: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SIZE_KEYS, 0))
    for t in tallies.values("size_class", "sector").annotate(n=Sum("count")):
        sizes[t["sector"] or "-"][t["size_class"] or "unknown"] += t["n"]
    umkm = [{"sector": s, **v, "total": sum(v.values())} for s, v in sorted(sizes.items())]
    return rows, umkm
