"""Capital programmes: eligibility with reasons, scoring, the review workflow with roles and audit, the budget
rule, disbursement, repayment, KUR referral, scope, pages and API.

admin_pesawaran runs a revolving fund for 18.09; the owner applies for Keripik Pisang Bu Siti (Gedong Tataan);
petugas (Gedong Tataan) verifies; admin_lamsel sees none of it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone, translation

from naikkelas.core.models import AuditLog
from naikkelas.financing import selectors, services
from naikkelas.financing.models import ApplicationStatus, Installment, Programme
from naikkelas.lifecycle import services as lifecycle
from naikkelas.registry.models import LegalDocument
from tests.conftest import make_business
from tests.lifecycle.test_api import BEST

pytestmark = pytest.mark.django_db


def programme_data(**extra):
    today = timezone.localdate()
    data = {
        "name": "Dana Bergulir 2026",
        "kind": "bergulir",
        "region": "18.09",
        "budget": "10.000.000",
        "opens_on": (today - timedelta(days=30)).isoformat(),
        "closes_on": (today + timedelta(days=60)).isoformat(),
        "rate_percent": "6",
        "term_months": "12",
        "method": "flat",
    }
    return data | extra


@pytest.fixture
def fund(personas):
    return services.programme_create(actor=personas["admin_pesawaran"], data=programme_data())


def submit(personas, fund, business, amount="4.000.000", who="owner"):
    return services.application_submit(
        actor=personas[who],
        programme=fund,
        business=business,
        amount=amount,
        purpose="Mesin pengemas dan kemasan baru",
    )


def test_it_lets_only_admins_create_programmes_inside_their_area(personas):
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=personas["petugas"], data=programme_data())
    with pytest.raises(ValidationError) as err:
        services.programme_create(actor=personas["admin_lamsel"], data=programme_data())
    assert err.value.message_dict["region"] == [str(services.REGION_OUTSIDE)]
    with pytest.raises(ValidationError) as err:
        services.programme_create(
            actor=personas["admin_pesawaran"],
            data=programme_data(budget="nol", closes_on="2020-01-01", kind="x"),
        )
    assert {"budget", "closes_on", "kind"} <= set(err.value.message_dict)
    assert not Programme.objects.exists()


def test_it_checks_eligibility_and_gives_every_reason(personas, businesses):
    strict = services.programme_create(
        actor=personas["admin_pesawaran"],
        data=programme_data(
            size_classes=["kecil"],
            statuses=["operating", "modern"],
            documents=["halal"],
            min_level="3",
            training_topic="pembukuan",
            max_amount="2.000.000",
            sectors="Kerajinan",
        ),
    )
    application = submit(personas, strict, businesses["gedong"])
    assert not application.eligible
    assert {r["code"] for r in application.reasons} == {
        "size_class",
        "sector",
        "status",
        "level",
        "training",
        "documents",
        "amount",
    }
    # Worded when read, in the reader's language.
    with translation.override("id"):
        texts = application.reason_texts()
    assert any("Halal" in t for t in texts) and any("pembukuan" in t for t in texts)
    assert any("Kerajinan" in t and "Makanan olahan" in t for t in texts)
    assert any("Kelas usaha" in t and "Kecil" in t for t in texts), texts
    with translation.override("en"):
        assert any("Size class must be Small" in t for t in application.reason_texts())


def test_it_finds_a_business_eligible_once_it_meets_the_rules(personas, businesses):
    business = businesses["gedong"]
    business.size_class, business.status, business.sector = "mikro", "operating", "Makanan olahan"
    business.save()
    LegalDocument.objects.create(business=business, kind="halal", number="ID123", issued_on=date(2024, 1, 1))
    lifecycle.assessment_record(actor=personas["petugas"], business=business, answers=BEST)
    programme = services.programme_create(
        actor=personas["admin_pesawaran"],
        data=programme_data(
            size_classes=["mikro"], statuses=["operating", "modern"], documents=["halal"], min_level="3"
        ),
    )
    application = submit(personas, programme, business)
    assert application.eligible and application.reasons == []
    # Score: level 5 of 5 (30), operating (20), no training (0), 1 of NIB/PIRT/halal (10/3), first aid (10),
    # owner's gender unknown (0): (30 + 20 + 3.33 + 10) / 100.
    assert str(application.score) == "63.3"


def test_it_weights_the_score_as_the_programme_says(personas, businesses):
    programme = services.programme_create(
        actor=personas["admin_pesawaran"],
        data=programme_data(
            **{
                "weight_level": "0",
                "weight_operating": "0",
                "weight_trained": "0",
                "weight_documents": "0",
                "weight_first_aid": "1",
                "weight_women": "0",
            }
        ),
    )
    assert submit(personas, programme, businesses["gedong"]).score == 100


def test_it_takes_an_application_through_review_with_roles_and_audit(personas, businesses, fund):
    application = submit(personas, fund, businesses["gedong"])
    assert application.status == ApplicationStatus.SUBMITTED and application.eligible
    with pytest.raises(PermissionDenied):
        services.application_verify(actor=personas["owner"], application=application)
    with pytest.raises(PermissionDenied):  # another regency's admin
        services.application_verify(actor=personas["admin_lamsel"], application=application)
    with pytest.raises(ValidationError):  # approve before verification
        services.application_approve(actor=personas["admin_pesawaran"], application=application)
    services.application_verify(actor=personas["petugas"], application=application, note="Usaha berjalan")
    with pytest.raises(PermissionDenied):  # field officers do not approve
        services.application_approve(actor=personas["petugas"], application=application)
    with pytest.raises(ValidationError) as err:
        services.application_approve(
            actor=personas["admin_pesawaran"], application=application, amount="5.000.000"
        )
    assert "amount_approved" in err.value.message_dict
    application = services.application_approve(
        actor=personas["admin_pesawaran"], application=application, amount="3.000.000"
    )
    fund.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and fund.committed == 3_000_000
    application = services.application_disburse(
        actor=personas["admin_pesawaran"],
        application=application,
        disbursed_on=timezone.localdate(),
        reference="TRF-001",
    )
    assert application.status == ApplicationStatus.DISBURSED
    assert Installment.objects.filter(application=application).count() == 12
    steps = list(
        AuditLog.objects.filter(object_type="financing.application", object_id=str(application.pk))
        .order_by("id")
        .values_list("actor_name", "after__status")
    )
    assert steps == [
        ("pemilik", "diajukan"),
        ("petugas.gedongtataan", "diverifikasi"),
        ("admin.pesawaran", "disetujui"),
        ("admin.pesawaran", "dicairkan"),
    ]
    with pytest.raises(ValidationError):  # once disbursed, no going back
        services.application_reject(actor=personas["admin_pesawaran"], application=application, note="x")


def test_it_refuses_a_second_live_application_and_needs_a_reason_to_reject(personas, businesses, fund):
    application = submit(personas, fund, businesses["gedong"])
    with pytest.raises(ValidationError) as err:
        submit(personas, fund, businesses["gedong"], who="petugas")
    assert err.value.message_dict["programme"] == [str(services.ALREADY_APPLIED)]
    with pytest.raises(ValidationError):
        services.application_reject(actor=personas["admin_pesawaran"], application=application, note=" ")
    services.application_reject(
        actor=personas["admin_pesawaran"], application=application, note="Dokumen palsu"
    )
    assert submit(personas, fund, businesses["gedong"], who="petugas").pk != application.pk  # may apply again


def test_it_lets_owners_apply_only_for_their_own_business(personas, businesses, fund):
    with pytest.raises(PermissionDenied):
        submit(personas, fund, businesses["pesawaran_other"])
    with pytest.raises(PermissionDenied):  # the officer's districts do not include it either
        submit(personas, fund, businesses["pesawaran_other"], who="petugas")
    assert submit(personas, fund, businesses["pesawaran_other"], who="admin_pesawaran").eligible


def test_it_never_approves_beyond_the_budget(personas, villages, fund):
    admin = personas["admin_pesawaran"]
    approved = []
    for n in range(4):  # budget 10 juta; 4 × 3 juta
        business = make_business(f"Usaha {n}", villages["gedong"])
        application = submit(personas, fund, business, amount="3.000.000", who="admin_pesawaran")
        services.application_verify(actor=admin, application=application)
        try:
            services.application_approve(actor=admin, application=application)
        except ValidationError as err:
            assert "amount_approved" in err.message_dict
            assert "1.000.000" in err.message_dict["amount_approved"][0]  # what is left
        else:
            approved.append(application)
    fund.refresh_from_db()
    assert len(approved) == 3 and fund.committed == 9_000_000 and fund.remaining == 1_000_000


def test_the_database_itself_refuses_an_overspent_programme(fund):
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=fund.pk).update(committed=fund.budget + 1)


def _disbursed(personas, fund, business, amount="3.000.000", on=None):
    admin = personas["admin_pesawaran"]
    application = submit(personas, fund, business, amount=amount, who="admin_pesawaran")
    services.application_verify(actor=admin, application=application)
    services.application_approve(actor=admin, application=application)
    return services.application_disburse(
        actor=admin, application=application, disbursed_on=on or timezone.localdate()
    )


def test_it_records_payments_arrears_and_par30_per_programme_and_region(personas, businesses, villages, fund):
    today = timezone.localdate()
    late = _disbursed(personas, fund, businesses["gedong"], "6.000.000", on=today - timedelta(days=100))
    current = _disbursed(
        personas,
        fund,
        make_business("Tepat Waktu", villages["gedong"]),
        "3.000.000",
        on=today - timedelta(days=10),
    )
    # 6 juta at 6 %/12 months: 500.000 + 30.000 a month. One installment paid of three due.
    services.payment_record(
        actor=personas["petugas"], application=late, paid_on=today - timedelta(days=60), amount="530.000"
    )
    with pytest.raises(ValidationError) as err:
        services.payment_record(
            actor=personas["petugas"], application=late, paid_on=today, amount="999.000.000"
        )
    assert "amount" in err.value.message_dict
    with pytest.raises(ValidationError):  # a payment in the future
        services.payment_record(
            actor=personas["petugas"], application=late, paid_on=today + timedelta(days=1), amount="1000"
        )
    state = services.loan_state(late)
    assert state.arrears == 2 * 530_000 and state.days_past_due > 30
    rows = selectors.portfolio(user=personas["admin_pesawaran"], on=today)
    assert len(rows) == 1
    p = rows[0].portfolio
    assert p.loans == 2 and p.outstanding == 5_500_000 + 3_000_000 and p.at_risk == 5_500_000
    assert str(p.par30) == "64.7"  # 5,5 of 8,5 juta
    by_district = selectors.portfolio(user=personas["admin_pesawaran"], on=today, by="district")
    assert [(r.key, r.portfolio.loans) for r in by_district] == [("18.09.01", 2)]
    total = selectors.portfolio_total(
        by_district + rows
    )  # the same loans twice: every sum doubles, PAR 30 holds
    assert (total.loans, total.outstanding, total.at_risk, str(total.par30)) == (
        4,
        17_000_000,
        11_000_000,
        "64.7",
    )
    assert selectors.portfolio(user=personas["admin_lamsel"], on=today) == []
    # Paying the arrears clears PAR 30.
    services.payment_record(
        actor=personas["admin_pesawaran"], application=late, paid_on=today, amount="1.060.000"
    )
    assert selectors.portfolio(user=personas["admin_pesawaran"], on=today)[0].portfolio.at_risk == 0
    assert current.status == ApplicationStatus.DISBURSED


def test_it_tracks_a_kur_referral_and_gives_the_quota_back_when_the_bank_says_no(
    personas, businesses, villages
):
    admin = personas["admin_pesawaran"]
    kur = services.programme_create(actor=admin, data=programme_data(kind="kur", name="Rujukan KUR 2026"))
    application = submit(personas, kur, businesses["gedong"], amount="5.000.000")
    services.application_verify(actor=admin, application=application)
    services.application_approve(actor=admin, application=application)
    with pytest.raises(ValidationError):  # the bank pays a KUR loan, not the office
        services.application_disburse(actor=admin, application=application, disbursed_on=timezone.localdate())
    services.referral_record(
        actor=personas["petugas"], application=application, data={"bank": "BRI Unit Gedong Tataan"}
    )
    referral = services.referral_record(
        actor=admin, application=application, data={"status": "cair_bank", "bank_amount": "5.000.000"}
    )
    application.refresh_from_db()
    assert referral.bank == "BRI Unit Gedong Tataan" and application.status == ApplicationStatus.DISBURSED
    assert application.disbursement.amount == 5_000_000
    other = submit(
        personas,
        kur,
        make_business("Ditolak Bank", villages["gedong"]),
        amount="2.000.000",
        who="admin_pesawaran",
    )
    services.application_verify(actor=admin, application=other)
    services.application_approve(actor=admin, application=other)
    kur.refresh_from_db()
    assert kur.committed == 7_000_000
    services.referral_record(actor=admin, application=other, data={"bank": "BNI", "status": "ditolak_bank"})
    kur.refresh_from_db()
    other.refresh_from_db()
    assert kur.committed == 5_000_000 and other.status == ApplicationStatus.REJECTED


def test_it_scopes_programmes_and_applications(personas, businesses, fund):
    application = submit(personas, fund, businesses["gedong"])
    seen = {
        who: set(selectors.applications_for(user=personas[who]).values_list("pk", flat=True))
        for who in (
            "national",
            "admin_lampung",
            "admin_pesawaran",
            "admin_lamsel",
            "petugas",
            "owner",
            "coop_manager",
            "outsider",
        )
    }
    assert {who for who, ids in seen.items() if application.pk in ids} == {
        "national",
        "admin_lampung",
        "admin_pesawaran",
        "petugas",
        "owner",
    }
    assert set(selectors.programmes_for(user=personas["owner"])) == {fund}  # the regency's fund covers Gedong
    assert set(selectors.programmes_for(user=personas["petugas"])) == {fund}
    assert not selectors.programmes_for(user=personas["admin_lamsel"]).exists()
    client = Client()
    client.force_login(personas["admin_lamsel"])
    assert client.get(f"/modal/pengajuan/{application.pk}/").status_code == 404


def test_it_runs_the_workflow_through_the_pages(personas, businesses, fund, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    owner = Client()
    owner.force_login(personas["owner"])
    page = owner.get(f"/modal/program/{fund.pk}/ajukan/").content.decode()
    assert "Keripik Pisang Bu Siti" in page  # the owner chooses among their businesses
    bad = owner.post(
        f"/modal/program/{fund.pk}/ajukan/",
        {"business": businesses["gedong"].pk, "amount_requested": "0", "purpose": "x"},
    )
    assert bad.status_code == 200 and "Rupiah" in bad.content.decode()
    pdf = SimpleUploadedFile("ktp.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = owner.post(
        f"/modal/program/{fund.pk}/ajukan/",
        {
            "business": businesses["gedong"].pk,
            "amount_requested": "2,5 jt",
            "purpose": "Etalase",
            "documents": pdf,
        },
    )
    assert response.status_code == 302
    application = selectors.applications_for(user=personas["owner"]).get()
    assert application.amount_requested == 2_500_000 and application.attachments.count() == 1
    document = f"/modal/pengajuan/{application.pk}/dokumen/{application.attachments.get().pk}/"
    assert b"".join(owner.get(document).streaming_content) == b"%PDF-1.4 test"
    stranger = Client()
    stranger.force_login(personas["admin_lamsel"])
    assert stranger.get(document).status_code == 404  # an ID card is personal data: only within scope
    assert owner.post(response.url + "verify/", {}).status_code == 403
    officer = Client()
    officer.force_login(personas["petugas"])
    assert officer.post(response.url + "verify/", {"note": "Dicek"}).status_code == 302
    admin = Client()
    admin.force_login(personas["admin_pesawaran"])
    admin.post(response.url + "approve/", {"amount_approved": "2.500.000"})
    admin.post(response.url + "disburse/", {"disbursed_on": timezone.localdate().isoformat()})
    page = admin.get(response.url).content.decode()
    assert 'id="schedule"' in page and "Dicairkan" in page
    admin.post(response.url + "payment/", {"paid_on": timezone.localdate().isoformat(), "amount": "220.833"})
    application.refresh_from_db()
    assert application.payments.get().amount == 220_833
    assert admin.get("/modal/portofolio/?format=xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_it_serves_programmes_applications_and_payments_over_the_api(
    personas, businesses, fund, api_client_for
):
    owner, officer, admin = (api_client_for(personas[k]) for k in ("owner", "petugas", "admin_pesawaran"))
    assert [p["id"] for p in owner.get("/api/v1/capital/programmes").json()["items"]] == [fund.pk]
    created = owner.post(
        "/api/v1/capital/applications",
        {
            "programme": fund.pk,
            "business": businesses["gedong"].pk,
            "amount_requested": "1.200.000",
            "purpose": "Bahan baku",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    assert created.json()["eligible"] is True
    assert (
        owner.post(
            f"/api/v1/capital/applications/{app_id}/verify", {}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        officer.post(
            f"/api/v1/capital/applications/{app_id}/verify", {}, content_type="application/json"
        ).json()["status"]
        == "diverifikasi"
    )
    assert (
        admin.post(
            f"/api/v1/capital/applications/{app_id}/approve", {}, content_type="application/json"
        ).status_code
        == 200
    )
    done = admin.post(f"/api/v1/capital/applications/{app_id}/disburse", {}, content_type="application/json")
    assert done.json()["status"] == "dicairkan"
    paid = officer.post(
        f"/api/v1/capital/applications/{app_id}/payments",
        {"paid_on": timezone.localdate().isoformat(), "amount": 106000},
        content_type="application/json",
    )
    assert paid.status_code == 201, paid.content
    assert [
        p["amount"] for p in owner.get(f"/api/v1/capital/applications/{app_id}/payments").json()["items"]
    ] == [106000]
    loan = owner.get(f"/api/v1/capital/applications/{app_id}/loan").json()
    assert loan["paid"] == 106000 and loan["total_due"] == 1_200_000 + 12 * 6000
    assert admin.get("/api/v1/capital/portfolio?by=district").json()["items"][0]["key"] == "18.09.01"
    assert (
        api_client_for(personas["admin_lamsel"]).get(f"/api/v1/capital/applications/{app_id}").status_code
        == 404
    )
    over = api_client_for(personas["national"]).post(
        "/api/v1/capital/programmes", {**programme_data(), "budget": -5}, content_type="application/json"
    )
    assert over.status_code == 422


def test_the_portfolio_rule_lives_in_its_selector_for_the_page_and_the_api(personas):
    with pytest.raises(PermissionDenied):
        selectors.portfolio(user=personas["owner"], on=date(2026, 11, 30))
    unknown = selectors.portfolio(
        user=personas["admin_pesawaran"], on=date(2026, 11, 30), by="kecamatan; drop"
    )
    assert unknown == selectors.portfolio(
        user=personas["admin_pesawaran"], on=date(2026, 11, 30), by="programme"
    )


def test_an_owner_still_opens_a_programmes_page_with_only_their_own_loans(personas, businesses, fund):
    owner = Client()
    owner.force_login(personas["owner"])
    assert owner.get(f"/modal/program/{fund.pk}/").status_code == 200
    assert owner.get("/modal/portofolio/").status_code == 403  # the office-wide portfolio is the office's
