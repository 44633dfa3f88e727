"""Demo training: a bookkeeping cohort in Pesawaran that finished eight months ago (attendance, tests,
certificates), a digital-marketing cohort starting in two weeks with registration open, a packaging cohort of
the field officer's district and a bookkeeping cohort in Lampung Selatan."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from naikkelas.accounts.models import User
from naikkelas.performance.selectors import add_months
from naikkelas.training import selectors, services
from naikkelas.training.models import Attendance, Certificate, Cohort, Programme, Registration, TestResult


@transaction.atomic
def demo_training(*, today: date | None = None, seed: int = 11) -> int:
    """Returns the number of registrations made (0 when the demo already has its cohorts)."""
    admin = User.objects.filter(username="admin.pesawaran").first()
    if admin is None or Cohort.objects.filter(name__startswith="Demo ").exists():
        return 0
    rng = random.Random(seed)
    today = today or timezone.localdate()
    past_start = add_months(today.replace(day=1), -8)
    bookkeeping = Programme.objects.get(topic="pembukuan")
    past = services.cohort_create(
        actor=admin,
        programme=bookkeeping,
        data={
            "region": "18.09",
            "name": "Demo Pembukuan Angkatan 1",
            "starts_on": past_start.isoformat(),
            "capacity": 30,
            "budget": 45_000_000,
            "trainers": "Tim PLUT-KUMKM Lampung",
        },
    )
    sessions = [
        services.session_add(
            actor=admin,
            cohort=past,
            title=f"Hari {n + 1}",
            venue="Aula Dinas Koperasi dan UMKM",
            starts_at=timezone.make_aware(datetime.combine(past_start + timedelta(days=n), time(9))),
        )
        for n in range(3)
    ]
    candidates = [c.business for c in selectors.candidates(user=admin, cohort=past, limit=40)]
    made = 0
    questions = list(bookkeeping.questions.all())
    for business in candidates[:34]:
        if Registration.objects.filter(cohort=past, person=business.owner).exists():
            continue  # an owner with two businesses registers once
        registration = services.register(
            cohort=past,
            actor=admin,
            source="officer",
            data={
                "business_id": business.pk,
                "name": business.owner.name,
                "phone": business.owner.phone or "081200000000",
            },
        )
        made += 1
        if registration.status != "registered":
            continue
        for session in sessions:
            if rng.random() < 0.88:
                Attendance.objects.create(session=session, registration=registration, checked_in_by=admin)
        for kind, skill in (("pre", 0.4), ("post", 0.85)):
            answers = {
                str(q.pk): str(q.correct if rng.random() < skill else (q.correct + 1) % len(q.options))
                for q in questions
            }
            TestResult.objects.create(
                registration=registration,
                kind=kind,
                answers=answers,
                score=services.score_test(questions, answers),
            )
    for registration in past.registrations.filter(status="registered"):
        if services.completion(registration)["complete"]:
            Certificate.objects.create(
                registration=registration,
                issued_on=past_start + timedelta(days=3),
                number=f"NK-{past_start:%Y}-{registration.pk:06d}",
            )
    past.registration_open = False
    past.save(update_fields=["registration_open"])
    marketing = Programme.objects.get(topic="pemasaran-digital")
    upcoming = services.cohort_create(
        actor=admin,
        programme=marketing,
        data={
            "region": "18.09",
            "name": "Demo Pemasaran Digital Angkatan 2",
            "starts_on": (today + timedelta(days=14)).isoformat(),
            "capacity": 25,
            "budget": 30_000_000,
            "trainers": "Rumah BUMN Lampung",
        },
    )
    services.session_add(
        actor=admin,
        cohort=upcoming,
        title="Foto produk dan katalog WhatsApp",
        venue="Balai Desa Bagelen",
        starts_at=timezone.make_aware(datetime.combine(today + timedelta(days=14), time(9))),
    )
    for business in [c.business for c in selectors.candidates(user=admin, cohort=upcoming, limit=5)]:
        if not Registration.objects.filter(cohort=upcoming, person=business.owner).exists():
            services.register(
                cohort=upcoming,
                actor=admin,
                source="officer",
                data={
                    "business_id": business.pk,
                    "name": business.owner.name,
                    "phone": business.owner.phone or "081200000000",
                },
            )
            made += 1
    # The field officer's own cohort in their district, and Lampung Selatan's: every persona has training.
    packaging = Programme.objects.filter(topic="kemasan-merek").first() or marketing
    officer = User.objects.filter(username="petugas.gedongtataan").first()
    lamsel = User.objects.filter(username="admin.lamsel").first()
    for actor, region, name, days in (
        (officer, "18.09.01", "Demo Kemasan dan Merek Gedong Tataan", 7),
        (lamsel, "18.01", "Demo Pembukuan Lampung Selatan", 21),
    ):
        if actor is None:
            continue
        cohort = services.cohort_create(
            actor=actor,
            programme=packaging if region != "18.01" else bookkeeping,
            data={
                "region": region,
                "name": name,
                "starts_on": (today + timedelta(days=days)).isoformat(),
                "capacity": 20,
                "budget": 12_000_000,
                "trainers": "Pendamping PLUT-KUMKM",
            },
        )
        services.session_add(
            actor=actor,
            cohort=cohort,
            title="Sesi 1",
            venue="Balai Desa",
            starts_at=timezone.make_aware(datetime.combine(today + timedelta(days=days), time(9))),
        )
        for business in [c.business for c in selectors.candidates(user=actor, cohort=cohort, limit=4)]:
            if not Registration.objects.filter(cohort=cohort, person=business.owner).exists():
                services.register(
                    cohort=cohort,
                    actor=actor,
                    source="officer",
                    data={
                        "business_id": business.pk,
                        "name": business.owner.name,
                        "phone": business.owner.phone or "081200000000",
                    },
                )
                made += 1
    return made
