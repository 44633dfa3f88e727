"""A fried-banana seller records a week of sales on a 360-px phone and sees the month's KPI; their field
officer sees the flag for a business whose revenue keeps falling."""

from datetime import date

import pytest
from django.utils import timezone

from naikkelas.accounts.constants import Role
from naikkelas.performance import selectors, services
from naikkelas.regions.models import Region
from tests.conftest import first_village, make_business, make_user
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e


def test_it_lets_a_seller_record_a_week_of_sales_on_a_phone_and_see_the_month(phone_page, live_server):
    page = phone_page
    seller = make_user("+6281234567890", Role.BUSINESS_OWNER)
    business = make_business("Pisang Goreng Bu Tini", first_village("18.09.01"), owner_name="Tini")
    business.owner.user = seller
    business.owner.save()
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "0812-3456-7890")  # as she knows her number
    page.fill("input[name=password]", "rahasia-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dasbor/beranda/")
    page.click(f"#home-businesses a:has-text('{business.name}')")  # her business, on her Beranda
    page.click("a[role=button]:has-text('Buku kas')")
    today = timezone.localdate()
    week = [date(today.year, today.month, max(1, today.day - i)) for i in range(7)]
    sales = [120_000, 95_000, 143_000, 88_000, 150_000, 171_000, 99_000]
    for day, amount in zip(week, sales, strict=True):
        page.check("input[name=kind][value=sale]")
        page.select_option("select[name=category]", "jual_tunai")
        page.fill("input[name=amount]", f"{amount:,}".replace(",", "."))
        page.fill("input[name=day]", day.isoformat())
        page.click("#entry-form button[type=submit]")
        page.wait_for_selector("text=Tersimpan")
    page.check("input[name=kind][value=expense]")
    page.select_option("select[name=category]", "bahan_baku")  # pisang, tepung, minyak
    page.fill("input[name=amount]", "300.000")
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector("text=Tersimpan")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.inner_text("#total-sales") == "Rp 866.000"
    page.click("text=KPI bulan ini")
    page.wait_for_selector("#kpis")
    assert "Rp 866.000" in page.inner_text("#kpi-omzet")
    assert "65,36" in page.inner_text("#kpi-margin_kotor")  # (866.000 − 300.000) / 866.000
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_it_shows_the_field_officer_a_business_whose_revenue_keeps_falling(page, live_server):
    officer = make_user(
        "petugas.gedongtataan", Role.FIELD_OFFICER, districts=[Region.objects.get(code="18.09.01")]
    )
    falling = make_business("Keripik Pisang Bu Siti", first_village("18.09.01"))
    steady = make_business("Tahu Bu Ani", first_village("18.09.01"))
    this_month = timezone.localdate().replace(day=1)
    for n, (a, b) in enumerate(
        ((5_000_000, 3_000_000), (4_600_000, 3_100_000), (4_100_000, 3_050_000), (3_500_000, 3_200_000)),
        start=0,
    ):
        month = selectors.add_months(this_month, n - 4)
        services.report_save(
            actor=officer, business=falling, month=month, values={"omzet": a}, source="officer"
        )
        services.report_save(
            actor=officer, business=steady, month=month, values={"omzet": b}, source="officer"
        )
    from tests.e2e.test_browser import log_in, open_menu_item

    log_in(page, live_server, "petugas.gedongtataan")
    open_menu_item(page, "Pantauan kinerja")
    flags = page.inner_text("#flags")
    assert falling.name in flags and "turun tiga bulan berturut-turut" in flags
    assert steady.name not in flags


def test_the_cash_book_offers_the_categories_of_the_kind_chosen(phone_page, live_server):
    page = phone_page
    seller = make_user("+6281234567891", Role.BUSINESS_OWNER)
    business = make_business("Pisang Goreng Bu Ani", first_village("18.09.01"), owner_name="Ani")
    business.owner.user = seller
    business.owner.save()
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "0812-3456-7891")
    page.fill("input[name=password]", "rahasia-123")
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/usaha/{business.pk}/buku/")
    offered = "() => [...document.querySelectorAll('select[name=category] option')].filter(o => !o.disabled && !o.parentElement.disabled).map(o => o.value)"  # noqa: E501
    sales = page.evaluate(offered)
    assert "jual_tunai" in sales and "bahan_baku" not in sales
    page.check("input[name=kind][value=expense]")  # no category chosen by hand: it must follow
    expenses = page.evaluate(offered)
    assert "bahan_baku" in expenses and "jual_tunai" not in expenses
    assert page.eval_on_selector("select[name=category]", "s => s.value") in expenses
    page.fill("input[name=amount]", "25.000")
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector("text=Tersimpan")
    assert page.inner_text("#total-expenses") == "Rp 25.000"
