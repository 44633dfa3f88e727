"""The office's indicators: each computation equals a count from scratch (the definitions walked record by record)
on generated data written through the services, on days far apart; the page and the API show the same figures,
only for regions in the user's area."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from naikkelas.catalog.models import Category, Product, ProductDaily
from naikkelas.core.models import AuditLog
from naikkelas.financing.models import Application, Disbursement, Installment, Payment, Referral
from naikkelas.financing.models import Programme as FinProgramme
from naikkelas.financing.selectors import portfolio, portfolio_total
from naikkelas.lifecycle import funnel
from naikkelas.lifecycle import services as lifecycle
from naikkelas.lifecycle.models import Assessment, Instrument, VerificationVisit
from naikkelas.performance.models import MonthlyReport, SopAdoption, SopTemplate
from naikkelas.planning.indicators import BY_CODE
from naikkelas.privacy import services as privacy
from naikkelas.registry import services as registry
from naikkelas.registry.models import Business, Cooperative, LegalDocument, Person
from naikkelas.supervision import rat
from naikkelas.supervision.models import AnnualMeeting, FinancialReport, HealthRating
from naikkelas.training.models import Certificate, Cohort, Programme, Registration

JAKARTA = ZoneInfo("Asia/Jakarta")
DAYS = [date(2024, 3, 31), date(2024, 12, 31), date(2025, 6, 30), date(2025, 12, 31)]
PLACES = ["gedong", "pesawaran_other", "lamsel", "banten"]


def _at(day: date):
    return time_machine.travel(datetime.combine(day, time(10), tzinfo=JAKARTA), tick=False)


def _random_day(rng, first=date(2023, 1, 1), last=date(2025, 12, 31)) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


@pytest.fixture
def office_records(villages, personas):
    """Sixty businesses, fifteen cooperatives and two programmes' certificates, written at random days (seeded)."""
    rng = random.Random(21)
    actor = personas["national"]
    for n in range(60):
        place = rng.choice(PLACES)
        registered = _random_day(rng, last=date(2025, 6, 30))
        with _at(registered):
            business = registry.business_create(
                actor=actor,
                data={"name": f"Usaha {n}", "owner_name": f"Pemilik {n}", "village": villages[place].code,
                      "nib": f"{rng.randrange(10**12, 10**13)}" if rng.random() < 0.3 else ""},
            )  # fmt: skip
        own = random.Random(1000 + n)  # apart from `rng`, so the records below stay as they were
        Person.objects.filter(pk=business.owner_id).update(gender=own.choice(["L", "P", "P", ""]))
        Business.objects.filter(pk=business.pk).update(workers_disabled=own.choice([None, 0, 1, 2]))
        for _ in range(rng.randrange(4)):
            visited = _random_day(rng, first=registered)
            with _at(max(visited, registered)):
                lifecycle.visit_record(
                    actor=actor,
                    business=business,
                    data={
                        "date": visited.isoformat(),
                        "outcome": rng.choice(["operating", "operating", "closed"]),
                    },
                )
        for kind in rng.sample(["nib", "halal", "pirt", "bpom"], rng.randrange(3)):
            issued = _random_day(rng) if rng.random() < 0.8 else None
            expires = (
                issued + timedelta(days=rng.choice([180, 720])) if issued and rng.random() < 0.6 else None
            )
            LegalDocument.objects.create(business=business, kind=kind, number=f"{kind}-{n}", issued_on=issued,
                                         expires_on=expires)  # fmt: skip
    for n in range(15):
        place = rng.choice(PLACES)
        founded = (
            _random_day(rng, first=date(2015, 1, 1), last=date(2025, 6, 30)) if rng.random() < 0.8 else None
        )
        with _at(
            founded or date(2015, 1, 1)
        ):  # entered on the day it was founded (the date may not be ahead)
            coop = registry.cooperative_create(
                actor=actor,
                data={"name": f"Koperasi {n}", "type": rng.choice(["simpan_pinjam", "produsen"]),
                      "village": villages[place].code, "level": rng.choice(["primer", "sekunder"]),
                      **({"legal_entity_date": founded.isoformat()} if founded else {})},
            )  # fmt: skip
        for changed in sorted(
            _random_day(rng, first=founded or date(2015, 1, 2)) for _ in range(rng.randrange(3))
        ):
            with _at(changed):
                coop.refresh_from_db()
                registry.cooperative_update(
                    actor=actor,
                    cooperative=coop,
                    data={"status": rng.choice(["aktif", "tidak_aktif", "dibubarkan"])},
                )
        for book_year in (2022, 2023, 2024):
            if rng.random() < 0.7:
                AnnualMeeting.objects.create(cooperative=coop, book_year=book_year,
                                             held_on=date(book_year + 1, 1, 15) + timedelta(days=rng.randrange(200)))  # fmt: skip
    for audience in ("umkm", "koperasi"):
        programme = Programme.objects.create(
            name=f"Pelatihan {audience}", topic="pemasaran-digital", audience=audience
        )
        for place in PLACES:
            cohort = Cohort.objects.create(programme=programme, name=f"{audience} {place}",
                                           region=villages[place].parent.parent, capacity=30,
                                           starts_on=date(2024, 1, 1))  # fmt: skip
            for n in range(rng.randrange(2, 6)):
                person = Person.objects.create(
                    name=f"Peserta {audience} {place} {n}", gender=rng.choice(["L", "P", ""])
                )
                business = rng.choice(list(Business.objects.order_by("pk"))) if audience == "umkm" else None
                registration = Registration.objects.create(
                    cohort=cohort, person=person, status="registered", business=business
                )
                Certificate.objects.create(
                    registration=registration, number=f"{audience[:3]}-{place}-{n}", issued_on=_random_day(rng),
                    revoked_at=datetime(2025, 3, 1, tzinfo=JAKARTA) if rng.random() < 0.1 else None,
                )  # fmt: skip
    _capital_and_catalogue(rng, villages, actor)
    _management(rng)
    _ratings_and_reports(rng)
    _growth(rng, actor)
    _opportunities(rng, villages, actor)
    _partnerships_and_procurement(rng, villages, actor)
    return villages


