"""Monthly reports from an office's XLSX/CSV: one row per business and month, one column per KPI.

Rows name the business by its naikkelas id (ID USAHA) or its NIB, and the month (BULAN: 2026-03, 03/2026 or a
date); KPI columns are headed by the KPI's key or name (OMZET, HPP, JUMLAH PELANGGAN …). Every row is checked
first; when any is refused nothing is written and each refusal names the row, the column and the reason."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.accounts.scope import scoped
from naikkelas.intake.columns import normalise
from naikkelas.intake.reader import ReadError, read_table
from naikkelas.performance import services
from naikkelas.performance.constants import ReportSource
from naikkelas.performance.models import Kpi
from naikkelas.registry.models import Business


@dataclass
class ReportImport:
    rows: int = 0
    saved: int = 0
    problems: list[dict] = field(default_factory=list)  # {"row", "column", "value", "reason"}


def _columns() -> dict[str, str]:
    extra = {
        "BULAN": "month",
        "PERIODE": "month",
        "ID USAHA": "business_id",
        "ID": "business_id",
        "NIB": "nib",
    }
    for kpi in Kpi.objects.filter(active=True, formula=""):
        for name in (kpi.key, kpi.name, kpi.name_en):
            if name:
                extra[normalise(name)] = f"kpi:{kpi.key}"
    return extra


def _month(value) -> str:
    if isinstance(value, datetime | date):
        return f"{value:%Y-%m}"
    text = str(value or "").strip()
    m = re.fullmatch(r"(\d{1,2})[/-](\d{4})", text)  # 03/2026
    return f"{m.group(2)}-{int(m.group(1)):02d}" if m else text[:7]


def report_import(*, actor, path, file_label: str) -> ReportImport:
    try:
        table = read_table(path, file_label=file_label, extra=_columns())
    except ReadError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    names = {i: table.headers[i] for i in table.mapping}
    result = ReportImport()
    visible = scoped(Business.objects.all(), actor)
    planned = []
    for row_number, cells in table.rows:
        result.rows += 1
        values = {table.mapping[i]: cells[i] for i in table.mapping if i < len(cells)}
        business, problem = _locate(visible, values)
        if problem:
            result.problems.append({"row": row_number, **problem})
            continue
        figures = {k[4:]: v for k, v in values.items() if k.startswith("kpi:") and v not in (None, "")}
        try:
            month = services.parse_month(_month(values.get("month")))
            services.clean_values(figures)
        except ValidationError as err:
            for key, messages in err.message_dict.items():
                column = next((names[i] for i, f in table.mapping.items() if f in (f"kpi:{key}", key)), key)
                for message in messages:
                    result.problems.append(
                        {
                            "row": row_number,
                            "column": column,
                            "value": str(values.get(f"kpi:{key}", values.get(key, ""))),
                            "reason": message,
                        }
                    )
            continue
        planned.append((business, month, figures))
    if result.problems:
        return result
    with transaction.atomic():
        for business, month, figures in planned:
            services.report_save(
                actor=actor, business=business, month=month, values=figures, source=ReportSource.IMPORT
            )
            result.saved += 1
    return result


def _business(visible, values):
    if values.get("business_id") not in (None, ""):
        return visible.filter(pk=int(float(values["business_id"]))).first()
    return visible.filter(nib=str(values.get("nib") or "").strip()).first()


def _locate(visible, values) -> tuple[Business | None, dict | None]:
    """The row's business, or what is wrong with how the row names it."""
    raw_id, nib = values.get("business_id"), str(values.get("nib") or "").strip()
    if raw_id in (None, "") and not nib:
        return None, {
            "column": "ID USAHA / NIB",
            "value": "",
            "reason": _("Name the business by its ID or NIB."),
        }
    if raw_id not in (None, ""):
        try:
            int(float(raw_id))
        except ValueError:
            return None, {"column": "ID USAHA", "value": str(raw_id), "reason": _("Not a business ID.")}
    business = _business(visible, values)
    if business is None:
        column, value = ("ID USAHA", str(raw_id)) if raw_id not in (None, "") else ("NIB", nib)
        return None, {
            "column": column,
            "value": value,
            "reason": _("No business with this ID or NIB in your area."),
        }
    return business, None
