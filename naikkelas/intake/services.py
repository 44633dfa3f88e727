"""Importing an office's list of businesses or cooperatives: parse, resolve places, check, match, write.

The file is read as a stream in chunks; each row is parsed and checked with the registry's own field rules, a row
with bad values is reported and skipped, and the chunk is written by the kind's writer (intake.writers). All of
it runs in one transaction: a failure of the machinery writes nothing. Running the same file again creates and
updates nothing; a newer file updates what changed, with history; a batch can be undone as a whole.
"""

import functools
import hashlib
import itertools
import json
import logging
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts.models import User
from naikkelas.accounts.scope import scope_for, scoped
from naikkelas.core import bulk, personal, validation
from naikkelas.core.audit import audit_record
from naikkelas.core.models import AuditAction, AuditLog
from naikkelas.core.names import Lookalikes
from naikkelas.core.uploads import forget_local_copy, local_path, purge_local_copies
from naikkelas.intake import parsing
from naikkelas.intake.columns import ALIASES, COOPERATIVE_ALIASES, normalise, sidt_missing
from naikkelas.intake.models import ImportBatch, ImportUpload, RecordSource, UploadStatus
from naikkelas.intake.places import PlaceResolver
from naikkelas.intake.places import code_digits as places_code
from naikkelas.intake.problems import ProblemLog, write_problem_file
from naikkelas.intake.reader import CORRUPT, TOO_BIG, UNKNOWN_TYPE, ReadError, Table, read_table
from naikkelas.intake.rows import beside, here, in_second_process
from naikkelas.intake.writers import BUSINESS_FIELDS, BusinessWriter, Planned, ServiceWriter, Writer
from naikkelas.ops import metrics as ops_metrics
from naikkelas.regions import codes as region_codes
from naikkelas.regions.models import Level, Region
from naikkelas.registry import followers, kbli
from naikkelas.registry import services as registry
from naikkelas.registry import validation as v
from naikkelas.registry.models import Business, Cooperative, Person
from naikkelas.registry.tallies import tally_apply

log = logging.getLogger(__name__)

CODE_PARSERS = {name: places_code for name in ("village_code", "village_bps", "district_code")}
SIDT_PARSERS = {
    "owner_gender": parsing.parse_gender, "owner_birth_date": validation.parse_date,
    "owner_education": parsing.parse_education, "owner_disability": parsing.parse_yes_no,
    "legal_form": parsing.parse_legal_form, "founding_capital": validation.parse_money,
    "founded_month": validation.parse_count,
    "latitude": lambda raw: validation.parse_coordinate(raw, -11, 6),  # Indonesia, with a margin
    "longitude": lambda raw: validation.parse_coordinate(raw, 94, 142),
    **{f"workers_{kind}": validation.parse_count for kind in ("paid_men", "paid_women", "unpaid_men",
                                                               "unpaid_women", "disabled_men", "disabled_women",
                                                               "disabled")},
}  # fmt: skip
# The SIDT answers that describe rather than identify: one that cannot be read is reported and left out, and the
# business is still imported (a survey's GPS reading or schooling word should not cost the office the record).
SOFT = frozenset(SIDT_PARSERS)
PARSERS = {
    **CODE_PARSERS,
    **SIDT_PARSERS,
    "owner_nik": validation.parse_nik, "phone": validation.parse_phone, "revenue_month": validation.parse_money,
    "revenue_year": validation.parse_money, "assets": validation.parse_money, "employees": validation.parse_count,
}  # fmt: skip


SIDT_LAYOUT = gettext_lazy("Read as the SIDT-KUMKM export, every column present.")
SIDT_LACKS = gettext_lazy(
    "Read as the SIDT-KUMKM export; these of its columns are not in the file: %(columns)s."
)
SOFT_DROPPED = gettext_lazy("%(why)s: the row is imported without it")
KBLI_DROPPED = gettext_lazy("%(why)s: the row is imported without the code")
NAME_EMPTY = gettext_lazy(
    "the name is empty (or only dashes, 'NA' or invisible characters): the row is not imported"
)
NO_NAME_COLUMN = gettext_lazy(
    "No column is read as the name (NAMA USAHA / NAMA KOPERASI): choose which column holds the name."
)
MAPPING_SHAPE = gettext_lazy(
    'The mapping must be a JSON object of column → field, e.g. {"NAMA USAHA": "name", "F": "village"}.'
)


class ImportRefused(Exception):
    """The import cannot run at all (no regency, not allowed); the message is for the person."""


def _problem_log() -> ProblemLog:
    return ProblemLog(settings.INTAKE_REPORT_PROBLEMS)


