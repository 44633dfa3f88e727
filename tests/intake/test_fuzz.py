"""The import against hostile and broken files (tests/intake/hostile.py; benchmarks/fuzz_import.py runs thousands):
every file ends in exit 0 (processed) or 2 (refused, with an Indonesian message), never a traceback, within a
bound of time, and a refused file writes nothing. The same files through the web page never give a server error.
Hypothesis holds the value parsers to their bounds."""

import contextlib
import io
import time
from contextlib import redirect_stderr

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.core import validation
from naikkelas.intake import parsing
from naikkelas.intake.models import ImportBatch, ImportUpload
from naikkelas.registry.models import Business, Person
from tests.intake.hostile import CLASSES, generate

SEEDS = range(240)
SECONDS_PER_FILE = 30  # a bound, not a speed target: the slowest seen here takes well under a second


def _state() -> tuple:
    return Business.all_objects.count(), Person.all_objects.count(), ImportBatch.objects.count()


@pytest.mark.slow
def test_every_hostile_file_gets_an_answer_and_a_refused_one_writes_nothing(personas, tmp_path):
    seen, refused, processed = set(), 0, 0
    for seed in SEEDS:
        folder = tmp_path / str(seed)
        folder.mkdir()
        kind, path = generate(seed, folder)
        seen.add(kind)
        before = _state()
        err = io.StringIO()
        started = time.monotonic()
        with redirect_stderr(err):
            try:
                call_command(
                    "import", str(path), "--user", "admin.pesawaran", stdout=io.StringIO(), stderr=err
                )
                code = 0
            except SystemExit as exc:
                code = exc.code
        elapsed = time.monotonic() - started
        assert code in (0, 2), (seed, kind, code)
        assert elapsed < SECONDS_PER_FILE, (seed, kind, elapsed)
        if code == 2:
            refused += 1
            assert "Berkas tidak dapat diimpor" in err.getvalue(), (seed, kind, err.getvalue())
            assert "Traceback" not in err.getvalue()
            assert _state() == before, (seed, kind)
        else:
            processed += 1
    assert seen == set(CLASSES)  # every class was tried
    assert refused and processed


def test_the_web_upload_never_answers_a_server_error(personas, tmp_path):
    client = Client(raise_request_exception=False)
    client.force_login(personas["admin_pesawaran"])
    for seed in range(60):
        folder = tmp_path / str(seed)
        folder.mkdir()
        kind, path = generate(seed, folder)
        if kind == "special_file":
            continue  # a browser uploads a file's bytes, never a pipe
        with path.open("rb") as f:
            response = client.post("/impor/", {"file": f, "kind": "businesses"})
        assert response.status_code in (302, 400), (seed, kind, response.status_code)
        if response.status_code == 400:
            assert not ImportUpload.objects.filter(original_name=path.name).exists()
            continue
        upload = ImportUpload.objects.get(original_name=path.name[:255])
        for url in (f"/impor/{upload.pk}/", f"/impor/{upload.pk}/ditolak.xlsx"):
            assert client.get(url).status_code in (200, 302), (seed, kind, url)
        client.post(f"/impor/{upload.pk}/periksa/", {"sheet": upload.sheet})
        upload.refresh_from_db()
        assert upload.status in ("checked", "failed"), (seed, kind, upload.status)
        assert client.get(f"/impor/{upload.pk}/").status_code == 200
        assert client.get(f"/impor/{upload.pk}/ditolak.xlsx").status_code in (200, 302)


ANY_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=300),
    st.text(alphabet="0123456789 .,-+/()RpjtJTrbMm", max_size=80),
    st.from_regex(r"[0-9]{20,400}", fullmatch=True),
)
PARSERS = [
    validation.parse_money,
    validation.parse_count,
    validation.parse_date,
    validation.parse_phone,
    validation.parse_nik,
    parsing.parse_nik_koperasi,
    parsing.parse_cooperative_type,
    parsing.parse_cooperative_status,
]


@given(ANY_CELL)
def test_every_parser_answers_any_cell_with_a_value_in_bounds_or_its_reason(value):
    for parse in PARSERS:
        try:
            result = parse(value)
        except validation.ParseError as exc:
            assert str(exc)
            continue
        if parse is validation.parse_money and result is not None:
            assert abs(result) < validation.MAX_MONEY
        if parse is validation.parse_count and result is not None:
            assert 0 <= result < validation.MAX_COUNT


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
def test_a_cell_of_32767_characters_is_answered_at_once(parse):
    for cell in (" " * 32767, "1" * 32767, "1 " * 16383, "0812" + " " * 32763, "a" + "," * 32766):
        started = time.monotonic()
        with contextlib.suppress(validation.ParseError):
            parse(cell)  # a value (spaces around it are not part of it), None for a blank cell, or its reason
        assert time.monotonic() - started < 0.5


def test_values_outside_their_domain_are_refused_and_text_is_cleaned():
    for money in (float("inf"), float("nan"), 1e300, 10**15, "9" * 30, "2 ribu triliun"):
        with pytest.raises(validation.ParseError):
            validation.parse_money(money)
    for count in ("¹", "٣", 10**6, "1" * 400, float("inf"), -1):
        with pytest.raises(validation.ParseError):
            validation.parse_count(count)
    assert validation.parse_phone("81234567890.0") == "+6281234567890"
    assert validation.excel_error("#N/A") == "#N/A" and validation.excel_error("N/A") is None
    assert validation.visible_text("\u200bKeripik\u202e  Bu\x07 Siti\u200b") == "Keripik Bu Siti"
