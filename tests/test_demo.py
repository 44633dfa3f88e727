"""The demo: Pesawaran with 7,000 UMKM and ~60 cooperatives, Lampung Selatan with 500, seven accounts (one for
Banten's provincial office, with its DPRD's six points).

It loads on any day: every date in it is drawn relative to the day it is loaded, applicants are picked among the
businesses each programme accepts, and every random choice is seeded. The tests travel to days far apart
(leap days, year ends) and load it there."""

import contextlib
import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from naikkelas.accounts.models import User
from naikkelas.catalog.models import Product
from naikkelas.catalog.selectors import public_products
from naikkelas.financing import selectors as fin_selectors
from naikkelas.financing.models import Application
from naikkelas.intake.demo import PLANTED
from naikkelas.lifecycle import funnel
from naikkelas.lifecycle.models import VerificationVisit
from naikkelas.performance import selectors as perf_selectors
from naikkelas.planning import reports
from naikkelas.planning.selectors import pokok_pikiran_for
from naikkelas.regions.models import Region
from naikkelas.registry import selectors
from naikkelas.registry.models import Business, Cooperative, Person
from naikkelas.supervision import selectors as sup_selectors
from naikkelas.supervision.models import AnnualMeeting, HealthRating
from naikkelas.training.models import Certificate, Cohort


def _on(day: date):
    """The clock stopped at 10:00 in Jakarta on `day`."""
    return time_machine.travel(datetime.combine(day, time(10), tzinfo=ZoneInfo("Asia/Jakarta")), tick=False)


class _Undo(Exception):
    """Raised to roll one day's demo back before the next day's."""


@pytest.mark.slow
def test_a_small_demo_loads_with_the_same_figures_on_days_far_apart(db):
    figures = {}
    for day in (date(2024, 2, 29), date(2026, 11, 30), date(2029, 1, 1), date(2033, 12, 31)):
        with contextlib.suppress(_Undo), transaction.atomic(), _on(day):
            call_command("load_demo", scale=0.1, stdout=io.StringIO())
            assert timezone.localdate() == day
            f = funnel.funnel_counts(region=Region.objects.get(code="18.09"), as_of=day)
            assert f.total.registered == 700 + PLANTED  # until the officer merges the planted duplicates
            # The full demo's shares (3,000 and 1,000 of 7,000), with the spread of a small sample.
            assert 0.35 <= f.total.operating / 700 <= 0.51, f.total
            assert 0.10 <= f.total.modern / 700 <= 0.19, f.total
            applications = Application.objects.exclude(status="ditolak")
            assert applications.exists() and all(a.eligible for a in applications)
            seller = Business.objects.get(owner__user__username="pemilik")
            assert seller.registered_on <= day and seller.founded <= day
            assert not Business.objects.filter(registered_on__gt=day).exists()
            # RATs fall due by the calendar (31 March), so how many are held depends on the month: only some.
            assert AnnualMeeting.objects.exists()
            figures[day] = (
                f.total.operating,
                f.total.modern,
                Application.objects.count(),
                Certificate.objects.count(),
            )
            raise _Undo
    assert len(set(figures.values())) == 1, figures  # the same story, whichever day it is told on


@pytest.mark.slow
def test_it_loads_the_demo_once_with_accounts_that_see_the_right_data(db, capsys):
    with _on(date(2030, 2, 28)):
        _full_demo(capsys)


