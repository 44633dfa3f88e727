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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region_id", "-given_on", "number"]
        verbose_name = _("DPRD's point (pokok pikiran)")
        constraints = [
            models.UniqueConstraint(fields=["region", "given_on", "number"], name="pokok_pikiran_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"
