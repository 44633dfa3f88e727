"""Restriction and erasure of a person's data (UU 27/2022 Pasal 8 and 11), within the duties other laws give the
office (Pasal 15 and 16 ayat 2 huruf f: data is kept as long as a law requires).

Every kind of record a person can have (holdings.walked_models: "own") declares here what an erasure does to it —
deleted, anonymised or kept — and why, and what a restriction does not stop. A new app's model with a path to a
person fails tests/privacy/test_erasure.py until it is declared, so nothing is forgotten.

- **Restriction**: the person's records stay, untouched, but the person is marked (Person.restricted_at) and left out
  of every list, search, duplicate matching, invitation, export and the public catalogue. What another law keeps
  processing (a loan is still collected) is named in the answer.
- **Erasure**: what no law keeps is deleted (with its files) or anonymised; the audit trail keeps the fact of every
  change but no longer its values. Where a kept record needs to know who the person is (a loan, a training
  certificate), the person's identity stays and is restricted instead; the answer says which records and why.
  The login account is closed either way.
"""

from dataclasses import asdict, dataclass, fields

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import router, transaction
from django.db.models import FileField, Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import AuditLog
from naikkelas.privacy.holdings import chunks, walk
from naikkelas.privacy.models import Consent
from naikkelas.registry.models import Business, Person
from naikkelas.registry.search import search_text_for

DELETE, ANONYMISE, KEEP = "delete", "anonymise", "keep"


@dataclass(frozen=True)
class Duty:
    erasure: str  # DELETE, ANONYMISE or KEEP
    reason: str
    identity: bool = (
        False  # a kept record that must know who the person is (name, NIK): the person is kept too
    )
    continues: str = ""  # processing a restriction does not stop, and the law that keeps it going


FINANCE = _(
    "state finance records: capital aid is accounted for and its repayments collected (UU 1/2004 on the State "
    "Treasury); kept 10 years after the last payment"
)
COLLECTED = _("repayments are still collected and reminded (UU 1/2004 on the State Treasury)")
TRAINING = _(
    "proof of the training budget's spending (attendance lists) and certificates that employers check later; "
    "kept 10 years"
)
CERTIFIED = _("a certificate can still be checked by its number")
COACHING = _("coaching records serve only the coaching of this person")
CATALOGUE = _("the public catalogue rests on the owner's consent")
OPPORTUNITY = _("invitations, offers and readiness serve only this business's opportunities")
REGISTRY = _(
    "the registry keeps the business as a count (PP 7/2021, the single KUMKM database); nothing left in it names "
    "the person"
)
PERSON = _("the person's name, NIK, phone, e-mail, birth date and education are removed")
PROOF = _("proof to the supervising authority that requests and consents were handled (Pasal 47)")
ANSWERED = _("the request is answered as the law requires")
SHARED = _("the record is also other businesses'; the business in it no longer names the person")
HISTORY = _("the history of the registry's statuses; it holds no personal data")
IDENTITY_KEPT = _(
    "kept, with the person's identity, because records a law keeps (above) must know who the person is; no longer "
    "processed otherwise"
)
MERGES = _("the snapshots kept to undo a merge of duplicates hold the person's former data")

