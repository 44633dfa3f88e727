"""An office's own indicators: a ratio of two of the shipped counts, each with its filters (planning.counts)."""

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
    numerator = models.CharField(_("numerator"), max_length=40)
    numerator_filters = models.JSONField(_("numerator filters"), default=dict, blank=True)
    denominator = models.CharField(_("denominator"), max_length=40)
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
