"""Every write service checks scope and permission itself, whoever calls it (page, API, import, command, task).

The list of services is not written by hand: every public function of an app module (not its views, API or
selectors) that takes an `actor` is found by walking the package, and each must have a case below, or a reason
in EXEMPT. Each case calls the service, for each persona, with records of Lampung Selatan (18.01), a place none
of these personas may act in (the owner and the cooperative manager own nothing there), or as a role the service
is not for. Every call must be refused (PermissionDenied, or a ValidationError naming the region) and nothing may
be written.
"""

import csv
import importlib
import inspect
import pkgutil
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import naikkelas
from naikkelas.accounts.models import ApiToken
from naikkelas.catalog.models import Product
from naikkelas.financing.models import Application
from naikkelas.financing.models import Programme as Fund
from naikkelas.intake.models import DuplicateCluster, DuplicateRun, ImportBatch, RecordKind
from naikkelas.intake.services import ImportRefused
from naikkelas.lifecycle import services as lifecycle
from naikkelas.performance.models import Entry, Kpi, SopTemplate
from naikkelas.planning import plans, renja
from naikkelas.planning.models import CustomIndicator, PokokPikiran
from naikkelas.registry.models import Declaration
from naikkelas.supervision.models import FinancialReport, FollowUp
from naikkelas.training.models import Certificate, Programme, Registration, RegistrationStatus, Session
from tests.conftest import make_business
from tests.supervision.test_health import REPORT

pytestmark = pytest.mark.django_db

# Personas who may not act in Lampung Selatan (18.01) at all.
OUTSIDERS = ["admin_pesawaran", "petugas", "owner", "coop_manager", "outsider"]
# For office-wide settings (a role rule, no region): everyone but admins.
NOT_ADMINS = ["petugas", "owner", "coop_manager", "outsider"]

OPPORTUNITY = {"title": "Sambal seruit", "quantity": "50", "unit": "botol", "frequency": "bulanan",
               "channel": "offtake", "deadline": "2099-01-31", "delivery_on": "2099-02-28"}  # fmt: skip
OFFER = {"price": "20000", "quantity": "50", "available_on": "2099-02-01"}

# Functions that take an actor but are not write services on records of an area, and why.
EXEMPT = {
    "naikkelas.accounts.permissions.require_in_scope": "the guard itself (tests/accounts)",
    "naikkelas.accounts.services.api_token_create": "makes a token for the actor alone; touches no one else's",
    "naikkelas.core.audit.audit_record": "writes the audit entry of a service that has checked",
    "naikkelas.core.audit.audit_many": "writes the audit entries of a service that has checked",
    "naikkelas.core.audit.refusal_entry": "builds the audit entry of a refusal",
    "naikkelas.core.audit.export_record": "writes the audit entry of an export the page has scoped",
    "naikkelas.intake.duplicates.training_area": "reads: the area a search trains on",
    "naikkelas.accounts.permissions.region_in_area": "the guard itself for a region typed into a write (tests/accounts)",
}
SKIP_MODULES = (".migrations", ".management", "views", ".api", "templatetags", "demo", "selectors", "urls")


def actor_functions() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(naikkelas.__path__, "naikkelas."):
        if any(part in info.name for part in SKIP_MODULES):
            continue
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if (
                inspect.isfunction(fn)
                and fn.__module__ == info.name
                and not name.startswith("_")
                and "actor" in inspect.signature(fn).parameters
            ):
                found.add(f"{info.name}.{name}")
    return found


