"""Importing an office's list of businesses: parse, resolve places, match what is already there, write.

Rows go through the registry services (validation, audit, counts, search) one by one inside one transaction: a
row with bad values is reported and skipped; a failure of the machinery writes nothing. Running the same file
again creates and updates nothing; a newer file updates what changed, with history.
"""

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts.models import User
from naikkelas.accounts.scope import scope_for
from naikkelas.core import personal
from naikkelas.intake import parsing
from naikkelas.intake.columns import ALIASES, COOPERATIVE_ALIASES, normalise
from naikkelas.intake.models import ImportBatch, RecordSource
from naikkelas.intake.places import PlaceResolver
from naikkelas.intake.reader import Table, read_table
from naikkelas.regions.models import Level, Region
from naikkelas.registry import services as registry
from naikkelas.registry.models import Business, Cooperative

PARSERS = {
    "owner_nik": parsing.parse_nik, "phone": parsing.parse_phone, "revenue_month": parsing.parse_money,
    "revenue_year": parsing.parse_money, "assets": parsing.parse_money, "employees": parsing.parse_count,
}  # fmt: skip
COMPARED = ("name", "nib", "sector", "kbli", "address", "village", "phone", "founded", "employees", "assets",
            "annual_revenue")  # fmt: skip


class ImportRefused(Exception):
    """The import cannot run at all (no regency, not allowed); the message is for the person."""


@dataclass
class ImportReport:
    file: str
    sheet: str
    header_row: int
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2, default=str)


def _norm(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).strip()


def import_regency(*, actor: User, region_code: str | None) -> Region:
    """The regency whose places the file names: the one given, else the importing user's own."""
    if region_code:
        region = Region.objects.filter(code=region_code).first()
    elif actor.region_id and actor.region.level == Level.REGENCY:
        region = actor.region
    else:
        codes = {d.code.rsplit(".", 1)[0] for d in actor.districts.all()}
        region = Region.objects.filter(code=codes.pop()).first() if len(codes) == 1 else None
    if region is None or region.level != Level.REGENCY:
        raise ImportRefused(_("Name the regency of the file with --region (e.g. 18.09)."))
    if not scope_for(actor).covers_region(region.code) and not any(
        c.startswith(region.code + ".") for c in scope_for(actor).region_codes
    ):
        raise ImportRefused(_("%(name)s is outside your working area.") % {"name": region.name})
    return region


def _parse_row(
    table: Table, cells: list, excel_row: int, places: PlaceResolver, report: ImportReport, parsers=PARSERS
):
    header_of = {f: table.headers[i] for i, f in table.mapping.items()}
    values: dict = {}
    problems: list[dict] = []
    for index, name in table.mapping.items():
        raw = cells[index]
        try:
            if name in parsers:
                values[name] = parsers[name](raw)
            elif name == "founded":
                text = str(raw).strip().removesuffix(".0") if raw is not None else ""
                values[name] = (
                    date(int(text), 1, 1) if re.fullmatch(r"(19|20)\d\d", text) else parsing.parse_date(raw)
                )
            else:
                values[name] = (
                    " ".join(str(raw).split()).removesuffix(".0") if not parsing._blank(raw) else ""
                )
        except parsing.ParseError as exc:
            problems.append(
                {"row": excel_row, "column": header_of[name], "value": _cell(raw), "reason": str(exc)}
            )
    if values.get("revenue_month") is not None:
        values["annual_revenue"] = values["revenue_month"] * 12  # stated per month, stored per year
    elif values.get("revenue_year") is not None:
        values["annual_revenue"] = values["revenue_year"]
    place = places.village(values.get("village"), values.get("district"))
    if place.error and values.get("village"):
        column = header_of.get("village", "DESA")
        problems.append(
            {"row": excel_row, "column": column, "value": values.get("village"), "reason": place.error}
        )
    elif not values.get("village"):
        problems.append(
            {
                "row": excel_row,
                "column": header_of.get("village", "DESA"),
                "value": "",
                "reason": _("village is empty"),
            }
        )
    elif place.warning:
        report.warnings.append(
            {
                "row": excel_row,
                "column": header_of.get("village", "DESA"),
                "value": values.get("village"),
                "reason": place.warning,
            }
        )
    values["village"] = place.region.code if place.region else ""
    return values, problems


def _cell(value) -> str:
    return "" if value is None else str(value)


