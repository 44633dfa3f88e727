"""Uploads bounded: a picture's pixel count is checked before decoding, and pictures are decoded before any
transaction; documents are checked by their content (PDF, JPEG, PNG), never HTML named .pdf; a check or import
whose background task died shows as failed with its reason and can be started again."""

import io
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone, translation
from PIL import Image

from naikkelas.financing import services as financing
from naikkelas.intake import tasks
from naikkelas.intake.models import ImportUpload
from naikkelas.lifecycle import services as lifecycle
from naikkelas.lifecycle.models import VerificationVisit
from naikkelas.registry.models import Cooperative
from naikkelas.supervision import services as supervision
from tests.financing.test_financing import programme_data


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


class Watched(SimpleUploadedFile):
    """An upload that notes how many transactions (atomic blocks) were open when its pixels were read."""

    depths: list[int] = []

    def read(self, *args, **kwargs):
        Watched.depths.append(len(connection.atomic_blocks))
        return super().read(*args, **kwargs)


def test_a_picture_claiming_121_megapixels_is_refused_before_decoding(personas, businesses):
    bomb = png(11_000, 11_000)
    assert len(bomb) < 400_000  # small on disk: the header is what gives it away
    with pytest.raises(ValidationError) as exc:
        lifecycle.visit_record(
            actor=personas["petugas"],
            business=businesses["gedong"],
            data={"date": timezone.localdate().isoformat(), "outcome": "operating"},
            photos=[SimpleUploadedFile("besar.png", bomb)],
        )
    assert "megapiksel" in str(exc.value) and "besar.png" in str(exc.value)
    assert not VerificationVisit.objects.exists()


def test_photos_are_decoded_before_the_visit_transaction_opens(personas, businesses):
    Watched.depths = []
    test_depth = len(connection.atomic_blocks)  # the test's own transaction
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(out, "JPEG")
    lifecycle.visit_record(
        actor=personas["petugas"],
        business=businesses["gedong"],
        data={"date": timezone.localdate().isoformat(), "outcome": "operating"},
        photos=[Watched("warung.jpg", out.getvalue())],
    )
    assert Watched.depths and set(Watched.depths) == {test_depth}  # no transaction of the service's was open
    assert VerificationVisit.objects.get().photos.count() == 1


HTML_AS_PDF = b"<html><script>fetch('/api/v1/businesses')</script></html>"


def test_documents_are_checked_by_their_content_never_html(personas, businesses, villages):
    fund = financing.programme_create(actor=personas["admin_pesawaran"], data=programme_data())
    with pytest.raises(ValidationError) as exc:
        financing.application_submit(
            actor=personas["owner"],
            programme=fund,
            business=businesses["gedong"],
            amount="4.000.000",
            purpose="Mesin",
            files=[SimpleUploadedFile("proposal.pdf", HTML_AS_PDF)],
        )
    assert "proposal.pdf" in str(exc.value)
    ok = financing.application_submit(
        actor=personas["owner"],
        programme=fund,
        business=businesses["gedong"],
        amount="4.000.000",
        purpose="Mesin",
        files=[SimpleUploadedFile("proposal.pdf", b"%PDF-1.7\n...")],
    )
    assert ok.attachments.count() == 1
    coop = Cooperative.objects.create(name="KSP Uji", type="simpan_pinjam", village=villages["gedong"])
    with pytest.raises(ValidationError):
        supervision.meeting_record(
            actor=personas["admin_pesawaran"],
            cooperative=coop,
            data={"book_year": 2025, "held_on": "2026-03-15"},
            files={"minutes": SimpleUploadedFile("notulen.pdf", HTML_AS_PDF)},
        )
    with pytest.raises(ValidationError):  # a PNG named .pdf is not a PDF either
        supervision.meeting_record(
            actor=personas["admin_pesawaran"],
            cooperative=coop,
            data={"book_year": 2025, "held_on": "2026-03-15"},
            files={"minutes": SimpleUploadedFile("notulen.pdf", png(4, 4))},
        )


def test_a_check_whose_worker_died_shows_as_failed_and_can_be_started_again(personas, tmp_path):
    from tests.intake.files import ROWS, office_workbook

    client = Client()
    client.force_login(personas["admin_pesawaran"])
    with office_workbook(tmp_path / "umkm.xlsx", ROWS).open("rb") as f:
        client.post("/impor/", {"file": f, "kind": "businesses"})
    upload = ImportUpload.objects.get()
    start = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(start, tick=False):
        # The worker took the check and then died: the upload says "checking", and its progress stops.
        ImportUpload.objects.filter(pk=upload.pk).update(status="checking")
        tasks.cache.set(
            tasks.progress_key(upload.pk),
            {"rows": 0, "fraction": 0.0, "at": start.timestamp()},
            timeout=86400,
        )
        assert (
            "task-error" not in client.get(f"/impor/{upload.pk}/").content.decode()
        )  # still taken as working
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        page = client.get(f"/impor/{upload.pk}/").content.decode()
    upload.refresh_from_db()
    assert upload.status == "failed" and "30 menit" in upload.error and "task-error" in page
    client.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data UMKM"})  # started again
    upload.refresh_from_db()
    assert upload.status == "checked" and upload.check_report["created"] == 2


def test_an_import_past_its_time_limit_stops_keeps_nothing_and_can_run_again(personas, tmp_path, settings):
    from naikkelas.registry.models import Business
    from tests.intake.files import ROWS, office_workbook

    client = Client()
    client.force_login(personas["admin_pesawaran"])
    with office_workbook(tmp_path / "umkm.xlsx", ROWS).open("rb") as f:
        client.post("/impor/", {"file": f, "kind": "businesses"})
    upload = ImportUpload.objects.get()
    client.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data UMKM"})
    settings.INTAKE_TASK_MINUTES = 0  # any work is past the limit at its first progress report
    client.post(f"/impor/{upload.pk}/jalankan/")
    upload.refresh_from_db()
    assert upload.status == "failed" and "batas 0 menit" in upload.error
    assert not Business.objects.exists()  # rolled back whole
    settings.INTAKE_TASK_MINUTES = 60
    client.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data UMKM"})
    client.post(f"/impor/{upload.pk}/jalankan/")
    upload.refresh_from_db()
    assert upload.status == "done" and Business.objects.count() == 2
