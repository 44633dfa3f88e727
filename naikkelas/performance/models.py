"""KPIs (an admin-editable library), targets, monthly reports with their values, and owners' bookkeeping."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from naikkelas.performance.constants import Category, Direction, EntryKind, ReportSource


class Kpi(models.Model):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    # A derived KPI is computed from others: "(omzet - hpp) / omzet * 100". Empty: entered or from the books.
    formula = models.CharField(_("formula"), max_length=200, blank=True)
    # Values that make no sense (a margin above 100 %, negative sales) are refused.
    minimum = models.DecimalField(_("lowest allowed"), max_digits=18, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField(
        _("highest allowed"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """What a business aims for on a KPI each month from `start` to `end` (first days of months)."""

    scope_region_field = "business__village__code"
    scope_owner_field = "business__owner__user"

    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="targets")
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("from month"))
    end = models.DateField(_("to month"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["-start", "kpi__order"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="target_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.business_id} {self.kpi_id} {self.start:%Y-%m}–{self.end:%Y-%m}: {self.value}"


class MonthlyReport(models.Model):
    scope_region_field = "business__village__code"
    scope_owner_field = "business__owner__user"

    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="monthly_reports"
    )
    month = models.DateField(_("month"))  # first day of the month
    source = models.CharField(_("source"), max_length=8, choices=ReportSource.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monthly KPI report")
        verbose_name_plural = _("monthly KPI reports")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["business", "month"], name="report_one_per_month")]

    def __str__(self) -> str:
        return f"{self.business_id} {self.month:%Y-%m}"


class ReportValue(models.Model):
    scope_region_field = "report__business__village__code"
    scope_owner_field = "report__business__owner__user"

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="values")
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        constraints = [models.UniqueConstraint(fields=["report", "kpi"], name="report_value_one_per_kpi")]

    def __str__(self) -> str:
        return f"{self.kpi_id}={self.value}"


class Entry(models.Model):
    """One line of an owner's books: a sale or an expense on a day, in whole Rupiah."""

    scope_region_field = "business__village__code"
    scope_owner_field = "business__owner__user"

    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="book_entries")
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=EntryKind.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    amount = models.BigIntegerField(_("amount (Rp)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["business", "day"], name="entry_business_day")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="entry_amount_gt_0")]
        verbose_name = _("bookkeeping entry")
        verbose_name_plural = _("bookkeeping entries")

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.amount}"


class SopTemplate(models.Model):
    """A version of a standard operating procedure offered to businesses. A published version never changes:
    a change is a new version (adoptions keep the version they adopted)."""

    key = models.SlugField(_("key"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=160)
    sector = models.CharField(_("for sector"), max_length=120, blank=True)  # blank: any business
    purpose = models.TextField(_("purpose"), blank=True)
    steps = models.TextField(_("steps (one per line)"))
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "-version"]
        verbose_name = _("SOP template")
        verbose_name_plural = _("SOP templates")
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="sop_unique_version")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


def sop_evidence_path(instance, filename: str) -> str:
    return f"sop/{instance.business_id}/{filename}"


class SopAdoption(models.Model):
    scope_region_field = "business__village__code"
    scope_owner_field = "business__owner__user"

    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="sop_adoptions")
    template = models.ForeignKey(SopTemplate, on_delete=models.PROTECT, related_name="adoptions")
    adopted_on = models.DateField(_("adopted on"))
    evidence = models.ImageField(_("evidence photo"), upload_to=sop_evidence_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SOP adoption")
        verbose_name_plural = _("SOP adoptions")
        ordering = ["-adopted_on"]
        constraints = [models.UniqueConstraint(fields=["business", "template"], name="sop_adopted_once")]

    def __str__(self) -> str:
        return f"{self.business_id} {self.template_id} {self.adopted_on}"