def _partnerships_and_procurement(rng, villages, actor):
    import tempfile
    from pathlib import Path

    import xlsxwriter

    from naikkelas.opportunities import partnerships, procurement

    for n in range(6):
        place = rng.choice(PLACES)
        started = _random_day(rng, first=date(2024, 1, 1))
        members = [b.pk for b in Business.objects.filter(village=villages[place]).order_by("pk")[:2]]
        if not members:
            continue
        partnerships.partnership_create(actor=actor, data={
            "partner": f"Mitra {n}", "partner_kind": "perusahaan", "pattern": "rantai_pasok",
            "region": villages[place].code, "businesses": members, "starts_on": str(started),
            "ends_on": str(started + timedelta(days=rng.randrange(100, 500))) if rng.random() < 0.6 else ""})  # fmt: skip
    names = list(Business.objects.filter(village__code__startswith="18.09.").values_list("name", flat=True))
    for year, region, day in ((2024, "18.09", date(2024, 12, 20)), (2025, "18.09", date(2025, 6, 1)),
                              (2025, "18", date(2025, 12, 1))):  # fmt: skip
        path = Path(tempfile.mkdtemp()) / "realisasi.xlsx"
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["Nama Paket", "Satuan Kerja", "Nilai", "Nama Penyedia"])
        for row in range(1, 8):
            supplier = rng.choice(names) if names and rng.random() < 0.5 else f"PT Luar {row}"
            sheet.write_row(row, 0, [f"Paket {row}", "Setda", rng.randrange(1, 40) * 1_000_000, supplier])
        book.close()
        with _at(day):
            procurement.procurement_import(actor=actor, region=region, year=year, kind="realisasi", path=path,
                                           file_label="realisasi.xlsx")  # fmt: skip


