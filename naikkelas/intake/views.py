"""The import page: upload → detected sheet, header and columns (editable) → check → import → undo.

Checking and importing run as background tasks (intake.tasks); the page polls their progress with htmx.
"""

import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import scoped
from naikkelas.core import personal
from naikkelas.core.audit import export_record
from naikkelas.core.exports import xlsx_response
from naikkelas.core.uploads import local_path
from naikkelas.dashboard.selectors import can_see_dashboard, region_asked
from naikkelas.intake import duplicates, merge, models, quality, review, selectors, services, tasks
from naikkelas.intake.columns import FIELD_LABELS
from naikkelas.intake.models import DuplicateRun, ImportUpload, PersonMerge, RecordKind, UploadStatus
from naikkelas.intake.problems import KIND_REJECTED, KIND_WARNING, by_row, read_problem_file
from naikkelas.intake.reader import CORRUPT, ReadError, read_table
from naikkelas.registry.services import CANNOT_CREATE, CANNOT_EDIT, can_view_nik

log = logging.getLogger(__name__)
RUNNING = (UploadStatus.CHECKING, UploadStatus.IMPORTING, UploadStatus.UNDOING)
FILE_GONE = gettext_lazy(
    "The uploaded file has been deleted: an imported (or old) list is not kept, as it holds people's NIKs. "
    "The reasons for rejected rows are listed on this page."
)


def _require_importer(user) -> None:
    permissions.require_rule(user, "create_records", CANNOT_CREATE)


@login_required
def import_home(request: HttpRequest):
    _require_importer(request.user)
    regencies = selectors.regencies_for(request.user)
    error = ""
    if request.method == "POST":
        region_code = request.POST.get("region") or (regencies[0].code if len(regencies) == 1 else "")
        try:
            upload = services.upload_receive(actor=request.user, file=request.FILES.get("file"),
                                             kind=request.POST.get("kind"), region_code=region_code)  # fmt: skip
        except ValidationError as err:
            error = " ".join(err.messages)
        else:
            return redirect("intake:upload", pk=upload.pk)
    return render(
        request,
        "intake/import_home.html",
        {
            "regencies": regencies,
            "error": error,
            "uploads": selectors.uploads_for(request.user)[:20],
            "max_mb": settings.INTAKE_MAX_MB,
            "kinds": [("businesses", _("Businesses (UMKM)")), ("cooperatives", _("Cooperatives"))],
        },
        status=400 if error else 200,
    )


def _upload(request, pk: int) -> ImportUpload:
    _require_importer(request.user)
    upload = selectors.uploads_for(request.user).filter(pk=pk).first()
    if upload is None:
        raise Http404
    return upload


@login_required
def upload_detail(request: HttpRequest, pk: int):
    upload = tasks.upload_settle(_upload(request, pk))
    running = upload.status in RUNNING
    context = {"upload": upload, "running": running, "progress": tasks.progress_of(upload.pk)}
    if not running and upload.status != UploadStatus.DONE:  # the columns can still be chosen: read the file
        context.update(_preview_context(upload))
    report = upload.check_report or {}
    context["report"] = report
    if upload.batch and upload.batch.undone_at and report.get("undo"):
        context["undo_message"] = (
            _("Import undone: %(deleted)d records removed, %(restored)d restored to their earlier values.")
            % report["undo"]
        )
    context["problems"] = (report.get("rejected") or [])[:50]
    context["rejected_total"] = report.get("rejected_total", len(report.get("rejected") or []))
    # Rows not imported, as many as the rejected-rows file holds (a row may have several problems).
    context["rejected_rows"] = report.get(
        "rejected_rows", len({p.get("row") for p in report.get("rejected") or []})
    )
    context["warnings_total"] = report.get("warnings_total", len(report.get("warnings") or []))
    context["warnings"] = (report.get("warnings") or [])[:50]
    return render(request, "intake/upload_detail.html", context)


def _shown(cell):
    """A cell as the spreadsheet shows it: Excel keeps every number as a float, and 1.0 is shown as 1."""
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return int(cell)
    return cell