@dataclass
class ImportReport:
    file: str
    sheet: str
    header_row: int
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # The first INTAKE_REPORT_PROBLEMS in memory, all of them on disk (intake.problems), NIKs masked.
    rejected: ProblemLog = field(default_factory=_problem_log)
    warnings: ProblemLog = field(default_factory=_problem_log)
    batch_id: int | None = None  # not in the JSON report; a dry run's batch is rolled back

    def as_dict(self) -> dict:
        """What is kept on the upload and the batch: the counts, the first problems of each kind and their
        totals (the full list is the problem file: save_problems, write_json)."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("batch_id",)}
        data["rejected_total"], data["warnings_total"] = len(self.rejected), len(self.warnings)
        data["rejected_rows"] = self.rejected.rows  # rows not imported (one may have several problems)
        self.commit()
        data["rejected"], data["warnings"] = list(self.rejected.head), list(self.warnings.head)
        return data

    def write_json(self, out: IO[str]) -> None:
        """The whole report, every problem included, written as it is read back from disk."""
        head = self.as_dict()
        head.pop("rejected"), head.pop("warnings")
        out.write("{\n")
        for key, value in head.items():  # the summary first, one field a line; then the problems, streamed
            out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False, default=str)},\n")
        for name in ("rejected", "warnings"):
            out.write(f'  "{name}": [')
            for i, item in enumerate(getattr(self, name)):
                out.write(("," if i else "") + "\n    " + json.dumps(item, ensure_ascii=False, default=str))
            out.write("\n  ]" + ("," if name == "rejected" else "") + "\n")
        out.write("}\n")

    def commit(self) -> None:
        self.rejected.commit()
        self.warnings.commit()

    def save_problems(self, fp: IO[bytes]) -> None:
        write_problem_file(fp, self.rejected, self.warnings)

    def close(self) -> None:
        self.rejected.close()
        self.warnings.close()


def _norm(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).strip()


def import_regency(*, actor: User, region_code: str | None) -> Region:
    """The regency whose places the file names: the one given, else the importing user's own."""
    if region_code:
        region = Region.objects.filter(code=region_code).first()
    elif actor.region_id and actor.region.level == Level.REGENCY:
        region = actor.region
    else:
        regencies = {region_codes.parent_of(d.code) for d in actor.districts.all()}
        region = Region.objects.filter(code=regencies.pop()).first() if len(regencies) == 1 else None
    if region is None or region.level != Level.REGENCY:
        raise ImportRefused(_("Name the regency of the file with --region (e.g. 18.09)."))
    if not scope_for(actor).covers_region(region.code) and not any(
        region_codes.code_within(c, region.code) for c in scope_for(actor).region_codes
    ):
        raise ImportRefused(_("%(name)s is outside your working area.") % {"name": region.name})
    return region


# Columns whose values repeat down a list (places, sectors, amounts, counts, years): each distinct cell is parsed
# once per import. Names, NIKs and phones are unique per row and are not remembered.
REPEATING = {
    "owner_gender",
    "owner_education",
    "owner_disability",
    "legal_form",
    "founded_month",
    "rt",
    "rw",
    "village",
    "district",
    "village_code",
    "village_bps",
    "district_code",
    "sector",
    "kbli",
    "revenue_month",
    "revenue_year",
    "assets",
    "employees",
    "founded",
    "members",
    "type",
    "status",
    "legal_entity_date",
}
_MEMO_LIMIT = 100_000


def _founded(raw):
    text = str(raw).strip().removesuffix(".0") if raw is not None else ""
    return date(int(text), 1, 1) if re.fullmatch(r"(19|20)\d\d", text) else validation.parse_date(raw)


def _text(raw) -> str:
    """A text cell without invisible or control characters (a zero-width space is not a name)."""
    return validation.visible_text(raw).removesuffix(".0") if not validation._blank(raw) else ""


def _parse_cell(parse, raw):
    try:
        return parse(raw), None
    except validation.ParseError as exc:
        return None, str(exc)


def _parse_cells(table: Table, cells: list, excel_row: int, parsers: dict, memo: dict, header_of: dict):
    """A row's cells read into values, with the problems and warnings they gave. Touches nothing but its
    arguments (no database, no report): a big file's rows are read so in a second process."""
    values: dict = {}
    problems: list[dict] = []
    warnings: list[dict] = []
    for index, name in table.mapping.items():
        raw = cells[index]
        error_cell = validation.excel_error(raw)
        if error_cell:  # "#N/A", "#REF!" …: a broken formula, never read as a blank
            values[name] = None
            problems.append(
                {
                    "row": excel_row,
                    "column": header_of[name],
                    "value": error_cell,
                    "reason": str(validation.EXCEL_ERROR) % {"error": error_cell},
                }
            )
            continue
        parse = parsers.get(name) or (_founded if name == "founded" else _text)
        if name in REPEATING:
            seen = memo.setdefault(name, {})
            if (raw, type(raw)) not in seen:
                if len(seen) > _MEMO_LIMIT:
                    seen.clear()
                seen[raw, type(raw)] = _parse_cell(parse, raw)
            values[name], error = seen[raw, type(raw)]
        else:
            values[name], error = _parse_cell(parse, raw)
        if error and name in SOFT:  # a survey's side answer: reported, the row kept without it
            values[name] = None
            warnings.append({"row": excel_row, "column": header_of[name], "value": _cell(raw),
                             "reason": str(SOFT_DROPPED) % {"why": error}})  # fmt: skip
        elif error:
            problems.append(
                {"row": excel_row, "column": header_of[name], "value": _cell(raw), "reason": error}
            )
    if "name" in table.mapping.values() and not re.search(r"\w", values.get("name") or ""):
        # A row that cannot be a business or cooperative: no name once blanks, dashes and invisible characters
        # are taken away. It is refused alone; the rest of the file goes on.
        problems.append(
            {
                "row": excel_row,
                "column": header_of.get("name", ""),
                "value": _cell(cells[next(i for i, f in table.mapping.items() if f == "name")]),
                "reason": str(NAME_EMPTY),
            }
        )
    if values.get("revenue_month") is not None:
        values["annual_revenue"] = values["revenue_month"] * 12  # stated per month, stored per year
    elif values.get("revenue_year") is not None:
        values["annual_revenue"] = values["revenue_year"]
    _sidt_values(values)
    return values, problems, warnings


