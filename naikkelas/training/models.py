"""Training programmes (SDM): cohorts with sessions, registrations with a participant code, attendance by QR,
pre- and post-tests, and certificates that anyone can verify."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    UMKM = "umkm", _("UMKM people")
    COOPERATIVE = "koperasi", _("Cooperative staff")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class TestKind(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


def new_token() -> str:
    return secrets.token_urlsafe(9)


def new_code() -> str:
    # Short enough to type from a printed card; no 0/O or 1/I to misread.
    return "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=160)
    # The scorecard topic it closes (lifecycle Question.topic): how cohorts find the businesses that need it.
    topic = models.SlugField(_("topic"), max_length=40)
    audience = models.CharField(_("for"), max_length=8, choices=Audience.choices, default=Audience.UMKM)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    scope_region_field = "region__code"
    scope_owner_field = None

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=160)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    capacity = models.PositiveIntegerField(_("places"))
    budget = models.BigIntegerField(_("budget (Rp)"), default=0)
    trainers = models.CharField(_("trainers"), max_length=255, blank=True)
    starts_on = models.DateField(_("starts on"))
    pass_score = models.PositiveSmallIntegerField(_("post-test pass mark (%)"), default=60)
    min_attendance = models.PositiveSmallIntegerField(_("sessions to attend (%)"), default=75)
    registration_token = models.CharField(max_length=20, unique=True, default=new_token, editable=False)
    registration_open = models.BooleanField(_("registration open"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [models.CheckConstraint(condition=Q(budget__gte=0), name="cohort_budget_gte_0")]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=160)
    starts_at = models.DateTimeField(_("starts at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    scope_region_field = "cohort__region__code"
    scope_owner_field = "person__user"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="training_registrations"
    )
    business = models.ForeignKey(
        "registry.Business",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    code = models.CharField(
        _("participant code"), max_length=8, unique=True, default=new_code, editable=False
    )
    token = models.CharField(max_length=20, unique=True, default=new_token, editable=False)  # their own page
    source = models.CharField(max_length=12, default="self")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training registration")
        verbose_name_plural = _("training registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="registration_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id} {self.person_id} {self.status}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendance")
    checked_in_at = models.DateTimeField(auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        constraints = [models.UniqueConstraint(fields=["session", "registration"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.registration_id}"


class TestQuestion(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    options = models.JSONField(_("answers"))  # list of strings
    correct = models.PositiveSmallIntegerField(_("correct answer (from 0)"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class TestResult(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="tests")
    kind = models.CharField(max_length=4, choices=TestKind.choices)
    score = models.DecimalField(max_digits=5, decimal_places=1)
    answers = models.JSONField(default=dict)
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training test result")
        verbose_name_plural = _("training test results")
        constraints = [models.UniqueConstraint(fields=["registration", "kind"], name="test_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.kind} {self.score}"


class Certificate(models.Model):
    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(max_length=24, unique=True)
    issued_on = models.DateField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("training certificate")
        verbose_name_plural = _("training certificates")
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        return self.number