def _preview_context(upload: ImportUpload) -> dict:
    if not upload.file:
        return {"preview_error": str(FILE_GONE)}
    try:
        table, first_rows = services.preview(
            path=local_path(upload.file),
            kind=upload.kind,
            sheet=upload.sheet or None,
            mapping=upload.mapping,
            file_label=upload.original_name,
        )
    except (ReadError, services.ImportRefused) as exc:
        return {"preview_error": str(exc)}
    except Exception:  # noqa: BLE001 - the page still opens, and says the file cannot be shown
        log.exception("preview of upload %s failed", upload.pk)
        return {"preview_error": str(CORRUPT)}
    columns = [
        {"index": i, "letter": services.column_letter(i), "header": h, "field": table.mapping.get(i, "")}
        for i, h in enumerate(table.headers)
    ]
    # The preview is for choosing columns: NIKs in it are masked (the full ones are imported, never shown).
    first_rows = [
        (row, [_shown(c) for c in personal.mask_nik_runs(list(cells))]) for row, cells in first_rows
    ]
    return {
        "table": table,
        "first_rows": first_rows,
        "columns": columns,
        "fields": list(FIELD_LABELS[upload.kind].items()),
    }


def _start(upload: ImportUpload, dry_run: bool) -> None:
    upload.status = UploadStatus.CHECKING if dry_run else UploadStatus.IMPORTING
    upload.error = ""
    upload.save(update_fields=["status", "error", "sheet", "mapping"])
    result = tasks.run_upload.enqueue(upload.pk, dry_run)
    ImportUpload.objects.filter(pk=upload.pk).update(task_id=str(result.id))


@login_required
@require_POST
def upload_check(request: HttpRequest, pk: int):
    """Save the chosen sheet and column mapping, then check the whole file (a dry run) in the background."""
    upload = _upload(request, pk)
    if upload.status in (*RUNNING, UploadStatus.DONE):
        return redirect("intake:upload", pk=upload.pk)
    sheet = request.POST.get("sheet", "")
    if sheet != upload.sheet:  # another sheet: its columns are read afresh
        upload.sheet, upload.mapping = sheet, {}
    else:
        labels = FIELD_LABELS[upload.kind]
        upload.mapping = {
            key.removeprefix("col_"): value
            for key, value in request.POST.items()
            if key.startswith("col_") and (value in labels or value == "")
        }
    if "preview" in request.POST:  # only show the file again with the new choices
        upload.save(update_fields=["sheet", "mapping"])
        return redirect("intake:upload", pk=upload.pk)
    _start(upload, dry_run=True)
    return redirect("intake:upload", pk=upload.pk)


@login_required
@require_POST
def upload_run(request: HttpRequest, pk: int):
    upload = _upload(request, pk)
    if upload.status != UploadStatus.CHECKED:
        messages.error(request, _("Check the file before importing it."))
        return redirect("intake:upload", pk=upload.pk)
    _start(upload, dry_run=False)
    return redirect("intake:upload", pk=upload.pk)


@login_required
def upload_progress(request: HttpRequest, pk: int):
    """The progress bar, polled by the page; when the work is over the page reloads to show the outcome."""
    upload = tasks.upload_settle(_upload(request, pk))
    if upload.status not in RUNNING:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request, "intake/_progress.html", {"upload": upload, "progress": tasks.progress_of(upload.pk)}
    )


def _all_problems(upload: ImportUpload) -> Iterator[dict]:
    """Every problem of the upload's last check or import, by row: its problem file, or (an upload from before
    problem files, or a file lost) the first ones kept in its report."""
    if upload.problems:
        try:
            with upload.problems.open("rb") as fp:
                yield from read_problem_file(fp)
            return
        except (OSError, EOFError, ValueError):
            log.warning("problem file of upload %s unreadable; using the report's first problems", upload.pk)
    report = upload.check_report or {}
    kept = [{"kind": KIND_REJECTED, **p} for p in report.get("rejected") or []]
    kept += [{"kind": KIND_WARNING, **p} for p in report.get("warnings") or []]
    yield from sorted(kept, key=lambda p: (p["kind"] != KIND_REJECTED, p.get("row") or 0))


def _audit_export(request, upload: ImportUpload, export: str, rows: int) -> None:
    # Rows as typed (NIKs included for those who may see them), or their values: audited as any export.
    export_record(actor=request.user, export=export, obj=upload, region_code=upload.region_code, rows=rows,
                  nik=can_view_nik(request.user))  # fmt: skip