def _service_data(values: dict) -> dict:
    data = {k: values[k] for k in COMPARED if k in values and values[k] not in (None, "")}
    for k in ("owner_name", "owner_nik"):
        if values.get(k):
            data[k] = values[k]
    if values.get("phone"):
        data["owner_phone"] = values["phone"]
    return data


def _business_keys(nik_hash: str, name: str, village: str, owner_name: str) -> list[tuple]:
    """Match keys, strongest first: the owner's NIK with the business name, else name, village and owner."""
    keys = [("nik", nik_hash, _norm(name))] if nik_hash else []
    return [*keys, ("name", _norm(name), village, _norm(owner_name))]


def _existing_businesses(regency: Region) -> dict[tuple, int]:
    found = {}
    rows = Business.objects.filter(village__code__startswith=regency.code + ".").values_list(
        "id", "name", "village_id", "owner__nik_hash", "owner__name"
    )
    for pk, name, village, nik_hash, owner in rows.iterator(chunk_size=5000):
        for key in _business_keys(nik_hash, name, village, owner):
            found.setdefault(key, pk)
    return found


def _changes(record, data: dict) -> dict:
    """The fields of data that differ from the record (owner fields are the person's, not compared here)."""
    changed = {}
    for key, value in data.items():
        if key in ("owner_name", "owner_nik", "owner_phone"):
            continue
        current = record.village_id if key == "village" else getattr(record, key)
        if current != value:
            changed[key] = value
    return changed


@dataclass(frozen=True)
class Kind:
    """What differs between importing businesses and cooperatives; the rest of the run is shared."""

    name: str
    aliases: set[str]
    parsers: dict
    model: type
    source_field: str
    duplicate: object  # message: "same … as row %(row)d; counted once"
    data: Callable[[dict], dict]
    keys: Callable[[dict], list[tuple]]
    existing: Callable[[Region], dict[tuple, int]]
    create: Callable
    update: Callable


def import_businesses(**kwargs) -> ImportReport:
    return _import(BUSINESSES, **kwargs)


def import_cooperatives(**kwargs) -> ImportReport:
    """Matched to what is there by Nomor Induk Koperasi, legal entity number, or name and village."""
    return _import(COOPERATIVES, **kwargs)


def _import(
    kind: Kind, *, actor: User, path: Path | str, sheet: str | None = None, mapping: dict | None = None,
    region_code: str | None = None, dry_run: bool = False, file_label: str | None = None,
) -> ImportReport:  # fmt: skip
    if not registry.can_create(actor):
        raise PermissionDenied(str(registry.CANNOT_CREATE))
    named = {normalise(k): v for k, v in (mapping or {}).items() if not re.fullmatch(r"[A-Za-z]{1,2}", k)}
    table = read_table(path, sheet=sheet, file_label=file_label, extra=named, kind=kind.name)
    if mapping:
        _apply_mapping(table, mapping, known=kind.aliases)
    regency = import_regency(actor=actor, region_code=region_code)
    places = PlaceResolver(regency)
    report = ImportReport(
        file=table.file, sheet=table.sheet, header_row=table.header_row, rows=len(table.rows)
    )
    header_of = {f: table.headers[i] for i, f in table.mapping.items()}
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            actor=actor, file=table.file, sheet=table.sheet, region_code=regency.code, kind=kind.name
        )
        existing = kind.existing(regency)
        seen: dict[tuple, int] = {}
        sources = []
        for excel_row, cells in table.rows:
            values, problems = _parse_row(table, cells, excel_row, places, report, parsers=kind.parsers)
            if problems:
                report.rejected.extend(problems)
                continue
            data = kind.data(values)
            keys = kind.keys(values)
            if keys[0] in seen:
                report.warnings.append({"row": excel_row, "column": header_of.get("name", ""),
                                        "value": values.get("name", ""),
                                        "reason": str(kind.duplicate) % {"row": seen[keys[0]]}})  # fmt: skip
                continue
            seen[keys[0]] = excel_row
            existing_id = next((existing[k] for k in keys if k in existing), None)
            try:
                if existing_id is None:
                    record, action = kind.create(actor=actor, data=data), "created"
                else:
                    record = kind.model.objects.get(pk=existing_id)
                    changed = _changes(record, data)
                    action = "updated" if changed else "unchanged"
                    if changed:
                        note = _("Import %(file)s, row %(row)d") % {"file": table.file, "row": excel_row}
                        record = kind.update(actor, record, changed, note)
            except ValidationError as err:
                for name, messages in err.message_dict.items():
                    plain = name.removeprefix("owner_")
                    column = header_of.get(name) or header_of.get(plain, name)
                    value = _cell(values.get(plain, values.get(name)))
                    report.rejected.extend({"row": excel_row, "column": column, "value": value, "reason": m}
                                           for m in messages)  # fmt: skip
                continue
            setattr(report, action, getattr(report, action) + 1)
            sources.append(RecordSource(**{kind.source_field: record}, batch=batch, file=table.file,
                                        sheet=table.sheet, row=excel_row, action=action))  # fmt: skip
        RecordSource.objects.bulk_create(sources, batch_size=2000)
        batch.report = report.as_dict()
        batch.save(update_fields=["report"])
        if dry_run:
            transaction.set_rollback(True)
    return report


