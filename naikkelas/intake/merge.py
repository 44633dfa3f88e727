"""Merging duplicate businesses into one record, and undoing it.

The officer picks the surviving record and, field by field, whose value stays. Everything attached to the other
records — sources, status history, documents, visits, assessments, KPI targets and reports, cash book, SOPs,
training registrations, capital applications, products — is moved to the survivor, row by row; a row the
survivor already has in the same slot (the same month's report, the same document) stays with the absorbed
record and is listed. The absorbed records are kept, hidden (Business.merged_into), so that the merge can be
undone exactly: the moved rows go back, the survivor's fields return, the records reappear.
"""

from collections.abc import Mapping

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from naikkelas.accounts.scope import scope_for
from naikkelas.core.audit import audit_record, snapshot
from naikkelas.core.models import AuditAction
from naikkelas.intake.duplicates import can_dedupe
from naikkelas.intake.models import ClusterStatus, DuplicateCluster, Merge, PersonMerge, RecordKind
from naikkelas.registry import followers
from naikkelas.registry.models import Business, Person
from naikkelas.registry.search import search_text_for
from naikkelas.registry.tallies import tally_change, tally_key

# The fields an officer chooses between (status follows the survivor's history; the owner is a person record).
MERGE_FIELDS = (
    "name",
    "owner",
    "nib",
    "sector",
    "kbli",
    "address",
    "village",
    "latitude",
    "longitude",
    "phone",
    "founded",
    "employees",
    "assets",
    "annual_revenue",
    "size_class",
)

NOT_ALLOWED = gettext_lazy("Only field officers and office admins merge businesses in their area.")
NOT_A_MEMBER = gettext_lazy("The surviving record must be one of the group.")
DECIDED = gettext_lazy("This group was already decided.")
CHANGED_SINCE = gettext_lazy("The merged business was changed after the merge; undo would lose that change.")
ALREADY_UNDONE = gettext_lazy("This merge was already undone.")


def _related(model=Business):
    """(label, model, field name) of every one-to-many link to a business (or a person)."""
    for rel in model._meta.related_objects:
        if rel.one_to_many and not rel.hidden and rel.related_model is not model:
            yield f"{rel.related_model._meta.label}.{rel.field.name}", rel.related_model, rel.field.name


def _move_rows(model, absorbed, survivor) -> tuple[dict, dict]:
    """Every row attached to the absorbed records goes to the survivor, one by one; a row the survivor already
    has in the same slot (a unique constraint says no) stays. Returns (moved, kept): {label: {id: [row ids]}}."""
    moved: dict[str, dict[str, list[int]]] = {}
    kept: dict[str, dict[str, list[int]]] = {}
    for label, related, field in _related(model):
        for record in absorbed:
            for pk in related._base_manager.filter(**{field: record.pk}).values_list("pk", flat=True):
                try:
                    with transaction.atomic():
                        related._base_manager.filter(pk=pk).update(**{field: survivor.pk})
                except IntegrityError:  # the survivor already has this slot
                    kept.setdefault(label, {}).setdefault(str(record.pk), []).append(pk)
                else:
                    moved.setdefault(label, {}).setdefault(str(record.pk), []).append(pk)
    return moved, kept


def _move_back(moved: dict) -> None:
    for label, per_record in moved.items():
        app_model, field = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        for record_id, pks in per_record.items():
            model._base_manager.filter(pk__in=pks).update(**{field: int(record_id)})


def _search_text(business: Business) -> None:
    business.search_text = search_text_for(
        name=business.name, owner_name=business.owner.name, nib=business.nib
    )


def _require(actor, businesses) -> None:
    scope = scope_for(actor)
    if not can_dedupe(actor) or not all(scope.covers_region(b.village_id) for b in businesses):
        raise PermissionDenied(str(NOT_ALLOWED))