DUTIES: dict[str, Duty] = {
    "registry.Person": Duty(ANONYMISE, PERSON),
    "registry.Business": Duty(ANONYMISE, REGISTRY),
    "registry.LegalDocument": Duty(DELETE, REGISTRY),
    "registry.Declaration": Duty(DELETE, COACHING),
    "registry.StatusChange": Duty(KEEP, HISTORY),
    "catalog.Product": Duty(DELETE, CATALOGUE),
    "catalog.ProductDaily": Duty(DELETE, CATALOGUE),
    "catalog.ProductPhoto": Duty(DELETE, CATALOGUE),
    "catalog.Scenario": Duty(DELETE, CATALOGUE),
    "catalog.ShopLink": Duty(DELETE, CATALOGUE),
    "financing.Application": Duty(KEEP, FINANCE, identity=True, continues=COLLECTED),
    "financing.ApplicationDocument": Duty(KEEP, FINANCE, identity=True, continues=COLLECTED),
    "financing.Disbursement": Duty(KEEP, FINANCE, identity=True, continues=COLLECTED),
    "financing.Installment": Duty(KEEP, FINANCE, identity=True, continues=COLLECTED),
    "financing.Payment": Duty(KEEP, FINANCE, identity=True, continues=COLLECTED),
    "financing.Referral": Duty(KEEP, FINANCE, identity=True),
    "intake.Merge": Duty(DELETE, MERGES),
    "intake.PersonMerge": Duty(DELETE, MERGES),
    "intake.RecordSource": Duty(DELETE, COACHING),
    "lifecycle.Answer": Duty(DELETE, COACHING),
    "lifecycle.Assessment": Duty(DELETE, COACHING),
    "lifecycle.VerificationVisit": Duty(DELETE, COACHING),
    "lifecycle.VisitPhoto": Duty(DELETE, COACHING),
    "opportunities.EventRegistration": Duty(DELETE, OPPORTUNITY),
    "opportunities.EventRegistration_wants": Duty(DELETE, OPPORTUNITY),
    "opportunities.Invitation": Duty(DELETE, OPPORTUNITY),
    "opportunities.Meeting": Duty(DELETE, OPPORTUNITY),
    "opportunities.Offer": Duty(DELETE, OPPORTUNITY),
    "opportunities.Partnership_businesses": Duty(KEEP, SHARED),
    "opportunities.ProcurementPackage": Duty(KEEP, FINANCE),
    "opportunities.Readiness": Duty(DELETE, OPPORTUNITY),
    "performance.Entry": Duty(DELETE, COACHING),
    "performance.MonthlyReport": Duty(DELETE, COACHING),
    "performance.ReportValue": Duty(DELETE, COACHING),
    "performance.SopAdoption": Duty(DELETE, COACHING),
    "performance.Target": Duty(DELETE, COACHING),
    "privacy.Consent": Duty(KEEP, PROOF),
    "privacy.DataRequest": Duty(KEEP, PROOF, continues=ANSWERED),
    "training.Attendance": Duty(KEEP, TRAINING, identity=True),
    "training.Certificate": Duty(KEEP, TRAINING, identity=True, continues=CERTIFIED),
    "training.Registration": Duty(KEEP, TRAINING, identity=True),
    "training.TestResult": Duty(KEEP, TRAINING, identity=True),
}

# What an erasure puts in place of a person's and a business's own data.
ERASED_NAME = gettext_lazy("(erased)")
PERSON_BLANK = {**Person.NO_NIK, "phone": "", "email": "", "education": "", "has_disability": None}
BUSINESS_BLANK = {
    "address": "",
    "phone": "",
    "latitude": None,
    "longitude": None,
    "nib": "",
    "external_ref": "",
}

DONE_LABELS = {
    DELETE: gettext_lazy("deleted"),
    ANONYMISE: gettext_lazy("anonymised"),
    KEEP: gettext_lazy("kept"),
    "restricted": gettext_lazy("kept, restricted"),
    "linked": gettext_lazy("kept: linked to a record a law keeps"),
}


@dataclass
class Line:
    """One kind of record and what was, or will be, done to it (kept with the request as the reasons were given;
    the kind of record and what was done are named in the reader's language)."""

    label: str  # the model's label (app.Model)
    count: int
    done: str  # a key of DONE_LABELS
    reason: str
    continues: str = ""

    @classmethod
    def stored(cls, row: dict) -> "Line":
        return cls(**{f.name: row[f.name] for f in fields(cls) if f.name in row})

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def name(self) -> str:
        try:
            return record_name(apps.get_model(self.label))
        except LookupError:  # a kind of record a later version no longer has
            return self.label

    @property
    def done_label(self) -> str:
        return str(DONE_LABELS[self.done])


