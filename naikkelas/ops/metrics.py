"""Prometheus metrics: django-prometheus counts requests and database calls; these add naikkelas's own.

Counters (import rows, login failures) are kept per process and summed across gunicorn's workers and the
background worker when PROMETHEUS_MULTIPROC_DIR names a folder they share (deploy/README.md). Gauges that are
facts of the database (the task queue, the worker's heartbeat, the last backup) are read at each scrape, so
they are right whichever process answers."""

import os

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

IMPORT_ROWS = Counter(
    "naikkelas_import_rows",
    "Rows of imported lists, by outcome (created, updated, unchanged, rejected)",
    ["outcome"],
)
LOGIN_FAILURES = Counter("naikkelas_login_failures", "Failed logins (page, phone, admin and API)")


def count_import(report) -> None:
    for outcome in ("created", "updated", "unchanged"):
        IMPORT_ROWS.labels(outcome).inc(getattr(report, outcome))
    IMPORT_ROWS.labels("rejected").inc(report.rejected.rows)


@receiver(user_login_failed)
def _login_failed(sender, **kwargs) -> None:
    LOGIN_FAILURES.inc()  # no name nor address: the count is what a monitor needs


class DatabaseFacts:
    """The queue and heartbeats as gauges, read from the database at each scrape."""

    def collect(self):
        from naikkelas.ops import health  # the health checks import the models this module must not

        facts = health.facts()
        queue = GaugeMetricFamily("naikkelas_tasks", "Background tasks by status", labels=["status"])
        for status, n in facts["tasks"].items():
            queue.add_metric([status], n)
        yield queue
        yield GaugeMetricFamily(
            "naikkelas_task_oldest_ready_seconds",
            "Age of the oldest task waiting for the worker",
            value=facts["oldest_ready_seconds"],
        )
        for name, key, text in (
            (
                "naikkelas_worker_heartbeat_age_seconds",
                "worker_age",
                "Seconds since the worker's last heartbeat",
            ),
            ("naikkelas_backup_age_seconds", "backup_age", "Seconds since the last backup finished"),
        ):
            if facts[key] is not None:
                yield GaugeMetricFamily(name, text, value=facts[key])
        yield GaugeMetricFamily(
            "naikkelas_disk_free_bytes", "Free space in the data folder", value=facts["disk_free"]
        )


def metrics(request: HttpRequest) -> HttpResponse:
    """/metrics for Prometheus; behind nginx only this machine reaches it, and NAIKKELAS_METRICS_TOKEN (when set)
    must come as a bearer token."""
    token = settings.METRICS_TOKEN
    if token and request.headers.get("Authorization", "") != f"Bearer {token}":
        return HttpResponse("token diperlukan\n", status=401, content_type="text/plain")
    if os.getenv("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    facts = CollectorRegistry()
    facts.register(DatabaseFacts())
    return HttpResponse(generate_latest(registry) + generate_latest(facts), content_type=CONTENT_TYPE_LATEST)
