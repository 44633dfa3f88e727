"""NIKs only where they are encrypted: after a whole import, search, export and undo, no plain NIK is left in
the request lines an access log writes, the logs, the audit log, media/ or any table of the database."""

import json
import logging

import pytest
from django.apps import apps
from django.test import Client

from naikkelas.core.models import AuditLog
from naikkelas.intake.models import ImportUpload
from naikkelas.registry.models import Business
from tests.intake.files import ROWS, office_workbook

NIKS = ["1809015708850001", "1809011203900002"]  # the two owners of tests.intake.files.ROWS


def _found(text: str) -> list[str]:
    squeezed = "".join(ch for ch in text if ch.isdigit() or ch.isalpha() or ch in ":/?=&")
    return [nik for nik in NIKS if nik in text or nik in squeezed]


class AccessLog:
    """Every request line, as an access log writes it (method, path and query string)."""

    def __init__(self):
        self.lines: list[str] = []

    def __call__(self, response):
        request = response.wsgi_request
        self.lines.append(f"{request.method} {request.get_full_path()}")
        for url, _status in getattr(response, "redirect_chain", []):
            self.lines.append(f"GET {url}")
        return response


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_no_plain_nik_is_left_anywhere_after_import_search_export_and_undo(personas, media, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    log = AccessLog()
    web = Client()
    web.force_login(personas["admin_pesawaran"])
    with office_workbook(tmp_path / "umkm.xlsx", ROWS).open("rb") as f:
        log(web.post("/impor/", {"file": f, "kind": "businesses"}))
    upload = ImportUpload.objects.get()
    log(web.get(f"/impor/{upload.pk}/"))
    log(web.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data UMKM"}))
    log(web.post(f"/impor/{upload.pk}/jalankan/"))
    upload.refresh_from_db()
    assert upload.status == "done" and Business.objects.count() == 2
    assert not upload.file  # the list is deleted once imported

    # Search by NIK, typed as an officer would, from the page (the form posts) and the API.
    found = log(web.post("/usaha/", {"q": "1809 0157 0885 0001"}, follow=True))
    assert "Keripik Pisang Bu Siti" in found.content.decode()
    log(web.get("/usaha/?q=1809015708850001", follow=True))  # an old bookmark is turned into a token
    hx = log(web.post("/usaha/", {"q": NIKS[1]}, HTTP_HX_REQUEST="true"))
    assert "Kopi Robusta" in hx.content.decode() and NIKS[1] not in hx["HX-Push-Url"]
    token_url = hx["HX-Push-Url"]
    log(web.get(token_url.replace("/usaha/", "/usaha/ekspor.csv")))
    from naikkelas.accounts.services import api_token_get_or_create

    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_get_or_create(user=personas['admin_pesawaran'])}")
    answer = log(api.post("/api/v1/businesses/search", {"q": NIKS[0]}, content_type="application/json"))
    assert answer.json()["count"] == 1
    log(web.post(f"/impor/{upload.pk}/batalkan/"))
    assert Business.objects.count() == 0

    assert not _found("\n".join(log.lines)), log.lines
    assert not _found("\n".join(r.getMessage() for r in caplog.records))
    assert not _found(json.dumps([[e.before, e.after, e.object_repr] for e in AuditLog.objects.all()]))
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert not [p for p in files if _found(p.read_bytes().decode("latin-1"))]
    for model in apps.get_models():
        manager = getattr(model, "all_objects", model._default_manager)
        rows = list(manager.values_list())
        assert not _found(json.dumps(rows, default=str)), model._meta.label


def test_the_tests_scanner_finds_a_nik_where_one_is(personas):
    """The scan above can fail: a NIK written into the audit log is found."""
    AuditLog.objects.create(
        action="export", object_type="x", object_id="1", after={"filters": {"q": NIKS[0]}}
    )
    assert _found(json.dumps([e.after for e in AuditLog.objects.all()])) == [NIKS[0]]
    assert _found("GET /usaha/?q=1809+0157+0885+0001") == [NIKS[0]]
