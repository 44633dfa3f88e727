"""The write step of an import: what a chunk of checked rows does to the registry.

Businesses go in bulk (an office list runs to hundreds of thousands of rows): persons, businesses, their first
status, sources and tallies are written set-wise, with ids taken up front (core.bulk). Creations are audited as
one entry for the batch (each record's source row names the batch, and the batch names who imported what);
updates are audited record by record with the values before and after, and the values before are kept on the
source so that the batch can be undone. Cooperatives (a regency has a few hundred) go row by row through the
registry services.
"""

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts import permissions
from naikkelas.core.audit import audit_many, audit_record, refusal_entry
from naikkelas.core.bulk import BulkTable, among
from naikkelas.core.models import AuditAction, AuditLog
from naikkelas.intake.models import ImportBatch, RecordSource
from naikkelas.registry import followers
from naikkelas.registry import services as registry
from naikkelas.registry.constants import BusinessStatus
from naikkelas.registry.models import Business, Person, StatusChange
from naikkelas.registry.rules import size_class_for
from naikkelas.registry.search import search_text_for
from naikkelas.registry.tallies import tally_apply, tally_key

OWNER_FIELDS = ("owner_name", "owner_nik", "owner_phone")
# Read from a row but not compared with a recorded business: the owner's (a new owner gets them) and the sector
# a KBLI code proposes (a new business gets it; a recorded sector is the office's word).
NOT_COMPARED = {*OWNER_FIELDS, "owner_gender", "owner_birth_date", "owner_education", "owner_disability",
                "proposed_sector"}  # fmt: skip
# What the SIDT-KUMKM export adds to a business (an office list may have them too); text fields are "" when empty.
SIDT_FIELDS = ("latitude", "longitude", *Business.survey_fields)
SIDT_TEXT = {"legal_form", "main_activity", "main_product"}
# The business fields an import reads and compares with what is recorded.
BUSINESS_FIELDS = (
    "name",
    "nib",
    "sector",
    "kbli",
    "address",
    "village",
    "phone",
    "founded",
    "employees",
    "assets",
    "annual_revenue",
    *SIDT_FIELDS,
)


@dataclass
class Planned:
    """A checked row: its Excel row number, parsed values, registry data, and the record it matches if any."""

    row: int
    values: dict
    data: dict
    existing_id: int | None = None
    nik_hash: str = ""
    # The NIK's hashes under the old keys still read during a key rotation (personal.lookup_hashes).
    nik_aliases: tuple[str, ...] = ()
    digest: str = (
        ""  # of the raw row, kept with its source (intake.services._digest); "" when it drew a warning
    )


def plain(value):
    """A value as JSON keeps it (and as the registry's cleaners read it back on undo)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class Writer:
    def __init__(self, *, actor, batch: ImportBatch, report, header_of: dict, source_field: str):
        self.actor = actor
        self.batch = batch
        self.report = report
        self.header_of = header_of
        self.source_field = source_field
        self.now = timezone.now()
        self.sources = BulkTable(
            RecordSource,
            [f"{source_field}_id", "batch_id", "file", "sheet", "row", "action", "before", "digest"],
        )

    def reject(self, planned: Planned, err: ValidationError) -> None:
        for name, messages in err.message_dict.items():
            plain_name = name.removeprefix("owner_")
            column = self.header_of.get(name) or self.header_of.get(plain_name, name)
            value = planned.values.get(plain_name, planned.values.get(name))
            self.report.rejected.extend(
                {
                    "row": planned.row,
                    "column": column,
                    "value": "" if value is None else str(value),
                    "reason": m,
                }
                for m in messages
            )

    def source(
        self, record_id: int, row: int, action: str, before: dict | None = None, digest: str = ""
    ) -> tuple:
        setattr(self.report, action, getattr(self.report, action) + 1)
        batch = self.batch
        return (
            record_id,
            batch.pk,
            batch.file,
            batch.sheet,
            row,
            action,
            json.dumps(before) if before else None,
            digest,
        )

    def known_sources(self, ids: list[int]) -> set[tuple[int, int]]:
        """(record id, row) pairs this same file and sheet already gave: an unchanged row adds no second one."""
        ids = sorted(set(ids))
        found = RecordSource.objects.filter(
            among(f"{self.source_field}_id", ids), file=self.batch.file, sheet=self.batch.sheet
        ).values_list(f"{self.source_field}_id", "row")
        wanted = set(ids)
        return {(pk, row) for pk, row in found if pk in wanted}

    def unchanged(
        self, record_id: int, row: int, known: set[tuple[int, int]], digest: str = ""
    ) -> tuple | None:
        """A row that changes nothing: counted, and a source only if this file's row is not one already."""
        if (record_id, row) in known:
            self.report.unchanged += 1
            return None
        return self.source(record_id, row, "unchanged", digest=digest)

    def same_as_before(self, rows: list[tuple[int, int, str]]) -> None:
        """Rows known unchanged by their digest, (record id, row, digest): counted, with a source where the file's
        row is not one already; nothing of the record is read or written."""
        if rows:
            known = self.known_sources([record_id for record_id, _row, _digest in rows])
            self.sources.insert(
                filter(None, (self.unchanged(pk, row, known, digest) for pk, row, digest in rows))
            )

    def finish(self) -> None:
        pass


