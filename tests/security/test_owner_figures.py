"""Owners cannot promote themselves: status is set by officers' visits, and assets and revenue an owner enters
are declarations that count only once an officer of the area confirms them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation

from naikkelas.registry import services
from naikkelas.registry.models import Declaration


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def test_an_owner_cannot_set_status_or_size_by_themselves(personas, businesses, api_client_for):
    business = businesses["gedong"]
    with pytest.raises(ValidationError) as exc:
        services.business_update(actor=personas["owner"], business=business, data={"status": "modern"})
    assert "petugas" in str(exc.value)
    response = api_client_for(personas["owner"]).patch(
        f"/api/v1/businesses/{business.pk}",
        {"annual_revenue": "3.000.000.000", "assets": "900.000.000"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    business.refresh_from_db()
    assert (business.status, business.annual_revenue, business.assets, business.size_class) == (
        "registered",
        None,
        None,
        "",
    )
    pending = Declaration.objects.filter(business=business, state="pending")
    assert {d.field: d.value for d in pending} == {"annual_revenue": 3_000_000_000, "assets": 900_000_000}


def test_an_officer_of_the_area_confirms_a_declaration_and_only_then_it_counts(personas, businesses):
    business = businesses["gedong"]
    services.business_update(
        actor=personas["owner"], business=business, data={"annual_revenue": "250.000.000"}
    )
    declaration = Declaration.objects.get(business=business)
    with pytest.raises(PermissionDenied):  # an office elsewhere cannot confirm it
        services.declaration_decide(actor=personas["admin_lamsel"], declaration=declaration, confirm=True)
    with pytest.raises(PermissionDenied):  # nor can the owner
        services.declaration_decide(actor=personas["owner"], declaration=declaration, confirm=True)
    officer = Client()
    officer.force_login(personas["petugas"])
    page = officer.get(f"/usaha/{business.pk}/").content.decode()
    assert "Angka yang dinyatakan pemilik" in page and "konfirmasi" in page
    officer.post(f"/usaha/{business.pk}/deklarasi/{declaration.pk}/konfirmasi/")
    business.refresh_from_db()
    declaration.refresh_from_db()
    assert business.annual_revenue == 250_000_000 and business.size_class == "mikro"
    assert declaration.state == "confirmed" and declaration.decided_by == personas["petugas"]
    with pytest.raises(ValidationError):
        services.declaration_decide(actor=personas["petugas"], declaration=declaration, confirm=False)


def test_officers_still_set_figures_directly(personas, businesses):
    business = services.business_update(
        actor=personas["petugas"],
        business=businesses["gedong"],
        data={"annual_revenue": "250.000.000", "status": "operating"},
    )
    assert (business.annual_revenue, business.status) == (250_000_000, "operating")
    assert not Declaration.objects.exists()
