"""/healthz: what a monitor (or the IT staff with curl) needs to know the server is well, as JSON and a status
code: 200 when every check passes, 503 when one fails. Numbers only: no names, no paths, no personal data."""

import shutil
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from naikkelas.ops.models import Heartbeat


def _age(at) -> float | None:
    return None if at is None else round((timezone.now() - at).total_seconds(), 1)


def facts() -> dict:
    """The readings both /healthz and /metrics report."""
    tasks = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
    oldest = DBTaskResult.objects.ready().aggregate(at=Min("enqueued_at"))["at"]
    worker = (
        Heartbeat.objects.filter(name__startswith="worker:")
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    backup = Heartbeat.objects.filter(name="backup").values_list("at", flat=True).first()
    return {
        "tasks": {str(k).lower(): v for k, v in tasks.items()},
        "oldest_ready_seconds": _age(oldest) or 0.0,
        "worker_age": _age(worker),
        "backup_age": _age(backup),
        "disk_free": shutil.disk_usage(settings.DATA_DIR).free,
    }


def checks() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        read = facts()
    except Exception as exc:  # the database is down: that is the answer, not a traceback
        return {"database": {"ok": False, "error": type(exc).__name__}}
    result = {"database": {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}}
    worker_limit = settings.HEALTH_WORKER_SECONDS
    result["worker"] = {
        "ok": read["worker_age"] is not None and read["worker_age"] <= worker_limit,
        "last_heartbeat_seconds": read["worker_age"],
        "limit_seconds": worker_limit,
    }
    free_mb = read["disk_free"] // (1024 * 1024)
    result["disk"] = {
        "ok": free_mb >= settings.HEALTH_DISK_MB,
        "free_mb": free_mb,
        "min_mb": settings.HEALTH_DISK_MB,
    }
    pending_limit = settings.HEALTH_PENDING_MINUTES * 60
    result["tasks"] = {
        "ok": read["oldest_ready_seconds"] <= pending_limit,
        "ready": read["tasks"].get("ready", 0),
        "running": read["tasks"].get("running", 0),
        "failed": read["tasks"].get("failed", 0),
        "oldest_ready_seconds": read["oldest_ready_seconds"],
        "limit_seconds": pending_limit,
    }
    backup_hours = settings.HEALTH_BACKUP_HOURS
    age = read["backup_age"]
    result["backup"] = {
        "ok": backup_hours == 0 or (age is not None and age <= backup_hours * 3600),
        "age_hours": None if age is None else round(age / 3600, 1),
        "limit_hours": backup_hours,
    }
    return result


def healthz(request: HttpRequest) -> JsonResponse:
    result = checks()
    ok = all(check["ok"] for check in result.values())
    response = JsonResponse({"status": "ok" if ok else "fail", "checks": result}, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response


def beat(name: str, **detail) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now(), "detail": detail})
    Heartbeat.objects.filter(name__startswith="worker:", at__lt=timezone.now() - timedelta(days=1)).delete()
