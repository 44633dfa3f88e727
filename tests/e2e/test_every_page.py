"""Every page of every demo persona, found by following the links from their Beranda (tests/crawl.py): each opens,
speaks Indonesian (no English interface words, no raw choice values), and fits a 360-px phone: the document is no
wider than the screen and no form control outside a scrollable table is narrower than 120 px."""

import io
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from naikkelas.accounts.models import User
from naikkelas.registry.demo import DEMO_PASSWORD
from tests.crawl import crawl, page_problems, raw_choice_values
from tests.e2e.conftest import misfit

pytestmark = pytest.mark.e2e

DEMO_USERS = [
    "admin.lampung",
    "admin.pesawaran",
    "admin.lamsel",
    "petugas.gedongtataan",
    "dpo.pesawaran",
    "pemilik",
    "koperasi",
]


@pytest.fixture
def demo(e2e_regions):
    """A small demo loaded on a fixed day (the clock keeps running from there)."""
    day = datetime.combine(datetime(2026, 11, 30), time(10), tzinfo=ZoneInfo("Asia/Jakarta"))
    with time_machine.travel(day, tick=True):
        call_command("load_demo", scale=0.05, stdout=io.StringIO())
        yield


def test_the_checks_can_fail():
    """The text check finds what it is for: an English page and a raw status."""
    raw = raw_choice_values()
    assert {"registered", "operating"} <= raw and "kemasan" not in raw  # "kemasan" is its own label
    page = "<body><button>Save</button><td>registered</td><p>Simpan</p></body>"
    assert len(page_problems(page, raw)) == 2


@pytest.mark.slow
def test_every_page_of_every_persona_opens_in_indonesian_and_fits_a_phone(demo, phone_page, live_server):
    raw, problems, visited = raw_choice_values(), [], 0
    for username in DEMO_USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        pages = crawl(client)
        problems += [(username, name[1:], status) for name, status in pages.items() if name.startswith("!")]
        urls = [url for name, url in pages.items() if not name.startswith("!")]
        assert len(urls) >= 8, (username, urls)
        with translation.override("id"):
            for url in urls:
                response = client.get(url)
                if "text/html" in response.get("Content-Type", ""):
                    problems += [(username, url, p) for p in page_problems(response.content.decode(), raw)]
        phone_page.context.clear_cookies()
        phone_page.goto(f"{live_server.url}/masuk/")
        phone_page.fill("input[name=username]", username)
        phone_page.fill("input[name=password]", DEMO_PASSWORD)
        phone_page.click("main button[type=submit]")
        phone_page.wait_for_url(f"{live_server.url}/dasbor/beranda/")
        for url in urls:
            phone_page.goto(f"{live_server.url}{url}")
            found = misfit(phone_page)
            if found:
                problems.append((username, url, f"{found[0]} px wide", found[1]))
            visited += 1
    assert problems == [], "\n".join(map(str, problems))
    assert visited >= 150