def _resolve(values: dict, problems: list, excel_row: int, places: PlaceResolver, report: ImportReport,
             header_of: dict):  # fmt: skip
    """The row's KBLI and place, looked up (in the process that writes: places may ask the database)."""
    if values.get("kbli") and re.fullmatch(r"\d{5}", str(values["kbli"])):
        found, why = kbli.look_up(values["kbli"])
        if (
            found is None
        ):  # reported, and the row kept without it (the SIDT lesson: many codes map to nothing)
            report.warnings.append({"row": excel_row, "column": header_of["kbli"], "value": _cell(values["kbli"]),
                                    "reason": str(KBLI_DROPPED) % {"why": why}})  # fmt: skip
            values["kbli"] = None
        elif not values.get("sector"):  # for a new business only: a recorded sector is the office's word
            values["proposed_sector"] = found.division_title[:120]
    if values.get("district_code") and not re.fullmatch(r"\d\d\.?\d\d\.?\d\d", str(values["district_code"])):
        values["district_code"] = None  # a BPS district number (010): the names decide
    code_field = next((f for f in ("village_code", "village_bps", "district_code") if values.get(f)), None)
    if code_field:  # a code beats a name
        place = places.by_code(values[code_field], values.get("village"), values.get("district"),
                               bps=code_field == "village_bps")  # fmt: skip
        column, typed = header_of[code_field], values[code_field]
    else:
        place = places.village(values.get("village"), values.get("district"))
        # The cell to blame: the village's, or the district's when that is what could not be read.
        column = header_of.get(place.field) or header_of.get("village", "DESA")
        typed = values.get(place.field) if place.field in values else values.get("village")
    if place.error and (values.get("village") or code_field):
        problems.append({"row": excel_row, "column": column, "value": _cell(typed), "reason": place.error})
    elif not values.get("village") and not code_field:
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
            {"row": excel_row, "column": column, "value": _cell(typed), "reason": place.warning}
        )
    values["village"] = place.region.code if place.region else ""
    return values, problems


def _sidt_values(values: dict) -> None:
    """The SIDT export's split answers, put together: the start month with the year, RT/RW with the address,
    workers with a disability, men and women."""
    month = values.get("founded_month")
    if month and values.get("founded") and 1 <= month <= 12:
        values["founded"] = values["founded"].replace(month=month, day=1)
    rt, rw = (str(values.get(k) or "").strip() for k in ("rt", "rw"))
    if (rt or rw) and values.get("address") is not None:
        values["address"] = " ".join(
            part for part in (values["address"], f"RT {rt}" if rt else "", f"RW {rw}" if rw else "") if part
        )[:255]
    split = [values.get(k) for k in ("workers_disabled_men", "workers_disabled_women")]
    if values.get("workers_disabled") is None and any(n is not None for n in split):
        values["workers_disabled"] = sum(n or 0 for n in split)


def _cell(value) -> str:
    return "" if value is None else str(value)


def _service_data(values: dict) -> dict:
    data = {k: values[k] for k in BUSINESS_FIELDS if k in values and values[k] not in (None, "")}
    for k in ("owner_name", "owner_nik", "owner_gender", "owner_birth_date", "owner_education"):
        if values.get(k):
            data[k] = values[k]
    if values.get("owner_disability") is not None:
        data["owner_disability"] = values["owner_disability"]
    if values.get("proposed_sector") and not data.get("sector"):
        data["proposed_sector"] = values["proposed_sector"]
    if values.get("phone"):
        data["owner_phone"] = values["phone"]
    return data


def _business_checker(actor: User) -> Callable[[dict], dict]:
    """The registry's own field rules for what the parsers do not already guarantee (phone, NIK and village are
    parsed and resolved before); returns the clean data, or raises ValidationError naming the fields."""
    scope = scope_for(actor)
    spec = registry.business_spec(scope)
    rules = {
        k: spec[k]
        for k in (
            "name",
            "nib",
            "sector",
            "kbli",
            "address",
            "founded",
            "employees",
            "assets",
            "annual_revenue",
            *Business.survey_fields,
        )
    }
    owner = registry.owner_spec()
    rules.update({"owner_name": owner["owner_name"], "owner_nik": owner["owner_nik"]})
    # Once per import, not per row: the labels in the import's language, and today for "not in the future".
    rules = {k: (str(label), clean) for k, (label, clean) in rules.items()}
    label, _clean = rules["founded"]
    rules["founded"] = (label, functools.partial(v.past_date, today=timezone.localdate()))
    in_scope: dict[str, bool] = {}

    def check(values: dict) -> dict:
        data = _service_data(values)
        clean = v.clean_fields(data, {k: r for k, r in rules.items() if k in data}, partial=True)
        village = data["village"]
        if village not in in_scope:
            in_scope[village] = scope.covers_region(village)
        if not in_scope[village]:
            raise ValidationError(
                {"village": [str(v.OUT_OF_SCOPE) % {"field": _("Village"), "value": village}]}
            )
        data.update(clean)
        return data

    return check