def record_name(model: type[Model]) -> str:
    """A kind of record as people read it: the model's plural name; a many-to-many's link rows by the field
    ("usaha: kemitraan"), as Django names them only by the tables."""
    source = model._meta.auto_created
    if source:
        field = next(f for f in source._meta.many_to_many if f.remote_field.through is model)
        return f"{source._meta.verbose_name_plural}: {field.verbose_name}"
    return str(model._meta.verbose_name_plural)


def keeps_identity(ids: dict[type[Model], set[int]]) -> bool:
    return any(DUTIES[model._meta.label].identity for model in ids)


def plan(person: Person, *, kind: str, ids: dict[type[Model], set[int]] | None = None) -> list[Line]:
    """What a restriction ("restriction") or an erasure ("erasure") of this person would do, per kind of record
    the person has: for the officer before they answer, and the answer's explanation. `ids`: the person's walk,
    when the caller has it already."""
    if ids is None:
        ids, _refs = walk(person)
    identity = keeps_identity(ids)
    lines = []
    for model, pks in sorted(ids.items(), key=lambda item: item[0]._meta.label):
        duty = DUTIES[model._meta.label]
        if kind == "restriction":
            done = KEEP if duty.continues else "restricted"
            lines.append(Line(model._meta.label, len(pks), done, str(duty.continues or ""),
                              str(duty.continues or "")))  # fmt: skip
            continue
        done, reason = duty.erasure, duty.reason
        if identity and model in (Person, Business):
            done, reason = (
                "restricted",
                IDENTITY_KEPT,
            )  # the kept records need to know who: restricted instead
        lines.append(Line(model._meta.label, len(pks), done, str(reason)))
    return lines


def explain(lines: list[Line], *, kind: str) -> str:
    """The answer's explanation, one sentence per kind of record, in the language of the request."""
    head = (
        gettext("Your data stays, but is no longer shown in lists, searches, duplicate checks, invitations, exports "
                "or the public catalogue.")
        if kind == "restriction"
        else gettext("What was done with each kind of record:")
    )  # fmt: skip
    parts = [head]
    for line in lines:
        text = f"{line.name} ({line.count}): {line.done_label}"
        if kind == "restriction" and line.continues:
            text += " — " + gettext("still processed: %(why)s") % {"why": line.continues}
        elif kind != "restriction" and line.reason:
            text += f" — {line.reason}"
        parts.append(text)
    return "\n".join(parts)


# Carrying them out (called by privacy.services.request_decide, which checks who may) --------------------------


def restrict(person: Person, *, now=None) -> list[Line]:
    ids, _refs = walk(person)
    lines = plan(person, kind="restriction", ids=ids)
    Person.all_objects.filter(pk=person.pk).update(restricted_at=now or timezone.now())
    _leave_duplicate_queue(ids, erase=False)
    _retire_public_pages()
    return lines


def lift(person: Person) -> None:
    Person.all_objects.filter(pk=person.pk).update(restricted_at=None)
    _retire_public_pages()