def _full_demo(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "admin.pesawaran" in out and "naikkelas-demo" in out
    assert Business.objects.filter(village__code__startswith="18.09.").count() == 7000 + PLANTED
    assert Business.objects.filter(village__code__startswith="18.01.").count() == 500
    assert 55 <= Cooperative.objects.filter(village__code__startswith="18.09.").count() <= 65
    assert Person.objects.count() < Business.objects.count()  # some owners run two businesses

    users = {u.username: u for u in User.objects.all()}
    assert users["admin.pesawaran"].check_password("naikkelas-demo")
    assert selectors.business_list(user=users["admin.lampung"]).count() == 7500 + PLANTED
    assert selectors.business_list(user=users["admin.pesawaran"]).count() == 7000 + PLANTED
    assert selectors.business_list(user=users["admin.lamsel"]).count() == 500
    officer = selectors.business_list(user=users["petugas.gedongtataan"])
    assert 0 < officer.count() < 7000
    assert not officer.exclude(village__code__startswith="18.09.01.").exists()
    assert selectors.business_list(user=users["pemilik"]).count() == 1  # the owner of one business
    assert selectors.cooperative_list(user=users["koperasi"]).count() == 1
    # Banten's provincial office: its own 320 UMKM and 20 cooperatives (none of Lampung's), and its DPRD's six
    # points with the indicators that answer them.
    banten = selectors.business_list(user=users["admin.banten"])
    assert banten.count() == 320 and not banten.exclude(village__code__startswith="36.").exists()
    assert selectors.cooperative_list(user=users["admin.banten"]).count() == 20
    _where, _day, answers = pokok_pikiran_for(user=users["admin.banten"])
    assert [a.point.number for a in answers] == [1, 2, 3, 4, 5, 6] and all(a.readings for a in answers)
    # This year's Renja of both offices: Banten's answers each of the six points with a plan entry and a budget;
    # Pesawaran's starts from the office's own figures (7,000 registered, 3,000 operating, 1,000 modern).
    made = reports.report(user=users["admin.banten"])
    assert [p.point.number for p in made.points] == [1, 2, 3, 4, 5, 6]
    assert all(p.nodes and p.pagu > 0 for p in made.points)
    pesawaran = reports.report(user=users["admin.pesawaran"])
    baselines = {line.target.name: line.target.baseline for line in pesawaran.lines}
    assert baselines["Jumlah UMKM terdata"] == 7000 and baselines["Jumlah UMKM beroperasi"] == 3000
    assert baselines["Jumlah UMKM modern dan berinovasi"] == 1000
    # The office's figures come from generated visits and assessments, counted by the funnel's rules.
    f = funnel.funnel_counts(region=Region.objects.get(code="18.09"), as_of=timezone.localdate())
    assert f.total.registered == 7000 + PLANTED
    assert 2700 <= f.total.operating <= 3300  # about 3,000 still operate
    assert 850 <= f.total.modern <= 1150  # about 1,000 modern and innovating
    assert VerificationVisit.objects.filter(business__village__code__startswith="18.09.").count() > 7000
    # Statuses follow the same visits: operating or modern ones are the funnel's operating ones.
    operating = Business.objects.filter(
        status__in=["operating", "modern"], village__code__startswith="18.09."
    )
    assert operating.count() == f.total.operating
    assert (
        Business.objects.filter(status="modern", village__code__startswith="18.09.").count() == f.total.modern
    )
    trend = funnel.funnel_trend(region=Region.objects.get(code="18.09"), until=timezone.localdate())
    operating_by_quarter = [c.operating for _d, c in trend]
    assert operating_by_quarter[0] < operating_by_quarter[4]  # field work reaches more businesses over time
    assert trend[0][1].modern < trend[-1][1].modern  # and more of them modernise

    # The demo owner's cash book fills their month; the officer has businesses to watch.
    seller = Business.objects.get(owner__user=users["pemilik"])
    month = perf_selectors.month_table(business=seller, month=timezone.localdate().replace(day=1))
    omzet = next(line for line in month if line.kpi.key == "omzet")
    assert omzet.value > 0 and omzet.target == 3_500_000 and omzet.light
    flags = perf_selectors.flags(user=users["petugas.gedongtataan"])
    assert any(f.declining for f in flags) and any(f.missed for f in flags)

    # A finished bookkeeping cohort with certificates, and an upcoming one taking registrations.
    finished = Cohort.objects.get(name="Demo Pembukuan Angkatan 1")
    assert (
        finished.registrations.count() >= 25
        and Certificate.objects.filter(registration__cohort=finished).count() >= 10
    )
    assert Cohort.objects.get(name="Demo Pemasaran Digital Angkatan 2").registration_open

    # Capital access: a revolving fund with repayments, some late; supervision: RATs, reports and ratings.
    portfolio = fin_selectors.portfolio(user=users["admin.pesawaran"], on=timezone.localdate())
    assert [(r.name, r.portfolio.loans) for r in portfolio] == [("Dana Bergulir Pesawaran 2026", 24)]
    assert 0 < portfolio[0].portfolio.par30 < 60
    assert Application.objects.filter(referral__isnull=False).count() == 8
    today = timezone.localdate()
    rat_year = today.year if today.month > 3 else today.year - 1  # a year whose RATs have fallen due
    compliance = sup_selectors.compliance(user=users["admin.pesawaran"], year=rat_year, today=today)
    assert compliance.on_time > 20 and compliance.late and compliance.missing_two_years
    assert HealthRating.objects.values("category").distinct().count() >= 2

    # A catalogue with published products, one of them the demo owner's.
    assert public_products().count() >= 40 and public_products().filter(business=seller).exists()

    # Every persona's menu has something: a checked list waiting in each regency, duplicate groups to review,
    # training for the field officer and for Lampung Selatan, Lampung Selatan's own programme and products.
    from naikkelas.intake.models import ClusterStatus, DuplicateCluster, ImportUpload, UploadStatus
    from naikkelas.training.selectors import cohorts_for

    assert set(
        ImportUpload.objects.filter(status=UploadStatus.CHECKED).values_list("region_code", flat=True)
    ) == {
        "18.09",
        "18.01",
    }
    assert DuplicateCluster.objects.filter(status=ClusterStatus.OPEN).count() >= PLANTED
    assert (
        cohorts_for(user=users["petugas.gedongtataan"]).exists()
        and cohorts_for(user=users["admin.lamsel"]).exists()
    )
    assert fin_selectors.applications_for(user=users["admin.lamsel"]).exists()
    assert public_products().filter(business__village__code__startswith="18.01.").exists()

    visits = VerificationVisit.objects.count()
    applications, meetings = Application.objects.count(), AnnualMeeting.objects.count()
    products, cohorts = Product.objects.count(), Cohort.objects.count()
    call_command("load_demo")
    assert (Application.objects.count(), AnnualMeeting.objects.count()) == (applications, meetings)
    assert (Product.objects.count(), Cohort.objects.count()) == (products, cohorts) == (68, 4)
    assert Business.objects.count() == 7500 + 320 + PLANTED  # idempotent (Lampung and Banten)
    assert VerificationVisit.objects.count() == visits


def test_the_logins_are_printed_even_when_a_later_step_fails(db, monkeypatch):
    from naikkelas.dashboard.management.commands import load_demo

    def broken(**_kwargs):
        raise RuntimeError("the field-work step failed")

    monkeypatch.setattr(load_demo, "demo_field_work", broken)
    out = io.StringIO()
    with _on(date(2026, 12, 1)), pytest.raises(RuntimeError):
        call_command("load_demo", scale=0.05, stdout=out)
    printed = out.getvalue()
    assert "Akun demo (kata sandi untuk semua" in printed and "admin.pesawaran" in printed


BLOCKED = {
    "berak",
    "tai",
    "anjing",
    "babi",
    "bangsat",
    "kontol",
    "memek",
    "jancok",
    "tolol",
    "goblok",
    "setan",
}


@pytest.mark.slow
def test_the_demo_is_believable_products_of_the_trade_and_no_embarrassing_names(db):
    import re

    from naikkelas.catalog.demo import ITEMS
    from naikkelas.registry.demo import BLOCKED_WORDS as BLOCKED

    with _on(date(2026, 12, 1)):
        call_command("load_demo", scale=0.1, stdout=io.StringIO())
    products = list(Product.objects.select_related("business", "category"))
    assert len(products) >= 40
    for product in products:
        offered = {(category, name) for category, name, _price, _unit in ITEMS[product.business.sector]}
        assert (product.category.slug, product.name) in offered, (product.name, product.business.name)
    words = set()
    for text in [
        *Business.objects.values_list("name", flat=True), *Person.objects.values_list("name", flat=True),
        *(p.name for p in products), *Cooperative.objects.values_list("name", flat=True),
    ]:  # fmt: skip
        words |= set(re.findall(r"[a-z]+", text.lower()))
    assert not words & BLOCKED, words & BLOCKED
