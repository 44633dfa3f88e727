"""The whole Kemendagri tree from idn-area-data: counts, dotted codes, idempotence."""

import json
import time

from django.core.management import call_command

from naikkelas.regions.models import CODE_PATTERN, Level, Region
from naikkelas.regions.services import regions_load


def test_it_loads_the_complete_tree_once_and_changes_nothing_the_second_time(db, regions_package):
    started = time.monotonic()
    regions_load(source=regions_package)
    first_seconds = time.monotonic() - started
    counts = {level: Region.objects.filter(level=level).count() for level in Level}
    assert counts == {Level.PROVINCE: 38, Level.REGENCY: 514, Level.DISTRICT: 7285, Level.VILLAGE: 83762}
    again = regions_load(source=regions_package)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 91599)
    assert first_seconds < 60  # the bound; benchmarks print the real figure


def test_it_uses_official_dotted_codes_and_links_each_region_to_its_parent(db):
    pesawaran = Region.objects.get(code="18.09")
    assert pesawaran.name == "Kabupaten Pesawaran" and pesawaran.parent_id == "18"
    assert pesawaran.children.count() == 11
    assert Region.objects.filter(code__startswith="18.09.", level=Level.VILLAGE).count() == 148
    village = Region.objects.filter(code__startswith="18.09.01.", level=Level.VILLAGE).first()
    assert CODE_PATTERN.match(village.code) and village.parent_id == "18.09.01"
    assert [r.code for r in village.ancestors()] == ["18", "18.09", "18.09.01", village.code]


def test_it_repairs_a_renamed_region_on_reload(db, regions_package):
    Region.objects.filter(code="18.09.01").update(name="Salah Ketik")
    result = regions_load(source=regions_package, only=["18.09"])
    assert result.updated == 1
    assert Region.objects.get(code="18.09.01").name == "Gedong Tataan"


def test_it_prints_a_json_summary_from_the_command(db, regions_package, capsys):
    call_command("load_regions", "--source", str(regions_package), "--only", "18.09", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["created"] == 0 and summary["unchanged"] == 1 + 1 + 11 + 148


def test_it_fails_clearly_for_a_missing_source(db, tmp_path):
    from django.core.management.base import CommandError

    try:
        call_command("load_regions", "--source", str(tmp_path / "tidak-ada.tgz"))
    except CommandError as exc:
        assert "tidak-ada.tgz" in str(exc)
    else:
        raise AssertionError("expected a CommandError")


def test_it_names_the_path_from_province_down(db):
    assert Region.objects.get(code="18.09.01").path_name() == "Lampung › Kabupaten Pesawaran › Gedong Tataan"


def _registry(tmp_path, package: bytes, integrity: str):
    """A package registry on this machine, answering as registry.npmjs.org does (metadata, then the tarball)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/idn-area-data/4.0.1":
                body = json.dumps(
                    {
                        "dist": {
                            "tarball": f"http://127.0.0.1:{server.server_port}/t.tgz",
                            "integrity": integrity,
                        }
                    }
                ).encode()
            elif self.path == "/t.tgz":
                body = package
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_the_package_comes_from_the_registry_checked_against_its_checksum(
    tmp_path, settings, regions_package
):
    import base64
    import hashlib

    import pytest

    from naikkelas.regions.services import RegionSourceError, fetch_package

    data = regions_package.read_bytes()
    good = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    settings.DATA_DIR = str(tmp_path / "data")
    server = _registry(tmp_path, data, good)
    settings.NPM_REGISTRY = f"http://127.0.0.1:{server.server_port}"
    try:
        fetched = fetch_package("idn-area-data@4.0.1")
        assert fetched.read_bytes() == data and fetched.parent == tmp_path / "data" / "packages"
        fetched.unlink()
        server.shutdown()
        server = _registry(tmp_path, data[:-1] + b"x", good)  # a tarball changed on the way
        settings.NPM_REGISTRY = f"http://127.0.0.1:{server.server_port}"
        with pytest.raises(RegionSourceError, match="checksum"):
            fetch_package("idn-area-data@4.0.1")
        assert not list((tmp_path / "data" / "packages").glob("*.tgz"))  # nothing kept
    finally:
        server.shutdown()