def erase(person: Person, *, now=None) -> list[Line]:
    """Delete and anonymise what no law keeps (in the caller's transaction); returns what was done."""
    now = now or timezone.now()
    ids, _refs = walk(person)
    identity = keeps_identity(ids)
    lines = plan(person, kind="erasure", ids=ids)
    kept = {
        label for label, duty in DUTIES.items() if duty.erasure != DELETE
    }  # the person and business included
    doomed = [line for line in lines if line.done == DELETE]
    # Read before any delete: a parent's cascade may take a child's rows first (a product, its photos).
    stored = {line.label: _files(_model(ids, line.label), ids[_model(ids, line.label)]) for line in doomed}
    files: list[str] = []
    for line in doomed:
        model = _model(ids, line.label)
        if _delete(model, ids[model], kept):
            files += stored[line.label]
        else:
            line.done = "linked"
    stripped = [m for m in ids if DUTIES[m._meta.label].erasure != KEEP]
    for model in stripped:  # the fact of each change stays; its values go
        for part in chunks(sorted(ids[model])):
            AuditLog.objects.filter(
                object_type=model._meta.label_lower, object_id__in=[str(pk) for pk in part]
            ).update(before=None, after=None)
    persons = ids.get(Person, {person.pk})  # the person, and duplicates merged into them
    _leave_duplicate_queue(ids, erase=True)
    Consent.objects.filter(person__in=persons, withdrawn_at=None).update(withdrawn_at=now)
    _close_accounts(persons)
    if not identity:
        Person.all_objects.filter(pk__in=persons).update(name=str(ERASED_NAME), **PERSON_BLANK)
        Business.all_objects.filter(pk__in=ids.get(Business, ())).update(
            name=str(ERASED_NAME), search_text=search_text_for(name=str(ERASED_NAME), owner_name="", nib=""),
            **BUSINESS_BLANK,
        )  # fmt: skip
    Person.all_objects.filter(pk__in=persons).update(restricted_at=now, erased_at=now)
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    _retire_public_pages()
    return lines


def _leave_duplicate_queue(ids, *, erase: bool) -> int:
    """Groups of likely duplicates holding the person or their businesses (kept by id, not by key: the walk does
    not reach them) leave the review queue; an erasure also blanks the names they were found under."""
    from naikkelas.intake.models import ClusterStatus, DuplicateCluster, RecordKind

    mine = {RecordKind.BUSINESS: ids.get(Business, set()), RecordKind.PERSON: ids.get(Person, set())}
    groups = (
        DuplicateCluster.objects.all()
        if erase
        else DuplicateCluster.objects.filter(status=ClusterStatus.OPEN)
    )
    found = [
        pk
        for pk, kind, members in groups.values_list("pk", "kind", "members").iterator(chunk_size=5000)
        if mine.get(kind) and not mine[kind].isdisjoint(members)
    ]
    for part in chunks(found):
        DuplicateCluster.objects.filter(pk__in=part, status=ClusterStatus.OPEN).update(
            status=ClusterStatus.STALE
        )
        if erase:
            DuplicateCluster.objects.filter(pk__in=part).update(names="")
    return len(found)


def _model(ids, label):
    return next(model for model in ids if model._meta.label == label)


def _files(model: type[Model], pks: set[int]) -> list[str]:
    """The stored files of these rows (photos, documents), to delete once the erasure commits."""
    names = [f.attname for f in model._meta.concrete_fields if isinstance(f, FileField)]
    if not names:
        return []
    found = []
    for part in chunks(sorted(pks)):
        for row in model._base_manager.filter(pk__in=part).values_list(*names):
            found += [name for name in row if name]
    return found


def _delete(model: type[Model], pks: set[int], kept: set[str]) -> bool:
    """Delete the rows unless that would take a kept record with them (a cascade) or is forbidden (protect)."""
    qs = model._base_manager.filter(pk__in=pks)
    collector = Collector(using=router.db_for_write(model), origin=qs)
    try:
        collector.collect(qs)
    except (ProtectedError, RestrictedError):
        return False
    if any(m._meta.label in kept for m in collector.data) or any(
        q.model._meta.label in kept for q in collector.fast_deletes
    ):
        return False
    with transaction.atomic():
        collector.delete()
    return True


def _close_accounts(persons) -> None:
    from naikkelas.accounts.models import User

    for user in User.objects.filter(person__pk__in=persons):
        user.is_active = False
        user.set_unusable_password()
        user.username, user.email, user.first_name, user.last_name = f"dihapus-{user.pk}", "", "", ""
        user.save(update_fields=["is_active", "password", "username", "email", "first_name", "last_name"])


def _retire_public_pages() -> None:
    from naikkelas.catalog.services import bump  # the public pages are cached: retire them all

    transaction.on_commit(bump)