@pytest.fixture
def world(personas, businesses, cooperatives, villages, tmp_path):
    """Records of Lampung Selatan, made by the national admin through the services where that is short."""
    from naikkelas.catalog import services as catalog
    from naikkelas.financing import services as financing
    from naikkelas.intake import merge
    from naikkelas.performance import books as performance
    from naikkelas.supervision import services as supervision
    from naikkelas.training import services as training
    from tests.catalog.test_catalog import jpeg

    national, lamsel, coop = personas["national"], businesses["lamsel"], cooperatives["lamsel"]
    today = timezone.localdate()
    w = {"business": lamsel, "coop": coop, "person": lamsel.owner, "tmp": tmp_path}
    w["twin"] = make_business("Warung Seruit Ahmad", villages["lamsel"], "Ahmad Hidayat")
    w["manual"] = CustomIndicator.objects.create(
        region_id="18.01", code="LS-M", name="Indeks kepuasan", manual=True, unit="indeks"
    )
    w["indicator"] = CustomIndicator.objects.create(
        region_id="18.01", code="LS-00", name="Rasio Lampung Selatan", numerator="usaha_beroperasi",
        denominator="usaha_terdata",
    )  # fmt: skip
    w["plan"] = plans.plan_create(
        actor=national, data={"region": "18.01", "kind": "renja", "first_year": "2026"}
    )
    w["node"] = plans.plan_node_add(actor=national, plan=w["plan"], data={"code": "2.17.04.2.01.0001"})
    w["point"] = PokokPikiran.objects.create(region_id="18.01", number=1, text="Mengawasi koperasi.",
                                             given_on=date(2026, 3, 12))  # fmt: skip
    w["renja_file"] = tmp_path / "renja-lamsel.xlsx"
    w["renja_file"].write_bytes(renja.renja_workbook(w["plan"], 2026))
    cohort = training.cohort_create(
        actor=national,
        programme=Programme.objects.get(topic="pembukuan"),
        data={"region": "18.01", "starts_on": today.isoformat(), "capacity": "5"},
    )
    w["cohort"] = cohort
    w["session"] = training.session_add(
        actor=national, cohort=cohort, title="Sesi 1", starts_at=timezone.now()
    )
    w["registration"] = training.register(cohort=cohort, data={"name": "Ahmad", "phone": "081377778888"})
    w["certificate"] = Certificate.objects.create(
        registration=w["registration"], number="NK-X-1", issued_on=today
    )
    w["fund"] = financing.programme_create(
        actor=national,
        data={
            "name": "Dana Bergulir Lamsel",
            "kind": "bergulir",
            "region": "18.01",
            "budget": "10.000.000",
            "opens_on": (today - timedelta(days=30)).isoformat(),
            "closes_on": (today + timedelta(days=60)).isoformat(),
            "rate_percent": "6",
            "term_months": "12",
            "method": "flat",
        },
    )
    w["application"] = Application.objects.create(
        programme=w["fund"], business=lamsel, amount_requested=4_000_000, purpose="Mesin", status="submitted"
    )
    w["product"] = catalog.product_save(
        actor=national,
        business=lamsel,
        photos=[jpeg()],
        data={
            "name": "Sambal Seruit",
            "category": "camilan",
            "price": "Rp 25.000",
            "unit": "botol",
            "description": "Sambal khas Lampung.",
        },
    )
    w["photo"] = w["product"].photos.first()
    w["entry"] = performance.entry_add(
        actor=national,
        business=lamsel,
        data={"day": today.isoformat(), "kind": "sale", "category": "jual_tunai", "amount": "50.000"},
    )
    w["sop"] = SopTemplate.objects.order_by("pk").first()
    w["kpi"] = Kpi.objects.order_by("pk").first()
    w["report"] = supervision.report_save(
        actor=national, cooperative=coop, year=2025, data={k: str(v) for k, v in REPORT.items()}
    )
    supervision.visit_record(
        actor=national,
        cooperative=coop,
        visited_on=today.isoformat(),
        summary="Periksa",
        findings=[
            {
                "text": "Buku kas",
                "action": "Lengkapi",
                "owner": "Ketua",
                "due_on": (today + timedelta(days=9)).isoformat(),
            }
        ],
    )
    w["follow_up"] = FollowUp.objects.get(finding__visit__cooperative=coop)
    w["declaration"] = Declaration.objects.create(
        business=lamsel, field="revenue", value=90_000_000, declared_by=national
    )
    w["batch"] = ImportBatch.objects.create(actor=national, file="x.csv", region_code="18.01")
    from naikkelas.opportunities import services as opportunities

    w["buyer"] = opportunities.buyer_create(actor=national, data={"name": "Hotel Kalianda", "kind": "horeka",
                                                                  "region": "18.01"})  # fmt: skip
    w["opportunity"] = opportunities.opportunity_create(actor=national, buyer=w["buyer"], today=today, data=dict(
        OPPORTUNITY, region="18.01", delivery_village=lamsel.village_id))  # fmt: skip
    from naikkelas.opportunities import partnerships

    w["partnership"] = partnerships.partnership_create(actor=national, data={
        "partner": "Hotel Kalianda", "partner_kind": "horeka", "pattern": "perdagangan", "region": "18.01",
        "starts_on": "2026-01-01", "businesses": [lamsel.pk]})  # fmt: skip
    from naikkelas.opportunities import events

    w["event"] = events.event_create(actor=national, today=today, data={
        "title": "Temu Bisnis Lamsel", "place": "Kalianda", "held_on": str(today + timedelta(days=9)),
        "region": "18.01", "buyers": [w["buyer"].pk]})  # fmt: skip
    w["event_registration"] = events.event_register(actor=national, event=w["event"], supplier=lamsel, wants=[],
                                                    today=today)  # fmt: skip
    events.event_schedule(actor=national, event=w["event"])
    w["meeting"] = w["event"].meetings.get()
    w["offer"] = opportunities.offer_make(actor=national, opportunity=w["opportunity"], supplier=lamsel,
                                          today=today, data=OFFER)  # fmt: skip
    run = DuplicateRun.objects.create(region_code="18.01", threshold="0.9")

    def cluster(kind, members):
        return DuplicateCluster.objects.create(
            run=run,
            kind=kind,
            members=sorted(members),
            probability="0.99",
            region_code=lamsel.village_id,
            pairs=[],
        )

    w["cluster"] = cluster(RecordKind.BUSINESS, [lamsel.pk, w["twin"].pk])
    w["person_cluster"] = cluster(RecordKind.PERSON, [lamsel.owner_id, w["twin"].owner_id])
    third = make_business("Seruit Pak Ahmad", villages["lamsel"], "Ahmad H.")
    w["merge"] = merge.business_merge(
        actor=national,
        cluster=cluster(RecordKind.BUSINESS, [w["twin"].pk, third.pk]),
        survivor_id=w["twin"].pk,
    )
    fourth = make_business("Seruit Bu Ani", villages["lamsel"], "Ani")
    w["person_merge"] = merge.person_merge(
        actor=national,
        cluster=cluster(RecordKind.PERSON, [third.owner_id, fourth.owner_id]),
        survivor_id=third.owner_id,
    )
    w["instrument"] = lifecycle.active_instrument()
    w["token"], _key = ApiToken.issue(personas["admin_lamsel"], name="lamsel", days=30)
    from naikkelas.privacy import services as privacy

    w["data_request"] = privacy.request_file(actor=national, person=lamsel.owner, kind="access")
    from naikkelas.core import outbox
    from naikkelas.privacy import breaches

    w["incident"] = breaches.incident_record(actor=national, data={
        "title": "Laptop hilang", "description": "Laptop dinas hilang.", "window_from": "2026-01-05T08:00",
        "window_to": "2026-01-05T10:00", "found_at": "2026-01-05T12:00", "categories": ["phone"], "region": "18.01"})  # fmt: skip
    w["message"] = outbox.queue(to="+6281234567890", text="Kode: 123456", purpose="privacy_code",
                                region_code=lamsel.village_id, secret=True)  # fmt: skip
    return w