def _opportunities(rng, villages, actor):
    """Buyers' demand open to a regency, a district or a province, posted on random days; invitations and offers
    from suppliers of the region; some closed with a deal (with or without the offer taken), some without."""
    from naikkelas.opportunities import services as opportunities

    suppliers = [*Business.objects.order_by("pk"), *Cooperative.objects.order_by("pk")]
    for n in range(14):
        region = rng.choice(["18.09", "18.01", "18.09.01", "18", "36"])
        posted = _random_day(rng, first=date(2024, 1, 1))
        inside = [s for s in suppliers if _inside(s.village_id, region)]
        with _at(posted):
            buyer = opportunities.buyer_create(actor=actor, data={"name": f"Pembeli {n}", "kind": "horeka",
                                                                   "region": region})  # fmt: skip
            opportunity = opportunities.opportunity_create(actor=actor, buyer=buyer, today=posted, data={
                "title": f"Barang {n}", "quantity": "10", "unit": "kg", "frequency": "bulanan", "channel": "offtake",
                "region": region, "delivery_village": inside[0].village_id if inside else villages["gedong"].code,
                "deadline": str(posted + timedelta(days=20)), "delivery_on": str(posted + timedelta(days=40))})  # fmt: skip
            for supplier in rng.sample(inside, min(len(inside), rng.randrange(4))):
                if supplier.phone or isinstance(supplier, Cooperative):
                    continue
                supplier.phone = "+628123456" + f"{supplier.pk:04d}"[-4:]
        offers = []
        for supplier in rng.sample(inside, min(len(inside), rng.randrange(4))):
            with _at(posted + timedelta(days=rng.randrange(15))):
                supplier.phone = supplier.phone or "+6281234560000"
                supplier.save()
                if isinstance(supplier, Business):  # the owner signed the office's WhatsApp consent form
                    privacy.consent_give(actor=actor, person=supplier.owner, purpose="whatsapp_contact")
                opportunities.invite(actor=actor, opportunity=opportunity, supplier=supplier, channel="whatsapp",
                                     url="https://contoh/")  # fmt: skip
                if rng.random() < 0.7:
                    offers.append(opportunities.offer_make(actor=actor, opportunity=opportunity, supplier=supplier,
                                  today=posted, data={"price": "1000", "quantity": "10",
                                                      "available_on": str(posted)}))  # fmt: skip
        closed = posted + timedelta(days=rng.randrange(10, 60))
        if rng.random() < 0.75:
            taken = rng.choice(offers) if offers and rng.random() < 0.8 else None
            with _at(closed):
                opportunities.outcome_record(actor=actor, opportunity=opportunity, today=closed, data={
                    "outcome": "deal" if rng.random() < 0.8 else "tidak", "outcome_note": "Harga",
                    "deal_value": str(rng.randrange(1, 50) * 1_000_000), "winning_offer": taken.pk if taken else ""})  # fmt: skip


def _growth(rng, actor):
    """Revenue typed again on random days (size classes change: micro to small, some back), members counted
    again, and the participants' businesses assessed before and after their training."""
    for business in Business.objects.order_by("pk"):
        day = business.registered_on
        for _ in range(rng.randrange(4)):
            day = _random_day(rng, first=day)
            with _at(day):
                business.refresh_from_db()
                revenue = rng.choice([500_000_000, 1_500_000_000, 3_000_000_000, 20_000_000_000])
                registry.business_update(
                    actor=actor, business=business, data={"annual_revenue": str(revenue)}
                )
    for coop in Cooperative.objects.order_by("pk"):
        day = max(coop.legal_entity_date or date(2015, 1, 1), date(2023, 1, 1))
        for _ in range(rng.randrange(4)):
            day = _random_day(rng, first=day)
            with _at(day):
                coop.refresh_from_db()
                registry.cooperative_update(
                    actor=actor, cooperative=coop, data={"members": str(rng.randrange(20, 400))}
                )
    instrument = Instrument.objects.get(version=1)
    assessed = set(Registration.objects.exclude(business=None).values_list("business_id", flat=True))
    for pk in sorted(assessed):
        for _ in range(rng.randrange(4)):
            Assessment.objects.create(business_id=pk, instrument=instrument, assessed_on=_random_day(rng),
                                      score=50, level=rng.randrange(1, 6))  # fmt: skip
    funnel.funnel_sync(sorted(assessed))