def _current(record, key: str):
    return record.village_id if key == "village" else getattr(record, key)


def changes_of(record, data: dict) -> tuple[dict, dict]:
    """The fields of data that differ from the record, and their values before (owner fields are the person's
    record, not compared here)."""
    changes = {k: v for k, v in data.items() if k not in NOT_COMPARED and _current(record, k) != v}
    return changes, {k: plain(_current(record, k)) for k in changes}


class BusinessWriter(Writer):
    def __init__(self, **kwargs):
        super().__init__(source_field="business", **kwargs)
        self.persons = BulkTable(
            Person,
            [
                "id",
                "name",
                "nik_encrypted",
                "nik_hash",
                "nik_masked",
                "gender",
                "birth_date",
                "education",
                "has_disability",
                "phone",
                "email",
                "created_at",
                "updated_at",
            ],
        )
        self.businesses = BulkTable(
            Business,
            [
                "id",
                "name",
                "owner_id",
                "nib",
                "sector",
                "kbli",
                "address",
                "village_id",
                "phone",
                "founded",
                "employees",
                "assets",
                "annual_revenue",
                *SIDT_FIELDS,
                "size_class",
                "status",
                "external_ref",
                "search_text",
                "registered_on",
                "created_at",
                "updated_at",
            ],
        )
        self.statuses = BulkTable(
            StatusChange, ["business_id", "status", "previous", "changed_at", "actor_id", "note"]
        )
        # NIK hash → a person found in the database, (id, name), or made by this import, its id alone (its name is
        # read back when a later row names it again: a million names would otherwise stay in memory).
        self.person_of_nik: dict[str, int | tuple[int, str]] = {}
        self.tally: Counter = Counter()
        self.created_persons = 0
        self.registered = _("Registered")
        self.today = timezone.localdate()
        self.touched: list[int] = []  # businesses created or changed: the funnel follows them at the end
        self.elsewhere: dict[str, int] = {}  # NIK hash → a person the actor may not see
        self.restricted: set[str] = set()  # NIK hashes of persons who asked for a restriction

    def _audit_refused(self, person_ids: list[int]) -> None:
        persons = Person.all_objects.in_bulk(set(person_ids))
        AuditLog.objects.bulk_create([
            AuditLog(**refusal_entry(actor=self.actor, obj=person, region_code=permissions.person_region(person),
                                     attempted="impor usaha dengan NIK pemilik yang terdaftar di wilayah lain"))
            for person in persons.values()
        ])  # fmt: skip

    def write(self, chunk: list[Planned]) -> None:
        self._update([p for p in chunk if p.existing_id is not None])
        self._create([p for p in chunk if p.existing_id is None])

    # New businesses --------------------------------------------------------------------------------------------

    def _owners(self, new: list[Planned]) -> None:
        """Find the persons the rows' NIKs name. A person the actor may not see (none of their businesses is in
        the actor's area) is never attached to, nor changed: their rows are refused, and the attempt audited in
        the person's region."""
        wanted = {p.nik_hash for p in new if p.nik_hash and p.nik_hash not in self.person_of_nik}
        current = {alias: p.nik_hash for p in new if p.nik_hash in wanted for alias in p.nik_aliases}
        phone_missing = []
        if wanted:
            found = list(
                Person.objects.filter(nik_hash__in=wanted | set(current)).values_list(
                    "id", "nik_hash", "name", "phone", "restricted_at"
                )
            )
            visible, editable = permissions.persons_reach(self.actor, [pk for pk, *_rest in found])
            for pk, stored_hash, name, phone, restricted_at in found:
                nik_hash = current.get(stored_hash, stored_hash)  # found under an old key: the row's own hash
                if pk not in visible:
                    self.elsewhere[nik_hash] = pk
                    continue
                if restricted_at is not None:  # UU 27/2022 Pasal 11: nothing added to their records
                    self.restricted.add(nik_hash)
                    continue
                self.person_of_nik[nik_hash] = (pk, name)
                if not phone and pk in editable:
                    phone_missing.append(pk)
        if phone_missing:  # a known owner without a phone gets the one from the file (as the services do)
            phones = {
                self.person_of_nik[p.nik_hash][0]: p.data.get("owner_phone")
                for p in new
                if isinstance(self.person_of_nik.get(p.nik_hash), tuple)
            }
            for pk in phone_missing:
                if phones.get(pk):
                    Person.objects.filter(pk=pk, phone="").update(phone=phones[pk], updated_at=self.now)

    def _create(self, new: list[Planned]) -> None:
        if not new:
            return
        self._owners(new)
        owner_of: list = []  # per row: (person id, name) of a known person, an index into `making`, or None
        making: list[Planned] = []  # rows whose owner is a new person
        made_for: dict[str, int] = {}  # NIK hash → index into `making`: one new person for two businesses
        refused, unnamed = [], []
        for p in new:
            known = self.person_of_nik.get(p.nik_hash) if p.nik_hash else None
            if isinstance(known, int):  # made by an earlier chunk of this import
                unnamed.append(len(owner_of))
                known = (known, "")
            if p.nik_hash in self.elsewhere:
                self.reject(p, ValidationError({"owner_nik": [str(registry.NIK_ELSEWHERE)]}))
                owner_of.append(None)
                refused.append(self.elsewhere[p.nik_hash])
            elif p.nik_hash and p.nik_hash in self.restricted:
                self.reject(p, ValidationError({"owner_nik": [str(registry.OWNER_RESTRICTED)]}))
                owner_of.append(None)
            elif known is not None:
                owner_of.append(known)
            elif p.nik_hash in made_for:
                owner_of.append(made_for[p.nik_hash])
            elif not p.data.get("owner_name"):
                self.reject(p, ValidationError({"owner_name": [str(registry.OWNER_REQUIRED)]}))
                owner_of.append(None)
            else:
                if p.nik_hash:
                    made_for[p.nik_hash] = len(making)
                owner_of.append(len(making))
                making.append(p)
        if refused:
            self._audit_refused(refused)
        if unnamed:
            names = Person.objects.in_bulk({owner_of[i][0] for i in unnamed})
            for i in unnamed:
                owner_of[i] = (owner_of[i][0], names[owner_of[i][0]].name)
        made, rows = [], []
        for pk, p in zip(self.persons.allocate(len(making)), making, strict=True):
            nik = p.data.get("owner_nik")
            f = Person.nik_fields(nik) if nik else Person.NO_NIK
            rows.append(
                (
                    pk,
                    p.data["owner_name"],
                    f["nik_encrypted"],
                    f["nik_hash"],
                    f["nik_masked"],
                    f["gender"]
                    or p.data.get("owner_gender")
                    or "",  # the NIK's digits first, else the file's
                    f["birth_date"] or p.data.get("owner_birth_date"),
                    p.data.get("owner_education") or "",
                    p.data.get("owner_disability"),
                    p.data.get("owner_phone") or "",
                    "",
                    self.now,
                    self.now,
                )
            )
            made.append((pk, p.data["owner_name"]))
            if p.nik_hash:
                self.person_of_nik[p.nik_hash] = pk
        self.created_persons += self.persons.insert(rows)
        owner_of = [made[o] if isinstance(o, int) else o for o in owner_of]

        keep = [(p, owner) for p, owner in zip(new, owner_of, strict=True) if owner is not None]
        business_ids = self.businesses.allocate(len(keep))
        businesses, statuses, sources = [], [], []
        actor_id = self.actor.pk if getattr(self.actor, "is_authenticated", False) else None
        for pk, (p, (owner_id, owner_name)) in zip(business_ids, keep, strict=True):
            d = p.data
            size = size_class_for(assets=d.get("assets"), annual_revenue=d.get("annual_revenue"))
            sector = d.get("sector") or d.get("proposed_sector", "")
            businesses.append(
                (
                    pk,
                    d["name"],
                    owner_id,
                    d.get("nib", ""),
                    sector,
                    d.get("kbli", ""),
                    d.get("address", ""),
                    d["village"],
                    d.get("phone", ""),
                    d.get("founded"),
                    d.get("employees"),
                    d.get("assets"),
                    d.get("annual_revenue"),
                    *(d.get(k, "" if k in SIDT_TEXT else None) for k in SIDT_FIELDS),
                    size,
                    BusinessStatus.REGISTERED,
                    "",
                    search_text_for(name=d["name"], owner_name=owner_name, nib=d.get("nib", "")),
                    self.today,
                    self.now,
                    self.now,
                )
            )
            statuses.append((pk, BusinessStatus.REGISTERED, "", self.now, actor_id, self.registered))
            sources.append(self.source(pk, p.row, "created", digest=p.digest))
            self.tally[(d["village"], BusinessStatus.REGISTERED, size, sector)] += 1
        self.businesses.insert(businesses)
        self.statuses.insert(statuses)
        self.touched.extend(business_ids)
        self.sources.insert(sources)

    # Businesses already there ----------------------------------------------------------------------------------

    def _update(self, old: list[Planned]) -> None:
        if not old:
            return
        ids = [p.existing_id for p in old]
        current = {
            b.pk: b
            for b in Business.objects.filter(pk__in=ids)
            .select_for_update(of=("self",))
            .select_related("owner")
            .only(*BUSINESS_FIELDS, "owner__name", "owner__restricted_at", "status", "size_class")
        }
        known = self.known_sources(ids)
        changed_records, audits, sources = [], [], []
        fields: set[str] = set()
        for p in old:
            business = current[p.existing_id]
            if business.owner.restricted_at is not None:  # UU 27/2022 Pasal 11: their records are not changed
                self.reject(p, ValidationError({"owner_nik": [str(registry.OWNER_RESTRICTED)]}))
                continue
            changes, before = changes_of(business, p.data)
            if not changes:
                sources.append(self.unchanged(business.pk, p.row, known, p.digest))
                continue
            old_key = tally_key(business)
            old_size = business.size_class
            for key, value in changes.items():
                setattr(business, "village_id" if key == "village" else key, value)
            business.size_class = size_class_for(
                assets=business.assets, annual_revenue=business.annual_revenue
            )
            business.search_text = search_text_for(
                name=business.name, owner_name=business.owner.name, nib=business.nib
            )
            new_key = tally_key(business)
            if new_key != old_key:
                self.tally[old_key] -= 1
                self.tally[new_key] += 1
            fields.update("village_id" if k == "village" else k for k in changes)
            changed_records.append(business)
            after = {k: plain(v) for k, v in changes.items()}
            logged = before
            if (
                business.size_class != old_size
            ):  # the size-class history (planning's mikro → kecil) reads this
                logged = {**before, "size_class": old_size}
                after["size_class"] = business.size_class
            audits.append((business, business.village_id, logged, after))
            sources.append(self.source(business.pk, p.row, "updated", before, p.digest))
        if changed_records:
            self.touched.extend(b.pk for b in changed_records)
            Business.objects.bulk_update(
                changed_records, [*sorted(fields), "size_class", "search_text"], batch_size=500
            )
            Business.objects.filter(pk__in=[b.pk for b in changed_records]).update(updated_at=self.now)
            audit_many(actor=self.actor, action=AuditAction.UPDATE, items=audits)
        self.sources.insert(filter(None, sources))

    def finish(self) -> None:
        tally_apply(self.tally)
        followers.businesses_changed(self.touched)
        if self.report.created or self.report.updated:
            audit_record(
                actor=self.actor,
                action=AuditAction.CREATE,
                obj=self.batch,
                region_code=self.batch.region_code,
                after={
                    "file": self.batch.file,
                    "sheet": self.batch.sheet,
                    "created": self.report.created,
                    "updated": self.report.updated,
                    "persons_created": self.created_persons,
                },
            )