@transaction.atomic
def business_merge(
    *, actor, cluster: DuplicateCluster, survivor_id: int, choices: dict[str, int] | None = None
) -> Merge:
    """choices: field → the id of the member whose value stays (default: the survivor's own)."""
    cluster = DuplicateCluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.status != ClusterStatus.OPEN:
        raise ValidationError({"status": [str(DECIDED)]})
    if survivor_id not in cluster.members:
        raise ValidationError({"survivor": [str(NOT_A_MEMBER)]})
    members = {b.pk: b for b in Business.objects.select_for_update().filter(pk__in=cluster.members)}
    _require(actor, members.values())
    survivor = members[survivor_id]
    absorbed = [members[pk] for pk in cluster.members if pk != survivor_id and pk in members]
    before = snapshot(survivor, MERGE_FIELDS)
    old_key = tally_key(survivor)
    for name, source in (choices or {}).items():
        if name in MERGE_FIELDS and source in members and source != survivor_id:
            field = Business._meta.get_field(name)
            setattr(survivor, field.attname, getattr(members[source], field.attname))
    _search_text(survivor)
    survivor.save()
    tally_change(old_key, tally_key(survivor))
    moved, kept = _move_rows(Business, absorbed, survivor)
    for record in absorbed:
        tally_change(tally_key(record), None)
        Business.all_objects.filter(pk=record.pk).update(merged_into=survivor)
        audit_record(
            actor=actor,
            action=AuditAction.STATUS,
            obj=record,
            region_code=record.village_id,
            after={"merged_into": survivor.pk},
        )
    merge = Merge.objects.create(
        cluster=cluster,
        survivor=survivor,
        absorbed=[b.pk for b in absorbed],
        survivor_before=before,
        moved=moved,
        kept=kept,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=survivor,
        region_code=survivor.village_id,
        before=before,
        after=snapshot(survivor, MERGE_FIELDS) | {"absorbed": merge.absorbed},
    )
    cluster.status, cluster.decided_by, cluster.decided_at = ClusterStatus.MERGED, actor, timezone.now()
    cluster.save()
    followers.businesses_changed([survivor.pk, *merge.absorbed])
    return merge


@transaction.atomic
def merge_undo(*, actor, merge: Merge) -> Merge:
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise ValidationError({"merge": [str(ALREADY_UNDONE)]})
    survivor = Business.all_objects.select_for_update().get(pk=merge.survivor_id)
    absorbed = list(Business.all_objects.select_for_update().filter(pk__in=merge.absorbed))
    _require(actor, [survivor, *absorbed])
    if survivor.updated_at > merge.merged_at:
        raise ValidationError({"merge": [str(CHANGED_SINCE)]})
    _move_back(merge.moved)
    old_key = tally_key(survivor)
    for name, value in merge.survivor_before.items():
        setattr(survivor, Business._meta.get_field(name).attname, value)
    _search_text(survivor)
    survivor.save()
    tally_change(old_key, tally_key(survivor))
    for record in absorbed:
        Business.all_objects.filter(pk=record.pk).update(merged_into=None)
        tally_change(None, tally_key(record))
    merge.undone_at = timezone.now()
    merge.save()
    if merge.cluster_id:
        DuplicateCluster.objects.filter(pk=merge.cluster_id).update(
            status=ClusterStatus.OPEN, decided_by=None, decided_at=None
        )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=survivor,
        region_code=survivor.village_id,
        after={"merge_undone": merge.pk, "restored": merge.absorbed},
    )
    followers.businesses_changed([survivor.pk, *merge.absorbed])
    return merge


# Persons: the fields an officer chooses between. The NIK (with the gender and birth date it holds) is not a
# choice: two different NIKs are two people for Dukcapil, so such a group is refused; otherwise the one NIK there
# is ends on the survivor.
PERSON_FIELDS = ("name", "phone", "email")
NIK_FIELDS = ("nik_encrypted", "nik_hash", "nik_masked", "gender", "birth_date")
TWO_NIKS = gettext_lazy(
    "These records hold two different NIKs: for Dukcapil they are two people. Correct the wrong NIK first."
)
TWO_ACCOUNTS = gettext_lazy("Two of these persons have their own login accounts; only one can stay.")
NOT_A_PERSON_GROUP = gettext_lazy("This group is not a group of persons.")


def _person_region(person_ids) -> list[str]:
    return list(Business.all_objects.filter(owner_id__in=person_ids).values_list("village_id", flat=True))


def _person_values(person: Person) -> dict:
    values = {name: getattr(person, name) for name in (*PERSON_FIELDS, *NIK_FIELDS)}
    values["birth_date"] = values["birth_date"].isoformat() if values["birth_date"] else None
    values["user_id"] = person.user_id
    return values


def _person_restore(person: Person, values: dict) -> None:
    for name, value in values.items():
        setattr(person, name, value)


