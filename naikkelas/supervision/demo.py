"""Demo supervision in Pesawaran: three years of RATs (most on time, some late, a few missing two years running),
last year's financial report and health rating for each savings-and-loan cooperative, and supervision visits
with follow-ups."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from naikkelas.accounts.models import User
from naikkelas.registry.constants import CooperativeStatus, CooperativeType
from naikkelas.registry.models import Cooperative
from naikkelas.supervision import rat, services
from naikkelas.supervision.models import AnnualMeeting


def _report(rng, members: int) -> dict:
    """A plausible KSP year, scaled by members (Rupiah)."""
    assets = members * rng.randint(2_000_000, 6_000_000)
    loans = int(assets * rng.uniform(0.6, 0.85))
    equity = int(assets * rng.uniform(0.15, 0.55))
    shu = int(assets * rng.uniform(-0.01, 0.09))
    participation = int(loans * rng.uniform(0.12, 0.2))
    return {
        "total_assets": assets, "equity": equity, "loans_outstanding": loans,
        "loans_to_members": int(loans * rng.uniform(0.5, 1)), "risky_loans": int(loans * rng.uniform(0.1, 0.4)),
        "loans_substandard": int(loans * rng.uniform(0, 0.08)), "loans_doubtful": int(loans * rng.uniform(0, 0.05)),
        "loans_loss": int(loans * rng.uniform(0, 0.06)), "risk_reserve": int(loans * rng.uniform(0, 0.08)),
        "cash_and_bank": int(assets * rng.uniform(0.03, 0.2)), "current_liabilities": int(assets * rng.uniform(0.4, 0.8)),
        "member_savings": int(assets * rng.uniform(0.3, 0.6)), "core_savings": int(equity * rng.uniform(0.3, 0.7)),
        "funds_received": int(assets * rng.uniform(0.5, 0.85)), "weighted_capital": int(equity * rng.uniform(0.6, 1)),
        "risk_weighted_assets": int(assets * rng.uniform(0.6, 0.9)), "gross_participation": participation,
        "net_participation": int(participation * rng.uniform(0.4, 0.7)),
        "non_member_revenue": int(participation * rng.uniform(0.05, 0.6)),
        "member_service_costs": int(participation * rng.uniform(0.5, 1.05)),
        "operating_expenses": int(participation * rng.uniform(0.2, 0.45)),
        "cooperative_expenses": int(participation * rng.uniform(0.02, 0.1)),
        "staff_costs": int(loans * rng.uniform(0.02, 0.12)), "gross_shu": max(1, int(participation * rng.uniform(0.3, 0.6))),
        "shu_before_tax": shu, "shu": int(shu * 0.9), "shu_members": int(shu * 0.6),
        "member_promotion": int(equity * rng.uniform(0.01, 0.08)),
    }  # fmt: skip


@transaction.atomic
def demo_supervision(*, today: date | None = None, seed: int = 31) -> int:
    """Returns the number of RATs recorded (0 when the demo already has them)."""
    admin = User.objects.filter(username="admin.pesawaran").first()
    if (
        admin is None
        or AnnualMeeting.objects.filter(cooperative__village__code__startswith="18.09.").exists()
    ):
        return 0
    rng = random.Random(seed)
    today = today or timezone.localdate()
    made = 0
    coops = Cooperative.objects.filter(village__code__startswith="18.09.").exclude(
        status=CooperativeStatus.DISSOLVED
    )
    for coop in coops.order_by("pk"):
        habit = rng.random()
        # The last book year whose RAT has fallen due: a cooperative that stopped skipped it and the one before.
        latest = today.year - 1 if rat.due_on(coop.level, today.year - 1) <= today else today.year - 2
        for year in range(today.year - 3, today.year):
            if not rat.existed_in(coop.legal_entity_date, year):
                continue
            due = rat.due_on(coop.level, year)
            if due > today or (habit > 0.9 and year >= latest - 1):
                continue  # not due yet, or this cooperative stopped holding RATs
            late = habit > 0.75 and rng.random() < 0.6
            held = (
                due + timedelta(days=rng.randint(5, 120))
                if late
                else due - timedelta(days=rng.randint(0, 70))
            )
            services.meeting_record(
                actor=admin,
                cooperative=coop,
                data={
                    "book_year": year,
                    "held_on": min(held, today).isoformat(),
                    "members_present": int(coop.members * rng.uniform(0.4, 0.9)),
                },
            )
            made += 1
        if coop.type == CooperativeType.SAVINGS_LOAN and habit <= 0.9:
            report = services.report_save(
                actor=admin,
                cooperative=coop,
                year=today.year - 1,
                data=_report(rng, max(coop.members, 20)),
                source="demo",
            )
            answers = {
                "general": rng.randint(6, 12),
                "institution": rng.randint(3, 6),
                "capital": rng.randint(2, 5),
                "assets": rng.randint(5, 10),
                "liquidity": rng.randint(2, 5),
            }
            services.rating_make(actor=admin, report=report, management=answers)
    for coop in coops.filter(type=CooperativeType.SAVINGS_LOAN).order_by("pk")[:8]:
        visited = today - timedelta(days=rng.randint(10, 200))
        services.visit_record(actor=admin, cooperative=coop, visited_on=visited, summary="Pemeriksaan kesehatan KSP",
                              findings=[
            {"text": "Pinjaman macet belum dicadangkan penuh", "severity": "tinggi",
             "action": "Bentuk cadangan risiko sesuai pinjaman macet", "owner": "Pengurus",
             "due_on": (visited + timedelta(days=60)).isoformat()},
            {"text": "Notulen RAT belum diunggah ke ODS", "severity": "sedang", "action": "Unggah notulen RAT ke ODS",
             "owner": "Sekretaris", "due_on": (visited + timedelta(days=30)).isoformat()},
        ])  # fmt: skip
    return made
