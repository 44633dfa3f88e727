"""Production serves static files through WhiteNoise's manifest storage: collectstatic must succeed (a vendored
script pointing at a missing source map breaks it, and with it every deployment)."""

from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.mark.slow
def test_it_collects_every_static_file_for_production(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest = Path(staticfiles_storage.path("staticfiles.json")).read_text()
    for name in ("vendor/chartjs/chart.umd.js", "vendor/leaflet/leaflet.js", "js/visit-queue.js"):
        assert f'"{name}"' in manifest
