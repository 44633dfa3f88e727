"""Verification visits, the modernisation scorecard (versioned instruments and assessments), and the funnel's
pre-aggregated history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from naikkelas.lifecycle.constants import LEVEL_NAMES, InstrumentStatus, VisitOutcome


class VerificationVisit(models.Model):
    """A field officer's visit that checks whether a business still operates."""

    scope_region_field = "business__village__code"
    scope_owner_field = "business__owner__user"

    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="visits", verbose_name=_("business")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("field officer"),
    )
    visited_on = models.DateField(_("visit date"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=VisitOutcome.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Set by the phone for a visit queued offline, so that sending it twice records it once.
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("verification visit")
        verbose_name_plural = _("verification visits")
        indexes = [models.Index(fields=["business", "visited_on"], name="visit_business_day")]

    def __str__(self) -> str:
        return f"{self.business_id} {self.visited_on} {self.outcome}"


def visit_photo_path(instance, filename: str) -> str:
    return f"visits/{instance.visit.visited_on:%Y/%m}/{instance.visit_id}-{filename}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(VerificationVisit, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to=visit_photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name


class Instrument(models.Model):
    """A version of the modernisation scorecard. Once an assessment uses it, it is never edited again: changes
    go into a new version, so old answers keep the meaning they had."""

    name = models.CharField(_("name"), max_length=120)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=8, choices=InstrumentStatus.choices, default=InstrumentStatus.DRAFT
    )
    # Score cut-offs for levels 2, 3, 4 and 5 (a score below the first is level 1).
    level_cutoffs = models.JSONField(_("level cut-offs"), default=list)
    modern_level = models.PositiveSmallIntegerField(_("lowest level that counts as modern"), default=4)
    innovation_required = models.BooleanField(
        _("modern also needs an innovation in the last 12 months"), default=True
    )
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("scorecard instrument")
        verbose_name_plural = _("scorecard instruments")
        constraints = [
            models.UniqueConstraint(fields=["version"], name="instrument_unique_version"),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="active"), name="instrument_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Question(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=40)
    text = models.CharField(_("question (Indonesian)"), max_length=255)
    text_en = models.CharField(_("question (English)"), max_length=255, blank=True)
    # The training topic that closes a gap on this question (training programmes use the same keys).
    topic = models.SlugField(_("training topic"), max_length=40)
    weight = models.PositiveSmallIntegerField(_("weight"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["instrument", "key"], name="question_unique_key")]

    def __str__(self) -> str:
        return self.key


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("answer (Indonesian)"), max_length=200)
    label_en = models.CharField(_("answer (English)"), max_length=200, blank=True)
    # Share of the question's weight this answer earns, 0–100.
    value = models.PositiveSmallIntegerField(_("value (0–100)"))
    # Choosing it means the business innovated in the last 12 months.
    is_innovation = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="option_unique_key"),
            models.CheckConstraint(condition=Q(value__lte=100), name="option_value_lte_100"),
        ]

    def __str__(self) -> str:
        return self.key


class Assessment(models.Model):
    scope_region_field = "business__village__code"
    scope_owner_field = "business__owner__user"

    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("business")
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("assessment date"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    level = models.PositiveSmallIntegerField(_("level"))
    innovation = models.BooleanField(_("innovated in the last 12 months"), default=False)
    modern = models.BooleanField(_("modern and innovating"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scorecard assessment")
        verbose_name_plural = _("scorecard assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["business", "assessed_on"], name="assessment_business_day")]

    def __str__(self) -> str:
        return f"{self.business_id} {self.assessed_on} {self.score}"

    @property
    def level_name(self) -> str:
        return str(LEVEL_NAMES.get(self.level, self.level))


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("scorecard answer")
        verbose_name_plural = _("scorecard answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_one_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}={self.option_id}"


class FunnelEvent(models.Model):
    """One business's changes of funnel stage on one day (+1 entering, −1 leaving), with the village, sector and
    size class they were counted under. They are what `funnel_sync` last applied to FunnelDelta, so the next
    sync can take them back out; a district's funnel is counted from them directly.

    business_id is not a foreign key: a deleted business's events must outlive it until they are taken out."""

    business_id = models.BigIntegerField(db_index=True)
    village_code = models.CharField(max_length=13)
    # The village's district, for equality look-ups: a prefix LIKE on the village code is not indexed on
    # SQLite, nor on PostgreSQL under a non-C collation.
    district_code = models.CharField(max_length=8)
    sector = models.CharField(max_length=120, blank=True)
    size_class = models.CharField(max_length=10, blank=True)
    day = models.DateField()
    registered = models.SmallIntegerField(default=0)
    operating = models.SmallIntegerField(default=0)
    modern = models.SmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["village_code", "day"], name="funnel_event_village_day"),
            models.Index(fields=["district_code", "day"], name="funnel_event_district_day"),
        ]

    def __str__(self) -> str:
        return f"{self.business_id} {self.day} {self.registered:+d} {self.operating:+d} {self.modern:+d}"


class Grain(models.TextChoices):
    YEAR = "Y"
    MONTH = "M"
    DAY = "D"


ALL = "*"


class FunnelDelta(models.Model):
    """Stage changes summed per district, sector, size class and period (year, month and day each), plus the
    same sums over all sectors and all size classes (stored under "*"). The funnel as of a day is the sum of
    the years before its year, the months of its year before its month, and the days of its month up to it:
    at most about 45 rows per district whatever the history's length."""

    region_code = models.CharField(max_length=8)  # district
    sector = models.CharField(max_length=120)
    size_class = models.CharField(max_length=10)
    grain = models.CharField(max_length=1, choices=Grain.choices)
    period = models.DateField()
    registered = models.IntegerField(default=0)
    operating = models.IntegerField(default=0)
    modern = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "size_class", "grain", "period", "region_code"], name="funnel_delta_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.sector}/{self.size_class} {self.grain} {self.period}"