def _csv(path, header, row):
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows([header, row])
    return path


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "umkm.csv", b"NAMA USAHA,DESA\nWarung Seruit,Hajimena\n", content_type="text/csv"
    )


def _scenario():
    from naikkelas.catalog.services import scenario_from

    return scenario_from(
        {
            "name": "Sambal",
            "yield_units": "100",
            "price": "25.000",
            "line_name_0": "Cabai",
            "line_qty_0": "1",
            "line_price_0": "40.000",
        }
    )


CASES = {
    # accounts
    "naikkelas.accounts.services.api_token_revoke": (OUTSIDERS, lambda s, a, w: s(actor=a, token=w["token"])),
    # catalogue
    "naikkelas.catalog.services.product_save": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, business=w["business"], product=w["product"], data={"name": "Diganti"}),
    ),
    "naikkelas.catalog.services.photo_delete": (OUTSIDERS, lambda s, a, w: s(actor=a, photo=w["photo"])),
    "naikkelas.catalog.services.product_curate": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, product=w["product"], featured=True),
    ),
    "naikkelas.catalog.services.product_move": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, product=w["product"], move="publish"),
    ),
    "naikkelas.catalog.services.shop_link_save": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, business=w["business"], marketplace="shopee", url="https://shopee.co.id/seruit"
        ),
    ),
    "naikkelas.catalog.services.scenario_save": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, business=w["business"], scenario=_scenario()),
    ),
    # capital
    "naikkelas.financing.services.programme_create": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, data={"name": "Dana", "kind": "bergulir", "region": "18.01", "budget": "1.000.000"}
        ),
    ),
    "naikkelas.financing.services.application_submit": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, programme=w["fund"], business=w["business"], amount="1.000.000", purpose="Mesin"
        ),
    ),
    "naikkelas.financing.services.documents_add": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, application=w["application"], files=[]),
    ),
    "naikkelas.financing.services.application_verify": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, application=w["application"]),
    ),
    "naikkelas.financing.services.application_approve": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, application=w["application"]),
    ),
    "naikkelas.financing.services.application_reject": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, application=w["application"], note="Tidak"),
    ),
    "naikkelas.financing.services.application_disburse": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, application=w["application"], disbursed_on=date(2026, 1, 5)),
    ),
    "naikkelas.financing.services.application_step": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, application=w["application"], step="verify", data={"note": "x"}),
    ),
    "naikkelas.financing.services.payment_record": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, application=w["application"], paid_on=date(2026, 1, 5), amount="100.000"),
    ),
    "naikkelas.financing.services.referral_record": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, application=w["application"], data={"bank": "BRI"}),
    ),
    # duplicates and merges
    "naikkelas.intake.duplicates.check_search": (OUTSIDERS, lambda s, a, w: s(a, "18.01", "0.9")),
    "naikkelas.intake.duplicates.run_search": (OUTSIDERS, lambda s, a, w: s(actor=a, region_code="18.01")),
    "naikkelas.intake.duplicates.cluster_not_same": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, cluster=w["cluster"]),
    ),
    "naikkelas.intake.duplicates.cluster_skip": (OUTSIDERS, lambda s, a, w: s(actor=a, cluster=w["cluster"])),
    "naikkelas.intake.merge.business_merge": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, cluster=w["cluster"], survivor_id=w["business"].pk),
    ),
    "naikkelas.intake.merge.cluster_merge": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, cluster=w["cluster"], survivor_id=w["business"].pk, keep={}),
    ),
    "naikkelas.intake.merge.merge_undo": (OUTSIDERS, lambda s, a, w: s(actor=a, merge=w["merge"])),
    "naikkelas.intake.merge.person_merge": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, cluster=w["person_cluster"], survivor_id=w["person"].pk),
    ),
    "naikkelas.intake.merge.person_merge_undo": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, merge=w["person_merge"]),
    ),
    # imports
    "naikkelas.intake.services.import_regency": (OUTSIDERS, lambda s, a, w: s(actor=a, region_code="18.01")),
    "naikkelas.intake.services.upload_receive": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, kind="businesses", region_code="18.01", file=_upload()),
    ),
    "naikkelas.intake.services.undo_batch": (OUTSIDERS, lambda s, a, w: s(actor=a, batch=w["batch"])),
    "naikkelas.performance.imports.report_import": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            file_label="laporan.csv",
            path=_csv(
                w["tmp"] / "laporan.csv",
                ["ID USAHA", "BULAN", "OMZET"],
                [w["business"].pk, "2026-01", "1000000"],
            ),
        ),
    ),
    "naikkelas.supervision.imports.reports_import": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            file_label="rat.csv",
            path=_csv(
                w["tmp"] / "rat.csv",
                ["ID KOPERASI", "TAHUN BUKU", "total_assets"],
                [w["coop"].pk, "2024", "1000000"],
            ),
        ),
    ),
    # field work
    "naikkelas.lifecycle.services.visit_record": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, business=w["business"], data={"outcome": "operating", "date": "2026-01-10"}
        ),
    ),
    "naikkelas.lifecycle.services.assessment_record": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, business=w["business"], answers={}),
    ),
    "naikkelas.lifecycle.services.instrument_new_version": (
        NOT_ADMINS,
        lambda s, a, w: s(actor=a, source=w["instrument"]),
    ),
    "naikkelas.lifecycle.services.instrument_update": (
        NOT_ADMINS,
        lambda s, a, w: s(actor=a, instrument=w["instrument"], data={"name": "x"}, questions=[]),
    ),
    "naikkelas.lifecycle.services.instrument_activate": (
        NOT_ADMINS,
        lambda s, a, w: s(actor=a, instrument=w["instrument"]),
    ),
    # planning
    "naikkelas.planning.services.custom_indicator_create": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            data={
                "region": "18.01",
                "code": "LS-01",
                "name": "Rasio",
                "numerator": "usaha_beroperasi",
                "denominator": "usaha_terdata",
            },
        ),  # fmt: skip
    ),
    "naikkelas.planning.services.manual_value_record": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, indicator=w["manual"], data={"year": "2025", "value": "80"}, evidence=_pdf()
        ),
    ),
    "naikkelas.planning.services.pokok_pikiran_record": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            data={
                "region": "18.01",
                "number": "1",
                "given_on": "2025-03-12",
                "text": "Melatih SDM koperasi.",
                "indicator_codes": ["SDM-02"],
            },
        ),  # fmt: skip
    ),
    "naikkelas.planning.services.custom_indicator_delete": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, indicator=w["indicator"]),
    ),
    "naikkelas.planning.plans.plan_create": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, data={"region": "18.01", "kind": "renstra", "first_year": "2025"}),
    ),
    "naikkelas.planning.plans.plan_node_add": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, plan=w["plan"], data={"code": "2.17.05.2.01.0001"}),
    ),
    "naikkelas.planning.plans.plan_node_delete": (OUTSIDERS, lambda s, a, w: s(actor=a, node=w["node"])),
    "naikkelas.planning.plans.plan_target_save": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, node=w["node"], data={"name": "Koperasi dinilai", "target_2026": "10"}),
    ),
    "naikkelas.planning.plans.plan_budget_save": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, node=w["node"], data={"year": "2026", "pagu": "1000000"}),
    ),
    "naikkelas.planning.plans.pokok_pikiran_link": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, point=w["point"], node_ids=[w["node"].pk]),
    ),
    "naikkelas.planning.renja.renja_import": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, plan=w["plan"], year=2026, path=w["renja_file"], file_label="renja.xlsx"),
    ),
    # opportunities
    "naikkelas.opportunities.services.buyer_create": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, data={"name": "Hotel", "kind": "horeka", "region": "18.01"}),
    ),
    "naikkelas.opportunities.services.opportunity_create": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            buyer=w["buyer"],
            today=timezone.localdate(),
            data=dict(OPPORTUNITY, region="18.01", delivery_village=w["business"].village_id),
        ),
    ),
    "naikkelas.opportunities.services.invite": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            opportunity=w["opportunity"],
            supplier=w["business"],
            channel="whatsapp",
            url="https://contoh/peluang/1/",
        ),
    ),
    "naikkelas.opportunities.services.offer_make": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            opportunity=w["opportunity"],
            supplier=w["business"],
            today=timezone.localdate(),
            data=dict(OFFER, price="19000"),
        ),
    ),
    "naikkelas.opportunities.services.offer_shortlist": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, offer=w["offer"]),
    ),
    "naikkelas.opportunities.services.outcome_record": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            opportunity=w["opportunity"],
            today=timezone.localdate(),
            data={"outcome": "deal", "deal_value": "1.000.000"},
        ),
    ),
    "naikkelas.opportunities.partnerships.partnership_create": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            data={
                "partner": "Toko",
                "partner_kind": "ritel",
                "pattern": "perdagangan",
                "region": "18.01",
                "starts_on": "2026-01-01",
                "businesses": [w["business"].pk],
            },
        ),
    ),
    "naikkelas.opportunities.partnerships.partnership_sale_record": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, partnership=w["partnership"], month="2026-02", amount="1000000"),
    ),
    "naikkelas.opportunities.procurement.procurement_import": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            region="18.01",
            year="2026",
            kind="realisasi",
            path=w["renja_file"],
            file_label="realisasi.xlsx",
        ),
    ),
    "naikkelas.opportunities.events.event_create": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            today=timezone.localdate(),
            data={"title": "X", "place": "Y", "held_on": str(timezone.localdate()), "region": "18.01"},
        ),
    ),
    "naikkelas.opportunities.events.event_register": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, event=w["event"], supplier=w["twin"], wants=[], today=timezone.localdate()
        ),
    ),
    "naikkelas.opportunities.events.event_schedule": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, event=w["event"]),
    ),
    "naikkelas.opportunities.events.meeting_outcome": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, meeting=w["meeting"], outcome="deal", value="1000000"),
    ),
    "naikkelas.opportunities.services.readiness_save": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, supplier=w["business"], data={"npwp": "1"}),
    ),
    # performance
    "naikkelas.performance.services.report_save": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, business=w["business"], month="2026-01", values={"omzet": "1.000.000"}, source="officer"
        ),
    ),
    "naikkelas.performance.services.target_set": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            business=w["business"],
            kpi_key="omzet",
            start="2026-01",
            end="2026-12",
            value="1.000.000",
        ),
    ),
    "naikkelas.performance.books.entry_add": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            business=w["business"],
            data={"day": "2026-01-10", "kind": "sale", "category": "jual_tunai", "amount": "10.000"},
        ),
    ),
    "naikkelas.performance.books.entry_delete": (OUTSIDERS, lambda s, a, w: s(actor=a, entry=w["entry"])),
    "naikkelas.performance.books.month_from_books": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, business=w["business"], month=date(2026, 1, 1)),
    ),
    "naikkelas.performance.sops.sop_adopt": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, business=w["business"], template=w["sop"]),
    ),
    "naikkelas.performance.sops.sop_new_version": (
        NOT_ADMINS,
        lambda s, a, w: s(actor=a, source=w["sop"], data={"title": "SOP", "steps": "1"}),
    ),
    "naikkelas.performance.library.kpi_save": (
        NOT_ADMINS,
        lambda s, a, w: s(actor=a, kpi=w["kpi"], data={"name": "Omzet"}),
    ),
    # registry
    "naikkelas.registry.services.business_create": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, data={"name": "Usaha Baru", "village": w["business"].village_id, "owner_name": "Budi"}
        ),
    ),
    "naikkelas.registry.services.business_update": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, business=w["business"], data={"name": "Diganti"}),
    ),
    "naikkelas.registry.services.declaration_decide": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, declaration=w["declaration"], confirm=True),
    ),
    "naikkelas.registry.services.business_set_status": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, business=w["business"], status="closed"),
    ),
    "naikkelas.registry.services.legal_document_add": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, business=w["business"], data={"kind": "pirt", "number": "2061801010123-27"}
        ),
    ),
    "naikkelas.privacy.services.personal_copy": (OUTSIDERS, lambda s, a, w: s(actor=a, person=w["person"])),
    "naikkelas.privacy.services.request_file": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, person=w["person"], kind="copy"),
    ),
    "naikkelas.privacy.services.request_decide": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, request=w["data_request"], done=True, decision="Sudah dijawab"),
    ),
    "naikkelas.privacy.services.restriction_lift": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, person=w["person"]),
    ),
    "naikkelas.privacy.services.outbox_mark_sent": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, message=w["message"]),
    ),
    "naikkelas.privacy.breaches.incident_record": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a,
            data={
                "title": "Bocor",
                "description": "Bocor.",
                "window_from": "2026-01-05T08:00",
                "window_to": "2026-01-05T10:00",
                "found_at": "2026-01-05T12:00",
                "categories": ["phone"],
                "region": "18.01",
            },
        ),
    ),  # fmt: skip
    "naikkelas.privacy.breaches.notify_people": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, incident=w["incident"], url="https://x/"),
    ),
    "naikkelas.privacy.breaches.authority_notified": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, incident=w["incident"]),
    ),
    "naikkelas.privacy.breaches.authority_notice": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, incident=w["incident"]),
    ),
    "naikkelas.privacy.services.consent_give": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, person=w["person"], purpose="catalogue_contact"),
    ),
    "naikkelas.privacy.services.consent_withdraw": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, person=w["person"], purpose="catalogue_contact"),
    ),
    "naikkelas.registry.services.person_reveal_nik": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, person=w["person"]),
    ),
    "naikkelas.registry.services.cooperative_create": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, data={"name": "KSP Baru", "type": "simpan_pinjam", "village": w["coop"].village_id}
        ),
    ),
    "naikkelas.registry.services.cooperative_update": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, cooperative=w["coop"], data={"name": "Diganti"}),
    ),
    "naikkelas.registry.services.owner_account_set": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, business=w["business"], phone="081366667777", password="rahasia-baru-123"),
    ),
    # cooperative supervision
    "naikkelas.supervision.services.meeting_record": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, cooperative=w["coop"], data={"book_year": 2025, "held_on": "2026-03-15"}),
    ),
    "naikkelas.supervision.services.report_save": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, cooperative=w["coop"], year=2024, data={k: str(v) for k, v in REPORT.items()}
        ),
    ),
    "naikkelas.supervision.services.rating_make": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, report=w["report"], management={}),
    ),
    "naikkelas.supervision.services.visit_record": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, cooperative=w["coop"], visited_on="2026-11-01", summary="", findings=[{"text": "x"}]
        ),
    ),
    "naikkelas.supervision.services.follow_up_done": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, follow_up=w["follow_up"], done_on="2026-11-02"),
    ),
    # training
    "naikkelas.training.services.cohort_create": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, programme=w["cohort"].programme, data={"region": "18.01", "starts_on": "2026-12-01"}
        ),
    ),
    "naikkelas.training.services.session_add": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, cohort=w["cohort"], title="Sesi 2", starts_at=timezone.now()),
    ),
    "naikkelas.training.services.register": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, cohort=w["cohort"], source="officer", data={"business_id": w["business"].pk}
        ),
    ),
    "naikkelas.training.services.cancel": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, registration=w["registration"]),
    ),
    "naikkelas.training.services.check_in": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, session=w["session"], code=w["registration"].code),
    ),
    "naikkelas.training.services.certificates_issue": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, cohort=w["cohort"]),
    ),
    "naikkelas.training.services.certificate_revoke": (
        OUTSIDERS,
        lambda s, a, w: s(actor=a, certificate=w["certificate"], reason="Salah"),
    ),
    "naikkelas.training.services.programme_save": (
        NOT_ADMINS,
        lambda s, a, w: s(actor=a, programme=w["cohort"].programme, data={"name": "Diganti"}),
    ),
    "naikkelas.training.services.question_add": (
        NOT_ADMINS,
        lambda s, a, w: s(actor=a, programme=w["cohort"].programme, text="?", options_text="a\nb", correct=0),
    ),
    "naikkelas.training.services.invite_by_email": (
        OUTSIDERS,
        lambda s, a, w: s(
            actor=a, cohort=w["cohort"], businesses=[w["business"]], register_url="https://x/daftar/"
        ),
    ),
}  # fmt: skip  (one line per service reads as a table)