@transaction.atomic
def person_merge(
    *, actor, cluster: DuplicateCluster, survivor_id: int, choices: dict[str, int] | None = None
) -> PersonMerge:
    """Merge a group of duplicate persons: businesses, training registrations and the login account of the
    others go to the survivor; choices: field (name, phone, email) → the id of the member whose value stays."""
    cluster = DuplicateCluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.kind != RecordKind.PERSON:
        raise ValidationError({"kind": [str(NOT_A_PERSON_GROUP)]})
    if cluster.status != ClusterStatus.OPEN:
        raise ValidationError({"status": [str(DECIDED)]})
    if survivor_id not in cluster.members:
        raise ValidationError({"survivor": [str(NOT_A_MEMBER)]})
    members = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=cluster.members)}
    scope = scope_for(actor)
    if not can_dedupe(actor) or not all(scope.covers_region(v) for v in _person_region(list(members))):
        raise PermissionDenied(str(NOT_ALLOWED))
    if len({p.nik_hash for p in members.values() if p.nik_hash}) > 1:
        raise ValidationError({"nik": [str(TWO_NIKS)]})
    if sum(1 for p in members.values() if p.user_id) > 1:
        raise ValidationError({"user": [str(TWO_ACCOUNTS)]})
    survivor = members[survivor_id]
    absorbed = [members[pk] for pk in cluster.members if pk != survivor_id and pk in members]
    before = _person_values(survivor)
    absorbed_before = {str(p.pk): _person_values(p) for p in absorbed}
    for name, source in (choices or {}).items():
        if name in PERSON_FIELDS and source in members and source != survivor_id:
            setattr(survivor, name, getattr(members[source], name))
    holder = next((p for p in absorbed if p.nik_hash), None)
    account = next((p for p in absorbed if p.user_id), None)
    for p in absorbed:  # the NIK and the account leave the absorbed records first (both are unique)
        Person.all_objects.filter(pk=p.pk).update(merged_into=survivor, user=None, **Person.NO_NIK)
    if holder and not survivor.nik_hash:
        for name in NIK_FIELDS:
            setattr(survivor, name, getattr(holder, name))
    if account and not survivor.user_id:
        survivor.user_id = account.user_id
    survivor.save()
    moved, kept = _move_rows(Person, absorbed, survivor)
    businesses = list(Business.all_objects.filter(owner=survivor).select_related("owner"))
    for business in businesses:
        _search_text(business)
    Business.all_objects.bulk_update(businesses, ["search_text"])
    region = cluster.region_code
    merge = PersonMerge.objects.create(
        cluster=cluster,
        survivor=survivor,
        absorbed=[p.pk for p in absorbed],
        survivor_before=before,
        absorbed_before=absorbed_before,
        moved=moved,
        kept=kept,
        actor=actor,
        region_code=region,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=survivor,
        region_code=region,
        before={k: v for k, v in before.items() if k in PERSON_FIELDS},
        after={**{k: getattr(survivor, k) for k in PERSON_FIELDS}, "absorbed": merge.absorbed},
    )
    cluster.status, cluster.decided_by, cluster.decided_at = ClusterStatus.MERGED, actor, timezone.now()
    cluster.save()
    followers.businesses_changed([b.pk for b in businesses])
    return merge


@transaction.atomic
def person_merge_undo(*, actor, merge: PersonMerge) -> PersonMerge:
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise ValidationError({"merge": [str(ALREADY_UNDONE)]})
    survivor = Person.all_objects.select_for_update().get(pk=merge.survivor_id)
    absorbed = {p.pk: p for p in Person.all_objects.select_for_update().filter(pk__in=merge.absorbed)}
    scope = scope_for(actor)
    if not can_dedupe(actor) or not scope.covers_region(merge.region_code):
        raise PermissionDenied(str(NOT_ALLOWED))
    if survivor.updated_at > merge.merged_at:
        raise ValidationError({"merge": [str(CHANGED_SINCE)]})
    _move_back(merge.moved)
    _person_restore(survivor, merge.survivor_before)  # NIK and account back first: both are unique
    survivor.save()
    for pk, values in merge.absorbed_before.items():
        person = absorbed[int(pk)]
        _person_restore(person, values)
        person.merged_into = None
        person.save()
    businesses = list(
        Business.all_objects.filter(owner_id__in=[survivor.pk, *absorbed]).select_related("owner")
    )
    for business in businesses:
        _search_text(business)
    Business.all_objects.bulk_update(businesses, ["search_text"])
    merge.undone_at = timezone.now()
    merge.save()
    if merge.cluster_id:
        DuplicateCluster.objects.filter(pk=merge.cluster_id).update(
            status=ClusterStatus.OPEN, decided_by=None, decided_at=None
        )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=survivor,
        region_code=merge.region_code,
        after={"merge_undone": merge.pk, "restored": merge.absorbed},
    )
    followers.businesses_changed([b.pk for b in businesses])
    return merge


def cluster_merge(*, actor, cluster: DuplicateCluster, survivor_id: int, keep: Mapping[str, object]):
    """Merge a group of either kind, keeping the survivor and, per field, the value of the record named in
    `keep` (field → record id, as the review page's radio buttons send them: keep_<field>)."""
    persons = cluster.kind == RecordKind.PERSON
    fields = PERSON_FIELDS if persons else MERGE_FIELDS
    choices = {f: int(v) for f in fields if str(v := keep.get(f"keep_{f}") or "").isdigit()}
    merge = person_merge if persons else business_merge
    return merge(actor=actor, cluster=cluster, survivor_id=survivor_id, choices=choices)
