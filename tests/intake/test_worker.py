"""The background worker (django-tasks' database backend, `naikkelas db_worker`) survives any import: a task that
raises is marked failed, a file that cannot be read fails its upload with the reason, and the worker goes on with
the next task."""

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from naikkelas.intake import tasks
from naikkelas.intake.models import ImportUpload
from naikkelas.registry.models import Business
from tests.intake.files import ROWS, office_workbook


@pytest.fixture
def lampung(transactional_db, regions_package):
    """The regions, loaded again when a browser test flushed them (transactional tests empty the database)."""
    from naikkelas.regions.models import Region
    from naikkelas.regions.services import regions_load

    if not Region.objects.filter(code="18.09.01").exists():
        regions_load(source=regions_package, only=["18"])


# Committed transactions, as in production (the worker claims each task in its own). No serialized rollback: the
# transactional tests run last and each loads what it needs, and restoring the migrations' rows after another
# transactional test's flush (which recreates content types under new ids) fails on their unique keys.
@pytest.mark.django_db(transaction=True)
def test_the_worker_goes_on_after_a_task_that_raises_or_a_file_that_breaks(
    lampung, personas, tmp_path, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = Client()
    client.force_login(personas["admin_pesawaran"])
    good, broken = (
        office_workbook(tmp_path / "umkm.xlsx", ROWS),
        office_workbook(tmp_path / "rusak.xlsx", ROWS),
    )
    for path in (broken, good):
        with path.open("rb") as f:
            client.post("/impor/", {"file": f, "kind": "businesses"})
    first, second = ImportUpload.objects.order_by("pk")
    lost = tasks.run_upload.enqueue(10**9, True)  # an upload that no longer exists: the task itself raises
    client.post(f"/impor/{first.pk}/periksa/", {"sheet": "Data UMKM"})
    client.post(f"/impor/{second.pk}/periksa/", {"sheet": "Data UMKM"})
    first.refresh_from_db()
    assert first.status == "checking"  # waiting for the worker
    # The first file is damaged after its upload (a disk error, a half-copied file): its check breaks.
    with open(first.file.path, "r+b") as f:
        f.truncate(700)

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    assert DBTaskResult.objects.get(pk=lost.id).status == TaskResultStatus.FAILED
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "failed" and "tidak dapat dibaca" in first.error
    assert second.status == "checked" and second.check_report["created"] == 2  # the worker went on
    assert not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
    client.post(f"/impor/{second.pk}/jalankan/")
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    second.refresh_from_db()
    assert second.status == "done" and Business.objects.count() == 2

    # The undo, too, runs in the worker, not in the request.
    client.post(f"/impor/{second.pk}/batalkan/")
    second.refresh_from_db()
    assert second.status == "undoing" and Business.objects.count() == 2
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    second.refresh_from_db()
    assert second.status == "done" and second.batch.undone_at is not None and Business.objects.count() == 0
