"""A plan's year as the XLSX table offices type their Renja in, read and written.

The table: the code of each program, kegiatan and sub-kegiatan in one column and its name in the next; each
node's indicators on their own rows, the node's cells (code, name, budget, spending, bidang) merged down over
them; the budget (pagu indikatif) and the spending per quarter (TW I–IV, often under one merged "Realisasi"
heading on a second header row); subtotal rows (JUMLAH, TOTAL) between. Reading checks every row first and
writes nothing when any is refused, naming the Excel row and column."""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.core.audit import audit_record
from naikkelas.core.exports import safe_cell
from naikkelas.core.models import AuditAction
from naikkelas.intake.columns import normalise
from naikkelas.intake.reader import (
    SIGNATURE_WORDS,
    TOTAL_WORDS,
    ReadError,
    column_letters,
    is_column_numbers,
    sheet_rows,
)
from naikkelas.planning import nomenclature, plans
from naikkelas.planning.models import Plan, PlanBudget, PlanTarget

MAX_ROWS = 5_000  # a Renja has a few hundred rows
HEADER_SCAN = 30
LABELS = {
    "code": "Kode", "name": "Program / Kegiatan / Sub Kegiatan", "sasaran": "Sasaran", "indicator": "Indikator Kinerja",
    "indicator_code": "Kode Indikator", "unit": "Satuan", "baseline": "Kondisi Awal", "target": "Target",
    "pagu": "Pagu Indikatif (Rp)", "q1": "TW I", "q2": "TW II", "q3": "TW III", "q4": "TW IV",
    "bidang": "Bidang Penanggung Jawab",
}  # fmt: skip
COLUMNS = list(LABELS)
_QUARTER = re.compile(r"\b(?:TW|TRIWULAN|TRW)\s*(IV|III|II|I|4|3|2|1)\b")
_ROMAN = {"I": "q1", "1": "q1", "II": "q2", "2": "q2", "III": "q3", "3": "q3", "IV": "q4", "4": "q4"}


def field_of(header: object) -> str | None:
    """The column a header names, as offices word it ("Pagu Indikatif (Rp)", "Realisasi TW II", "Target 2026")."""
    text = normalise(header)
    if not text:
        return None
    quarter = _QUARTER.search(text)
    if quarter:
        return _ROMAN[quarter.group(1)]
    rules = [
        ("KODE INDIKATOR", "indicator_code"), ("KODE", "code"), ("INDIKATOR", "indicator"),
        ("TOLOK UKUR", "indicator"), ("SATUAN", "unit"), ("KONDISI AWAL", "baseline"), ("BASELINE", "baseline"),
        ("TARGET", "target"), ("PAGU", "pagu"), ("ANGGARAN", "pagu"), ("BIDANG", "bidang"),
        ("PENANGGUNG JAWAB", "bidang"), ("SASARAN", "sasaran"), ("PROGRAM", "name"), ("KEGIATAN", "name"),
        ("URAIAN", "name"),
    ]  # fmt: skip
    return next((name for start, name in rules if text.startswith(start)), None)


def _mapping(cells: list) -> dict[int, str]:
    mapping, seen = {}, set()
    for index, cell in enumerate(cells):
        name = field_of(cell)
        if name and name not in seen:
            mapping[index] = name
            seen.add(name)
    return mapping


def _header(rows: list[list]) -> tuple[int, dict[int, str]]:
    """(index of the first data row, column → field): the row naming the most columns, joined with the row
    under it when that one holds the quarters under a merged heading."""
    best = None
    for index, row in enumerate(rows[:HEADER_SCAN]):
        mapping = _mapping(row)
        if "code" in mapping.values() and len(mapping) >= 3 and (best is None or len(mapping) > len(best[1])):
            best = (index, mapping)
    if best is None:
        raise ValidationError({"file": [_(
            "No header row with the Renja's columns (Kode, Program/Kegiatan/Sub Kegiatan, Indikator, Target, "
            "Pagu) was found in the first %(n)s rows."
        ) % {"n": HEADER_SCAN}]})  # fmt: skip
    index, mapping = best
    if index + 1 < len(rows):
        upper, lower = rows[index], rows[index + 1]
        joined, carried = [], ""
        for i in range(max(len(upper), len(lower))):
            above = upper[i] if i < len(upper) else None
            below = lower[i] if i < len(lower) else None
            carried = str(above) if above not in (None, "") else carried
            joined.append(
                f"{above if above not in (None, '') else carried} {below}"
                if below not in (None, "")
                else above
            )
        combined = _mapping(joined)
        if len(combined) > len(mapping):
            return index + 2, combined
    return index + 1, mapping