def _cooperative_checker(actor: User) -> Callable[[dict], dict]:
    return lambda values: {k: values[k] for k in COOPERATIVE_COMPARED if values.get(k) not in (None, "")}


def _business_keys(nik_hash: str, name: str, village: str, owner_name: str) -> list[tuple]:
    """Match keys, strongest first: the owner's NIK with the business name, else name, village and owner."""
    keys = [("nik", nik_hash, _norm(name))] if nik_hash else []
    return [*keys, ("name", _norm(name), village, _norm(owner_name))]


ROW_OUT_OF_SCOPE = gettext_lazy(
    "this record is outside your area: it matches a record another office keeps; not imported"
)
PROBABLY_KNOWN = gettext_lazy(
    "probably already registered: %(candidates)s; check under Import › Likely duplicates"
)


def _business_lookalikes(regency: Region, actor: User) -> Lookalikes:
    """The regency's businesses the actor may see, to warn when a new row is probably one of them under another
    spelling (a warning never names a business outside the actor's area)."""
    known = Lookalikes()
    rows = scoped(Business.objects.filter(village__code__startswith=regency.code + "."), actor).values_list(
        "id", "name", "village_id", "phone", "owner__phone", "owner__nik_hash"
    )
    for pk, name, village, phone, owner_phone, nik_hash in rows.iterator(chunk_size=5000):
        known.add(f"#{pk} {name}", name, village, phone or owner_phone, nik_hash)
    return known


def _lookalike_words() -> tuple[str, str]:
    """The warning's words in the import's language, once per import (a million rows ask)."""
    return str(PROBABLY_KNOWN), _("row %(row)d")


def _warn_lookalike(
    known: Lookalikes, row: Planned, report: ImportReport, header_of: dict, words: tuple[str, str]
) -> None:
    """A new row that is probably a business already known (or an earlier row of the file) under another
    spelling is imported, with a warning naming the candidates; the duplicate search proposes them for merging."""
    values = row.values
    name, village = values.get("name") or "", values.get("village") or ""
    phone = values.get("phone") or values.get("owner_phone") or ""
    candidates = [
        c if isinstance(c, str) else words[1] % {"row": c}
        for c in known.like(name, village, phone, row.nik_hash)
    ]
    if candidates:
        report.warnings.append(
            {
                "row": row.row,
                "column": header_of.get("name", ""),
                "value": name,
                "reason": words[0] % {"candidates": "; ".join(candidates)},
            }
        )
    known.add(row.row, name, village, phone, row.nik_hash)  # an earlier row of the file: its number


# Bumped when what a row's cells are read into changes (a new field, a parser reading more): older digests are then
# not trusted, and every row is read again once.
DIGEST_VERSION = "1"


def _signature(kind: "Kind", table: Table) -> bytes:
    """What besides the cells decides how a row is read: the version, the kind and which column goes where."""
    columns = sorted(table.mapping.items())
    return f"{DIGEST_VERSION}|{kind.name}|{columns!r}".encode()


def _digest(signature: bytes, table: Table, cells: list) -> str:
    """The raw row's digest: its cells in the columns read (with their types: 1 and "1" differ)."""
    text = "\x1f".join([repr(cells[i]) for i in table.mapping])
    return hashlib.blake2b(signature + text.encode(), digest_size=12).hexdigest()


def _step(table: Table, kind: "Kind", header_of: dict, signature: bytes, digests: dict | None, allowed: set):
    """What happens to a row before it is checked and written, in whichever process reads the file: its digest,
    and either the record it is known to be (unchanged since, in the actor's area) or its parsed cells."""
    memo: dict[str, dict] = {}

    def step(excel_row: int, cells: list):
        digest = _digest(signature, table, cells) if digests is not None else ""
        record = digests.get(digest) if digest else None
        if record is not None and record in allowed:
            return excel_row, cells, digest, record, None
        return (
            excel_row,
            None,
            digest,
            None,
            _parse_cells(table, cells, excel_row, kind.parsers, memo, header_of),
        )

    return step


def _known_digests(regency: Region) -> dict[str, int | None]:
    """Digest → the business an earlier, finished, not undone import read it into, where that business has not
    changed since the import finished (None where one digest led to two records: such a row is read again)."""
    found: dict[str, int | None] = {}
    rows = (
        RecordSource.objects.filter(
            business__village__code__startswith=regency.code + ".",
            batch__undone_at__isnull=True,
            batch__finished_at__isnull=False,
            business__updated_at__lte=F("batch__finished_at"),
        )
        .exclude(digest="")
        .values_list("digest", "business_id")
    )
    for digest, pk in rows.iterator(chunk_size=10_000):
        if found.setdefault(digest, pk) != pk:
            found[digest] = None
    return found


