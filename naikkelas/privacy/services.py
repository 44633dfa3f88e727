"""A person's copy of their data (UU 27/2022 Pasal 7 and 32), for the person themself or given by an officer of
their office who has seen their KTP. Each copy is audited (an export of the person's data)."""

import csv
import io
import json

from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.core.audit import export_record
from naikkelas.core.exports import safe_cell
from naikkelas.privacy.holdings import Holdings, gather
from naikkelas.registry.models import Person

NOT_YOURS = gettext_lazy("You may only ask for the data of a person your office serves, or your own.")

can_answer = permissions.rule("answer_data_requests")


def may_copy(user, person: Person) -> bool:
    if person.user_id is not None and person.user_id == getattr(user, "pk", None):
        return True
    return can_answer(user) and permissions.person_visible(user, person)


def personal_copy(*, actor, person: Person, form: str = "json") -> Holdings:
    """Everything held about the person (holdings.gather), for the person; refused to anyone else than the
    person and the staff of an office that serves them. Audited, with how many records went out."""
    permissions.require(may_copy(actor, person), NOT_YOURS)
    held = gather(person)
    export_record(actor=actor, export=f"privacy-copy-{form}", obj=person,
                  region_code=permissions.person_region(person), rows=held.count())  # fmt: skip
    return held


def as_json(held: Holdings) -> bytes:
    return json.dumps(held.as_dict(), ensure_ascii=False, indent=1, default=str).encode()


def as_csv(held: Holdings) -> bytes:
    """One table for every kind of record: section, kind of record, number, field, value (a spreadsheet opens
    it; a program reads it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["bagian", "jenis", "nomor", "kolom", "nilai"])
    for key, value in (held.account or {}).items():
        writer.writerow(["akun", "", "", key, _cell(value)])
    for label, rows in held.records.items():
        for row in rows:
            for key, value in row.items():
                writer.writerow(["data", label, row.get("id", ""), key, _cell(value)])
    for label, pks in held.references.items():
        for pk in pks:
            writer.writerow(["rujukan", label, pk, "", ""])
    for n, entry in enumerate(held.history, start=1):
        for key, value in entry.items():
            writer.writerow(["riwayat", "", n, key, _cell(value)])
    return ("\ufeff" + out.getvalue()).encode()  # a BOM: spreadsheets read it as UTF-8


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        return str(safe_cell(value))  # a name typed as "=…" stays text in a spreadsheet
    return str(value)