@dataclass
class Planned:
    code: str
    row: int
    bidang: str | None = None
    sasaran: str | None = None
    budget: dict | None = None
    targets: list[dict] = field(default_factory=list)


@dataclass
class RenjaImport:
    rows: int = 0
    nodes: int = 0
    targets: int = 0
    problems: list[dict] = field(default_factory=list)  # {"row", "column", "value", "reason"}


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def renja_import(*, actor, plan: Plan, year: int, path, file_label: str) -> RenjaImport:
    """Read the year's table of a plan from an office's XLSX and write it: nodes (with their parents), each
    node's indicators (replacing the ones it had), its budget and spending for the year."""
    plans._require_plan(actor, plan)
    if year not in plan.years:
        raise ValidationError({"year": [_("Year: the plan runs %(first)s–%(last)s.")
                                        % {"first": plan.first_year, "last": plan.last_year}]})  # fmt: skip
    try:
        rows = sheet_rows(path, max_rows=MAX_ROWS)
    except ReadError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    start, mapping = _header(rows)
    column_of = {name: index for index, name in mapping.items()}
    letters = {name: column_letters(index + 1) for name, index in column_of.items()}
    result, planned, current = RenjaImport(), {}, None

    def problem(row: int, name: str, value, reason: str) -> None:
        column = f"{letters.get(name, '?')} ({LABELS.get(name, name)})"
        result.problems.append({"row": row, "column": column, "value": _text(value)[:60], "reason": reason})

    for offset, cells in enumerate(rows[start:]):
        row = start + offset + 1
        values = {name: cells[i] if i < len(cells) else None for name, i in column_of.items()}
        texts = [_text(v) for v in values.values() if _text(v)]
        if not texts or is_column_numbers(list(values.values())):
            continue
        first_words = f"{_text(values.get('code'))} {_text(values.get('name'))}".strip()
        if TOTAL_WORDS.search(first_words):
            continue
        if SIGNATURE_WORDS.search(" ".join(texts)):
            break
        result.rows += 1
        raw_code = _text(values.get("code"))
        if raw_code:
            code = nomenclature.normalise(raw_code)
            if code in ("2", "2.17") or re.fullmatch(r"[XxAa-zZ.\-]+", code):
                continue  # the urusan heading over the table
            try:
                plans.check_code(plan, code)
            except ValidationError as err:
                problem(row, "code", raw_code, err.message_dict["code"][0])
                current = None
                continue
            current = planned.setdefault(code, Planned(code, row))
            bidang, sasaran = _text(values.get("bidang")), _text(values.get("sasaran"))
            if bidang:
                current.bidang = bidang[:120]
            if sasaran:
                current.sasaran = sasaran[:300]
            money = {k: values.get(k) for k in ("pagu", "q1", "q2", "q3", "q4")}
            if any(_text(v) for v in money.values()):
                fields, errors = plans.clean_budget(plan, {"year": year, **money})
                for name, messages in errors.items():
                    problem(row, name, values.get(name), messages[0])
                if not errors:
                    if current.budget is not None and current.budget != fields:
                        problem(row, "pagu", values.get("pagu"), _(
                            "Code %(code)s has another budget in row %(row)s.") % {"code": code, "row": current.row})  # fmt: skip
                    current.budget = fields
        elif current is None:
            if _text(values.get("indicator")):
                problem(row, "code", "", _("An indicator without a code above it: fill in the code column."))
            continue
        if _text(values.get("indicator")) or _text(values.get("indicator_code")):
            data = {"indicator_code": values.get("indicator_code"), "name": _text(values.get("indicator")),
                    "unit": _text(values.get("unit")), "baseline": values.get("baseline"),
                    f"target_{year}": values.get("target")}  # fmt: skip
            fields, errors = plans.clean_target(plan, data)
            for name, messages in errors.items():
                column = {f"target_{year}": "target", "name": "indicator"}.get(name, name)
                problem(row, column, values.get(column), messages[0])
            if not errors:
                current.targets.append(fields)
    if result.problems:
        return result
    if not planned:
        raise ValidationError({"file": [_("The table holds no row with a code of urusan 2.17.")]})
    with transaction.atomic():
        for item in planned.values():
            node = plans._node(plan, nomenclature.entry(item.code), item.bidang, item.sasaran)
            if item.targets:
                old = {t.name: t for t in node.targets.all()}
                node.targets.all().delete()
                for position, fields in enumerate(item.targets):
                    kept = old.get(fields["name"])  # other years' targets and realisation stay
                    if kept is not None:
                        fields = {**fields, "targets": {**kept.targets, **fields["targets"]},
                                  "realised": {**kept.realised, **fields["realised"]},
                                  "explanations": {**kept.explanations, **fields["explanations"]}}  # fmt: skip
                    PlanTarget.objects.create(node=node, position=position, **fields)
                    result.targets += 1
            if item.budget is not None:
                budget = {k: v for k, v in item.budget.items() if k != "year"}
                PlanBudget.objects.update_or_create(node=node, year=year, defaults=budget)
            result.nodes += 1
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=plan, region_code=plan.region_id,
                     after={"import": file_label[:120], "year": year, "nodes": result.nodes,
                            "indicators": result.targets})  # fmt: skip
    return result


