"""Personal data breaches (UU 27/2022 Pasal 46): an incident is recorded with the window it happened in, the data
concerned and, if the breach went through one account, that account; the people it may have touched are computed
from the audit log; within 3×24 hours of finding it the people are told (by the outbox: SMS or WhatsApp, else
e-mail) and the authority gets a notice as PDF.

Who may have been touched: every person whose record (or whose business's, registration's, application's…
record) the audit log shows viewed, changed or exported in the window and the region, through the account if one is
named. A list export names no record: it counts every owner of a business in the export's region (a breach notice
errs on the side of telling). Of those, only people holding data of the categories concerned (a NIK, a phone…)."""

from collections import Counter
from datetime import timedelta

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import region_q
from naikkelas.core import outbox
from naikkelas.core.audit import audit_record, export_record
from naikkelas.core.bulk import one_parameter
from naikkelas.core.dates import moment
from naikkelas.core.models import AuditAction, AuditLog, Channel
from naikkelas.core.validation import ParseError, parse_moment
from naikkelas.privacy.models import DataCategory, Incident
from naikkelas.registry.models import Business, Person

NOTIFY_WITHIN = timedelta(hours=72)
CHUNK = 2000
can_handle = permissions.rule("handle_breaches")
NOT_YOURS = gettext_lazy("Only the admins of the office whose area it concerns handle a breach.")
REQUIRED = gettext_lazy("%(field)s is required.")
BAD_MOMENT = gettext_lazy("%(field)s: not a date and time (for example 2026-12-01 14:30).")
WINDOW_BACKWARDS = gettext_lazy("The end of the window comes before its start.")
FOUND_BEFORE = gettext_lazy("It cannot have been found before it started.")
IN_FUTURE = gettext_lazy("%(field)s lies in the future.")
NO_CATEGORY = gettext_lazy("Name at least one kind of data concerned.")
UNKNOWN_ACCOUNT = gettext_lazy("No account of your area has this user name.")
ALREADY_TOLD = gettext_lazy("The people were told already (%(when)s, %(n)s messages).")
NOTICE = gettext_lazy(
    "naikkelas: notice of a personal data breach from the Dinas Koperasi dan UMKM. %(title)s. It happened between "
    "%(start)s and %(end)s and was found %(found)s. Your data that may be concerned: %(categories)s. What we have "
    "done: %(measures)s To ask what we hold about you, or to have it corrected: %(url)s"
)
LABELS = {
    "title": gettext_lazy("What happened"), "description": gettext_lazy("Description"),
    "found_at": gettext_lazy("Found at"), "window_from": gettext_lazy("From"), "window_to": gettext_lazy("Until"),
}  # fmt: skip
# Categories and the persons who hold data of them (others: every person may).
HOLDS = {DataCategory.NIK: ~Q(nik_hash=""), DataCategory.PHONE: ~Q(phone=""), DataCategory.EMAIL: ~Q(email=""),
         DataCategory.BIRTH: Q(birth_date__isnull=False)}  # fmt: skip


def due_at(incident: Incident):
    return incident.found_at + NOTIFY_WITHIN


@transaction.atomic
def incident_record(*, actor, data) -> Incident:
    """Record a breach of the actor's area; every field checked, an Indonesian message naming it."""
    permissions.require(can_handle(actor), NOT_YOURS)
    errors: dict[str, list[str]] = {}
    fields: dict = {}
    for name in ("title", "description"):
        value = str(data.get(name) or "").strip()
        if not value:
            errors[name] = [str(REQUIRED % {"field": LABELS[name]})]
        fields[name] = value[: 200 if name == "title" else 4000]
    now = timezone.now()
    for name in ("found_at", "window_from", "window_to"):
        try:
            at = parse_moment(data.get(name))
        except ParseError:
            errors[name] = [str(BAD_MOMENT % {"field": LABELS[name]})]
            continue
        if at is None:
            errors[name] = [str(REQUIRED % {"field": LABELS[name]})]
        elif at > now + timedelta(minutes=5):
            errors[name] = [str(IN_FUTURE % {"field": LABELS[name]})]
        fields[name] = at
    start, end, found = fields.get("window_from"), fields.get("window_to"), fields.get("found_at")
    if start and end and end < start:
        errors.setdefault("window_to", []).append(str(WINDOW_BACKWARDS))
    if start and found and found < start:
        errors.setdefault("found_at", []).append(str(FOUND_BEFORE))
    categories = [c for c in data.get("categories") or [] if c in DataCategory.values]
    if not categories:
        errors["categories"] = [str(NO_CATEGORY)]
    try:
        region = permissions.region_in_area(actor, data.get("region"))
    except ValidationError as err:
        errors.update(err.message_dict)
        region = None
    account = None
    if str(data.get("account") or "").strip():
        from django.contrib.auth import get_user_model

        account = get_user_model().objects.filter(username=str(data["account"]).strip()).first()
        if account is None or (account.region_id and not permissions.covers(actor, account.region_id)):
            errors["account"] = [str(UNKNOWN_ACCOUNT)]
    if errors:
        raise ValidationError(errors)
    incident = Incident.objects.create(**fields, measures=str(data.get("measures") or "").strip()[:4000],
                                       account=account, categories=categories, region_code=region.code,
                                       recorded_by=actor)  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=incident, region_code=incident.region_code,
                 after={"title": incident.title, "categories": categories})  # fmt: skip
    return incident


