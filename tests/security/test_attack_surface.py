"""Attack tests that stay: every URL pattern (from the URL resolver) and every API operation (from the OpenAPI
document) is tried by every persona and by an anonymous visitor against records of Banten, a province none of
them serves. A new page or endpoint is covered without editing this test.

How one test reaches every view: the Banten records of every kind share one primary key, OUTSIDE, so any
`<int:…>` in a URL, whatever model the view looks up, names a record out of scope. Then:
- a URL naming such a record answers 404, 403, 405 or a redirect to the login page (never a page about it);
- after all the GETs and POSTs, the Banten records are exactly as they were (no write got through);
- every list page and list endpoint shows no Banten row (its rows are in scope);
- anonymous visitors reach only the public pages (catalogue, registration, certificates, login).
"""

import json
import re
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from naikkelas.accounts.models import ApiToken
from naikkelas.accounts.services import api_token_get_or_create
from naikkelas.catalog.models import Category, Product
from naikkelas.core.models import AuditAction, AuditLog
from naikkelas.financing.models import Application, ApplicationDocument
from naikkelas.financing.models import Programme as Fund
from naikkelas.intake.models import ImportUpload
from naikkelas.lifecycle.models import Assessment, Instrument, VerificationVisit
from naikkelas.performance.models import Entry
from naikkelas.registry.models import Business, Cooperative, Declaration, Person
from naikkelas.supervision.models import AnnualMeeting, FinancialReport, HealthRating
from naikkelas.training.models import Cohort, Registration, Session
from naikkelas.training.models import Programme as Course

OUTSIDE = 900_001
SECRET = "RAHASIABANTEN"  # in the name of every Banten record: it must never be shown to a persona
PERSONAS = [
    "admin_lampung",
    "admin_pesawaran",
    "admin_lamsel",
    "petugas",
    "owner",
    "coop_manager",
    "outsider",
]

# Pages meant for anyone (no login): their tokens are the participants' own keys, or the catalogue is public;
# open business opportunities are published for suppliers to find (no personal data: tests/opportunities);
# /healthz and /metrics answer a monitor with numbers only (no record, no name), and nginx keeps /metrics local.
PUBLIC = re.compile(
    r"^(masuk/|keluar/|i18n/|katalog/|daftar/|peserta/|sertifikat/|peluang/$|peluang/<int:pk>/$|peluang/temu-bisnis/<int:pk>/$|privasi/ajukan/|privasi/ajukan/kode/$|sitemap\.xml|healthz$|metrics$|$)"
)
SKIP = re.compile(r"^(admin/|api/|static/|media/)")


def _patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _fill(pattern: str) -> str:
    """A URL for the pattern, every parameter naming the Banten records (or a harmless word)."""

    def value(match):
        kind, name = match.group(1) or "str", match.group(2)
        if kind == "int":
            return str(OUTSIDE)
        return {
            "slug": "x",
            "ext": "jpg",
            "size": "kecil",
            "month": "2026-11",
            "kind": "pre",
            "decision": "konfirmasi",
        }.get(name, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, pattern)


@pytest.fixture
def banten(personas, villages):
    """A record of every kind, in Banten, each with the primary key OUTSIDE."""
    village = villages["banten"]
    national = personas["national"]
    person = Person.objects.create(pk=OUTSIDE, name=f"{SECRET} Pemilik", phone="+6281299990000")
    person.set_nik("3601015708850009")
    person.save()
    business = Business.objects.create(
        pk=OUTSIDE,
        name=f"{SECRET} Usaha",
        owner=person,
        village=village,
        search_text=f"{SECRET.lower()} usaha",
    )
    coop = Cooperative.objects.create(
        pk=OUTSIDE, name=f"{SECRET} Koperasi", type="simpan_pinjam", village=village
    )
    ImportUpload.objects.create(
        pk=OUTSIDE,
        actor=national,
        file="imports/x.xlsx",
        original_name=f"{SECRET}.xlsx",
        region_code="36.01",
        status="checked",
        check_report={"rejected": []},
    )
    instrument = Instrument.objects.filter(status="active").first()
    VerificationVisit.objects.create(
        pk=OUTSIDE,
        business=business,
        officer=national,
        visited_on=date(2026, 11, 2),
        outcome="operating",
        notes=SECRET,
    )
    Assessment.objects.create(
        pk=OUTSIDE, business=business, instrument=instrument, assessed_on=date(2026, 11, 2), score=50, level=3
    )
    Entry.objects.create(
        pk=OUTSIDE,
        business=business,
        day=date(2026, 11, 2),
        kind="sale",
        category="jual_tunai",
        amount=1000,
        note=SECRET,
        created_by=national,
    )
    Declaration.objects.create(pk=OUTSIDE, business=business, field="assets", value=1, declared_by=national)
    course = Course.objects.order_by("pk").first()
    cohort = Cohort.objects.create(
        pk=OUTSIDE,
        programme=course,
        name=f"{SECRET} Angkatan",
        region=village.parent,
        starts_on=date(2026, 12, 1),
        capacity=10,
        created_by=national,
    )
    Session.objects.create(
        pk=OUTSIDE, cohort=cohort, title=SECRET, starts_at=timezone.now() + timedelta(days=2)
    )
    Registration.objects.create(pk=OUTSIDE, cohort=cohort, person=person, status="registered")
    fund = Fund.objects.create(
        pk=OUTSIDE,
        name=f"{SECRET} Dana",
        kind="hibah",
        region=village.parent.parent,
        opens_on=date(2026, 1, 1),
        closes_on=date(2026, 12, 31),
        budget=1_000_000,
        created_by=national,
    )
    application = Application.objects.create(
        pk=OUTSIDE,
        programme=fund,
        business=business,
        amount_requested=1000,
        purpose=SECRET,
        submitted_by=national,
    )
    ApplicationDocument.objects.create(
        pk=OUTSIDE, application=application, title=SECRET, file="financing/x.pdf", uploaded_by=national
    )
    AnnualMeeting.objects.create(
        pk=OUTSIDE,
        cooperative=coop,
        book_year=2025,
        held_on=date(2026, 3, 1),
        minutes="supervision/rat/x.pdf",
    )
    report = FinancialReport.objects.create(pk=OUTSIDE, cooperative=coop, year=2025)
    HealthRating.objects.create(
        pk=OUTSIDE,
        cooperative=coop,
        report=report,
        method="ksp2016",
        score=50,
        category="cukup_sehat",
        rated_by=national,
    )
    Product.objects.create(
        pk=OUTSIDE, business=business, name=f"{SECRET} Produk", category=Category.objects.first(), price=1000
    )
    other = type(national).objects.create_user("banten.admin", password="x-rahasia-123")
    ApiToken.objects.create(pk=OUTSIDE, user=other, key_hash="0" * 64, key_encrypted="", name=SECRET)
    return business


