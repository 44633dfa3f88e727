"""/healthz and /metrics as a monitor reads them; logs and error reports without personal data; the worker's
heartbeat from a real worker process."""

import gzip
import json
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from naikkelas.ops import health
from naikkelas.ops.models import Heartbeat
from tests.conftest import VALID_NIK_WOMAN
from tests.intake.files import ROWS, office_workbook
from tests.ops.conftest import ROOT


def _health(client=None):
    response = (client or Client()).get("/healthz")
    return response.status_code, response.json()


@pytest.fixture
def well(db):
    health.beat("worker:test:1")
    health.beat("backup")


def test_healthz_answers_200_when_all_is_well_and_503_naming_what_is_not(well, settings):
    status, body = _health()
    assert status == 200 and body["status"] == "ok"
    assert set(body["checks"]) == {"database", "worker", "disk", "tasks", "backup"}

    Heartbeat.objects.filter(name="worker:test:1").update(at=timezone.now() - timedelta(minutes=5))
    status, body = _health()
    assert status == 503 and body["status"] == "fail"
    assert not body["checks"]["worker"]["ok"] and body["checks"]["worker"]["last_heartbeat_seconds"] >= 300
    assert body["checks"]["backup"]["ok"]


def test_healthz_fails_on_an_old_backup_a_full_disk_and_a_waiting_task(well, settings):
    Heartbeat.objects.filter(name="backup").update(at=timezone.now() - timedelta(hours=30))
    assert not _health()[1]["checks"]["backup"]["ok"]
    settings.HEALTH_BACKUP_HOURS = 0  # an office that backs up otherwise turns the check off
    assert _health()[1]["checks"]["backup"]["ok"]

    settings.HEALTH_DISK_MB = 10**9
    assert not _health()[1]["checks"]["disk"]["ok"]
    settings.HEALTH_DISK_MB = 1

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from naikkelas.intake.tasks import run_upload

    result = run_upload.enqueue(1, True)
    assert _health()[0] == 200  # a task just queued is fine
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(minutes=20))
    status, body = _health()
    assert status == 503 and body["checks"]["tasks"] == {**body["checks"]["tasks"], "ok": False, "ready": 1}


def test_metrics_count_requests_logins_and_imported_rows(
    personas, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    def read() -> str:
        return Client().get("/metrics").content.decode()

    def value(text: str, name: str) -> float:
        line = next((line for line in text.splitlines() if line.startswith(name + " ")), f"{name} 0")
        return float(line.split()[-1])

    before = read()
    client.post("/masuk/", {"username": "admin.pesawaran", "password": "salah"})
    from naikkelas.intake.services import import_businesses

    with django_capture_on_commit_callbacks(execute=True):  # counted once the import is committed
        import_businesses(
            actor=personas["admin_pesawaran"], path=office_workbook(tmp_path / "u.xlsx", rows=ROWS)
        )
    after = read()
    assert (
        value(after, "naikkelas_login_failures_total") == value(before, "naikkelas_login_failures_total") + 1
    )
    created = 'naikkelas_import_rows_total{outcome="created"}'
    assert value(after, created) >= value(before, created) + 2
    assert "django_http_requests_total_by_method_total" in after
    assert "admin.pesawaran" not in after and VALID_NIK_WOMAN not in after

    settings.METRICS_TOKEN = "rahasia-monitor"
    assert Client().get("/metrics").status_code == 401
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer rahasia-monitor").status_code == 200


LOGGING_SCRIPT = f"""
import logging, django
django.setup()
logging.getLogger("naikkelas.test").warning("impor baris 7: NIK %s ditolak", "{VALID_NIK_WOMAN}")
logging.getLogger("naikkelas.test").warning("NIK {VALID_NIK_WOMAN[:4]} {VALID_NIK_WOMAN[4:]} di pesan")
"""


def test_json_logs_are_one_object_per_line_with_niks_masked(tmp_path):
    env = {"DEBUG": "1", "NAIKKELAS_LOG_FORMAT": "json", "NAIKKELAS_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "naikkelas.settings", "PATH": "/usr/bin:/bin"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", LOGGING_SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True
    )
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert len(lines) == 2 and {"time", "level", "logger", "message"} <= set(lines[0])
    assert lines[0]["message"] == "impor baris 7: NIK 1809xxxxxxxx0001 ditolak"
    assert VALID_NIK_WOMAN not in done.stderr and VALID_NIK_WOMAN[4:] not in done.stderr

    env["NAIKKELAS_LOG_FORMAT"] = "xml"
    wrong = subprocess.run(
        [sys.executable, "-c", LOGGING_SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert wrong.returncode != 0 and "NAIKKELAS_LOG_FORMAT must be text or json" in wrong.stderr


SENTRY_SCRIPT = f"""
import django, sentry_sdk
django.setup()
try:
    raise ValueError("NIK {VALID_NIK_WOMAN} tidak cocok")
except ValueError as exc:
    sentry_sdk.capture_exception(exc)
sentry_sdk.flush(5)
"""


def test_errors_go_to_sentry_only_with_a_dsn_and_without_niks(tmp_path):
    received = []

    class Sentry(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the standard library's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "br":
                body = __import__("brotli").decompress(body)
            elif encoding == "gzip":
                body = gzip.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Sentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {"DEBUG": "1", "NAIKKELAS_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "naikkelas.settings",
           "PATH": "/usr/bin:/bin"}  # fmt: skip
    try:
        subprocess.run([sys.executable, "-c", SENTRY_SCRIPT], env=env, cwd=ROOT, check=True, timeout=60)
        assert received == []  # no DSN: nothing sent anywhere
        dsn = f"http://kunci@127.0.0.1:{server.server_port}/1"
        env["NAIKKELAS_SENTRY_DSN"] = dsn
        subprocess.run([sys.executable, "-c", SENTRY_SCRIPT], env=env, cwd=ROOT, check=True, timeout=60)
    finally:
        server.shutdown()
    body = b"".join(received)
    assert b"tidak cocok" in body and b"1809xxxxxxxx0001" in body
    assert VALID_NIK_WOMAN.encode() not in body


@pytest.mark.slow
def test_the_worker_process_beats_and_stops_cleanly(new_server):
    server = new_server("worker")
    server.run("migrate", "-v0")
    worker = subprocess.Popen(
        # As in production (DEBUG off there): no code reloader, so the process started is the one that beats.
        [
            sys.executable,
            "-m",
            "naikkelas.cli",
            "worker",
            "--no-reload",
            "--interval",
            "0.5",
            "--heartbeat",
            "0.5",
        ],
        env=server.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        beats = []
        for _ in range(60):
            beats = server.python(
                "import json; from naikkelas.ops.models import Heartbeat\n"
                "print(json.dumps([h.name for h in Heartbeat.objects.filter(name__startswith='worker:')]))"
            )
            if beats:
                break
            time.sleep(0.5)
        assert beats == [f"worker:{__import__('socket').gethostname()}:{worker.pid}"]
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        worker.kill()