def affected(incident: Incident):
    """The persons the breach may have touched (see the module's note), as a queryset."""
    entries = AuditLog.objects.filter(
        region_q("region_code", [incident.region_code], narrow=False),
        at__gte=incident.window_from, at__lte=incident.window_to,
    ).exclude(action=AuditAction.REFUSED)  # fmt: skip
    if incident.account_id:
        entries = entries.filter(actor_id=incident.account_id)
    ids: dict[str, set[int]] = {}
    regions: set[str] = set()
    for object_type, object_id, action, region in entries.values_list("object_type", "object_id", "action",
                                                                       "region_code").iterator():  # fmt: skip
        if action == AuditAction.EXPORT and object_type == "accounts.user":
            regions.add(region or incident.region_code)  # a list export: the whole of its region
        elif object_id.isdigit():
            ids.setdefault(object_type, set()).add(int(object_id))
    person_ids: set[int] = set()
    for object_type, pks in ids.items():
        person_ids |= _persons_of(object_type, sorted(pks))
    persons = Q(pk__in=one_parameter(sorted(person_ids)))  # one parameter however many people
    for code in regions:
        persons |= Q(
            pk__in=Business.objects.filter(region_q("village__code", [code], narrow=False)).values("owner_id")
        )
    held = Q(pk__in=[])
    if any(c not in HOLDS for c in incident.categories):
        held = Q()
    else:
        for category in incident.categories:
            held |= HOLDS[category]
    return Person.objects.filter(persons).filter(held)


def _persons_of(object_type: str, pks: list[int]) -> set[int]:
    """The persons behind these records of one kind (the record itself, its person or owner, its business's
    owner…), read a chunk of keys at a time."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return set()
    if model is Person:
        return set(pks)
    for path in (
        "person",
        "owner",
        "business__owner",
        "registration__person",
        "application__business__owner",
    ):
        try:
            model._meta.get_field(path.split("__")[0])
        except FieldDoesNotExist:
            continue
        column = f"{path}_id" if "__" not in path else path
        found: set[int] = set()
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            found.update(model._base_manager.filter(pk__in=chunk).values_list(column, flat=True))
        found.discard(None)
        return found
    return set()


def by_region(incident: Incident) -> list[tuple[str, int]]:
    """How many affected people per regency (where they are served), for the authority's notice."""
    counts = Counter(
        (code or "")[:5]
        for code in Business.objects.filter(owner__in=affected(incident)).values_list("village_id", flat=True)
    )
    return sorted(counts.items())


def may_handle(user, incident: Incident) -> bool:
    return can_handle(user) and permissions.in_scope(user, incident)


@transaction.atomic
def notify_people(*, actor, incident: Incident, url: str) -> int:
    """Tell every affected person who can be reached (phone, else e-mail), once; returns how many messages."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    permissions.require(may_handle(actor, incident), NOT_YOURS)
    if incident.people_notified_at:
        raise ValidationError(str(ALREADY_TOLD) % {"when": moment(incident.people_notified_at),
                                                   "n": incident.people_notified})  # fmt: skip
    text = str(NOTICE) % {
        "title": incident.title.rstrip("."), "start": moment(incident.window_from), "end": moment(incident.window_to),
        "found": moment(incident.found_at), "categories": categories_text(incident),
        "measures": (incident.measures.strip().rstrip(".") + ".") if incident.measures.strip() else "-", "url": url,
    }  # fmt: skip
    n = 0
    for phone, email in affected(incident).values_list("phone", "email").iterator():
        if phone:
            outbox.queue(to=phone, text=text, purpose="breach_notice", region_code=incident.region_code)
        elif email:
            outbox.queue(to=email, text=text, purpose="breach_notice", channel=Channel.EMAIL,
                         region_code=incident.region_code)  # fmt: skip
        else:
            continue
        n += 1
    incident.people_notified_at, incident.people_notified = timezone.now(), n
    incident.save(update_fields=["people_notified_at", "people_notified"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=incident, region_code=incident.region_code,
                 after={"people_notified": n, "late": incident.people_notified_at > due_at(incident)})  # fmt: skip
    return n


@transaction.atomic
def authority_notified(*, actor, incident: Incident) -> Incident:
    """The notice (PDF) went to the authority: the moment is kept, and whether it was within 3×24 hours."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    permissions.require(may_handle(actor, incident), NOT_YOURS)
    if incident.authority_notified_at is None:
        incident.authority_notified_at = timezone.now()
        incident.save(update_fields=["authority_notified_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=incident, region_code=incident.region_code,
                     after={"authority_notified": True,
                            "late": incident.authority_notified_at > due_at(incident)})  # fmt: skip
    return incident


def authority_notice(*, actor, incident: Incident) -> dict:
    """What the authority's notice shows (Pasal 46 ayat 2: the data, when and how, the handling and recovery),
    without any person's data: counts only (the DPO may read it too). Audited as an export."""
    from naikkelas.privacy.selectors import overseen

    permissions.require(
        permissions.can(actor, "oversee_privacy")
        and overseen(Incident.objects.filter(pk=incident.pk), actor).exists(),
        NOT_YOURS,
    )
    people = affected(incident)
    export_record(actor=actor, export="breach-notice", obj=incident, region_code=incident.region_code,
                  rows=people.count())  # fmt: skip
    return {"incident": incident, "people": people.count(), "by_region": by_region(incident),
            "categories": categories_text(incident), "due": due_at(incident)}  # fmt: skip


def categories_text(incident: Incident) -> str:
    labels = dict(DataCategory.choices)
    return ", ".join(str(labels[c]) for c in incident.categories if c in labels)
