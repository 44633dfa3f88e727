"""The share of a regional government's procurement that went to its businesses and cooperatives.

The office uploads the procurement plan (RUP) or its realisation as the procurement system exports it: a sheet
with the package, the agency (satuan kerja), the value and, for the realisation, the supplier's name and NIB.
Each package is matched to the registry within the office's region: by NIB (the business's own or a recorded NIB
document), else by name through the duplicate search's name comparison (core.names: business forms such as CV
and UD dropped, spelling variants made one, words sorted; alike at 90 of 100 or more). The share is the matched
value over the total, against the 40 % that Perpres 12/2021 (Pasal 65) sets.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz, process

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import region_q
from naikkelas.core import validation
from naikkelas.core.audit import audit_record, snapshot
from naikkelas.core.models import AuditAction
from naikkelas.core.names import name_plain
from naikkelas.intake.columns import normalise
from naikkelas.intake.reader import SIGNATURE_WORDS, TOTAL_WORDS, ReadError, column_letters, sheet_rows
from naikkelas.opportunities.models import ProcurementImport, ProcurementKind, ProcurementPackage
from naikkelas.opportunities.services import NOT_STAFF, can_manage
from naikkelas.registry.constants import DocumentKind
from naikkelas.registry.models import Business, Cooperative, LegalDocument

TARGET = (
    40  # percent of procurement for micro and small businesses and cooperatives (Perpres 12/2021, Pasal 65)
)
MAX_ROWS = 50_000
ALIKE = 90
HEADERS = {
    "package": ("nama paket", "paket", "nama paket pekerjaan", "paket pekerjaan", "uraian pekerjaan", "pekerjaan"),
    "agency": ("satuan kerja", "satker", "nama satker", "nama satuan kerja", "instansi", "opd", "perangkat daerah",
               "k l pd", "klpd"),
    "value": ("nilai", "pagu", "nilai kontrak", "nilai realisasi", "total nilai", "total harga", "harga",
              "nilai pagu", "pagu rup", "nilai transaksi"),
    "supplier": ("nama penyedia", "penyedia", "pemenang", "nama pemenang", "vendor", "nama vendor", "penyedia jasa"),
    "nib": ("nib", "nib penyedia", "nomor induk berusaha"),
}  # fmt: skip
LABELS = {"package": "Nama paket", "agency": "Satuan kerja", "value": "Nilai", "supplier": "Nama penyedia",
          "nib": "NIB"}  # fmt: skip
REQUIRED = ("package", "value")
NO_HEADER = gettext_lazy(
    "No header row with the columns %(required)s was found in the first 20 rows; columns seen: %(seen)s."
)
BAD_VALUE = gettext_lazy("not an amount in Rupiah")
NO_ROWS = gettext_lazy("The file has no packages.")
BAD_YEAR = gettext_lazy("Year: a year such as 2026.")
BAD_KIND = gettext_lazy("Kind: the procurement plan (RUP) or its realisation.")


@dataclass
class Result:
    source: ProcurementImport | None = None
    problems: list[dict] = field(default_factory=list)


def _mapping(row: list) -> dict[int, str]:
    found = {}
    for index, cell in enumerate(row):
        text = normalise(cell).lower()
        for name, words in HEADERS.items():
            if text in words and name not in found.values():
                found[index] = name
    return found


def _header(rows: list[list]) -> tuple[int, dict[int, str]]:
    for index, row in enumerate(rows[:20]):
        mapping = _mapping(row)
        if all(name in mapping.values() for name in REQUIRED):
            return index + 1, mapping
    seen = next((row for row in rows[:20] if any(c not in (None, "") for c in row)), [])
    raise ValidationError({"file": [str(NO_HEADER % {
        "required": ", ".join(LABELS[n] for n in REQUIRED),
        "seen": ", ".join(str(c) for c in seen if c not in (None, ""))[:200] or "—"})]})  # fmt: skip


class _Registry:
    """The region's businesses and cooperatives, by NIB and by plain name."""

    def __init__(self, code: str):
        businesses = Business.objects.filter(region_q("village__code", [code], narrow=False))
        self.nib: dict[str, int] = {}
        for pk, nib in businesses.exclude(nib="").values_list("pk", "nib"):
            self.nib.setdefault(nib, pk)
        for pk, number in LegalDocument.objects.filter(
            business__in=businesses, kind=DocumentKind.NIB
        ).values_list("business_id", "number"):
            self.nib.setdefault(number, pk)
        self.keys: list[tuple[str, int]] = []
        self.plains: list[str] = []
        for kind, rows in (("business", businesses.values_list("pk", "name")), ("cooperative", Cooperative.objects.filter(
                region_q("village__code", [code], narrow=False)).values_list("pk", "name"))):  # fmt: skip
            for pk, name in rows:
                plain = name_plain(name)
                if plain:
                    self.keys.append((kind, pk))
                    self.plains.append(plain)

    def match(self, name: str, nib: str) -> tuple[str, int, str] | None:
        if nib and nib in self.nib:
            return "business", self.nib[nib], "nib"
        plain = name_plain(name or "")
        if not plain or not self.plains:
            return None
        found = process.extractOne(plain, self.plains, scorer=fuzz.token_sort_ratio, score_cutoff=ALIKE)
        if found is None:
            return None
        kind, pk = self.keys[found[2]]
        return kind, pk, "nama"