def _existing_businesses(regency: Region) -> dict[int, int]:
    """Match keys (hashed: a million businesses fit in memory) → business id."""
    found = {}
    rows = Business.objects.filter(village__code__startswith=regency.code + ".").values_list(
        "id", "name", "village_id", "owner__nik_hash", "owner__name"
    )
    for pk, name, village, nik_hash, owner in rows.iterator(chunk_size=5000):
        for key in _business_keys(nik_hash, name, village, owner):
            found.setdefault(hash(key), pk)
    return found


@dataclass(frozen=True)
class Kind:
    """What differs between importing businesses and cooperatives; the rest of the run is shared."""

    name: str
    aliases: set[str]
    parsers: dict
    duplicate: object  # message: "same … as row %(row)d; counted once"
    checker: Callable[[User], Callable[[dict], dict]]
    keys: Callable[[dict, str], list[tuple]]
    existing: Callable[[Region], dict[int, int]]
    writer: Callable[..., Writer]
    model: type
    lookalikes: Callable[[Region, User], Lookalikes] | None = (
        None  # warns of probable duplicates (intake.dedupe)
    )


def import_businesses(**kwargs) -> ImportReport:
    return _import(BUSINESSES, **kwargs)


def import_cooperatives(**kwargs) -> ImportReport:
    """Matched to what is there by Nomor Induk Koperasi, legal entity number, or name and village."""
    return _import(COOPERATIVES, **kwargs)


def _import(
    kind: Kind,
    *,
    actor: User,
    path: Path | str,
    sheet: str | None = None,
    mapping: dict | None = None,
    region_code: str | None = None,
    dry_run: bool = False,
    file_label: str | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> ImportReport:
    """progress(rows read, fraction of the file read) is called after each chunk."""
    if not registry.can_create(actor):
        raise PermissionDenied(str(registry.CANNOT_CREATE))
    mapping = check_mapping(mapping)
    named = {normalise(k): v for k, v in (mapping or {}).items() if not re.fullmatch(r"[A-Za-z]{1,2}", k)}
    table = read_table(path, sheet=sheet, file_label=file_label, extra=named, kind=kind.name, stream=True)
    if mapping:
        apply_mapping(table, mapping, known=kind.aliases)
    if "name" not in table.mapping.values():
        raise ImportRefused(str(NO_NAME_COLUMN))
    regency = import_regency(actor=actor, region_code=region_code)
    places = PlaceResolver(regency)
    report = ImportReport(file=table.file, sheet=table.sheet, header_row=table.header_row)
    header_of = {f: table.headers[i] for i, f in table.mapping.items()}
    missing = sidt_missing(table.headers) if kind.name == "businesses" else None
    if (
        missing is not None
    ):  # the ministry's layout, read without a mapping: say which of its columns are not here
        report.warnings.append({"row": table.header_row, "column": "", "value": "", "reason": str(
            SIDT_LAYOUT if not missing else SIDT_LACKS % {"columns": ", ".join(missing)})})  # fmt: skip
    check = kind.checker(actor)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            actor=actor, file=table.file, sheet=table.sheet, region_code=regency.code, kind=kind.name
        )
        writer = kind.writer(actor=actor, batch=batch, report=report, header_of=header_of)
        # A row matching a record outside the actor's area is refused, never applied to it nor moved.
        allowed = set(
            scoped(
                kind.model.objects.filter(village__code__startswith=regency.code + "."), actor
            ).values_list("pk", flat=True)
        )
        # Rows an earlier import read, by digest, whose record has not changed since: known unchanged unread.
        digests = _known_digests(regency) if kind.name == "businesses" else None
        signature = _signature(kind, table)
        # What the parsed rows are matched against, loaded when the first row needs it (an unchanged file never).
        existing: dict[int, int] | None = None
        lookalikes = None
        seen: dict[int, int] = {}  # hash of a match key → the first row that gave it
        memo: dict[str, dict] = {}  # the writing process's, for a repeated row known by its digest
        words = _lookalike_words()
        read = in_second_process if beside(path) else here
        stream = read(table, _step(table, kind, header_of, signature, digests, allowed))
        # The stream holds the known digests; once a second process has started, only it needs them (a million).
        digests = None
        for chunk, fraction in stream:
            planned, same = [], []
            for excel_row, cells, digest, record, parsed in chunk:
                report.rows += 1
                if record is not None:  # known by its digest, unchanged since
                    if hash(("id", record)) not in seen:
                        seen[hash(("id", record))] = excel_row
                        same.append((record, excel_row, digest))
                        continue
                    parsed = _parse_cells(table, cells, excel_row, kind.parsers, memo, header_of)  # a repeat
                if existing is None:
                    existing = kind.existing(regency)
                warned = len(report.warnings.pending)
                values, problems, warnings = parsed
                report.warnings.extend(warnings)
                values, problems = _resolve(values, problems, excel_row, places, report, header_of)
                if problems:
                    report.rejected.extend(problems)
                    continue
                row = Planned(excel_row, values, {})
                try:
                    row.data = check(values)
                except ValidationError as err:
                    writer.reject(row, err)
                    continue
                hashes = personal.lookup_hashes(values["owner_nik"]) if values.get("owner_nik") else [""]
                row.nik_hash, *row.nik_aliases = hashes
                keys = [hash(k) for nik_hash in hashes for k in kind.keys(values, nik_hash)]
                row.existing_id = next((existing[k] for k in keys if k in existing), None)
                if row.existing_id is not None and row.existing_id not in allowed:
                    writer.reject(row, ValidationError({"name": [str(ROW_OUT_OF_SCOPE)]}))
                    continue
                if row.existing_id is not None:
                    keys.append(hash(("id", row.existing_id)))
                first = next((seen[k] for k in keys if k in seen), None)
                if first is not None:
                    report.warnings.append(
                        {
                            "row": excel_row,
                            "column": header_of.get("name", ""),
                            "value": values.get("name", ""),
                            "reason": str(kind.duplicate) % {"row": first},
                        }
                    )
                    continue
                seen.update(dict.fromkeys(keys, excel_row))
                # A row warned of so far is read (and warned of) again next time; a probable duplicate is not: the
                # next time the row matches the record it made.
                if len(report.warnings.pending) == warned:
                    row.digest = digest
                if kind.lookalikes and row.existing_id is None:
                    if lookalikes is None:  # at the first new row: a file of known records never needs them
                        lookalikes = kind.lookalikes(regency, actor)
                    _warn_lookalike(lookalikes, row, report, header_of, words)
                planned.append(row)
            writer.same_as_before(same)
            writer.write(planned)
            report.commit()
            if progress:
                progress(report.rows, fraction)
        writer.finish()
        batch.report = report.as_dict()
        batch.finished_at = timezone.now()
        batch.save(update_fields=["report", "finished_at"])
        if dry_run:
            transaction.set_rollback(True)
        else:
            report.batch_id = batch.pk
            transaction.on_commit(lambda: ops_metrics.count_import(report))
    return report