def _capital_and_catalogue(rng, villages, actor):
    """Revolving loans with schedules and payments, KUR referrals, catalogue products with WhatsApp clicks."""
    revolving = FinProgramme.objects.create(name="Dana bergulir", kind="bergulir", region=villages["gedong"].parent.parent.parent,
                                            budget=10**12, opens_on=date(2023, 1, 1), closes_on=date(2026, 12, 31))  # fmt: skip
    kur = FinProgramme.objects.create(name="KUR", kind="kur", region=revolving.region, budget=10**12,
                                      opens_on=date(2023, 1, 1), closes_on=date(2026, 12, 31))  # fmt: skip
    category = Category.objects.first()
    for n, business in enumerate(Business.objects.order_by("pk")):
        if rng.random() < 0.35:
            application = Application.objects.create(programme=revolving, business=business, amount_requested=12_000_000,
                                                     amount_approved=12_000_000, purpose="modal", status="dicairkan")  # fmt: skip
            start = _random_day(rng, first=date(2023, 6, 1))
            Disbursement.objects.create(application=application, amount=12_000_000, disbursed_on=start)
            for k in range(1, 13):
                Installment.objects.create(application=application, number=k, due_on=start + timedelta(days=30 * k),
                                           principal=1_000_000, interest=50_000)  # fmt: skip
            for k in range(rng.randrange(13)):
                Payment.objects.create(
                    application=application, paid_on=start + timedelta(days=30 * k + 5), amount=1_050_000
                )
        if rng.random() < 0.2:
            application = Application.objects.create(programme=kur, business=business, amount_requested=50_000_000,
                                                     purpose="modal", status="disetujui")  # fmt: skip
            Referral.objects.create(application=application, bank="Bank Lampung", referred_on=date(2024, 1, 5),
                                    status=rng.choice(["dirujuk", "cair_bank"]), updated_on=_random_day(rng, first=date(2024, 1, 5)))  # fmt: skip
        if rng.random() < 0.4:
            product = Product.objects.create(business=business, name=f"Produk {n}", category=category, price=15000,
                                             status=rng.choice(["tayang", "tayang", "draf"]),
                                             published_at=datetime.combine(_random_day(rng), time(9), tzinfo=JAKARTA))  # fmt: skip
            for day in {_random_day(rng) for _ in range(3)}:
                ProductDaily.objects.create(product=product, day=day, views=5, whatsapp=rng.randrange(4))


