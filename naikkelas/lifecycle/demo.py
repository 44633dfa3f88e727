"""Demo field work: three years of verification visits and scorecard assessments for the demo businesses.

The funnel figures of the demo regency (about 3,000 of 7,000 operating, about 1,000 modern) are not set: they
follow from these visits and assessments through the same rules as real ones. Each business follows one of a
few paths (thriving, operating, lapsed, closed, gone, never visited); field work starts at different times, so
the quarterly trend climbs as coverage grows.
"""

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from naikkelas.lifecycle import funnel, scoring
from naikkelas.lifecycle.constants import InstrumentStatus, VisitOutcome
from naikkelas.lifecycle.models import Answer, Assessment, Instrument, VerificationVisit
from naikkelas.regions import codes
from naikkelas.registry.models import Business, StatusChange
from naikkelas.registry.tallies import tally_rebuild

PATHS = [  # path, weight (of 1,000)
    ("thriving", 150),  # operating, latest assessment modern and innovating
    ("operating", 290),  # operating, not (yet) modern
    ("lapsed", 190),  # visited operating, but not in the last year
    ("closed", 140),
    ("gone", 80),  # latest visit: temporarily closed, moved or not found
    ("unvisited", 150),
]
# Rough centres of the demo regencies' land, for plausible visit coordinates.
CENTRES = {
    "18.09": (-5.49, 105.08),
    "18.01": (-5.60, 105.45),
    "36": (-6.30, 106.10),
}  # a regency's, or its province's


