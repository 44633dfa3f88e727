"""Did the training work? A difference-in-differences estimate against matched non-participants.

Each unit (a business) has a group key it is matched on (region, sector, size class, baseline level), an outcome
before and after, and whether it took part. Within each group, the change of participants is compared with the
change of non-participants; the estimate is the participants-weighted mean of those differences, and its
standard error combines the within-group variances of both changes (Welch-style, per group). Groups with no
non-participant (or no participant) are left out and counted as such.
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts.scope import region_q, scoped
from naikkelas.lifecycle.models import Assessment
from naikkelas.performance.models import ReportValue
from naikkelas.performance.selectors import add_months
from naikkelas.regions import codes
from naikkelas.registry.models import Business
from naikkelas.training.models import Certificate, Registration

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Unit:
    key: Hashable  # the matching cell
    treated: bool
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


MIN_UNITS = 10  # participants, and comparisons, an estimate needs before it is shown


@dataclass(frozen=True)
class Estimate:
    effect: float | None
    low: float | None  # 95 % confidence interval
    high: float | None
    treated: int  # participants behind the estimate
    controls: int  # matched non-participants behind it
    unmatched: int  # participants with no comparison in their group

    @property
    def enough(self) -> bool:
        """At least MIN_UNITS participants and as many comparisons: below that the page says "data belum
        cukup" and shows no figure, however wide or narrow the interval came out."""
        return self.effect is not None and self.treated >= MIN_UNITS and self.controls >= MIN_UNITS

    @property
    def significant(self) -> bool:
        return self.enough and self.low is not None and (self.low > 0 or self.high < 0)


def _variance(values: list[float], fallback: float) -> float:
    if len(values) < 2:
        return fallback
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def did(units: Iterable[Unit]) -> Estimate:
    cells: dict[Hashable, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for u in units:
        cells[u.key][0 if u.treated else 1].append(u.change)
    matched = {k: v for k, v in cells.items() if v[0] and v[1]}
    unmatched = sum(len(v[0]) for k, v in cells.items() if k not in matched)
    n_treated = sum(len(t) for t, _c in matched.values())
    if not n_treated:
        return Estimate(None, None, None, 0, 0, unmatched)
    # A cell with a single unit of a side borrows the pooled variance of that side.
    pooled_t = _variance([x for t, _c in matched.values() for x in t], 0.0)
    pooled_c = _variance([x for _t, c in matched.values() for x in c], 0.0)
    effect = variance = 0.0
    for treated, controls in matched.values():
        w = len(treated) / n_treated
        effect += w * (sum(treated) / len(treated) - sum(controls) / len(controls))
        variance += (
            w
            * w
            * (_variance(treated, pooled_t) / len(treated) + _variance(controls, pooled_c) / len(controls))
        )
    se = math.sqrt(variance)
    controls_n = sum(len(c) for _t, c in matched.values())
    return Estimate(effect, effect - Z95 * se, effect + Z95 * se, n_treated, controls_n, unmatched)


# --- from the records ------------------------------------------------------------------------------------------


def programme_units(*, programme, user, outcome: str, months: int) -> list[Unit]:
    """Participants who completed a cohort of the programme (a certificate) and comparable businesses of the
    same cohort's region that did not take part, each with the outcome before the cohort started and
    `months` later. outcome: "revenue" (monthly omzet reports: the mean of the three months before; the month
    `months` after) or "level" (the latest scorecard level before; the latest up to `months` after).
    Matched on district, sector, size class and baseline level, cohort by cohort."""

    units: list[Unit] = []
    for cohort in programme.cohorts.all():
        start = cohort.starts_on.replace(day=1)
        later = add_months(start, months)
        treated = set(
            Certificate.objects.filter(registration__cohort=cohort, revoked_at__isnull=True)
            .exclude(registration__business=None)
            .values_list("registration__business_id", flat=True)
        )
        took_part = set(
            Registration.objects.filter(cohort__programme=programme)
            .exclude(business=None)
            .values_list("business_id", flat=True)
        )
        pool = scoped(Business.objects.filter(region_q("village__code", [cohort.region_id])), user)
        rows = list(pool.values_list("pk", "village_id", "sector", "size_class"))
        ids = [r[0] for r in rows]
        levels_before: dict[int, int] = {}
        levels_after: dict[int, int] = {}
        for pk, day, level in (
            Assessment.objects.filter(business_id__in=ids, assessed_on__lt=later)
            .order_by("business_id", "assessed_on", "id")
            .values_list("business_id", "assessed_on", "level")
        ):
            if day < start:
                levels_before[pk] = level
            else:
                levels_after[pk] = level
        if outcome == "revenue":
            before: dict[int, list[float]] = defaultdict(list)
            after: dict[int, float] = {}
            for pk, month, value in ReportValue.objects.filter(
                report__business_id__in=ids,
                kpi__key="omzet",
                report__month__gte=add_months(start, -3),
                report__month__lte=later,
            ).values_list("report__business_id", "report__month", "value"):
                if month < start:
                    before[pk].append(float(value))
                elif month == later:
                    after[pk] = float(value)
            outcomes = {pk: (sum(v) / len(v), after[pk]) for pk, v in before.items() if pk in after}
        else:
            outcomes = {
                pk: (float(levels_before[pk]), float(levels_after[pk]))
                for pk in levels_before
                if pk in levels_after
            }
        for pk, village, sector, size in rows:
            if pk not in outcomes or (pk in took_part and pk not in treated):
                continue  # no figures either side, or took part without completing: in neither group
            key = (cohort.pk, codes.district_of(village), sector, size, levels_before.get(pk))
            units.append(Unit(key, pk in treated, *outcomes[pk]))
    return units


def programme_impact(*, programme, user, outcome: str, months: int) -> Estimate:
    return did(programme_units(programme=programme, user=user, outcome=outcome, months=months))


OUTCOMES = (("revenue", gettext_lazy("Monthly revenue (Rp)")), ("level", gettext_lazy("Scorecard level")))


def estimates(*, programme, user) -> list[tuple]:
    """Every outcome 6 and 12 months after: (outcome, label, months, estimate)."""
    return [(outcome, label, months, programme_impact(programme=programme, user=user, outcome=outcome, months=months))
            for outcome, label in OUTCOMES for months in (6, 12)]  # fmt: skip


def estimates_table(rows) -> tuple[list, list]:
    """The estimates as an export: header and rows (too few to compare: said so, not a number)."""
    header = [_("Outcome"), _("Months after"), _("Effect"), _("95 % interval, low"), _("95 % interval, high"),
              _("Participants"), _("Comparison"), _("Without a match")]  # fmt: skip
    data = [[str(label), months, *((e.effect, e.low, e.high) if e.enough else (_("not enough data"), None, None)),
             e.treated, e.controls, e.unmatched] for _o, label, months, e in rows]  # fmt: skip
    return header, data


def estimates_chart(rows) -> dict:
    """The estimates with enough data for the chart (too few are never drawn)."""
    known = [(label, months, e) for _o, label, months, e in rows if e.enough]
    return {"labels": [f"{label} · {months}" for label, months, _e in known],
            "effects": [e.effect for _l, _m, e in known], "lows": [e.low for _l, _m, e in known],
            "highs": [e.high for _l, _m, e in known]}  # fmt: skip