def check_mapping(mapping) -> dict | None:
    """A mapping as a person or a file gave it: an object of text → text (or empty), else refused."""
    if mapping is None:
        return None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and len(k) <= 200 and (v is None or isinstance(v, str)) for k, v in mapping.items()
    ):
        raise ImportRefused(str(MAPPING_SHAPE))
    return {k: v or "" for k, v in mapping.items()}


def apply_mapping(table: Table, mapping: dict, known: set[str] | None = None) -> None:
    """A mapping names columns by header text or by letter (A, B, …): {"NAMA KOPERASI": "name", "F": "village"}.

    It adds to and overrides what the header names gave; each field keeps one column."""
    known = known or set(ALIASES)
    result = dict(table.mapping)  # what was recognised stays, unless the mapping says otherwise
    for column, name in mapping.items():
        if not name:  # "not imported": the column is left out even when its header was recognised
            index = _column_index(table, column)
            result.pop(index, None)
            continue
        if name not in known:
            raise ImportRefused(_("Unknown field %(field)s in the mapping.") % {"field": name})
        index = _column_index(table, column)
        result = {i: f for i, f in result.items() if f != name and i != index}
        result[index] = name
    table.mapping = result


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: columns as a spreadsheet names them."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(table: Table, column: str) -> int:
    if re.fullmatch(r"[A-Za-z]{1,2}", column):
        letters = column.upper()
        index = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters))) - 1
        if index >= len(table.headers):
            raise ImportRefused(_("No column %(column)s in the file.") % {"column": column})
        return index
    matches = [i for i, h in enumerate(table.headers) if h.strip().lower() == column.strip().lower()]
    if not matches:
        raise ImportRefused(_("No column %(column)s in the file.") % {"column": column})
    return matches[0]


COOPERATIVE_PARSERS = {
    **CODE_PARSERS,
    "legal_entity_date": validation.parse_date, "members": validation.parse_count, "phone": validation.parse_phone,
    "nik_koperasi": parsing.parse_nik_koperasi, "type": parsing.parse_cooperative_type,
    "status": parsing.parse_cooperative_status,
}  # fmt: skip
COOPERATIVE_COMPARED = (
    "name",
    "legal_entity_number",
    "legal_entity_date",
    "nik_koperasi",
    "type",
    "members",
    "village",
    "address",
    "phone",
    "chair_name",
    "status",
)


def _cooperative_keys(nik_koperasi, legal_entity_number, name, village) -> list[tuple]:
    keys = []
    if nik_koperasi:
        keys.append(("nik", nik_koperasi))
    if legal_entity_number:
        keys.append(("bh", _norm(legal_entity_number)))
    keys.append(("name", _norm(name), village))
    return keys


def _existing_cooperatives(regency: Region) -> dict[int, int]:
    found = {}
    for coop in Cooperative.objects.filter(village__code__startswith=regency.code + "."):
        for key in _cooperative_keys(coop.nik_koperasi, coop.legal_entity_number, coop.name, coop.village_id):
            found.setdefault(hash(key), coop.pk)
    return found


