"""An office's own indicator: a ratio of two shipped counts with filters, shown for its region and below; bad input
named by field in Indonesian, nothing saved; only admins, only in their area."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from naikkelas.lifecycle import funnel
from naikkelas.planning import services
from naikkelas.planning.models import CustomIndicator
from naikkelas.planning.selectors import indicator_values
from naikkelas.regions.models import Region
from tests.planning.test_indicators import DAYS

RATIO = {"region": "18.09", "code": "dinas-01", "name": "UMKM makanan olahan yang beroperasi",
         "numerator": "usaha_beroperasi", "numerator_filters": {"sektor": "Makanan olahan"},
         "denominator": "usaha_terdata", "denominator_filters": {"sektor": "Makanan olahan", "skala": ""}}  # fmt: skip


def test_an_office_indicator_is_the_ratio_of_its_counts_in_its_region_and_below(office_records, personas):
    made = services.custom_indicator_create(actor=personas["admin_pesawaran"], data=RATIO)
    assert made.code == "DINAS-01" and made.denominator_filters == {
        "sektor": "Makanan olahan"
    }  # empty dropped
    for day in DAYS:
        for region in ("18.09", "18.09.01"):
            where, _day, readings = indicator_values(user=personas["admin_lampung"], region=region, as_of=day)
            reading = next(r for r in readings if r.indicator.code == "DINAS-01")
            total = funnel.funnel_counts(
                region=Region.objects.get(code=region), as_of=day, sector="Makanan olahan"
            ).total
            expected = round(100 * total.operating / total.registered, 2) if total.registered else None
            assert (reading.value.numerator, reading.value.denominator) == (total.operating, total.registered)
            assert reading.value.value == expected
            assert "sektor: Makanan olahan" in reading.indicator.formula
    # Not an indicator of another regency's office.
    _where, _day, lamsel = indicator_values(
        user=personas["admin_lampung"], region="18.01", as_of=date(2025, 6, 30)
    )
    assert "DINAS-01" not in {r.indicator.code for r in lamsel}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"numerator": "usaha_terbang"}, "numerator", "Hitungan 'usaha_terbang' tidak dikenal"),
        (
            {"numerator_filters": {"jenis": "simpan_pinjam"}},
            "numerator_filters",
            "tidak dapat disaring menurut 'jenis'",
        ),
        ({"denominator_filters": {"skala": "raksasa"}}, "denominator_filters", "'raksasa' bukan kelas usaha"),
        ({"code": "x"}, "code", "Kode: 2 sampai 20"),
        ({"code": "UMKM-02"}, "code", "sudah dipakai indikator bawaan"),
        ({"name": ""}, "name", "Nama: isi namanya"),
        ({"region": "18.01"}, "region", "di luar wilayah kerja Anda"),
        ({"region": "99.99"}, "region", "di luar wilayah"),
    ],
)
def test_bad_input_is_named_by_field_and_nothing_is_saved(personas, change, field, words):
    with pytest.raises(ValidationError) as refused:
        services.custom_indicator_create(actor=personas["admin_pesawaran"], data={**RATIO, **change})
    assert words in " ".join(refused.value.message_dict[field])
    assert not CustomIndicator.objects.exists()


def test_the_same_code_twice_and_a_field_officer_are_refused(personas):
    services.custom_indicator_create(actor=personas["admin_pesawaran"], data=RATIO)
    with pytest.raises(ValidationError) as twice:
        services.custom_indicator_create(actor=personas["admin_pesawaran"], data=RATIO)
    assert "sudah punya indikator DINAS-01" in twice.value.message_dict["code"][0]
    with pytest.raises(PermissionDenied):
        services.custom_indicator_create(actor=personas["petugas"], data={**RATIO, "code": "PTG-01"})
    assert CustomIndicator.objects.count() == 1


def test_an_admin_adds_and_deletes_one_on_the_page(personas, villages):
    page = Client()
    page.force_login(personas["admin_pesawaran"])
    form = {"region": "18.09", "code": "DINAS-02", "name": "Koperasi simpan pinjam aktif", "numerator": "koperasi_aktif",
            "numerator_jenis": "simpan_pinjam", "denominator": "koperasi", "denominator_jenis": "simpan_pinjam"}  # fmt: skip
    wrong = page.post("/rencana/indikator/baru/?wilayah=18.09", {**form, "numerator_jenis": "arisan"})
    assert wrong.status_code == 422 and "&#x27;arisan&#x27; bukan jenis koperasi" in wrong.content.decode()
    assert 'value="Koperasi simpan pinjam aktif"' in wrong.content.decode()  # what was typed stays
    done = page.post("/rencana/indikator/baru/?wilayah=18.09", form)
    assert done.status_code == 302
    html = page.get(done["Location"]).content.decode()
    assert 'id="indicator-DINAS-02"' in html and "Indikator DINAS-02 ditambahkan." in html
    made = CustomIndicator.objects.get()
    lamsel = Client()
    lamsel.force_login(personas["admin_lamsel"])
    assert lamsel.post(f"/rencana/indikator/{made.pk}/hapus/").status_code == 404
    assert page.post(f"/rencana/indikator/{made.pk}/hapus/").status_code == 302
    assert not CustomIndicator.objects.exists()
    assert page.get(f"/rencana/indikator/{made.pk}/hapus/").status_code == 405


MANUAL = {
    "region": "18.09",
    "code": "IKM-01",
    "name": "Indeks kepuasan masyarakat",
    "manual": "1",
    "unit": "indeks",
}


def _pdf(name="bukti.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4 hasil survei kepuasan", content_type="application/pdf")


def test_a_typed_value_needs_its_evidence_and_shows_for_its_year(personas):
    admin = personas["admin_pesawaran"]
    indicator = services.custom_indicator_create(actor=admin, data=MANUAL)
    for data, evidence, field, words in [
        ({"year": "2025", "value": "82,5"}, None, "evidence", "memerlukan berkas bukti"),
        ({"year": "2025", "value": "82,5"}, _pdf("bukti.html"), "evidence", "hanya PDF, JPEG atau PNG"),
        ({"year": "2025", "value": "delapan puluh"}, _pdf(), "value", "Nilai indikator: bukan angka"),
        ({"year": "", "value": "82,5"}, _pdf(), "year", "Tahun"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.manual_value_record(actor=admin, indicator=indicator, data=data, evidence=evidence)
        assert words in " ".join(refused.value.message_dict[field]), (field, refused.value.message_dict)
    assert not indicator.values.exists()  # nothing half-saved

    services.manual_value_record(
        actor=admin, indicator=indicator, data={"year": "2025", "value": "82,5"}, evidence=_pdf()
    )
    services.manual_value_record(
        actor=admin, indicator=indicator, data={"year": "2025", "value": "84"}, evidence=_pdf()
    )
    assert list(indicator.values.values_list("year", "value")) == [(2025, 84)]  # typed again: replaced
    _w, _d, readings = indicator_values(user=admin, region="18.09", as_of=date(2025, 12, 31))
    typed = next(r for r in readings if r.indicator.code == "IKM-01")
    assert (typed.value.value, typed.indicator.unit) == (84.0, "indeks")
    _w, _d, readings = indicator_values(user=admin, region="18.09", as_of=date(2024, 12, 31))
    assert (
        next(r for r in readings if r.indicator.code == "IKM-01").value.value is None
    )  # no value typed for 2024

    page = Client()
    page.force_login(admin)
    record = indicator.values.get()
    assert page.get(f"/rencana/bukti/{record.pk}/").getvalue().startswith(b"%PDF")
    lamsel = Client()
    lamsel.force_login(personas["admin_lamsel"])
    assert lamsel.get(f"/rencana/bukti/{record.pk}/").status_code == 404
    refused = page.post(f"/rencana/indikator/{indicator.pk}/nilai/", {"year": "2026", "value": "90"})
    assert refused.status_code == 422 and "memerlukan berkas bukti" in refused.content.decode()
    computed = services.custom_indicator_create(actor=admin, data=RATIO)
    with pytest.raises(ValidationError):
        services.manual_value_record(
            actor=admin, indicator=computed, data={"year": "2025", "value": "1"}, evidence=_pdf()
        )