@transaction.atomic
def procurement_import(*, actor, region: str, year, kind: str, path, file_label: str) -> Result:
    """Read the file and keep its packages with what each matched; with any bad row nothing is kept and every
    problem is answered by row and column."""
    permissions.require(can_manage(actor), NOT_STAFF)
    place = permissions.region_in_area(actor, region or actor.region_id, field="region", label=_("Region"))
    try:
        year = int(str(year).strip())
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationError({"year": [str(BAD_YEAR)]}) from None
    if kind not in ProcurementKind.values:
        raise ValidationError({"kind": [str(BAD_KIND)]})
    try:
        rows = sheet_rows(path, max_rows=MAX_ROWS)
    except ReadError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    start, mapping = _header(rows)
    column_of = {name: index for index, name in mapping.items()}
    result, planned = Result(), []
    for offset, cells in enumerate(rows[start:]):
        number = start + offset + 1
        values = {name: cells[i] if i < len(cells) else None for name, i in column_of.items()}
        texts = [str(v).strip() for v in values.values() if v not in (None, "")]
        if not texts:
            continue
        if TOTAL_WORDS.search(str(values.get("package") or "")) or SIGNATURE_WORDS.search(" ".join(texts)):
            continue
        try:
            value = validation.parse_money(values.get("value"))
        except validation.ParseError:
            value = None
        if value is None or value < 0:
            result.problems.append({"row": number, "column": f"{column_letters(column_of['value'] + 1)} (Nilai)",
                                    "value": str(values.get("value") or "")[:60], "reason": str(BAD_VALUE)})  # fmt: skip
            continue
        nib = "".join(ch for ch in str(values.get("nib") or "") if ch.isdigit())
        planned.append((number, str(values.get("package") or "").strip()[:300],
                        str(values.get("agency") or "").strip()[:200], value,
                        str(values.get("supplier") or "").strip()[:200], nib[:13]))  # fmt: skip
    if result.problems:
        return result
    if not planned:
        raise ValidationError({"file": [str(NO_ROWS)]})
    registry = _Registry(place.code)
    source = ProcurementImport.objects.create(region=place, year=year, kind=kind, file_name=file_label[:200],
                                              uploaded_by=actor)  # fmt: skip
    packages, matched_value, total = [], 0, 0
    for number, package, agency, value, supplier, nib in planned:
        found = registry.match(supplier, nib) if (supplier or nib) else None
        kind_found, pk, method = found or ("", None, "")
        packages.append(ProcurementPackage(
            source=source, row=number, package=package, agency=agency, value=value, supplier_name=supplier,
            supplier_nib=nib, matched_by=method, business_id=pk if kind_found == "business" else None,
            cooperative_id=pk if kind_found == "cooperative" else None))  # fmt: skip
        total += value
        matched_value += value if found else 0
    ProcurementPackage.objects.bulk_create(packages, batch_size=2000)
    source.packages, source.total_value, source.matched_value = len(packages), total, matched_value
    source.save(update_fields=["packages", "total_value", "matched_value"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=source, region_code=place.code,
                 after=snapshot(source, ("region", "year", "kind", "file_name", "packages", "total_value",
                                         "matched_value")))  # fmt: skip
    result.source = source
    return result


def latest_share(code: str, year: int) -> ProcurementImport | None:
    """The region's latest realisation of the year (else its plan): what its share figure reads."""
    found = ProcurementImport.objects.filter(region_id=code, year=year)
    return (found.filter(kind=ProcurementKind.REALISATION).first() or found.first()) if code else None