BUSINESSES = Kind(
    name="businesses",
    aliases=set(ALIASES),
    parsers=PARSERS,
    duplicate=gettext_lazy("same business as row %(row)d; counted once"),
    checker=_business_checker,
    keys=lambda v, nik_hash: _business_keys(nik_hash, v.get("name"), v["village"], v.get("owner_name")),
    existing=_existing_businesses,
    writer=lambda **kw: BusinessWriter(**kw),
    model=Business,
    lookalikes=_business_lookalikes,
)
COOPERATIVES = Kind(
    name="cooperatives",
    aliases=set(COOPERATIVE_ALIASES),
    parsers=COOPERATIVE_PARSERS,
    duplicate=gettext_lazy("same cooperative as row %(row)d; counted once"),
    checker=_cooperative_checker,
    keys=lambda v, nik_hash: _cooperative_keys(
        v.get("nik_koperasi"), v.get("legal_entity_number"), v.get("name"), v["village"]
    ),
    existing=_existing_cooperatives,
    writer=lambda **kw: ServiceWriter(
        model=Cooperative,
        source_field="cooperative",
        create=lambda actor, data: registry.cooperative_create(actor=actor, data=data),
        update=lambda actor, record, data, note: registry.cooperative_update(
            actor=actor, cooperative=record, data=data, note=note
        ),
        **kw,
    ),
    model=Cooperative,
)


# Preview and undo ------------------------------------------------------------------------------------------------

KINDS = {"businesses": BUSINESSES, "cooperatives": COOPERATIVES}
UNDONE_ALREADY = gettext_lazy("This import has already been undone.")
CHANGED_SINCE = gettext_lazy(
    "This import cannot be undone: %(n)d of its records were changed after it (by hand or by a later import). "
    "Correct them one by one instead."
)


def preview(*, path, kind: str, sheet: str | None, mapping: dict | None, file_label: str, rows: int = 10):
    """The detected sheet, header and column mapping, and the first data rows, read without reading it all."""
    table = read_table(path, sheet=sheet, file_label=file_label, kind=kind, stream=True)
    if mapping:
        apply_mapping(table, mapping, known=KINDS[kind].aliases)
    first = list(itertools.islice(table.rows, rows))
    return table, first


def _changed_after(batch: ImportBatch, model, ids: list[int]) -> int:
    """How many of these records were written after the batch: a later source or a later audit entry. What was
    written after is read whole and met with the ids in Python (a million ids as lists of parameters took longer
    than the reading)."""

    field = "business" if model is Business else "cooperative"
    wanted = set(ids)
    changed: set[int] = set()
    later = (
        RecordSource.objects.filter(**{f"{field}__isnull": False}, batch__created_at__gt=batch.created_at)
        .exclude(batch=batch)
        .values_list(f"{field}_id", flat=True)
    )
    changed.update(pk for pk in later.iterator(chunk_size=20000) if pk in wanted)
    audited = (
        AuditLog.objects.filter(
            object_type=model._meta.label_lower, at__gt=batch.finished_at or batch.created_at
        )
        .exclude(action=AuditAction.VIEW_NIK)
        .values_list("object_id", flat=True)
    )
    for object_id in audited.iterator(chunk_size=20000):
        if object_id.isdigit() and int(object_id) in wanted:
            changed.add(int(object_id))
    return len(changed)


EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")
NO_FILE = gettext_lazy("Choose a file to upload.")
NO_REGENCY = gettext_lazy("Choose the regency whose places the file names.")


def upload_receive(*, actor: User, file, kind: str | None, region_code: str) -> ImportUpload:
    """Keep an uploaded file for checking, once it is of a known type, within the size limit, for a regency of
    the actor's area, and readable; otherwise refuse it (ValidationError on "file") and keep nothing."""

    if not registry.can_create(actor):
        raise PermissionDenied(str(registry.CANNOT_CREATE))
    kind = kind if kind in KINDS else "businesses"
    ext = Path(file.name).suffix.lower() if file else ""
    purge_upload_files()  # files past their time go with each new upload (and `purge_uploads`)
    if file is None:
        error = str(NO_FILE)
    elif ext not in EXTENSIONS:
        error = str(UNKNOWN_TYPE) % {"ext": ext or "?"}
    elif file.size > settings.INTAKE_MAX_MB * 1024 * 1024:
        error = str(TOO_BIG) % {"mb": settings.INTAKE_MAX_MB}
    else:
        error = _regency_refusal(actor, region_code)
    if error:
        raise ValidationError({"file": [error]})
    upload = ImportUpload(
        actor=actor, original_name=Path(file.name).name[:255], kind=kind, region_code=region_code
    )
    upload.file.save(f"upload{ext}", file, save=False)
    try:
        table = read_table(local_path(upload.file), kind=kind, stream=True)
    except ReadError as exc:
        upload.file.delete(save=False)  # a file that cannot be read is not kept
        raise ValidationError({"file": [str(exc)]}) from None
    except Exception:  # noqa: BLE001 - never a server error for a file: refused, and not kept
        log.exception("upload %s could not be read", file.name[:80])
        upload.file.delete(save=False)
        raise ValidationError({"file": [str(CORRUPT)]}) from None
    upload.sheet = table.sheet
    upload.save()
    return upload


