"""Capital-access programmes (grants, revolving funds, KUR referrals), applications, disbursement and repayment."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from naikkelas.financing.reasons import reason_text


class ProgrammeKind(models.TextChoices):
    GRANT = "hibah", _("Grant (hibah)")
    REVOLVING = "bergulir", _("Revolving fund (dana bergulir)")
    KUR = "kur", _("Bank loan referral (KUR)")


class ScheduleMethod(models.TextChoices):
    FLAT = "flat", _("Flat")
    DECLINING = "menurun", _("Declining balance")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "diajukan", _("Submitted")
    VERIFIED = "diverifikasi", _("Verified")
    APPROVED = "disetujui", _("Approved")
    REJECTED = "ditolak", _("Rejected")
    DISBURSED = "dicairkan", _("Disbursed")


# Statuses whose amount counts against the programme's budget.
COMMITTED = (ApplicationStatus.APPROVED, ApplicationStatus.DISBURSED)


class ReferralStatus(models.TextChoices):
    REFERRED = "dirujuk", _("Referred to the bank")
    APPROVED = "disetujui_bank", _("Approved by the bank")
    REJECTED = "ditolak_bank", _("Rejected by the bank")
    DISBURSED = "cair_bank", _("Disbursed by the bank")


class Programme(models.Model):
    scope_region_field = "region__code"
    scope_owner_field = None

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=8, choices=ProgrammeKind.choices)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    budget = models.BigIntegerField(_("budget (Rp)"))
    # Sum of the approved and disbursed amounts, kept by the services; the database refuses it above the budget.
    committed = models.BigIntegerField(_("committed (Rp)"), default=0)
    max_amount = models.BigIntegerField(_("largest amount per application (Rp)"), null=True, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    # Eligibility: an empty list means "any".
    size_classes = models.JSONField(_("size classes"), default=list, blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    statuses = models.JSONField(_("business statuses"), default=list, blank=True)
    min_level = models.PositiveSmallIntegerField(_("lowest scorecard level"), null=True, blank=True)
    training_topic = models.SlugField(_("training completed on topic"), max_length=40, blank=True)
    documents = models.JSONField(_("legal documents held"), default=list, blank=True)
    # Scoring: criterion key -> weight (see financing.scoring.CRITERIA).
    weights = models.JSONField(_("scoring weights"), default=dict, blank=True)
    # Revolving funds: yearly service rate (percent), term and schedule.
    rate_percent = models.DecimalField(_("yearly rate (%)"), max_digits=5, decimal_places=2, default=0)
    term_months = models.PositiveSmallIntegerField(_("term (months)"), default=12)
    method = models.CharField(
        _("schedule"), max_length=8, choices=ScheduleMethod.choices, default=ScheduleMethod.FLAT
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "name"]
        verbose_name = _("capital programme")
        verbose_name_plural = _("capital programmes")
        constraints = [
            models.CheckConstraint(condition=Q(committed__lte=F("budget")), name="programme_within_budget"),
            models.CheckConstraint(condition=Q(committed__gte=0), name="programme_committed_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def remaining(self) -> int:
        return self.budget - self.committed


class Application(models.Model):
    scope_region_field = "business__village__code"
    scope_owner_field = "business__owner__user"
    audited_fields = ("status", "amount_requested", "amount_approved", "decision_note")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    business = models.ForeignKey("registry.Business", on_delete=models.PROTECT, related_name="applications")
    amount_requested = models.BigIntegerField(_("amount requested (Rp)"))
    amount_approved = models.BigIntegerField(_("amount approved (Rp)"), null=True, blank=True)
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    eligible = models.BooleanField(_("eligible"), default=False)
    reasons = models.JSONField(_("eligibility reasons"), default=list, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, default=0)
    score_details = models.JSONField(default=dict, blank=True)
    decision_note = models.CharField(_("note"), max_length=255, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="application_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.business}"

    def reason_texts(self) -> list[str]:
        return [reason_text(reason) for reason in self.reasons]


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("document"), max_length=120)
    file = models.FileField(upload_to="financing/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return self.title


class Disbursement(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="disbursement")
    amount = models.BigIntegerField(_("amount (Rp)"))
    disbursed_on = models.DateField(_("disbursed on"))
    reference = models.CharField(_("transfer reference"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        return f"{self.application_id} {self.disbursed_on} {self.amount}"


class Installment(models.Model):
    """One line of a revolving-fund loan's repayment schedule."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="installments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    principal = models.BigIntegerField()
    interest = models.BigIntegerField()

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="installment_once")]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.number}"

    @property
    def amount(self) -> int:
        return self.principal + self.interest


class Payment(models.Model):
    scope_region_field = "application__business__village__code"
    scope_owner_field = "application__business__owner__user"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.BigIntegerField(_("amount (Rp)"))
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.paid_on} {self.amount}"


class Referral(models.Model):
    """A KUR application passed on to a bank, and what the bank did with it."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="referral")
    bank = models.CharField(_("bank"), max_length=80)
    referred_on = models.DateField(_("referred on"))
    status = models.CharField(
        _("status at the bank"),
        max_length=16,
        choices=ReferralStatus.choices,
        default=ReferralStatus.REFERRED,
    )
    bank_amount = models.BigIntegerField(_("amount from the bank (Rp)"), null=True, blank=True)
    updated_on = models.DateField(_("last update"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("referral to a bank")
        verbose_name_plural = _("referrals to a bank")

    def __str__(self) -> str:
        return f"{self.application_id} {self.bank}"
