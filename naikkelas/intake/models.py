"""Import batches, where each record came from (file, sheet, row), and likely duplicates found among them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    scope_region_field = "region_code"

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.CharField(_("file"), max_length=255)
    sheet = models.CharField(_("sheet"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=16, default="businesses")
    region_code = models.CharField(_("region"), max_length=13, db_index=True)
    report = models.JSONField(_("report"), default=dict)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")

    def __str__(self) -> str:
        return f"{self.file} ({self.created_at:%Y-%m-%d %H:%M})"


class RecordSource(models.Model):
    """One row of one file that created or confirmed a business: a record keeps all of its sources."""

    business = models.ForeignKey(
        "registry.Business", null=True, blank=True, on_delete=models.CASCADE, related_name="sources"
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.CASCADE, related_name="sources"
    )
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="sources")
    file = models.CharField(max_length=255)
    sheet = models.CharField(max_length=120, blank=True)
    row = models.PositiveIntegerField()
    action = models.CharField(max_length=10)  # created, updated, unchanged
    before = models.JSONField(null=True, blank=True)  # the values an update replaced, to undo the batch
    # A digest of the raw row as the file gave it (cells and the columns they were read into): the same row in a
    # later file, while the record has not changed since, is known unchanged without parsing it again. Blank for a
    # row that drew a warning (it is read again, and warned again) and for cooperatives.
    digest = models.CharField(max_length=24, blank=True, default="")

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        ordering = ["-batch__created_at", "row"]

    def __str__(self) -> str:
        return f"{self.file} / {self.sheet} / {self.row}"


class UploadStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    UNDOING = "undoing", _("Undoing")
    FAILED = "failed", _("Failed")


class ImportUpload(models.Model):
    """A file uploaded through the web page, on its way: checked (a dry run), then imported as a batch."""

    scope_region_field = "region_code"

    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, default="businesses")
    region_code = models.CharField(_("regency"), max_length=13, db_index=True)
    sheet = models.CharField(_("sheet"), max_length=120, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(max_length=10, choices=UploadStatus.choices, default=UploadStatus.UPLOADED)
    check_report = models.JSONField(null=True, blank=True)  # counts and the first problems of each kind
    # Every problem of the last check or import (gzipped JSON lines, NIKs masked: intake.problems), to download.
    problems = models.FileField(upload_to="imports/problems/%Y/%m/", blank=True, max_length=255)
    error = models.TextField(blank=True)
    batch = models.OneToOneField(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="upload"
    )
    # The background task checking or importing it, to tell a task that died from one still at work.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


class DuplicateRun(models.Model):
    """One search for duplicates (naikkelas dedupe, or the web page's background task)."""

    scope_region_field = "region_code"

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region_code = models.CharField(_("region"), max_length=13, blank=True, db_index=True)
    threshold = models.DecimalField(max_digits=5, decimal_places=4)
    backend = models.CharField(max_length=8, default="duckdb")
    records = models.PositiveIntegerField(default=0)  # businesses read
    persons = models.PositiveIntegerField(default=0)  # persons read
    # the model learned from the businesses of this area: wider than the region when the region is small
    training_area = models.CharField(max_length=13, blank=True)
    trained_on = models.PositiveIntegerField(default=0)  # records learned from (businesses, if searched)
    pairs = models.PositiveIntegerField(default=0)
    clusters = models.PositiveIntegerField(default=0)
    seconds = models.DecimalField(max_digits=8, decimal_places=2, default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.region_code or '*'} {self.started_at:%Y-%m-%d %H:%M}"


class ClusterStatus(models.TextChoices):
    OPEN = "terbuka", _("To review")
    MERGED = "digabung", _("Merged")
    NOT_SAME = "berbeda", _("Not the same")
    SKIPPED = "dilewati", _("Skipped")
    STALE = "usang", _("Replaced by a newer search")


class RecordKind(models.TextChoices):
    BUSINESS = "usaha", _("Businesses")
    PERSON = "orang", _("Persons")


class DuplicateCluster(models.Model):
    """Businesses, or persons, that probably are one: the review queue's unit."""

    scope_region_field = "region_code"

    run = models.ForeignKey(DuplicateRun, on_delete=models.CASCADE, related_name="found")
    kind = models.CharField(
        max_length=5, choices=RecordKind.choices, default=RecordKind.BUSINESS, db_index=True
    )
    members = models.JSONField()  # business (or person) ids, ascending
    names = models.TextField(blank=True)  # the members' names when found, lower case: the queue's search
    pairs = models.JSONField(default=list)  # [{"a", "b", "probability"}]
    probability = models.DecimalField(max_digits=5, decimal_places=4)  # the strongest pair
    region_code = models.CharField(max_length=13, db_index=True)  # the first member's village
    status = models.CharField(
        max_length=10, choices=ClusterStatus.choices, default=ClusterStatus.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-probability", "id"]

    def __str__(self) -> str:
        return ", ".join(str(m) for m in self.members)


class NotSame(models.Model):
    """Two businesses (or two persons) an officer said are different: never proposed together again. Plain ids,
    not foreign keys, so that one table serves both kinds."""

    kind = models.CharField(max_length=5, choices=RecordKind.choices, default=RecordKind.BUSINESS)
    a = models.PositiveBigIntegerField(db_column="a_id")
    b = models.PositiveBigIntegerField(db_column="b_id")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "a", "b"], name="not_same_once_per_kind"),
            models.CheckConstraint(condition=models.Q(a__lt=models.F("b")), name="not_same_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.a} ≠ {self.b}"


class MergeBase(models.Model):
    """A group of duplicates merged into one record, with everything needed to undo it."""

    cluster = models.ForeignKey(
        DuplicateCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    absorbed = models.JSONField()  # ids of the records merged into the survivor
    survivor_before = models.JSONField()  # the survivor's fields before the merge
    moved = models.JSONField(default=dict)  # {"app.Model.field": {absorbed id: [row ids]}}
    kept = models.JSONField(
        default=dict
    )  # rows left with the absorbed record (the survivor had the same one)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.absorbed} → {self.survivor_id}"


class Merge(MergeBase):
    """Duplicate businesses merged into one."""

    scope_region_field = "survivor__village__code"
    kind = RecordKind.BUSINESS

    survivor = models.ForeignKey("registry.Business", on_delete=models.PROTECT, related_name="merges")

    class Meta(MergeBase.Meta):
        verbose_name = _("merge of duplicate businesses")
        verbose_name_plural = _("merges of duplicate businesses")
        pass


class PersonMerge(MergeBase):
    """Duplicate persons merged into one: their businesses, training registrations and login account go to the
    survivor; the NIK too when only an absorbed record had it (absorbed_before keeps what the absorbed had)."""

    scope_region_field = "region_code"
    kind = RecordKind.PERSON

    survivor = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="merges")
    absorbed_before = models.JSONField(default=dict)  # {absorbed id: {field: value}}
    region_code = models.CharField(max_length=13, db_index=True)  # the group's region

    class Meta(MergeBase.Meta):
        verbose_name = _("merge of duplicate persons")
        verbose_name_plural = _("merges of duplicate persons")
        pass
