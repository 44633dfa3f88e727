"""An office's own indicators: a ratio of two of the shipped counts, each with its filters (planning.counts), or a
value the office types each year with its evidence file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomIndicator(models.Model):
    """Shown with the shipped indicators for its region and every region inside it."""

    scope_region_field = "region__code"

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    manual = models.BooleanField(_("typed by the office"), default=False)
    unit = models.CharField(_("unit"), max_length=40, default="%")
    numerator = models.CharField(_("numerator"), max_length=40, blank=True)
    numerator_filters = models.JSONField(_("numerator filters"), default=dict, blank=True)
    denominator = models.CharField(_("denominator"), max_length=40, blank=True)
    denominator_filters = models.JSONField(_("denominator filters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("office indicator")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="custom_indicator_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def evidence_path(instance, filename: str) -> str:
    return f"planning/evidence/{instance.indicator.region_id}/{instance.year}/{filename}"


class ManualValue(models.Model):
    """A year's value of a manual indicator, typed by the office, with the evidence file it comes from."""

    scope_region_field = "indicator__region__code"

    indicator = models.ForeignKey(CustomIndicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=255)
    note = models.CharField(_("note"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="manual_value_once_a_year")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} {self.value}"


class PokokPikiran(models.Model):
    """A point the DPRD gives the office for its work plan (at the Forum Renja, by one of its komisi), and the
    indicators that answer it."""

    scope_region_field = "region__code"

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("point"))
    komisi = models.CharField(_("komisi"), max_length=60, blank=True)
    forum = models.CharField(_("forum"), max_length=120, blank=True)
    given_on = models.DateField(_("given on"))
    indicator_codes = models.JSONField(_("indicators that answer it"), default=list, blank=True)
    nodes = models.ManyToManyField(
        "PlanNode", blank=True, related_name="points", verbose_name=_("plan entries")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region_id", "-given_on", "number"]
        verbose_name = _("DPRD's point (pokok pikiran)")
        constraints = [
            models.UniqueConstraint(fields=["region", "given_on", "number"], name="pokok_pikiran_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class PlanKind(models.TextChoices):
    RENSTRA = "renstra", _("Renstra (five years)")
    RENJA = "renja", _("Renja (one year)")


class Plan(models.Model):
    """An office's Renstra (five years) or Renja (one year), laid out on the nomenclature of urusan 2.17."""

    scope_region_field = "region__code"

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    kind = models.CharField(_("plan"), max_length=8, choices=PlanKind.choices)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region_id", "-first_year", "kind"]
        verbose_name = _("plan")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "first_year"], name="plan_once_per_region_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.first_year}–{self.last_year} {self.region_id}"

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class PlanNode(models.Model):
    """A program, kegiatan or sub-kegiatan of a plan, with the bidang responsible for it."""

    scope_region_field = "plan__region__code"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("code"), max_length=24)
    name = models.CharField(_("name"), max_length=300)
    level = models.CharField(_("level"), max_length=12)
    bidang = models.CharField(_("responsible bidang"), max_length=120, blank=True)
    # The entry's objective (sasaran), as the plan words it ("Meningkatnya kapasitas SDM koperasi"); the LKjIP
    # groups its indicators by it.
    sasaran = models.CharField(_("objective (sasaran)"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan_id", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plan_node_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PlanTarget(models.Model):
    """One indicator of a plan node: from the office's indicator library (its value is computed) or an output
    indicator with its unit (its realisation is typed), with the baseline, a target per year, and per year the
    office's explanation of the result (for the LKjIP)."""

    scope_region_field = "node__plan__region__code"

    node = models.ForeignKey(PlanNode, on_delete=models.CASCADE, related_name="targets")
    indicator_code = models.CharField(_("indicator"), max_length=20, blank=True)
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=20, decimal_places=4, null=True, blank=True)
    targets = models.JSONField(_("targets"), default=dict, blank=True)  # {"2026": "100"}
    realised = models.JSONField(_("realisation"), default=dict, blank=True)  # typed, for output indicators
    explanations = models.JSONField(_("explanations"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["node_id", "position", "id"]

    def __str__(self) -> str:
        return self.name


class PlanBudget(models.Model):
    """A node's budget (pagu) for a year and what was spent of it (anggaran terserap) in each quarter."""

    scope_region_field = "node__plan__region__code"

    node = models.ForeignKey(PlanNode, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    pagu = models.DecimalField(_("budget (pagu)"), max_digits=18, decimal_places=2)
    q1 = models.DecimalField(_("spent, quarter I"), max_digits=18, decimal_places=2, default=0)
    q2 = models.DecimalField(_("spent, quarter II"), max_digits=18, decimal_places=2, default=0)
    q3 = models.DecimalField(_("spent, quarter III"), max_digits=18, decimal_places=2, default=0)
    q4 = models.DecimalField(_("spent, quarter IV"), max_digits=18, decimal_places=2, default=0)

    class Meta:
        ordering = ["node_id", "year"]
        constraints = [models.UniqueConstraint(fields=["node", "year"], name="plan_budget_once_a_year")]

    def __str__(self) -> str:
        return f"{self.node_id} {self.year} {self.pagu}"

    @property
    def spent(self):
        return self.q1 + self.q2 + self.q3 + self.q4

    @property
    def quarters(self) -> list:
        return [self.q1, self.q2, self.q3, self.q4]