@login_required
def upload_rejected(request: HttpRequest, pk: int):
    """The rejected rows as they were in the file, with the reason in a last column: fix them, upload again.
    The file and the problem list are both in row order, and are walked side by side (any number of rows)."""
    upload = _upload(request, pk)
    if not upload.file:
        messages.error(request, str(FILE_GONE))
        return redirect("intake:upload", pk=upload.pk)
    try:
        table = read_table(local_path(upload.file), sheet=upload.sheet or None, kind=upload.kind, stream=True)
    except ReadError as exc:
        messages.error(request, str(exc))
        return redirect("intake:upload", pk=upload.pk)
    rejected = by_row(p for p in _all_problems(upload) if p.get("kind") == KIND_REJECTED)
    written = [0]
    masked = not can_view_nik(request.user)  # rows to fix keep their NIKs only for those who may see them

    def rows():
        due = next(rejected, None)
        for excel_row, cells in table.rows:
            while due is not None and due[0] < excel_row:
                due = next(rejected, None)
            if due is None:
                return
            if due[0] == excel_row:
                reason = "; ".join(f"{p['column']}: {p['reason']}" for p in due[1])
                written[0] += 1
                row = [*cells, reason, excel_row]
                yield personal.mask_nik_runs(row) if masked else row

    header = [*table.headers, _("REASON REJECTED"), _("ROW IN FILE")]
    response = xlsx_response(f"{Path(upload.original_name).stem}-ditolak.xlsx", header, rows())
    _audit_export(request, upload, "rejected_rows", written[0])
    return response


