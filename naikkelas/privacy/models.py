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


class RequestKind(models.TextChoices):
    ACCESS = "access", _("See what is held about me")
    COPY = "copy", _("A copy of my data (JSON and CSV)")
    CORRECTION = "correction", _("Correct my data")
    RESTRICTION = "restriction", _("Restrict the processing of my data")
    OBJECTION = "objection", _("Object to a decision taken by scoring")
    ERASURE = "erasure", _("Delete my data")
    WITHDRAWAL = "withdrawal", _("Withdraw a consent")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class DataRequest(models.Model):
    """A person's request under UU 27/2022 (Pasal 5 to 13), answered within 3×24 hours of its receipt (Pasal 32
    ayat 2, 33, 34, 40 to 44). Filed by the person signed in, or by an officer who saw their KTP."""

    scope_region_field = "region_code"

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="data_requests")
    kind = models.CharField(_("request"), max_length=12, choices=RequestKind.choices)
    details = models.TextField(_("details"), blank=True)
    channel = models.CharField(_("received through"), max_length=12)  # "own_page" or "officer"
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("answer due"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region_code = models.CharField(_("region"), max_length=13, blank=True, db_index=True)
    status = models.CharField(max_length=8, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.TextField(_("answer, with its reasons"), blank=True)
    article = models.CharField(_("article of the law a refusal rests on"), max_length=120, blank=True)
    # What a restriction or an erasure did, per record type (privacy.erasure.Line.as_dict): shown to the person.
    outcome = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"], condition=Q(status="open"), name="data_request_one_open_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class PhoneCode(models.Model):
    """A one-time code for a request filed on the public page, identified by phone. A code is made for every
    number asked for, known or not, but sent only to a number naikkelas holds: the page answers alike either way
    (no oracle of who is registered). The phone and the code are kept as keyed hashes only."""

    phone_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"code {self.pk}"


class RetentionRun(models.Model):
    """One run of the retention rules (privacy.retention): what was, or would have been, deleted per rule."""

    ran_at = models.DateTimeField()
    dry_run = models.BooleanField()
    asked_to_apply = models.BooleanField(default=False)  # an apply turned into the first dry run
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-ran_at", "-pk"]

    def __str__(self) -> str:
        return f"retention {self.ran_at:%Y-%m-%d}"


class DataCategory(models.TextChoices):
    """The kinds of personal data naikkelas holds, as a breach notice names them."""

    NIK = "nik", _("NIK")
    NAME = "name", _("name")
    PHONE = "phone", _("phone number")
    EMAIL = "email", _("e-mail address")
    ADDRESS = "address", _("address")
    BIRTH = "birth", _("birth date and gender")
    FINANCE = "finance", _("business figures (revenue, assets, cash book)")
    LOANS = "loans", _("capital applications and loans")


class Incident(models.Model):
    """A personal data breach (UU 27/2022 Pasal 46): what happened, when it was found, which data, whose. The
    people and the authority are told within 3×24 hours of finding it; the affected people are computed from the
    audit log (what was viewed, changed or exported in the window, by the account if one is named)."""

    scope_region_field = "region_code"

    title = models.CharField(_("what happened"), max_length=200)
    description = models.TextField(_("description"))
    measures = models.TextField(_("what the office has done and will do"), blank=True)
    found_at = models.DateTimeField(_("found at"))
    window_from = models.DateTimeField(_("from"))
    window_to = models.DateTimeField(_("until"))
    # The account through which the data went, if the breach is one (a stolen password, a lost phone).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    categories = models.JSONField(_("data concerned"), default=list)
    region_code = models.CharField(_("region"), max_length=13, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    people_notified_at = models.DateTimeField(null=True, blank=True)
    people_notified = models.PositiveIntegerField(default=0)
    authority_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-found_at", "-pk"]
        verbose_name = _("personal data breach")
        verbose_name_plural = _("personal data breaches")

    def __str__(self) -> str:
        return self.title