def _management(rng):
    """SOPs adopted and monthly KPI reports, on random days and months."""
    templates = list(SopTemplate.objects.all()[:3])
    for business in Business.objects.order_by("pk"):
        for template in rng.sample(templates, rng.randrange(len(templates) + 1)):
            SopAdoption.objects.create(business=business, template=template, adopted_on=_random_day(rng))
        months = [date(2024 + m // 12, m % 12 + 1, 1) for m in range(24)]
        for month in [
            m for m in months if rng.random() < 0.3
        ]:  # some reports come in late, after the next month
            report = MonthlyReport.objects.create(business=business, month=month, source="officer")
            entered = datetime.combine(month + timedelta(days=rng.randrange(10, 75)), time(9), tzinfo=JAKARTA)
            MonthlyReport.objects.filter(pk=report.pk).update(created_at=entered)


def _ratings_and_reports(rng):
    for coop in Cooperative.objects.order_by("pk"):
        for year in (2022, 2023, 2024):
            if rng.random() < 0.75:
                report = FinancialReport.objects.create(cooperative=coop, year=year, gross_participation=rng.randrange(10**8, 10**9),
                                                        non_member_revenue=rng.choice([None, rng.randrange(10**7)]))  # fmt: skip
                FinancialReport.objects.filter(pk=report.pk).update(
                    updated_at=datetime(year + 1, 2, 1, tzinfo=JAKARTA)
                )
                if rng.random() < 0.7:
                    rating = HealthRating.objects.create(cooperative=coop, report=report, method="permenkop", score=70,
                                                         category=rng.choice(["sehat", "cukup_sehat", "tidak_sehat"]))  # fmt: skip
                    at = datetime.combine(
                        date(year + 1, 1, 1) + timedelta(days=rng.randrange(300)), time(10), tzinfo=JAKARTA
                    )
                    HealthRating.objects.filter(pk=rating.pk).update(rated_at=at)
                    if (
                        rng.random() < 0.5
                    ):  # rated again later that year (after a correction): the latest counts
                        again = HealthRating.objects.create(cooperative=coop, report=report, method="permenkop", score=80,
                                                            category=rng.choice(["sehat", "kurang_sehat"]))  # fmt: skip
                        HealthRating.objects.filter(pk=again.pk).update(
                            rated_at=at + timedelta(days=rng.randrange(1, 40))
                        )


def _inside(code: str, region: str) -> bool:
    return not region or code == region or code.startswith(region + ".")


def _status_on(coop: Cooperative, day: date) -> str:
    end = datetime.combine(day, time.max, tzinfo=JAKARTA)
    history = list(coop.status_history.order_by("changed_at", "id"))
    before = [h for h in history if h.changed_at <= end]
    if before:
        return before[-1].status
    after = [h for h in history if h.changed_at > end]
    return (after[0].previous or coop.status) if after else coop.status


def from_scratch(region: str, day: date) -> dict:
    """Every indicator by its definition, walking the records one by one."""
    businesses = [
        b
        for b in Business.objects.select_related("owner")
        if _inside(b.village_id, region) and b.registered_on <= day
    ]
    stages = []
    for b in businesses:
        visits = list(
            VerificationVisit.objects.filter(business=b)
            .order_by("visited_on", "id")
            .values_list("visited_on", "outcome")
        )
        ratings = list(
            Assessment.objects.filter(business=b)
            .order_by("assessed_on", "id")
            .values_list("assessed_on", "modern")
        )
        stages.append(funnel.stages_on(day, registered_on=b.registered_on, visits=visits, ratings=ratings))
    registered, operating, modern = (sum(s[i] for s in stages) for i in range(3))

    def holds(b, kinds, *, valid):
        for d in b.documents.all():
            issued = d.issued_on is None or d.issued_on <= day
            if d.kind in kinds and issued and (not valid or d.expires_on is None or d.expires_on >= day):
                return True
        return False

    nib = sum(1 for b in businesses if b.nib or holds(b, {"nib"}, valid=False))
    certified = sum(1 for b in businesses if holds(b, {"halal", "pirt"}, valid=True))
    coops = [c for c in Cooperative.objects.all() if _inside(c.village_id, region)
             and (c.legal_entity_date is None or c.legal_entity_date <= day)]  # fmt: skip
    alive = [c for c in coops if _status_on(c, day) != "dibubarkan"]
    active = sum(1 for c in alive if _status_on(c, day) == "aktif")
    owing = [c for c in alive if rat.existed_in(c.legal_entity_date, day.year - 1)]
    on_time = 0
    for c in owing:
        meeting = c.annual_meetings.filter(book_year=day.year - 1).first() if hasattr(c, "annual_meetings") else \
            AnnualMeeting.objects.filter(cooperative=c, book_year=day.year - 1).first()  # fmt: skip
        if meeting and meeting.held_on <= day and meeting.held_on <= rat.due_on(c.level, day.year - 1):
            on_time += 1
    trained = {}
    for audience, code in (("umkm", "SDM-01"), ("koperasi", "SDM-02")):
        trained[code] = sum(
            1 for c in Certificate.objects.select_related("registration__cohort__programme", "registration__cohort")
            if c.registration.cohort.programme.audience == audience and _inside(c.registration.cohort.region_id, region)
            and date(day.year, 1, 1) <= c.issued_on <= day
            and (c.revoked_at is None or c.revoked_at > datetime.combine(day, time.max, tzinfo=JAKARTA))
        )  # fmt: skip

    def pct(part, whole):
        return (round(100 * part / whole, 2) if whole else None, part, whole)

    end = datetime.combine(day, time.max, tzinfo=JAKARTA)
    ksp = [c for c in alive if c.type == "simpan_pinjam"]
    latest = {}
    for c in ksp:
        ratings = [
            r
            for r in c.ratings.all()
            if datetime.combine(date(day.year, 1, 1), time.min, tzinfo=JAKARTA) <= r.rated_at <= end
        ]
        if ratings:
            latest[c.pk] = max(ratings, key=lambda r: (r.rated_at, r.pk)).category
    t_year = day.year - 1
    volumes = {}
    for c in [c for c in Cooperative.objects.all() if _inside(c.village_id, region)]:
        years = {r.year: (r.gross_participation or 0) + (r.non_member_revenue or 0)
                 for r in c.reports.all() if r.year in (t_year, t_year - 1) and r.updated_at <= end}  # fmt: skip
        if len(years) == 2:
            volumes[c.pk] = years
    now, before = sum(v[t_year] for v in volumes.values()), sum(v[t_year - 1] for v in volumes.values())
    year_start = date(day.year, 1, 1)
    disbursed = [d for d in Disbursement.objects.select_related("application__business", "application__programme")
                 if d.application.programme.kind == "bergulir" and _inside(d.application.business.village_id, region)
                 and year_start <= d.disbursed_on <= day]  # fmt: skip
    kur = [r for r in Referral.objects.select_related("application__business") if r.status == "cair_bank"
           and _inside(r.application.business.village_id, region) and year_start <= r.updated_on <= day]  # fmt: skip
    products = [p for p in Product.objects.select_related("business") if p.listed and p.published_at <= end
                and _inside(p.business.village_id, region)]  # fmt: skip
    clicks = sum(d.whatsapp for d in ProductDaily.objects.select_related("product__business")
                 if _inside(d.product.business.village_id, region) and year_start <= d.day <= day)  # fmt: skip

    visited = set(VerificationVisit.objects.filter(visited_on__lte=day).values_list("business_id", flat=True))
    coached = [b for b in businesses if b.pk in visited]
    with_sop = {a.business_id for a in SopAdoption.objects.all() if a.adopted_on <= day}
    last_month = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
    reporting = {
        r.business_id for r in MonthlyReport.objects.all() if r.month == last_month and r.created_at <= end
    }
    return {
        **_growth_from_scratch(region, day, pct),
        **_opportunities_from_scratch(region, day),
        "BIN-01": pct(sum(1 for b in coached if b.pk in with_sop), len(coached)),
        "BIN-02": pct(sum(1 for b in coached if b.pk in reporting), len(coached)),
        "UMKM-01": (registered, registered, None),
        "UMKM-02": pct(operating, registered),
        "UMKM-03": pct(modern, operating),
        "UMKM-04": pct(nib, len(businesses)),
        "UMKM-05": pct(certified, len(businesses)),
        "UMKM-07": pct(
            sum(1 for b in businesses if b.owner.gender == "P"), sum(1 for b in businesses if b.owner.gender)
        ),  # fmt: skip
        "UMKM-08": (disabled := sum(b.workers_disabled or 0 for b in businesses), disabled, None),
        "KOP-01": pct(active, len(alive)),
        "KOP-02": pct(on_time, len(owing)),
        "SDM-01": (trained["SDM-01"], trained["SDM-01"], None),
        "SDM-02": (trained["SDM-02"], trained["SDM-02"], None),
        "KOP-03": pct(len(latest), len(ksp)),
        "KOP-04": pct(sum(1 for c in latest.values() if c == "sehat"), len(latest)),
        "KOP-05": (round(100 * (now - before) / before, 2) if before else None, now - before, before),
        "PEMB-01": (sum(d.amount for d in disbursed),) * 2 + (None,),
        "PEMB-02": (len({d.application.business_id for d in disbursed}),) * 2 + (None,),
        "PEMB-04": (len(kur), len(kur), None),
        "PROM-01": (len(products), len(products), None),
        "PROM-02": (clicks, clicks, None),
    }


def _opportunities_from_scratch(region: str, day: date) -> dict:
    from naikkelas.opportunities.models import Invitation, Offer, Opportunity

    first = date(day.year, 1, 1)

    def supplier(record):
        return record.business or record.cooperative

    def local(at) -> date:
        return at.astimezone(JAKARTA).date()

    posted = [o for o in Opportunity.objects.all() if first <= o.created_on <= day and (
        _inside(o.region_id, region) or _inside(region, o.region_id))]  # fmt: skip
    matched = {(type(supplier(r)).__name__, supplier(r).pk)
               for r in [*Invitation.objects.all(), *Offer.objects.all()]
               if _inside(supplier(r).village_id, region) and first <= local(
                   getattr(r, "sent_at", None) or r.created_at) <= day}  # fmt: skip
    deals = [o for o in Opportunity.objects.filter(outcome="deal") if first <= o.closed_on <= day and (
        _inside(supplier(o.winning_offer).village_id, region) if o.winning_offer else _inside(o.region_id, region))]  # fmt: skip
    value = sum(o.deal_value for o in deals)
    from naikkelas.opportunities.models import Partnership, ProcurementImport

    active = [p for p in Partnership.objects.all() if _inside(p.region_id, region) and p.starts_on <= day
              and (p.ends_on is None or p.ends_on >= day) and p.status != "batal"]  # fmt: skip
    sources = sorted((s for s in ProcurementImport.objects.all() if s.region_id == region and s.year == day.year
                      and local(s.uploaded_at) <= day), key=lambda s: (s.uploaded_at, s.pk))  # fmt: skip
    share = (None, None, None)
    if sources:
        last = sources[-1]
        share = (round(100 * last.matched_value / last.total_value, 2) if last.total_value else None,
                 last.matched_value, last.total_value)  # fmt: skip
    return {
        "PELU-05": (len(active),) * 2 + (None,),
        "PELU-06": share,
        "PELU-01": (len(posted),) * 2 + (None,),
        "PELU-02": (len(matched),) * 2 + (None,),
        "PELU-03": (len(deals),) * 2 + (None,),
        "PELU-04": (value, value, None),
    }


def _history(model: str, pk: int, field: str) -> list[tuple[datetime, object]]:
    """The field's value after its creation and after each update that changed it, from the audit log."""
    return [
        (e.at, e.after[field])
        for e in AuditLog.objects.filter(object_type=model, object_id=str(pk)).order_by("at", "id")
        if e.after and field in e.after and (e.before is None or e.before.get(field) != e.after[field])
    ]


def _replayed(history, day: date, default=None):
    end = datetime.combine(day, time.max, tzinfo=JAKARTA)
    seen = [value for at, value in history if at <= end]
    return seen[-1] if seen else default


def _months_later(day: date, n: int) -> date:
    y, m = divmod(day.month - 1 + n, 12)
    year, month = day.year + y, m + 1
    for d in range(day.day, 0, -1):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError


def _growth_from_scratch(region: str, day: date, pct) -> dict:
    start = date(day.year - 1, 12, 31)
    micro = grown = 0
    for b in Business.objects.all():
        if not _inside(b.village_id, region) or b.registered_on > start:
            continue
        history = _history("registry.business", b.pk, "size_class")
        if _replayed(history, start) == "mikro":
            micro += 1
            grown += _replayed(history, day) in ("kecil", "menengah")
    then = now = 0
    for c in Cooperative.objects.all():
        founded = c.legal_entity_date is None or c.legal_entity_date <= start
        if not _inside(c.village_id, region) or not founded or _status_on(c, day) == "dibubarkan":
            continue
        history = _history("registry.cooperative", c.pk, "members")
        then += _replayed(history, start, 0) or 0
        now += _replayed(history, day, 0) or 0
    measured = levelled = 0
    end = datetime.combine(day, time.max, tzinfo=JAKARTA)
    for cert in Certificate.objects.select_related("registration__cohort__programme"):
        r = cert.registration
        if (
            r.cohort.programme.audience != "umkm"
            or r.business_id is None
            or not _inside(r.cohort.region_id, region)
        ):
            continue
        if not (_months_later(day, -24) < cert.issued_on <= _months_later(day, -12)):
            continue
        if cert.revoked_at is not None and cert.revoked_at <= end:
            continue
        levels = list(Assessment.objects.filter(business_id=r.business_id).order_by("assessed_on", "id"))
        before = [a.level for a in levels if a.assessed_on <= cert.issued_on]
        if not before:
            continue
        measured += 1
        after = [
            a.level
            for a in levels
            if cert.issued_on < a.assessed_on <= min(day, _months_later(cert.issued_on, 12))
        ]
        levelled += bool(after) and after[-1] > before[-1]
    return {
        "UMKM-06": pct(grown, micro),
        "KOP-06": (round(100 * (now - then) / then, 2) if then else None, now - then, then),
        "SDM-03": pct(levelled, measured),
    }


def test_every_indicator_equals_its_definition_counted_from_scratch(office_records):
    checked = 0
    for region in ("", "18", "18.09", "18.01", "36", "18.09.01"):
        for day in DAYS:
            expected = from_scratch(region, day)
            assert set(expected) | {"PEMB-03"} == set(BY_CODE)
            for code, want in expected.items():
                got = BY_CODE[code].compute(region, day)
                assert (got.value, got.numerator, got.denominator) == want, (code, region, day)
                checked += 1
    assert checked == 6 * len(DAYS) * (len(BY_CODE) - 1)
    # The generated data exercise every branch: something to count in each indicator somewhere.
    nation = from_scratch("", date(2025, 12, 31))
    assert all(v[1] for code, v in nation.items() if code not in ("UMKM-03", "PELU-06")), nation
    assert from_scratch("18.09", date(2025, 12, 31))["PELU-06"][
        2
    ]  # a government's procurement is its region's


def test_par30_equals_the_capital_portfolio_page(office_records, personas):
    """PAR 30 through the indicator equals the office's capital portfolio (its own path: per programme, summed)."""
    for day in DAYS:
        total = portfolio_total(portfolio(user=personas["national"], on=day))
        value = BY_CODE["PEMB-03"].compute("", day)
        assert (value.numerator, value.denominator) == (total.at_risk, total.outstanding), day
        assert value.value == (float(total.par30) if total.par30 is not None else None)
    assert BY_CODE["PEMB-03"].compute("", date(2025, 12, 31)).numerator > 0  # some loans are in arrears


def test_the_page_and_the_api_show_the_same_figures_within_scope(office_records, personas, api_client_for):
    api = api_client_for(personas["admin_pesawaran"])
    body = api.get("/api/v1/indicators?as_of=2025-06-30&page_size=100").json()
    assert body["count"] == len(BY_CODE) and {i["region"] for i in body["items"]} == {"18.09"}
    values = {i["code"]: (i["value"], i["numerator"], i["denominator"]) for i in body["items"]}
    par = BY_CODE["PEMB-03"].compute("18.09", date(2025, 6, 30))
    assert values == {
        **from_scratch("18.09", date(2025, 6, 30)),
        "PEMB-03": (par.value, par.numerator, par.denominator),
    }
    assert all(i["formula"] for i in body["items"])
    # Another regency, or a broken date: refused, naming the field.
    assert api.get("/api/v1/indicators?region=18.01").status_code == 404
    wrong = api.get("/api/v1/indicators?as_of=kemarin")
    assert wrong.status_code == 422 and "as_of" in wrong.content.decode()
    assert (
        api.get("/api/v1/indicators?year=99999999999").status_code == 422
    )  # found by the API fuzz test: a 500 before
    year = api.get("/api/v1/indicators?year=2024").json()
    assert {i["as_of"] for i in year["items"]} == {"2024-12-31"}

    page = Client()
    page.force_login(personas["admin_pesawaran"])
    html = page.get("/rencana/indikator/?per=2025-06-30").content.decode()
    for code, (_value, numerator, denominator) in values.items():
        assert f'id="indicator-{code}"' in html
        if denominator:
            assert f"{numerator} / {denominator}" in html.replace(".", "")
    assert page.get("/rencana/indikator/?wilayah=18.01").status_code == 404
    wrong_day = page.get("/rencana/indikator/?per=31-31-2025")
    assert wrong_day.status_code == 200 and 'id="errors"' in wrong_day.content.decode()  # said, not a 500
    owner = Client()
    owner.force_login(personas["owner"])
    assert owner.get("/rencana/indikator/").status_code == 403
    assert api_client_for(personas["owner"]).get("/api/v1/indicators").status_code == 403


def test_the_xlsx_holds_the_figures_the_api_gives(office_records, personas, api_client_for):
    import io

    from python_calamine import CalamineWorkbook

    page = Client()
    page.force_login(personas["admin_lampung"])
    answer = page.get("/rencana/indikator.xlsx?wilayah=18&per=2025-12-31")
    assert answer.status_code == 200 and answer["Content-Disposition"].endswith(
        'indikator-18-2025-12-31.xlsx"'
    )
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(answer.getvalue())).get_sheet_by_index(0).to_python()
    assert sheet[0][:3] == ["Kode", "Indikator", "Nilai indikator"]
    api = (
        api_client_for(personas["admin_lampung"]).get("/api/v1/indicators?region=18&as_of=2025-12-31").json()
    )
    by_code = {row[0]: row for row in sheet[1:]}
    for item in api["items"]:
        row = [None if cell == "" else cell for cell in by_code[item["code"]]]  # an empty cell: no value
        assert (row[2], row[4], row[5]) == (item["value"], item["numerator"], item["denominator"]), item[
            "code"
        ]
    assert AuditLog.objects.filter(action="export", after__export="indicators").exists()
    assert (
        page.get("/rencana/indikator.xlsx?wilayah=36").status_code == 404
    )  # Banten: outside the admin's area
