"""gunicorn settings for naikkelas (deploy/naikkelas-web.service: gunicorn -c deploy/gunicorn.conf.py).

Every value can be changed in /etc/naikkelas/naikkelas.env through GUNICORN_CMD_ARGS, e.g. "--workers 8"."""

import os
from pathlib import Path

bind = os.getenv("NAIKKELAS_BIND", "127.0.0.1:8000")
workers = int(os.getenv("NAIKKELAS_WEB_WORKERS", str(2 * (os.cpu_count() or 1))))
timeout = 120  # above the slowest export (a province's XLSX)
graceful_timeout = 30
max_requests = 2000  # a worker is renewed now and then: memory stays flat over months
max_requests_jitter = 200
forwarded_allow_ips = "127.0.0.1,::1"  # nginx on this machine sets X-Forwarded-Proto
accesslog = "-"
# The path without its query string (a search can hold a name), the status, size and time: no personal data.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


def _metrics_dir() -> Path | None:
    folder = os.getenv("PROMETHEUS_MULTIPROC_DIR")
    return Path(folder) if folder else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def on_starting(server):
    """Forget the metrics files of processes that are gone (a restart); the worker's live ones stay."""
    folder = _metrics_dir()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            path.unlink(missing_ok=True)


def child_exit(server, worker):
    if _metrics_dir() is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
