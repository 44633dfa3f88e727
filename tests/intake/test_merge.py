"""Merging a group of duplicates keeps everything both records had, on one record; undo gives both back as they
were. admin_pesawaran merges "Keripik Pisang Bu Siti" (Gedong Tataan) with its duplicate."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from naikkelas.financing.models import Application
from naikkelas.intake import merge as merging
from naikkelas.intake.models import ClusterStatus, DuplicateCluster, DuplicateRun
from naikkelas.lifecycle import services as lifecycle
from naikkelas.performance.models import MonthlyReport
from naikkelas.registry.models import Business, BusinessTally, LegalDocument
from naikkelas.registry.selectors import business_list
from tests.conftest import make_business

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(businesses, villages, personas):
    siti = businesses["gedong"]
    copy = make_business(
        "UD Kripik Pisang Ibu Siti",
        villages["gedong"],
        "Siti Rahayu",
        nib="",
        phone="+6281234567890",
        address="Jl. Pahlawan 5",
    )
    officer = personas["petugas"]
    Business.objects.filter(pk__in=[siti.pk, copy.pk]).update(registered_on=date(2025, 1, 1))
    siti.refresh_from_db()
    copy.refresh_from_db()
    lifecycle.visit_record(actor=officer, business=siti, data={"outcome": "operating", "date": "2026-01-10"})
    lifecycle.visit_record(actor=officer, business=copy, data={"outcome": "operating", "date": "2026-06-10"})
    LegalDocument.objects.create(business=siti, kind="pirt", number="2061809010123-27")
    LegalDocument.objects.create(business=copy, kind="pirt", number="2061809010123-27")  # the same permit
    LegalDocument.objects.create(business=copy, kind="halal", number="ID31110000999")
    for business, month in ((siti, date(2026, 5, 1)), (copy, date(2026, 5, 1)), (copy, date(2026, 6, 1))):
        MonthlyReport.objects.create(business=business, month=month, source="form")
    run = DuplicateRun.objects.create(region_code="18.09", threshold="0.9")
    cluster = DuplicateCluster.objects.create(
        run=run,
        members=sorted([siti.pk, copy.pk]),
        probability="0.99",
        region_code=siti.village_id,
        pairs=[{"a": siti.pk, "b": copy.pk, "probability": 0.99}],
    )
    return siti, copy, cluster


def tally_total() -> int:
    return sum(BusinessTally.objects.values_list("count", flat=True))


def test_a_merge_keeps_everything_of_both_records_and_undo_gives_them_back(pair, personas):
    siti, copy, cluster = pair
    admin = personas["admin_pesawaran"]
    before_total, visible = tally_total(), business_list(user=admin).count()
    with pytest.raises(PermissionDenied):
        merging.business_merge(actor=personas["admin_lamsel"], cluster=cluster, survivor_id=siti.pk)
    with pytest.raises(PermissionDenied):
        merging.business_merge(actor=personas["owner"], cluster=cluster, survivor_id=siti.pk)
    merge = merging.business_merge(
        actor=admin, cluster=cluster, survivor_id=siti.pk, choices={"phone": copy.pk, "address": copy.pk}
    )
    siti.refresh_from_db()
    assert (siti.name, siti.phone, siti.address) == (
        "Keripik Pisang Bu Siti",
        "+6281234567890",
        "Jl. Pahlawan 5",
    )
    assert siti.visits.count() == 2 and siti.documents.count() == 2  # the shared permit once, plus halal
    assert sorted(siti.monthly_reports.values_list("month", flat=True)) == [
        date(2026, 5, 1),
        date(2026, 6, 1),
    ]
    assert merge.kept["performance.MonthlyReport.business"] == {
        str(copy.pk): [MonthlyReport.objects.get(business_id=copy.pk, month=date(2026, 5, 1)).pk]
    }
    assert (
        not Business.objects.filter(pk=copy.pk).exists()
        and Business.all_objects.get(pk=copy.pk).merged_into == siti
    )
    assert business_list(user=admin).count() == visible - 1 and tally_total() == before_total - 1
    assert DuplicateCluster.objects.get(pk=cluster.pk).status == ClusterStatus.MERGED
    client = Client()
    client.force_login(admin)
    assert client.get(f"/usaha/{copy.pk}/").status_code == 404

    merging.merge_undo(actor=admin, merge=merge)
    siti.refresh_from_db()
    copy = Business.objects.get(pk=copy.pk)
    assert (siti.phone, siti.address) == ("", "")
    assert siti.visits.count() == 1 and copy.visits.count() == 1
    assert copy.documents.count() == 2 and siti.documents.count() == 1
    assert copy.monthly_reports.count() == 2 and siti.monthly_reports.count() == 1
    assert business_list(user=admin).count() == visible and tally_total() == before_total
    assert DuplicateCluster.objects.get(pk=cluster.pk).status == ClusterStatus.OPEN
    with pytest.raises(ValidationError):
        merging.merge_undo(actor=admin, merge=merge)


def test_a_merge_moves_applications_and_cannot_be_undone_over_a_later_change(pair, personas):
    from naikkelas.financing import services as financing

    siti, copy, cluster = pair
    admin = personas["admin_pesawaran"]
    today = timezone.localdate()
    fund = financing.programme_create(
        actor=admin,
        data={
            "name": "Hibah",
            "kind": "hibah",
            "region": "18.09",
            "budget": "10.000.000",
            "opens_on": today.isoformat(),
            "closes_on": today.isoformat(),
        },
    )
    application = financing.application_submit(
        actor=admin, programme=fund, business=copy, amount="1.000.000", purpose="Alat"
    )
    merge = merging.business_merge(actor=admin, cluster=cluster, survivor_id=siti.pk)
    assert Application.objects.get(pk=application.pk).business_id == siti.pk
    with pytest.raises(ValidationError):  # decided
        merging.business_merge(actor=admin, cluster=cluster, survivor_id=siti.pk)
    Business.objects.filter(pk=siti.pk).update(updated_at=timezone.now())
    with pytest.raises(ValidationError) as err:
        merging.merge_undo(actor=admin, merge=merge)
    assert err.value.message_dict["merge"] == [str(merging.CHANGED_SINCE)]


def test_the_review_shows_labels_and_values_in_indonesian(pair, personas):
    """Field labels keep their capitals (NIB, KBLI), choices show their labels, money and dates as people write."""
    from django.utils import translation

    from naikkelas.intake import review

    siti, copy, cluster = pair
    Business.objects.filter(pk=siti.pk).update(
        size_class="mikro", annual_revenue=390660600, founded=date(2019, 3, 4)
    )
    with translation.override("id"):
        _members, rows = review.rows_for(cluster)
        shown = {row.field: (row.label, dict(row.values)) for row in rows}
    assert shown["nib"][0] == "NIB"
    assert shown["kbli"][0] == "Kode KBLI 2020"
    assert shown["size_class"][1][siti.pk] == "Mikro"
    assert shown["annual_revenue"][1][siti.pk] == "Rp 390.660.600"
    assert shown["founded"][1][siti.pk] == "04/03/2019"
