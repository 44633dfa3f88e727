"""Financial reports from an office's XLSX: one row per cooperative and book year, one column per report item.

A row names the cooperative by its naikkelas id (ID KOPERASI) or its Nomor Induk Koperasi (NIK KOPERASI) and the
year (TAHUN BUKU); item columns are headed as a KSP reports them ("Total aset", "Modal sendiri", "SHU bersih" …)
or by the item's key. Every row is checked first; when any is refused nothing is written."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.intake.columns import normalise
from naikkelas.intake.reader import ReadError, read_table
from naikkelas.registry.models import Cooperative
from naikkelas.supervision import selectors, services
from naikkelas.supervision.models import REPORT_ITEMS

TEMPLATE_HEADER = [
    "ID KOPERASI",
    "NIK KOPERASI",
    "NAMA KOPERASI",
    "TAHUN BUKU",
    *[label for _n, label, _e in REPORT_ITEMS],
]


@dataclass
class ReportsImport:
    rows: int = 0
    saved: int = 0
    problems: list[dict] = field(default_factory=list)  # {"row", "column", "value", "reason"}


def _columns() -> dict[str, str]:
    columns = {
        "ID KOPERASI": "coop_id",
        "NIK KOPERASI": "nik_koperasi",
        "TAHUN BUKU": "year",
        "TAHUN": "year",
    }
    for name, label, english in REPORT_ITEMS:
        for text in (name, label, str(english)):
            columns[normalise(text)] = f"item:{name}"
    return columns


def _cooperative(visible, values) -> tuple[Cooperative | None, dict | None]:
    raw_id, nik = values.get("coop_id"), str(values.get("nik_koperasi") or "").strip().removesuffix(".0")
    if raw_id not in (None, ""):
        try:
            coop = visible.filter(pk=int(float(raw_id))).first()
        except ValueError:
            coop = None
        column, value = "ID KOPERASI", str(raw_id)
    elif nik:
        coop, column, value = visible.filter(nik_koperasi=nik).first(), "NIK KOPERASI", nik
    else:
        return None, {
            "column": "ID KOPERASI / NIK KOPERASI",
            "value": "",
            "reason": _("Name the cooperative by its ID or Nomor Induk Koperasi."),
        }
    if coop is None:
        return None, {
            "column": column,
            "value": value,
            "reason": _("No cooperative with this ID in your area."),
        }
    return coop, None


def reports_import(*, actor, path, file_label: str) -> ReportsImport:
    try:
        table = read_table(path, file_label=file_label, extra=_columns(), kind="cooperatives")
    except ReadError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    headers = {field: table.headers[i] for i, field in table.mapping.items()}
    visible = selectors.cooperatives_supervised(user=actor)
    result, planned = ReportsImport(), []
    for row_number, cells in table.rows:
        result.rows += 1
        values = {table.mapping[i]: cells[i] for i in table.mapping if i < len(cells)}
        coop, problem = _cooperative(visible, values)
        if problem:
            result.problems.append({"row": row_number, **problem})
            continue
        items = {k[5:]: v for k, v in values.items() if k.startswith("item:")}
        try:
            year = services.parse_year(values.get("year"))
            services.clean_items(items)
        except ValidationError as err:
            for key, messages in err.message_dict.items():
                column = headers.get(f"item:{key}", headers.get(key, "TAHUN BUKU" if key == "year" else key))
                value = items.get(key, values.get(key, ""))
                for message in messages:
                    result.problems.append(
                        {"row": row_number, "column": column, "value": str(value or ""), "reason": message}
                    )
            continue
        planned.append((coop, year, items))
    if result.problems:
        return result
    with transaction.atomic():
        for coop, year, items in planned:
            services.report_save(actor=actor, cooperative=coop, year=year, data=items, source=file_label)
            result.saved += 1
    return result