def _fingerprint() -> str:
    """Every Banten record, as stored: equal before and after means nothing was written to them."""
    rows = []
    for model in apps.get_models():
        manager = getattr(model, "all_objects", model._default_manager)
        if any(f.name == "id" for f in model._meta.fields):
            rows.extend(manager.filter(pk=OUTSIDE).values())
    rows.extend(Person.all_objects.filter(pk=OUTSIDE).values())
    return json.dumps(rows, default=str, sort_keys=True)


def _clients(personas):
    clients = {"anonymous": Client()}
    for name in PERSONAS:
        clients[name] = Client()
        clients[name].force_login(personas[name])
    return clients


def _refused(response) -> bool:
    if response.status_code in (400, 401, 403, 404, 405, 422, 429):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (location.startswith("/masuk/") or str(OUTSIDE) not in location)


def test_every_page_refuses_records_out_of_scope_and_lists_only_rows_in_scope(personas, banten):
    before = _fingerprint()
    patterns = [p for p in _patterns(get_resolver().url_patterns) if not SKIP.match(p)]
    assert len(patterns) > 90  # the resolver gave the whole site
    tried, leaks = 0, []
    for who, client in _clients(personas).items():
        for pattern in patterns:
            url = _fill(pattern)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                tried += 1
                body = (
                    response.content.decode("utf-8", "replace")
                    if response.get("Content-Type", "").startswith(("text/", "application/json"))
                    else ""
                )
                if SECRET in body:
                    leaks.append(f"{who} {method.upper()} {url}: shows a Banten record")
                if "<int:" in pattern and not PUBLIC.match(pattern) and not _refused(response):
                    leaks.append(f"{who} {method.upper()} {url}: {response.status_code}")
                if who == "anonymous" and not PUBLIC.match(pattern) and response.status_code == 200:
                    leaks.append(f"anonymous {method.upper()} {url}: 200")
    assert tried > 1500
    assert not leaks, "\n".join(leaks)
    assert _fingerprint() == before
    assert (
        not AuditLog.objects.filter(region_code__startswith="36").exclude(action=AuditAction.REFUSED).exists()
    )


def test_every_api_operation_refuses_records_out_of_scope(personas, banten):
    before = _fingerprint()
    spec = Client().get("/api/v1/openapi.json").json()
    operations = [(path, method) for path, ops in spec["paths"].items() for method in ops]
    assert len(operations) > 20
    clients = {"anonymous": Client()}
    for name in PERSONAS:
        clients[name] = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_get_or_create(user=personas[name])}")
    tried, leaks = 0, []
    for who, client in clients.items():
        for path, method in operations:
            url = "/api/v1" + re.sub(r"\{[^}]+\}", str(OUTSIDE), path.removeprefix("/api/v1"))
            response = client.generic(method.upper(), url, "{}", content_type="application/json")
            tried += 1
            body = response.content.decode("utf-8", "replace")
            if SECRET in body:
                leaks.append(f"{who} {method.upper()} {url}: shows a Banten record")
            if "{" in path and response.status_code < 300:
                leaks.append(f"{who} {method.upper()} {url}: {response.status_code}")
            if who == "anonymous" and response.status_code < 300 and not path.startswith("/api/v1/regions"):
                leaks.append(f"anonymous {method.upper()} {url}: {response.status_code}")
    assert tried > 150
    assert not leaks, "\n".join(leaks)
    assert _fingerprint() == before


def test_the_walk_finds_a_page_that_forgets_its_scope(personas, banten, settings):
    """The walk can fail: a view that looks a business up without scope is caught."""
    from django.http import HttpResponse
    from django.urls import path

    import naikkelas.urls

    def careless(request, pk):
        return HttpResponse(Business.objects.get(pk=pk).name)

    module = type(naikkelas.urls)("careless_urls")
    module.urlpatterns = [path("bocor/<int:pk>/", careless), *naikkelas.urls.urlpatterns]
    import sys

    sys.modules["careless_urls"] = module
    settings.ROOT_URLCONF = "careless_urls"
    client = Client()
    client.force_login(personas["admin_pesawaran"])
    response = client.get(_fill("bocor/<int:pk>/"))
    assert SECRET in response.content.decode() and not _refused(response)
