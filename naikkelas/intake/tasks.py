"""Imports from the web page run here, as background tasks (django-tasks; `naikkelas worker` runs them)."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task
from django_tasks.base import TaskResultStatus

from naikkelas.accounts.models import User
from naikkelas.core.uploads import local_path
from naikkelas.intake.duplicates import run_search
from naikkelas.intake.models import ImportBatch, ImportUpload, UploadStatus
from naikkelas.intake.reader import ReadError
from naikkelas.intake.services import (
    KINDS,
    ImportRefused,
    _import,
    problems_save,
    undo_batch,
    upload_file_delete,
)

log = logging.getLogger(__name__)


def progress_key(upload_id: int) -> str:
    return f"intake:progress:{upload_id}"


def progress_of(upload_id: int, now: float | None = None) -> dict:
    """Rows read and the fraction of the file, with the pace (rows a second) and the time left once measurable."""
    found = cache.get(progress_key(upload_id)) or {"rows": 0, "fraction": 0.0}
    started, fraction = found.get("started"), found.get("fraction") or 0.0
    if started and found.get("rows") and 0 < fraction < 1:
        elapsed = max((now or time.time()) - started, 0.001)
        found = {**found, "rate": round(found["rows"] / elapsed),
                 "left": round(elapsed * (1 - fraction) / fraction)}  # fmt: skip
    return found


class ImportTimedOut(Exception):
    """A check or import that ran past INTAKE_TASK_MINUTES."""


TIME_LIMIT = gettext_lazy(
    "The work ran past its limit of %(minutes)d minutes (after %(rows)d rows) and was stopped; nothing was saved. "
    "Split the file, or ask the administrator to raise NAIKKELAS_INTAKE_TASK_MINUTES."
)


def _progress(upload_id: int) -> Callable[[int, float], None]:
    """The work's progress reporter: rows done and the fraction, kept in the cache for the page's bar; past
    INTAKE_TASK_MINUTES it raises ImportTimedOut, which stops the work: its transaction rolls back, nothing is kept."""
    key = progress_key(upload_id)
    started = time.time()
    cache.set(key, {"rows": 0, "fraction": 0.0, "at": started, "started": started}, timeout=86400)
    deadline = time.monotonic() + settings.INTAKE_TASK_MINUTES * 60

    def progress(rows: int, fraction: float) -> None:
        cache.set(key, {"rows": rows, "fraction": round(min(fraction, 1.0), 4), "at": time.time(),
                        "started": started}, timeout=86400)  # fmt: skip
        if time.monotonic() > deadline:
            raise ImportTimedOut(str(TIME_LIMIT) % {"minutes": settings.INTAKE_TASK_MINUTES, "rows": rows})

    return progress


@task()
def run_upload(upload_id: int, dry_run: bool) -> dict:
    """Check (dry_run) or import an uploaded file; the outcome is kept on the upload, the progress in the cache."""
    upload = ImportUpload.objects.select_related("actor").get(pk=upload_id)
    key = progress_key(upload_id)
    progress = _progress(upload_id)

    with translation.override(
        settings.LANGUAGE_CODE
    ):  # reasons are kept in Indonesian, as the command writes
        try:
            report = _import(
                KINDS[upload.kind],
                actor=upload.actor,
                path=local_path(upload.file),
                sheet=upload.sheet or None,
                mapping=upload.mapping or None,
                region_code=upload.region_code,
                dry_run=dry_run,
                file_label=upload.original_name,
                progress=progress,
            )
        except (ReadError, ImportRefused, PermissionDenied, ImportTimedOut) as exc:
            upload.status, upload.error = UploadStatus.FAILED, str(exc)
        except Exception as exc:
            log.exception("import of upload %s failed", upload_id)
            upload.status = UploadStatus.FAILED
            upload.error = _(
                "The import stopped because of an error in naikkelas (%(error)s); nothing was saved. Check the "
                "file again to start over."
            ) % {"error": type(exc).__name__}
        else:
            upload.error = ""
            upload.check_report = report.as_dict()
            problems_save(upload, report)
            if dry_run:
                upload.status = UploadStatus.CHECKED
            else:
                upload.status = UploadStatus.DONE
                upload.batch = ImportBatch.objects.get(pk=report.batch_id)
    cache.set(key, {"rows": progress_of(upload_id)["rows"], "fraction": 1.0}, timeout=86400)
    upload.save(update_fields=["status", "error", "check_report", "batch", "problems"])
    if upload.status == UploadStatus.DONE:
        upload_file_delete(upload)  # the list's NIKs are in the registry now, encrypted; the file goes
    return {"status": upload.status}


UNDO_FAILED = gettext_lazy("The import was not undone: %(reason)s")


@task()
def run_undo(upload_id: int, actor_id: int) -> dict:
    """Undo an upload's import for the user who asked (the service checks their area and role again). It runs
    in one transaction: stopped or refused, nothing is undone and the upload is back to "imported"."""
    upload = ImportUpload.objects.select_related("batch").get(pk=upload_id)
    actor = User.objects.get(pk=actor_id)
    key = progress_key(upload_id)
    progress = _progress(upload_id)

    report = dict(upload.check_report or {})
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                summary = undo_batch(actor=actor, batch=upload.batch, progress=progress)
        except (ValidationError, PermissionDenied, ImportTimedOut) as exc:
            reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            upload.error = str(UNDO_FAILED) % {"reason": reason}
        except Exception as exc:
            log.exception("undo of upload %s failed", upload_id)
            upload.error = str(UNDO_FAILED) % {"reason": _("an error in naikkelas (%(error)s)") % {
                "error": type(exc).__name__}}  # fmt: skip
        else:
            upload.error = ""
            report["undo"] = summary
    upload.status, upload.check_report = UploadStatus.DONE, report
    cache.set(key, {"rows": progress_of(upload_id)["rows"], "fraction": 1.0}, timeout=86400)
    upload.save(update_fields=["status", "error", "check_report"])
    if not upload.error:
        upload_file_delete(upload)
    return {"status": upload.status, **report.get("undo", {})}


@task()
def run_dedupe(actor_id: int, region_code: str, threshold: float) -> dict:
    """The duplicate search started from the review page."""

    logging.getLogger("splink").setLevel(logging.ERROR)
    run = run_search(actor=User.objects.get(pk=actor_id), region_code=region_code, threshold=threshold)
    return {"run": run.pk, "records": run.records, "clusters": run.clusters}


TASK_DIED = gettext_lazy(
    "The background work stopped with an error (%(error)s); nothing was saved. Check the file again to start over."
)
TASK_STALLED = gettext_lazy(
    "The background work gave no sign of progress for %(minutes)d minutes and was stopped; nothing was saved. "
    "Check the file again to start over."
)
UNDO_DIED = gettext_lazy(
    "The undo stopped with an error (%(error)s); nothing was undone and the import stands. Try again."
)
UNDO_STALLED = gettext_lazy(
    "The undo gave no sign of progress for %(minutes)d minutes and was stopped; nothing was undone and the "
    "import stands. Try again."
)


def upload_settle(upload: ImportUpload) -> ImportUpload:
    """An upload whose check or import died (the worker stopped, the task failed after its own error handling,
    or nothing moved for INTAKE_STALL_MINUTES) is marked failed, with the reason, so it can be started again.
    Its import ran in one transaction, so a dead task left nothing half-written."""
    running = (UploadStatus.CHECKING, UploadStatus.IMPORTING, UploadStatus.UNDOING)
    if upload.status not in running:
        return upload
    error = ""
    undoing = upload.status == UploadStatus.UNDOING
    if upload.task_id:
        try:
            result = (run_undo if undoing else run_upload).get_result(upload.task_id)
        except Exception:  # noqa: BLE001 - a backend that keeps no results (the immediate one) or a lost row
            result = None
        if result is not None and result.status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL):
            upload.refresh_from_db()
            if upload.status not in running:
                return upload  # it finished and said so
            name = result.errors[-1].exception_class_path.rsplit(".", 1)[-1] if result.errors else "?"
            error = str(UNDO_DIED if undoing else TASK_DIED) % {"error": name}
    seen = progress_of(upload.pk).get("at") or upload.created_at.timestamp()
    stall = settings.INTAKE_STALL_MINUTES * 60
    if not error and time.time() - seen > stall:
        error = str(UNDO_STALLED if undoing else TASK_STALLED) % {"minutes": settings.INTAKE_STALL_MINUTES}
    if error:
        # An undo runs in one transaction: the import stands, as before it was asked.
        changed = ImportUpload.objects.filter(pk=upload.pk, status__in=running).update(
            status=UploadStatus.DONE if undoing else UploadStatus.FAILED, error=error
        )
        if changed:
            log.warning("upload %s marked failed: %s", upload.pk, error)
        upload.refresh_from_db()
    return upload