def _regency_refusal(actor: User, region_code: str) -> str:
    """Why this regency cannot take the file ("" when it can): none chosen, or outside the actor's area."""
    if not region_code or not Region.objects.filter(code=region_code, level=Level.REGENCY).exists():
        return str(NO_REGENCY)
    try:
        import_regency(actor=actor, region_code=region_code)
    except ImportRefused as exc:
        return str(exc)
    return ""


def can_undo(user: User, batch: ImportBatch) -> bool:
    return registry.can_create(user) and scoped(ImportBatch.objects.filter(pk=batch.pk), user).exists()


@transaction.atomic
def undo_batch(
    *, actor: User, batch: ImportBatch, progress: Callable[[int, float], None] | None = None
) -> dict:
    """Take a whole import back: what it created is deleted, what it updated gets its values from before.

    Refused when any of its records was changed after it (undoing would overwrite that later work). `progress`
    hears (records done, fraction done) as it goes; the page runs this in the background worker (a province's
    import of a million rows takes minutes to undo), in one transaction: stopped midway, nothing is undone."""
    if not can_undo(actor, batch):
        raise PermissionDenied(str(registry.CANNOT_EDIT))
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.undone_at:
        raise ValidationError(str(UNDONE_ALREADY))
    model = Cooperative if batch.kind == "cooperatives" else Business
    field = "cooperative" if model is Cooperative else "business"
    sources = RecordSource.objects.filter(batch=batch).exclude(action="unchanged")
    created = list(
        sources.filter(action="created").order_by(f"{field}_id").values_list(f"{field}_id", flat=True)
    )
    updated = list(sources.filter(action="updated").values_list(f"{field}_id", "before"))
    n = _changed_after(batch, model, created + [pk for pk, _before in updated])
    if n:
        raise ValidationError(str(CHANGED_SINCE) % {"n": n})
    note = _("Undo of import %(file)s") % {"file": batch.file}
    total, done = max(len(created) + len(updated), 1), 0
    for pk, before in updated:
        record = model.objects.get(pk=pk)
        if model is Business:
            registry.business_update(actor=actor, business=record, data=before or {}, note=note)
        else:
            registry.cooperative_update(actor=actor, cooperative=record, data=before or {}, note=note)
        done += 1
        if progress and done % 200 == 0:
            progress(done, done / total)
    deleted = 0
    for start in range(0, len(created), 10000):
        part = created[start : start + 10000]
        these = bulk.exactly("pk", part)  # an import's new records: a few ranges of ids
        if model is Business:
            owners = set(Business.objects.filter(these).values_list("owner_id", flat=True))
            deltas = Counter()
            for village, status, size, sector, count in (
                Business.objects.filter(these)
                .values("village_id", "status", "size_class", "sector")
                .annotate(n=Count("id"))
                .order_by()
                .values_list("village_id", "status", "size_class", "sector", "n")
            ):
                deltas[(village, status, size, sector)] -= count
            deleted += bulk.delete_set(Business.objects.filter(these))["registry.Business"]
            tally_apply(deltas)
            followers.businesses_changed(part)
            # Owners this import made and nobody else uses go with it; a person with a login stays.
            bulk.delete_set(
                Person.objects.filter(
                    bulk.exactly("pk", sorted(owners)),
                    businesses__isnull=True,
                    user__isnull=True,
                    created_at__gte=batch.created_at,
                )
            )
        else:
            deleted += bulk.delete_set(Cooperative.objects.filter(these))["registry.Cooperative"]
        done += len(part)
        if progress:
            progress(done, done / total)
    batch.undone_at = timezone.now()
    batch.undone_by = actor
    batch.save(update_fields=["undone_at", "undone_by"])
    summary = {"deleted": deleted, "restored": len(updated)}
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=batch,
        region_code=batch.region_code,
        before={"file": batch.file, "sheet": batch.sheet},
        after=summary,
    )
    return summary


# Uploaded files ---------------------------------------------------------------------------------------------------


def upload_file_delete(upload: ImportUpload) -> None:
    """Delete an upload's file (it holds NIKs in plain text); the upload keeps its name and masked report."""
    if upload.file:
        forget_local_copy(upload.file.name)
        upload.file.delete(save=False)
        ImportUpload.objects.filter(pk=upload.pk).update(file="")


def problems_save(upload: ImportUpload, report: ImportReport) -> None:
    """Keep every problem of this check or import on the upload, in place of the last one's (not saved yet)."""
    if upload.problems:
        upload.problems.delete(save=False)
    with tempfile.TemporaryFile() as fp:
        report.save_problems(fp)
        fp.seek(0)
        upload.problems.save(f"{upload.pk}.jsonl.gz", File(fp), save=False)
    report.close()


def purge_upload_files(*, now=None) -> int:
    """Delete the files of finished imports, and of any upload older than INTAKE_FILE_HOURS; returns how many."""
    now = now or timezone.now()
    old = now - timedelta(hours=settings.INTAKE_FILE_HOURS)
    stale = ImportUpload.objects.exclude(file="").filter(Q(status=UploadStatus.DONE) | Q(created_at__lt=old))
    count = 0
    for upload in stale.exclude(status__in=[UploadStatus.CHECKING, UploadStatus.IMPORTING]):
        upload_file_delete(upload)
        count += 1
    return count + purge_local_copies(older_than=old)