@login_required
def upload_problems(request: HttpRequest, pk: int):
    """Every problem of the last check or import (the page shows the first ones), values masked as on the page:
    kept after the uploaded file itself is deleted."""
    upload = _upload(request, pk)
    kinds = {KIND_REJECTED: _("rejected"), KIND_WARNING: _("warning")}
    written = [0]

    def rows():
        for p in _all_problems(upload):
            written[0] += 1
            yield [
                kinds.get(p.get("kind"), ""),
                p.get("row"),
                p.get("column"),
                p.get("value"),
                p.get("reason"),
            ]

    header = [_("KIND"), _("ROW"), _("COLUMN"), _("VALUE"), _("REASON")]
    response = xlsx_response(f"{Path(upload.original_name).stem}-masalah.xlsx", header, rows())
    _audit_export(request, upload, "problems", written[0])
    return response


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    """To the filtered review page the decision came from (a foreign address is ignored)."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("intake:duplicates")


def _decision(write, done):
    """A POST view for one decision on a group or a merge: the write, its message, back to the queue."""

    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        try:
            result = write(request, pk)
        except ValidationError as err:
            messages.error(request, " ".join(m for ms in err.message_dict.values() for m in ms))
        else:
            messages.success(request, done(result) if callable(done) else done)
        return _back_to_queue(request)

    return view


def _cluster(request: HttpRequest, pk: int):

    return get_object_or_404(review.open_clusters(user=request.user), pk=pk)


def _search(request: HttpRequest, _pk=None):

    region = (request.POST.get("region") or request.user.region_id or "").strip()
    threshold = duplicates.check_search(request.user, region, request.POST.get("threshold") or "0.9")
    tasks.run_dedupe.enqueue(request.user.pk, region, float(threshold))


def _merge(request: HttpRequest, pk: int):

    cluster = _cluster(request, pk)
    return merge.cluster_merge(actor=request.user, cluster=cluster, keep=request.POST,
                               survivor_id=int(request.POST.get("survivor") or 0))  # fmt: skip


def _not_same(request: HttpRequest, pk: int):

    return duplicates.cluster_not_same(actor=request.user, cluster=_cluster(request, pk))


def _skip(request: HttpRequest, pk: int):

    return duplicates.cluster_skip(actor=request.user, cluster=_cluster(request, pk))


def _undo(model_name: str):
    def write(request: HttpRequest, pk: int):

        model = getattr(models, model_name)
        found = get_object_or_404(scoped(model.objects.filter(undone_at=None), request.user), pk=pk)
        undo = merge.person_merge_undo if model is models.PersonMerge else merge.merge_undo
        return undo(actor=request.user, merge=found)

    return write


def _merged(result) -> str:

    return _("Merged into one person.") if isinstance(result, PersonMerge) else _("Merged into one business.")


@require_POST
@login_required
def duplicates_search(request: HttpRequest) -> HttpResponse:
    try:
        _search(request)
    except ValidationError as err:
        messages.error(request, " ".join(m for ms in err.message_dict.values() for m in ms))
    else:
        messages.success(
            request, _("The search for duplicates has started; the groups appear here when it ends.")
        )
    return _back_to_queue(request)


cluster_merge = _decision(_merge, _merged)
cluster_not_same = _decision(
    _not_same, gettext_lazy("Remembered: these will not be proposed together again.")
)
cluster_skip = _decision(_skip, gettext_lazy("Skipped."))
merge_undo = _decision(_undo("Merge"), gettext_lazy("Merge undone: the records are separate again."))
person_merge_undo = _decision(
    _undo("PersonMerge"), gettext_lazy("Merge undone: the records are separate again.")
)


@login_required
@require_POST
def batch_undo(request: HttpRequest, pk: int):
    """Undo the upload's import in the background worker (a province's million rows take minutes); the page
    shows its progress, then the outcome. Who may not undo it is told at once (the task checks again)."""
    upload = _upload(request, pk)
    if upload.batch is None:
        raise Http404
    if upload.status != UploadStatus.DONE or upload.batch.undone_at:
        return redirect("intake:upload", pk=upload.pk)
    if not services.can_undo(request.user, upload.batch):
        messages.error(request, str(CANNOT_EDIT))
        return redirect("intake:upload", pk=upload.pk)
    changed = ImportUpload.objects.filter(pk=upload.pk, status=UploadStatus.DONE).update(
        status=UploadStatus.UNDOING, error=""
    )
    if changed:  # a second click while it runs starts nothing
        result = tasks.run_undo.enqueue(upload.pk, request.user.pk)
        ImportUpload.objects.filter(pk=upload.pk).update(task_id=str(result.id))
    return redirect("intake:upload", pk=upload.pk)


@login_required
def duplicates_queue(request: HttpRequest) -> HttpResponse:
    """Groups of likely duplicates to review: merge (choosing each field's value), not the same, or skip; the
    search itself runs in the background. Each decision posts to its own address."""

    if not duplicates.can_dedupe(request.user):
        raise PermissionDenied(str(duplicates.NOT_ALLOWED))
    kind, q = request.GET.get("kind", ""), request.GET.get("q", "").strip()
    page = Paginator(review.open_clusters(user=request.user, kind=kind, q=q), 10).get_page(
        request.GET.get("page")
    )
    groups = [(c, *review.rows_for(c)) for c in page.object_list]
    return render(
        request,
        "intake/duplicates.html",
        {
            "page": page,
            "groups": groups,
            "merges": review.recent_merges(user=request.user),
            "last_run": scoped(DuplicateRun.objects.exclude(finished_at=None), request.user).first(),
            "default_region": request.user.region_id or "",
            "kind": kind,
            "q": q,
            "kinds": RecordKind.choices,
            "filters": urlencode({k: v for k, v in (("kind", kind), ("q", q)) if v}),
        },
    )


@login_required
def data_quality(request: HttpRequest) -> HttpResponse:
    """Data quality per region below the one shown and per source, each gap a link to the records to fix (the
    business list filtered by it: an officer's district filtered so is their worklist); as XLSX too."""
    if not can_see_dashboard(request.user):
        raise PermissionDenied(str(CANNOT_CREATE))
    code, area = region_asked(user=request.user, code=request.GET.get("region", ""))
    today = timezone.localdate()
    rows, sources = quality.for_area(request.user, code, today)
    if request.path.endswith(".xlsx"):
        export_record(actor=request.user, export="data_quality", region_code=code)
        header, lines = quality.table([*rows, *sources])
        return xlsx_response("kualitas-data.xlsx", header, lines)
    return render(request, "intake/quality.html", {
        "area": area, "rows": rows, "sources": sources, "gaps": quality.GAPS,
        "can_go_up": code != (request.user.region_id or ""),
        "today": today, "window": settings.FUNNEL_WINDOW_DAYS,
    })  # fmt: skip
