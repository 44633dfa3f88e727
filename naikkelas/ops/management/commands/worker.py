"""naikkelas worker: django-tasks' db_worker with a heartbeat that /healthz and /metrics read."""

import os
import socket
import threading

from django.db import close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from naikkelas.ops import health


def _beat_forever(name: str, every: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            health.beat(name, pid=os.getpid())
        except Exception:  # noqa: BLE001,S110 - the database is away: the next beat tries again, /healthz shows it
            pass
        finally:
            close_old_connections()
        stop.wait(every)


class Command(DbWorker):
    help = "Run background tasks (imports, checks) and beat a heartbeat every 30 s. Production runs it as a service."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--heartbeat", type=float, default=30.0, help="seconds between heartbeats")

    def handle(self, *args, **opts):
        if opts.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            super().handle(
                *args, **{k: v for k, v in opts.items() if k != "heartbeat"}
            )  # the reloader's watcher:
            return  # the child it starts runs the tasks, and beats
        stop = threading.Event()
        name = f"worker:{socket.gethostname()}:{os.getpid()}"
        thread = threading.Thread(target=_beat_forever, args=(name, opts.pop("heartbeat"), stop), daemon=True)
        thread.start()
        try:
            super().handle(*args, **opts)
        finally:
            stop.set()