def _aware(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def _answers(rng: random.Random, questions, maturity: float, innovation: bool):
    """One option per question, near the maturity (0–1), with the innovation answer as asked."""
    chosen = {}
    for q in questions:
        options = list(q.options.all())
        if any(o.is_innovation for o in options):
            pick = (
                next(o for o in options if o.is_innovation)
                if innovation
                else min(options, key=lambda o: o.value)
            )
            if not innovation and rng.random() < 0.4:
                pick = sorted(options, key=lambda o: o.value)[1]
        else:
            target = min(1.0, max(0.0, rng.gauss(maturity, 0.22))) * 100
            pick = min(options, key=lambda o: abs(o.value - target))
        chosen[q] = pick
    return chosen


def _point(rng: random.Random, village_code: str) -> tuple[float, float]:
    lat0, lon0 = CENTRES.get(codes.regency_of(village_code)) or CENTRES.get(village_code[:2], (-5.5, 105.2))
    district = int(village_code[6:8])
    village = int(village_code[-3:])
    lat = lat0 + ((district * 37) % 11 - 5) * 0.025 + ((village * 13) % 7 - 3) * 0.006
    lon = lon0 + ((district * 53) % 13 - 6) * 0.025 + ((village * 17) % 9 - 4) * 0.006
    return round(lat + rng.uniform(-0.004, 0.004), 6), round(lon + rng.uniform(-0.004, 0.004), 6)


def _plan(rng: random.Random, b: Business, today: date, thriving: bool = False):
    """(visits [(day, outcome)], ratings [(day, maturity, innovation)]) for one business; `thriving` for the
    demo owner's business, whose products the catalogue shows (a closed business leaves it)."""
    path = rng.choices([p for p, _w in PATHS], weights=[w for _p, w in PATHS])[0]
    if thriving:
        path = "thriving"
    start = max(today - timedelta(days=3 * 365), b.registered_on)
    # Field work reaches each business at its own time over the first two years.
    reach = start + timedelta(days=rng.randint(0, 720))
    if path == "unvisited" or reach >= today:
        return [], []
    visits: list[tuple[date, str]] = []
    ratings: list[tuple[date, float, bool]] = []
    if path in ("thriving", "operating"):
        last = today - timedelta(days=rng.randint(3, 330))
        if last < reach:
            last = reach
        day = last
        days = []
        while day >= reach:
            days.append(day)
            day -= timedelta(days=rng.randint(240, 420))
        days.reverse()
        visits = [(d, VisitOutcome.OPERATING) for d in days]
        maturity = rng.uniform(0.15, 0.45)
        for i, d in enumerate(days):
            if i and rng.random() < 0.35:
                continue  # not assessed at every visit
            final = i == len(days) - 1
            if path == "thriving" and final:
                ratings.append((d, rng.uniform(0.8, 0.95), True))
            else:
                innovation = path == "thriving" and rng.random() < 0.5
                ratings.append((d, min(maturity, 0.55 if path == "operating" else 0.7), innovation))
            maturity += rng.uniform(0.05, 0.2)
        if path == "thriving" and (not ratings or ratings[-1][0] != days[-1]):
            ratings.append((days[-1], rng.uniform(0.8, 0.95), True))
        return visits, ratings
    lapse_end = today - timedelta(days=400)
    if reach >= lapse_end:
        reach = start
    first = reach + timedelta(days=rng.randint(0, max(0, (lapse_end - reach).days)))
    if first >= today:
        return [], []
    visits = [(first, VisitOutcome.OPERATING)]
    if rng.random() < 0.5:
        ratings.append((first, rng.uniform(0.1, 0.5), False))
    if path == "lapsed":
        return visits, ratings
    end = first + timedelta(days=rng.randint(90, 700))
    if end >= today:
        end = today - timedelta(days=rng.randint(1, 60))
    if end <= first:
        return visits, ratings
    outcome = (
        VisitOutcome.CLOSED
        if path == "closed"
        else rng.choice([VisitOutcome.TEMPORARILY_CLOSED, VisitOutcome.MOVED, VisitOutcome.NOT_FOUND])
    )
    visits.append((end, outcome))
    return visits, ratings


BANTEN = ("36.01", "36.02", "36.03", "36.04", "36.71", "36.72", "36.73", "36.74")


@transaction.atomic
def demo_field_work(
    *, regency_codes=("18.09", "18.01", *BANTEN), today: date | None = None, seed: int = 2026
) -> int:
    """Visits and assessments for the demo businesses, once; returns the number of visits made."""
    today = today or timezone.localdate()
    if VerificationVisit.objects.filter(business__external_ref__startswith="demo:").exists():
        return 0  # already there (businesses never visited stay unvisited on a second run)
    instrument = Instrument.objects.filter(status=InstrumentStatus.ACTIVE).first()
    questions = list(instrument.questions.prefetch_related("options"))
    rng = random.Random(seed)
    visits_out, assessments_out, answers_out, statuses_out, located = [], [], [], [], []
    status_of: dict[int, str] = {}
    showcase = set(Business.objects.filter(owner__user__username="pemilik").values_list("pk", flat=True))
    for code in regency_codes:
        qs = (
            Business.objects.filter(external_ref__startswith=f"demo:{code}:", visits__isnull=True)
            .order_by("external_ref")
            .only("pk", "registered_on", "village_id", "status")
        )
        for b in qs:
            visits, plans = _plan(rng, b, today, thriving=b.pk in showcase)
            if not visits:
                continue
            lat, lon = _point(rng, b.village_id)
            for day, outcome in visits:
                visits_out.append(
                    VerificationVisit(
                        business_id=b.pk,
                        visited_on=day,
                        outcome=outcome,
                        latitude=lat,
                        longitude=lon,
                        notes="data demo",
                    )
                )
            ratings = []
            for day, maturity, innovation in plans:
                chosen = _answers(rng, questions, maturity, innovation)
                result = scoring.score(instrument, chosen)
                a = Assessment(
                    business_id=b.pk,
                    instrument=instrument,
                    assessed_on=day,
                    score=result.score,
                    level=result.level,
                    innovation=result.innovation,
                    modern=result.modern,
                )
                assessments_out.append((a, chosen))
                ratings.append((day, result.modern))
            b.latitude, b.longitude = lat, lon
            located.append(b)
            previous = b.status
            for day in sorted({d for d, _o in visits} | {d for d, _r in ratings}):
                status = funnel.status_on(
                    day,
                    registered_on=b.registered_on,
                    visits=visits,
                    ratings=[r for r in ratings if r[0] <= day],
                )
                if status != previous:
                    statuses_out.append(
                        StatusChange(
                            business_id=b.pk,
                            status=status,
                            previous=previous,
                            changed_at=_aware(day),
                            note="data demo",
                        )
                    )
                    previous = status
            now = funnel.status_on(today, registered_on=b.registered_on, visits=visits, ratings=ratings)
            if now != previous:
                statuses_out.append(
                    StatusChange(
                        business_id=b.pk,
                        status=now,
                        previous=previous,
                        changed_at=_aware(today),
                        note="data demo",
                    )
                )
            status_of[b.pk] = now
    VerificationVisit.objects.bulk_create(visits_out, batch_size=5000)
    Assessment.objects.bulk_create([a for a, _c in assessments_out], batch_size=5000)
    answers_out = [
        Answer(assessment=a, question=q, option=o) for a, chosen in assessments_out for q, o in chosen.items()
    ]
    Answer.objects.bulk_create(answers_out, batch_size=5000)
    StatusChange.objects.bulk_create(statuses_out, batch_size=5000)
    Business.objects.bulk_update(located, ["latitude", "longitude"], batch_size=2000)
    by_status: dict[str, list[int]] = defaultdict(list)
    for pk, status in status_of.items():
        by_status[status].append(pk)
    for status, ids in by_status.items():
        for i in range(0, len(ids), 900):
            Business.objects.filter(pk__in=ids[i : i + 900]).update(status=status)
    tally_rebuild()
    funnel.funnel_rebuild()
    return len(visits_out)
