"""What naikkelas holds about one person (UU 27/2022, Pasal 7 and 32: the right to see one's data and to get a
copy), gathered from the model graph, so a new app's records are found without a change here.

From the person, every relation pointing at a record already gathered is followed:
- a row that belongs to the record (its foreign key cascades or protects: the record cannot go without it) is the
  person's own: gathered whole, and followed further (a business's visits, a visit's photos, a loan's payments);
- a row that only refers to it (set null, do nothing) or a record shared with others (a partnership of several
  businesses, a buyer's opportunity) is someone else's: only its kind and number are listed (Pasal 33: an answer
  does not reveal others' data), and what hangs from it (a partnership's sales) is not the person's to get.
What no person may read back (the encrypted NIK, look-up hashes, tokens, search text) is left out; the NIK is
given masked, as the person's pages show it. The processing history is every audit entry about a gathered record:
when, what was done, and by which role of which office (never an officer's name).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.db.models import CASCADE, PROTECT, RESTRICT, FileField, Model

from naikkelas.core.models import AuditLog
from naikkelas.registry.models import Person

# Never given out: secrets, look-up keys and what is derived from the rest for searching.
WITHHELD = {"nik_encrypted", "nik_hash", "search_text", "key_hash", "key_encrypted", "password", "token",
            "registration_token"}  # fmt: skip
OWN = (CASCADE, PROTECT, RESTRICT)
NOT_WALKED = {"core", "sessions", "auth", "contenttypes", "admin", "django_tasks_database"}
CHUNK = 2000


@dataclass
class Holdings:
    person_id: int
    records: dict[str, list[dict]] = field(default_factory=dict)  # model label → the person's rows
    references: dict[str, list[int]] = field(default_factory=dict)  # others' records linked to theirs
    history: list[dict] = field(default_factory=list)
    account: dict | None = None

    def count(self) -> int:
        return sum(len(rows) for rows in self.records.values())

    def as_dict(self) -> dict:
        return {
            "person": self.person_id,
            "account": self.account,
            "records": self.records,
            "references": self.references,
            "history": self.history,
        }


def relations(model: type[Model]):
    """Relations pointing at this model from other rows (hidden ones too: a many-to-many's link rows)."""
    for rel in model._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete:
            continue
        if rel.related_model._meta.app_label in NOT_WALKED:
            continue
        yield rel


def walked_models() -> dict[str, str]:
    """Every model with a path to a person, each with what a copy gives of it: "own" (rows whole), "reference"
    (others' rows linked to the person's: their numbers) or "beyond" (reached only through others' records: a
    partnership's sales, say; nothing of it is the person's alone, so nothing is given). The test that a new
    app's models are found compares this with the models whose foreign keys lead to a person."""
    how: dict[str, str] = {Person._meta.label: "own"}
    rank = {"own": 0, "reference": 1, "beyond": 2}
    todo = [Person]
    while todo:
        model = todo.pop()
        mine = how[model._meta.label]
        for rel in relations(model):
            label = rel.related_model._meta.label
            if mine == "own":
                kind = "own" if not rel.many_to_many and rel.on_delete in OWN else "reference"
            else:
                kind = "beyond"
            if label not in how or rank[kind] < rank[how[label]]:
                how[label] = kind
                todo.append(rel.related_model)
    return how


def _value(obj: Model, f):
    if f.name == "nik_masked" or f.name in WITHHELD:
        return None
    value = getattr(obj, f.attname)
    if isinstance(f, FileField):
        return value.name if value else ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _row(obj: Model) -> dict:
    row = {}
    for f in obj._meta.concrete_fields:
        if f.name in WITHHELD:
            continue
        row[f.name] = obj.nik_masked if f.name == "nik_masked" else _value(obj, f)
    return row


def gather(person: Person) -> Holdings:
    """Everything held about the person, their own records whole, others' linked records by number."""
    held = Holdings(person_id=person.pk)
    ids, refs = walk(person)
    for model, pks in sorted(ids.items(), key=lambda item: item[0]._meta.label):
        rows = []
        for part in chunks(sorted(pks)):
            rows += [_row(obj) for obj in model._base_manager.filter(pk__in=part).order_by("pk")]
        held.records[model._meta.label] = rows
    held.references = {
        label: sorted(found - ids.get(apps.get_model(label), set())) for label, found in sorted(refs.items())
    }
    held.references = {label: found for label, found in held.references.items() if found}
    held.account = _account(person)
    held.history = _history(ids)
    return held


def walk(person: Person) -> tuple[dict[type[Model], set[int]], dict[str, set[int]]]:
    """The keys of the person's own records, by model, and of others' records linked to them, by label (what
    gather gives, and what a restriction or an erasure acts on)."""
    ids: dict[type[Model], set[int]] = defaultdict(set)
    refs: dict[str, set[int]] = defaultdict(set)
    todo: dict[type[Model], set[int]] = {Person: {person.pk}}
    while todo:
        model, new = todo.popitem()
        new -= ids[model]
        if not new:
            continue
        ids[model] |= new
        for rel in relations(model):
            related = rel.related_model
            if rel.many_to_many:  # the other side of a shared record: listed by number only
                name = rel.field.name
                found = related._base_manager.filter(**{f"{name}__in": list(new)}).values_list(
                    "pk", flat=True
                )
                refs[related._meta.label].update(found)
                continue
            for part in chunks(sorted(new)):
                found = set(
                    related._base_manager.filter(**{f"{rel.field.name}__in": part}).values_list(
                        "pk", flat=True
                    )
                )
                if not found:
                    continue
                if rel.on_delete in OWN:
                    todo.setdefault(related, set()).update(found)
                else:
                    refs[related._meta.label].update(found)
    return {model: pks for model, pks in ids.items() if pks}, refs


def chunks(items: list[int]):
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _account(person: Person) -> dict | None:
    user = person.user
    if user is None:
        return None
    return {
        "username": user.username,
        "role": user.get_role_display(),
        "joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "cooperatives_managed": sorted(user.managed_cooperatives.values_list("pk", flat=True)),
    }


def _history(ids: dict[type[Model], set[int]]) -> list[dict]:
    """Every audit entry about the gathered records: what and when, and the role and office that did it."""
    entries = []
    for model, pks in ids.items():
        label = model._meta.label_lower
        for part in chunks(sorted(pks)):
            entries += (
                AuditLog.objects.filter(object_type=label, object_id__in=[str(pk) for pk in part])
                .select_related("actor")
                .order_by()
            )
    entries.sort(key=lambda e: (e.at, e.pk))
    return [
        {
            "at": e.at.isoformat(),
            "action": e.get_action_display(),
            "record": f"{e.object_type}:{e.object_id}",
            "by": e.actor.get_role_display() if e.actor else "",
            "office": e.actor.region_id or "" if e.actor else "",
            "fields": sorted((e.after or {}).keys()) if isinstance(e.after, dict) else [],
        }
        for e in entries
    ]