class ServiceWriter(Writer):
    """Row by row through the registry services: validated, audited and counted as a form's save would be."""

    def __init__(self, *, model, create, update, source_field: str, **kwargs):
        super().__init__(source_field=source_field, **kwargs)
        self.model, self.create, self.update = model, create, update

    def write(self, chunk: list[Planned]) -> None:
        ids = [p.existing_id for p in chunk if p.existing_id]
        known = self.known_sources(ids) if ids else set()
        sources = []
        for p in chunk:
            try:
                if p.existing_id is None:
                    record = self.create(actor=self.actor, data=p.data)
                    sources.append(self.source(record.pk, p.row, "created"))
                    continue
                record = self.model.objects.get(pk=p.existing_id)
                changes, before = changes_of(record, p.data)
                if not changes:
                    sources.append(self.unchanged(record.pk, p.row, known))
                    continue
                note = _("Import %(file)s, row %(row)d") % {"file": self.batch.file, "row": p.row}
                self.update(self.actor, record, changes, note)
                sources.append(self.source(record.pk, p.row, "updated", before))
            except ValidationError as err:
                self.reject(p, err)
            except PermissionDenied as err:  # the service's own scope check (the import checks first)
                self.reject(p, ValidationError({"name": [str(err)]}))
        self.sources.insert(filter(None, sources))
