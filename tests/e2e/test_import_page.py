"""An office clerk imports a messy workbook through the page, with a real background worker, and undoes it."""

import threading
from pathlib import Path

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from python_calamine import CalamineWorkbook

from naikkelas.accounts.constants import Role
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business
from tests.conftest import make_user
from tests.e2e.test_browser import SHOTS, log_in, open_menu_item
from tests.intake.files import BAD_ROW, ROWS, office_workbook

pytestmark = pytest.mark.e2e


@pytest.fixture
def worker(settings):
    """The database task backend; worker() runs django-tasks-db's worker in a thread until the queue is empty.

    Started by the test once the page shows the task waiting: a worker polling all along would hold SQLite's
    in-memory test database (shared cache, where a lock fails at once instead of waiting) against the test's
    own writes."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    threads = []

    def run():
        worker = Worker(
            queue_names=["default"],
            interval=0.2,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="e2e",
            excluded_queue_names=[],
        )
        thread = threading.Thread(target=worker.run, daemon=True)
        thread.start()
        threads.append(thread)

    yield run
    for thread in threads:
        thread.join(timeout=30)


def test_a_clerk_uploads_checks_imports_downloads_rejects_and_undoes(page, live_server, worker, tmp_path):
    make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    workbook = office_workbook(tmp_path / "Data UMKM Pesawaran 2024.xlsx", [*ROWS, BAD_ROW])
    log_in(page, live_server, "admin.pesawaran")
    open_menu_item(page, "Impor")
    page.set_input_files("input[name=file]", str(workbook))
    page.click("button:has-text('Unggah dan baca')")
    page.wait_for_selector("#preview")
    assert "Header ditemukan di baris 4" in page.inner_text("#mapping")
    assert page.locator("select[name=col_B]").input_value() == "name"
    assert "Keripik Pisang Bu Siti" in page.inner_text("#preview")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "import-mapping.png"), full_page=True)

    page.click("#check-file")  # queued for the worker: the page shows a progress bar and polls
    page.wait_for_selector("#progress progress")
    worker()
    page.wait_for_selector("#summary:has-text('Hasil pemeriksaan')")  # reloaded when the work was over
    assert page.inner_text("#n-created") == "2" and page.inner_text("#n-rejected") == "1"
    assert "tidak ada desa/kelurahan dengan nama itu" in page.inner_text("#problems")
    assert Business.objects.count() == 0

    with page.expect_download() as download:
        page.click("#rejected-xlsx")
    saved = Path(download.value.path())
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_index(0).to_python()
    assert rows[1][1] == "Warung Kosong" and rows[0][-2] == "ALASAN DITOLAK"

    page.click("#run-import")
    page.wait_for_selector("#progress progress")
    worker()
    page.wait_for_selector("#summary:has-text('Hasil impor')")
    assert page.inner_text("#n-created") == "2"
    assert Business.objects.count() == 2
    page.screenshot(path=str(SHOTS / "import-done.png"), full_page=True)

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#undo-import")
    page.wait_for_selector("#progress:has-text('Membatalkan impor')")  # in the background, as the import
    assert Business.objects.count() == 2
    worker()
    page.wait_for_selector("#undone")
    assert "Impor dibatalkan: 2 data dihapus" in page.inner_text("#undo-result")
    assert Business.objects.count() == 0