def _apply_mapping(table: Table, mapping: dict, known: set[str] | None = None) -> None:
    """A mapping names columns by header text or by letter (A, B, …): {"NAMA KOPERASI": "name", "F": "village"}.

    It adds to and overrides what the header names gave; each field keeps one column."""
    known = known or set(ALIASES)
    result = dict(table.mapping)  # what was recognised stays, unless the mapping says otherwise
    for column, name in mapping.items():
        if name not in known:
            raise ImportRefused(_("Unknown field %(field)s in the mapping.") % {"field": name})
        if re.fullmatch(r"[A-Za-z]{1,2}", column):
            letters = column.upper()
            index = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters))) - 1
        else:
            matches = [i for i, h in enumerate(table.headers) if h.strip().lower() == column.strip().lower()]
            if not matches:
                raise ImportRefused(_("No column %(column)s in the file.") % {"column": column})
            index = matches[0]
        result = {i: f for i, f in result.items() if f != name and i != index}
        result[index] = name
    table.mapping = result


COOPERATIVE_PARSERS = {
    "legal_entity_date": parsing.parse_date, "members": parsing.parse_count, "phone": parsing.parse_phone,
    "nik_koperasi": parsing.parse_nik_koperasi, "type": parsing.parse_cooperative_type,
    "status": parsing.parse_cooperative_status,
}  # fmt: skip
COOPERATIVE_COMPARED = ("name", "legal_entity_number", "legal_entity_date", "nik_koperasi", "type", "members",
                        "village", "address", "phone", "chair_name", "status")  # fmt: skip


def _cooperative_keys(nik_koperasi, legal_entity_number, name, village) -> list[tuple]:
    keys = []
    if nik_koperasi:
        keys.append(("nik", nik_koperasi))
    if legal_entity_number:
        keys.append(("bh", _norm(legal_entity_number)))
    keys.append(("name", _norm(name), village))
    return keys


def _existing_cooperatives(regency: Region) -> dict[tuple, int]:
    found = {}
    for coop in Cooperative.objects.filter(village__code__startswith=regency.code + "."):
        for key in _cooperative_keys(coop.nik_koperasi, coop.legal_entity_number, coop.name, coop.village_id):
            found.setdefault(key, coop.pk)
    return found


BUSINESSES = Kind(
    name="businesses", aliases=set(ALIASES), parsers=PARSERS, model=Business, source_field="business",
    duplicate=gettext_lazy("same business as row %(row)d; counted once"),
    data=_service_data,
    keys=lambda v: _business_keys(
        personal.keyed_hash(v["owner_nik"]) if v.get("owner_nik") else "", v.get("name"), v["village"],
        v.get("owner_name"),
    ),
    existing=_existing_businesses,
    create=lambda actor, data: registry.business_create(actor=actor, data=data),
    update=lambda actor, record, data, note: registry.business_update(
        actor=actor, business=record, data=data, note=note
    ),
)  # fmt: skip
COOPERATIVES = Kind(
    name="cooperatives", aliases=set(COOPERATIVE_ALIASES), parsers=COOPERATIVE_PARSERS, model=Cooperative,
    source_field="cooperative",
    duplicate=gettext_lazy("same cooperative as row %(row)d; counted once"),
    data=lambda v: {k: v[k] for k in COOPERATIVE_COMPARED if v.get(k) not in (None, "")},
    keys=lambda v: _cooperative_keys(v.get("nik_koperasi"), v.get("legal_entity_number"), v.get("name"),
                                     v["village"]),
    existing=_existing_cooperatives,
    create=lambda actor, data: registry.cooperative_create(actor=actor, data=data),
    update=lambda actor, record, data, note: registry.cooperative_update(
        actor=actor, cooperative=record, data=data, note=note
    ),
)  # fmt: skip
