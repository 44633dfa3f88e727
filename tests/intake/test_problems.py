"""The problem log: the first problems in memory, all of them on disk, in row order, NIKs masked."""

import io
import json

from django.core.management import call_command

from naikkelas.intake.problems import ProblemLog, by_row, read_problem_file, write_problem_file
from tests.intake.files import ROWS, office_workbook


def test_it_keeps_the_first_in_memory_and_gives_back_all_sorted_within_each_commit():
    log = ProblemLog(keep=2)
    log.extend(
        [{"row": 7, "reason": "b"}, {"row": 5, "reason": "a"}, {"row": 6, "value": "1809015708850001"}]
    )
    assert len(log) == 3 and log.head == []  # waiting for the chunk to end
    log.commit()
    log.append({"row": 9, "reason": "c"})
    log.append({"row": 8, "reason": "d"})
    assert [p["row"] for p in log] == [5, 6, 7, 8, 9]
    assert [p["row"] for p in log.head] == [5, 6] and log[1]["value"] == "1809xxxxxxxx0001"
    assert len(log) == 5 and log.pending == []
    assert [(row, len(items)) for row, items in by_row(log)] == [(5, 1), (6, 1), (7, 1), (8, 1), (9, 1)]
    warnings = ProblemLog(keep=0)
    warnings.append({"row": 1, "reason": "w"})
    out = io.BytesIO()
    write_problem_file(out, log, warnings)
    out.seek(0)
    back = list(read_problem_file(out))
    assert [(p["kind"], p["row"]) for p in back] == [
        *(("rejected", r) for r in (5, 6, 7, 8, 9)),
        ("warning", 1),
    ]
    assert warnings.head == [] and len(warnings) == 1
    log.close()
    assert list(log) == []


def test_the_command_report_holds_every_problem_whatever_the_page_keeps(personas, tmp_path, settings):
    settings.INTAKE_REPORT_PROBLEMS = 1
    bad = [
        [i, f"Warung {i}", "Tuti", "", "", "", f"Kampung Entah {i}", "Gedong Tataan", "", 1, ""]
        for i in range(3, 28)
    ]
    path = office_workbook(tmp_path / "umkm.xlsx", [*ROWS, *bad])
    out = tmp_path / "laporan.json"
    call_command("import", str(path), "--user", "admin.pesawaran", "--dry-run", "--report", str(out))
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["rejected_total"] == len(report["rejected"]) == 25 and report["created"] == 2
    assert [p["value"] for p in report["rejected"]] == [f"Kampung Entah {i}" for i in range(3, 28)]
