"""Consent (UU 27/2022 Pasal 20 and 22): recorded where a purpose rests on it, withdrawable at any time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    # The owner's contact (the business's WhatsApp number, usually the owner's own phone) on the public catalogue.
    CATALOGUE_CONTACT = "catalogue_contact", _("Contact on the public catalogue")
    WHATSAPP_CONTACT = "whatsapp_contact", _("Contact by WhatsApp from the office")


class Consent(models.Model):
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    given_at = models.DateTimeField(_("given at"))
    # The person themself, or the officer who recorded a consent the person signed.
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    how = models.CharField(_("how it was given"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"], condition=Q(withdrawn_at=None), name="consent_one_in_force"
            )
        ]

    def __str__(self) -> str:
        return self.get_purpose_display()
