"""Merging duplicate businesses into one record, and undoing it.

The officer picks the surviving record and, field by field, whose value stays. Everything attached to the other
records — sources, status history, documents, visits, assessments, KPI targets and reports, cash book, SOPs,
training registrations, capital applications, products — is moved to the survivor, row by row; a row the
survivor already has in the same slot (the same month's report, the same document) stays with the absorbed
record and is listed. The absorbed records are kept, hidden (Business.merged_into), so that the merge can be
undone exactly: the moved rows go back, the survivor's fields return, the records reappear.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from naikkelas.accounts.scope import scope_for
from naikkelas.core.audit import audit_record, snapshot
from naikkelas.core.models import AuditAction
from naikkelas.intake.duplicates import can_dedupe
from naikkelas.intake.models import ClusterStatus, DuplicateCluster, Merge
from naikkelas.registry import followers
from naikkelas.registry.models import Business
from naikkelas.registry.tallies import tally_change, tally_key

# The fields an officer chooses between (status follows the survivor's history; the owner is a person record).
MERGE_FIELDS = ("name", "owner", "nib", "sector", "kbli", "address", "village", "latitude", "longitude", "phone",
                "founded", "employees", "assets", "annual_revenue", "size_class")  # fmt: skip

NOT_ALLOWED = gettext_lazy("Only field officers and office admins merge businesses in their area.")
NOT_A_MEMBER = gettext_lazy("The surviving record must be one of the group.")
DECIDED = gettext_lazy("This group was already decided.")
CHANGED_SINCE = gettext_lazy("The merged business was changed after the merge; undo would lose that change.")
ALREADY_UNDONE = gettext_lazy("This merge was already undone.")


def _related():
    """(label, model, field name) of every one-to-many link to a business."""
    for rel in Business._meta.related_objects:
        if rel.one_to_many and not rel.hidden and rel.related_model is not Business:
            yield f"{rel.related_model._meta.label}.{rel.field.name}", rel.related_model, rel.field.name


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
    survivor.save()
    tally_change(old_key, tally_key(survivor))
    moved: dict[str, dict[str, list[int]]] = {}
    kept: dict[str, dict[str, list[int]]] = {}
    for label, model, field in _related():
        for record in absorbed:
            for pk in model._base_manager.filter(**{field: record.pk}).values_list("pk", flat=True):
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=pk).update(**{field: survivor.pk})
                except IntegrityError:  # the survivor already has this slot
                    kept.setdefault(label, {}).setdefault(str(record.pk), []).append(pk)
                else:
                    moved.setdefault(label, {}).setdefault(str(record.pk), []).append(pk)
    for record in absorbed:
        tally_change(tally_key(record), None)
        Business.all_objects.filter(pk=record.pk).update(merged_into=survivor)
        audit_record(actor=actor, action=AuditAction.STATUS, obj=record, region_code=record.village_id,
                     after={"merged_into": survivor.pk})  # fmt: skip
    merge = Merge.objects.create(cluster=cluster, survivor=survivor, absorbed=[b.pk for b in absorbed],
                                 survivor_before=before, moved=moved, kept=kept, actor=actor)  # fmt: skip
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=survivor, region_code=survivor.village_id,
                 before=before, after=snapshot(survivor, MERGE_FIELDS) | {"absorbed": merge.absorbed})  # fmt: skip
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
    for label, per_record in merge.moved.items():
        app_model, field = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        for record_id, pks in per_record.items():
            model._base_manager.filter(pk__in=pks).update(**{field: int(record_id)})
    old_key = tally_key(survivor)
    for name, value in merge.survivor_before.items():
        setattr(survivor, Business._meta.get_field(name).attname, value)
    survivor.save()
    tally_change(old_key, tally_key(survivor))
    for record in absorbed:
        Business.all_objects.filter(pk=record.pk).update(merged_into=None)
        tally_change(None, tally_key(record))
    merge.undone_at = timezone.now()
    merge.save()
    if merge.cluster_id:
        DuplicateCluster.objects.filter(pk=merge.cluster_id).update(status=ClusterStatus.OPEN, decided_by=None,
                                                                    decided_at=None)  # fmt: skip
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=survivor, region_code=survivor.village_id,
                 after={"merge_undone": merge.pk, "restored": merge.absorbed})  # fmt: skip
    followers.businesses_changed([survivor.pk, *merge.absorbed])
    return merge