def test_every_service_that_takes_an_actor_has_a_refusal_case():
    found = actor_functions()
    assert found - set(CASES) - set(EXEMPT) == set(), (
        "a new service needs a case in CASES (or a reason in EXEMPT)"
    )
    assert set(CASES) - found == set(), "a case for a service that no longer exists"


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label != "sessions"
    }


def _state(world) -> dict:
    """What an out-of-scope call could change on the records it was given."""
    rows = {}
    for key in (
        "business",
        "opportunity",
        "offer",
        "partnership",
        "meeting",
        "plan",
        "node",
        "coop",
        "person",
        "product",
        "entry",
        "application",
        "certificate",
        "registration",
        "follow_up",
        "declaration",
        "batch",
        "cluster",
        "person_cluster",
        "merge",
        "person_merge",
        "data_request",
        "message",
        "incident",
        "token",
        "instrument",
        "kpi",
        "sop",
        "report",
    ):
        obj = world[key]
        fresh = type(obj)._default_manager.filter(pk=obj.pk).values().first()
        rows[key] = {k: v for k, v in (fresh or {}).items() if k not in ("updated_at", "last_used_at")}
    return rows


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_service_refuses_records_outside_the_actors_area(name, world, personas, mailoutbox):
    module, func = name.rsplit(".", 1)
    service = getattr(importlib.import_module(module), func)
    refused_for, call = CASES[name]
    for who in refused_for:
        counts, state = _counts(), _state(world)
        try:
            result = call(service, personas[who], world)
        except (PermissionDenied, ImportRefused):
            pass
        except ValidationError as err:  # refused before anything: the region, code or business is not theirs
            assert _names_the_area(err), f"{name} as {who}: refused for another reason: {err}"
        else:
            problems = getattr(result, "problems", None)  # an import answers with refused rows, not an error
            assert problems and not getattr(result, "saved", 0), (
                f"{name} accepted an out-of-scope record for {who}"
            )
            assert all("wilayah Anda" in p["reason"] for p in problems), problems
        assert _counts() == counts, f"{name} as {who} wrote something"
        assert _state(world) == state, f"{name} as {who} changed a record"
        assert not mailoutbox, f"{name} as {who} sent e-mail"


def _names_the_area(err: ValidationError) -> bool:
    """The refusal says the place is outside the actor's area ("… di luar wilayah [kerja] Anda.")."""
    return all("di luar wilayah" in m for m in err.messages)


def test_a_case_can_fail(world, personas):
    """The harness itself: the national admin (who covers 18.01) is not refused, so the checks above can fail."""
    from naikkelas.registry import services

    business = services.business_update(
        actor=personas["national"], business=world["business"], data={"name": "Warung Seruit Baru"}
    )
    assert business.name == "Warung Seruit Baru"
    assert Registration.objects.filter(status=RegistrationStatus.REGISTERED).exists()
    assert Session.objects.filter(cohort=world["cohort"]).exists() and Fund.objects.filter(region_id="18.01")
    assert Product.objects.filter(business=world["business"]).exists() and Entry.objects.exists()
    assert FinancialReport.objects.filter(cooperative=world["coop"]).exists()
