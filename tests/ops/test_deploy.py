"""The files in deploy/ as an office's server would take them: systemd verifies the units, nginx accepts the site,
gunicorn its configuration, and the environment file names every setting the app reads."""

import datetime
import os
import re
import shutil
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.ops.conftest import ROOT

DEPLOY = ROOT / "deploy"
UNITS = [
    "naikkelas-web.service",
    "naikkelas-worker.service",
    "naikkelas-backup.service",
    "naikkelas-backup.timer",
]


def _tool(name: str) -> str:
    path = shutil.which(name) or (f"/usr/sbin/{name}" if os.path.exists(f"/usr/sbin/{name}") else None)
    if path is None:
        if os.getenv("CI"):
            pytest.fail(f"{name} is missing: .ci/run installs it")
        pytest.skip(f"{name} is not installed")
    return path


def _here(text: str) -> str:
    """The unit as installed from this checkout: its programs are the ones in this virtualenv."""
    return text.replace("/opt/naikkelas/.venv/bin/", str(ROOT / ".venv" / "bin") + "/").replace(
        "/opt/naikkelas", str(ROOT)
    )


def test_systemd_verifies_the_units(tmp_path):
    analyze = _tool("systemd-analyze")
    for name in UNITS:
        (tmp_path / name).write_text(_here((DEPLOY / name).read_text()))
    done = subprocess.run(
        [analyze, "verify", *(str(tmp_path / n) for n in UNITS)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "naikkelas" not in done.stderr, done.stderr  # no warning about our units either

    # The check can fail: a unit whose program is not there is refused.
    broken = tmp_path / "naikkelas-worker.service"
    broken.write_text(broken.read_text().replace("/bin/naikkelas worker", "/bin/naikkelas-tidak-ada worker"))
    assert subprocess.run([analyze, "verify", str(broken)], capture_output=True).returncode != 0


def test_the_units_run_unprivileged_restart_on_failure_and_are_hardened():
    for name in ("naikkelas-web.service", "naikkelas-worker.service"):
        unit = (DEPLOY / name).read_text()
        for line in ("User=naikkelas", "Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict",
                     "EnvironmentFile=/etc/naikkelas/naikkelas.env", "ReadWritePaths=/var/lib/naikkelas"):  # fmt: skip
            assert line in unit, (name, line)
    assert "naikkelas worker" in (DEPLOY / "naikkelas-worker.service").read_text()


def _self_signed(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "umkm.example.go.id")])
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    (folder / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


def _nginx_test(tmp_path, site: str) -> subprocess.CompletedProcess:
    nginx = _tool("nginx")
    _self_signed(tmp_path)
    site = site.replace("/etc/letsencrypt/live/umkm.example.go.id", str(tmp_path))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path};\n  include {tmp_path}/site.conf;\n}}\n"
    )
    return subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)


def test_nginx_accepts_the_site(tmp_path):
    site = (DEPLOY / "nginx" / "naikkelas.conf").read_text()
    done = _nginx_test(tmp_path, site)
    assert done.returncode == 0, done.stderr
    assert "client_max_body_size 301m" in site  # NAIKKELAS_INTAKE_MAX_MB (300) and the form around the file
    assert "location /media/ { return 404; }" in site  # uploads go through the app's checks only
    assert "X-Content-Type-Options" in site and "ssl_protocols TLSv1.2 TLSv1.3" in site
    bad = _nginx_test(
        tmp_path, site.replace("client_max_body_size 301m;", "client_max_body_size lima-puluh;")
    )
    assert bad.returncode != 0


def test_gunicorn_accepts_its_configuration(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "1",
        "NAIKKELAS_DATA_DIR": str(tmp_path),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", str(DEPLOY / "gunicorn.conf.py"),
         "naikkelas.wsgi:application"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def _variables(text: str) -> set[str]:
    return set(re.findall(r"(?:os\.getenv|envbool|envint|envlist)\(\s*\"([A-Z_]+)\"", text, flags=re.S))


def test_the_environment_file_names_every_setting_the_app_reads():
    read = _variables((ROOT / "naikkelas" / "settings.py").read_text())
    read |= _variables((DEPLOY / "gunicorn.conf.py").read_text())
    assert {
        "SECRET_KEY",
        "NAIKKELAS_SECRET",
        "DATABASE_URL",
        "NAIKKELAS_EMAIL_BACKEND",
    } <= read  # the reader works
    template = (DEPLOY / "naikkelas.env.example").read_text()
    named = set(re.findall(r"^([A-Z_]+)=", template, flags=re.M))
    assert read - named == set()
    # Each setting has its explanation: a comment somewhere above it, within its group.
    lines = template.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z_]+=", line):
            above = lines[max(0, i - 8) : i]
            assert any(prior.startswith("# ") for prior in above), line