def _number(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def renja_workbook(plan: Plan, year: int) -> bytes:
    """The plan's year in the shape it is imported from: title, a two-row header (the quarters under one
    merged "Realisasi Anggaran"), the column numbers, each node's cells merged over its indicators, a total."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("Renja" if plan.kind == "renja" else "Renstra")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True,
                            "bg_color": "#E8EEF4"})  # fmt: skip
    cell = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    money = book.add_format({"border": 1, "valign": "top", "num_format": "#,##0"})
    level_format = {
        "program": book.add_format({"border": 1, "valign": "top", "text_wrap": True, "bold": True}),
        "kegiatan": book.add_format({"border": 1, "valign": "top", "text_wrap": True, "italic": True}),
        "sub_kegiatan": cell,
    }
    width = len(COLUMNS)
    kind = "RENCANA KERJA (RENJA)" if plan.kind == "renja" else "RENCANA STRATEGIS (RENSTRA)"
    sheet.merge_range(0, 0, 0, width - 1, f"{kind} TAHUN {year}", bold)
    sheet.merge_range(1, 0, 1, width - 1, f"DINAS KOPERASI DAN UMKM {plan.region.name.upper()}", bold)
    q_first, q_last = COLUMNS.index("q1"), COLUMNS.index("q4")
    for col, name in enumerate(COLUMNS):
        if q_first <= col <= q_last:
            sheet.write(4, col, LABELS[name], head)
        else:
            sheet.merge_range(3, col, 4, col, LABELS[name], head)
    sheet.merge_range(3, q_first, 3, q_last, "Realisasi Anggaran (Rp)", head)
    for col in range(width):
        sheet.write(5, col, f"({col + 1})", head)
    for col, size in enumerate([20, 50, 36, 40, 12, 12, 12, 12, 18, 15, 15, 15, 15, 24]):
        sheet.set_column(col, col, size)
    row = 6
    budgets = {b.node_id: b for b in PlanBudget.objects.filter(node__plan=plan, year=year)}
    totals = [Decimal(0)] * 5
    nodes = plan.nodes.order_by("code").prefetch_related("targets")
    for node in nodes:
        targets = list(node.targets.all()) or [None]
        budget = budgets.get(node.pk)
        span = len(targets)
        node_cells = {
            "code": (node.code, cell), "name": (node.name, level_format.get(node.level, cell)),
            "sasaran": (node.sasaran, cell),
            "pagu": (_number(budget.pagu) if budget else None, money),
            **{q: (_number(getattr(budget, q)) if budget else None, money) for q in plans.QUARTERS},
            "bidang": (node.bidang, cell),
        }  # fmt: skip
        if budget and node.level == "program":
            for i, value in enumerate([budget.pagu, *budget.quarters]):
                totals[i] += value
        for name, (value, style) in node_cells.items():
            col = COLUMNS.index(name)
            value = safe_cell(value) if isinstance(value, str) else value
            if span > 1:
                sheet.merge_range(row, col, row + span - 1, col, value, style)
            elif value is None:
                sheet.write_blank(row, col, None, style)
            else:
                sheet.write(row, col, value, style)
        for offset, target in enumerate(targets):
            values = {
                "indicator": target.name if target else "", "indicator_code": target.indicator_code if target else "",
                "unit": target.unit if target else "",
                "baseline": _number(target.baseline) if target and target.baseline is not None else None,
                "target": _number(target.targets[str(year)]) if target and str(year) in target.targets else None,
            }  # fmt: skip
            for name, value in values.items():
                col = COLUMNS.index(name)
                if value in (None, ""):
                    sheet.write_blank(row + offset, col, None, cell)
                else:
                    sheet.write(
                        row + offset, col, safe_cell(value) if isinstance(value, str) else value, cell
                    )
        row += span
    sheet.merge_range(row, 0, row, COLUMNS.index("pagu") - 1, "JUMLAH", bold)
    for i, name in enumerate(["pagu", *plans.QUARTERS]):
        sheet.write(row, COLUMNS.index(name), _number(totals[i]), money)
    book.close()
    return out.getvalue()
