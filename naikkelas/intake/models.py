"""Import batches and where each record came from (file, sheet, row)."""

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

    class Meta:
        ordering = ["-batch__created_at", "row"]

    def __str__(self) -> str:
        return f"{self.file} / {self.sheet} / {self.row}"


class UploadStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
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
    check_report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    batch = models.OneToOneField(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="upload"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
