"""Businesses (UMKM), their owners (persons), legal documents, status history, and cooperatives."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.core import personal
from naikkelas.registry.constants import (
    BusinessStatus,
    CooperativeLevel,
    CooperativeStatus,
    CooperativeType,
    DocumentKind,
    Education,
    Gender,
    LegalForm,
    SizeClass,
)


class MergedHiddenManager(models.Manager):
    """Records that stand on their own: one merged into another (a duplicate) is kept, hidden, for undo."""

    def get_queryset(self):
        return super().get_queryset().filter(merged_into__isnull=True)


class Person(models.Model):
    """A natural person; the NIK is kept only encrypted, with a keyed hash to find the person again."""

    name = models.CharField(_("name"), max_length=150, db_index=True)
    nik_encrypted = models.TextField(_("NIK (encrypted)"), blank=True)
    nik_hash = models.CharField(_("NIK look-up hash"), max_length=64, blank=True, db_index=True)
    nik_masked = models.CharField(_("NIK (masked)"), max_length=16, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    education = models.CharField(_("education"), max_length=14, choices=Education.choices, blank=True)
    has_disability = models.BooleanField(_("with a disability"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("login account"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A duplicate merged into another person (intake.merge): hidden, kept so the merge can be undone.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="absorbed", editable=False
    )

    # UU 27/2022 Pasal 11: the person asked that the processing of their data be restricted (or asked for erasure
    # while another law keeps some of it): the records stay, out of lists, searches, matching, invitations, exports
    # and the public catalogue (privacy.erasure). Erased: what no law keeps has been deleted or anonymised.
    restricted_at = models.DateTimeField(
        _("processing restricted since"), null=True, blank=True, editable=False
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    objects = MergedHiddenManager()
    all_objects = models.Manager()  # noqa: DJ012 - a manager, which ruff takes for a field

    class Meta:
        base_manager_name = "all_objects"
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(fields=["nik_hash"], condition=~Q(nik_hash=""), name="person_unique_nik"),
        ]
        # A person asking for their data by phone (privacy) is found by it, among a province's million.
        indexes = [
            models.Index(fields=["phone"], name="person_phone", condition=~Q(phone="")),
            # the few restricted persons, found at once among a province's (every list asks whether there are any)
            models.Index(
                fields=["restricted_at"], name="person_restricted", condition=Q(restricted_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    NO_NIK = {"nik_encrypted": "", "nik_hash": "", "nik_masked": "", "gender": "", "birth_date": None}

    @staticmethod
    def nik_fields(nik: str) -> dict:
        """What a NIK sets on a person: encrypted, look-up hash, masked, and the gender and birth date it holds.
        (Bulk writers build rows from it without making a Person.)"""
        info = personal.nik_parse(nik)
        return {
            "nik_encrypted": personal.encrypt(info.nik),
            "nik_hash": personal.keyed_hash(info.nik),
            "nik_masked": personal.nik_mask(info.nik),
            "gender": info.gender,
            "birth_date": info.birth_date,
        }

    def set_nik(self, nik: str) -> None:
        for name, value in self.nik_fields(nik).items():
            setattr(self, name, value)

    def get_nik(self) -> str:
        """The full NIK. Callers go through registry.services.person_reveal_nik, which audits the view."""
        return personal.decrypt(self.nik_encrypted) if self.nik_encrypted else ""


class Business(models.Model):
    scope_region_field = "village__code"
    scope_owner_field = "owner__user"
    # What the SIDT-KUMKM survey adds to a business (the import reads them, the audit keeps them).
    survey_fields = (
        "legal_form",
        "main_activity",
        "main_product",
        "founding_capital",
        "workers_paid_men",
        "workers_paid_women",
        "workers_unpaid_men",
        "workers_unpaid_women",
        "workers_disabled",
    )
    audited_fields = (
        "name",
        "owner",
        "nib",
        "sector",
        "kbli",
        "address",
        "village",
        "latitude",
        "longitude",
        "phone",
        "founded",
        "employees",
        "assets",
        "annual_revenue",
        "size_class",
        "status",
        *survey_fields,
    )

    name = models.CharField(_("business name"), max_length=200, db_index=True)
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("owner")
    )
    nib = models.CharField(_("NIB"), max_length=13, blank=True, db_index=True)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    kbli = models.CharField(_("KBLI 2020 code"), max_length=5, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    # As the SIDT-KUMKM survey asks them: who works there, paid or not, men and women, and with a disability.
    workers_paid_men = models.PositiveIntegerField(_("paid workers, men"), null=True, blank=True)
    workers_paid_women = models.PositiveIntegerField(_("paid workers, women"), null=True, blank=True)
    workers_unpaid_men = models.PositiveIntegerField(_("unpaid workers, men"), null=True, blank=True)
    workers_unpaid_women = models.PositiveIntegerField(_("unpaid workers, women"), null=True, blank=True)
    workers_disabled = models.PositiveIntegerField(_("workers with a disability"), null=True, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=14, choices=LegalForm.choices, blank=True)
    main_activity = models.CharField(_("main activity"), max_length=255, blank=True)
    main_product = models.CharField(_("main product"), max_length=200, blank=True)
    founding_capital = models.BigIntegerField(_("founding capital (Rp)"), null=True, blank=True)
    assets = models.BigIntegerField(_("assets excluding land and buildings (Rp)"), null=True, blank=True)
    annual_revenue = models.BigIntegerField(_("annual revenue (Rp)"), null=True, blank=True)
    # No single-column indexes on status and size class: counts come from BusinessTally, and an index on a
    # four-valued column would only tempt SQLite into sorting a quarter of the table for one page.
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=BusinessStatus.choices,
        default=BusinessStatus.REGISTERED,
    )
    # The day the office registered it: the funnel's first stage counts from here.
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    external_ref = models.CharField(_("external reference"), max_length=64, blank=True, db_index=True)
    # Name, owner name and NIB in lower case, for the trigram search index (registry.search).
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A duplicate merged into another record (intake.merge); hidden from every list, kept so the merge can be
    # undone. Reach it through Business.all_objects.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="absorbed", editable=False
    )

    objects = MergedHiddenManager()
    all_objects = models.Manager()  # noqa: DJ012 - a manager, which ruff takes for a field

    class Meta:
        ordering = ["name", "id"]
        base_manager_name = "all_objects"
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        indexes = [models.Index(fields=["name", "id"], name="business_name_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(assets__gte=0) | Q(assets__isnull=True), name="business_assets_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(annual_revenue__gte=0) | Q(annual_revenue__isnull=True),
                name="business_revenue_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str:
        return self.village_id


class LegalDocument(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=8, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=64)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-issued_on"]
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        constraints = [
            models.UniqueConstraint(fields=["business", "kind", "number"], name="document_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_on(self, day) -> bool:
        return self.expires_on is None or self.expires_on >= day


class Cooperative(models.Model):
    scope_region_field = "village__code"
    scope_owner_field = "managers"
    audited_fields = (
        "name",
        "legal_entity_number",
        "legal_entity_date",
        "nik_koperasi",
        "type",
        "level",
        "members",
        "village",
        "address",
        "phone",
        "chair_name",
        "status",
    )

    name = models.CharField(_("cooperative name"), max_length=200, db_index=True)
    legal_entity_number = models.CharField(_("legal entity number"), max_length=64, blank=True)
    legal_entity_date = models.DateField(_("legal entity date"), null=True, blank=True)
    # Nomor Induk Koperasi (16 digits), not a person's NIK.
    nik_koperasi = models.CharField(_("Nomor Induk Koperasi"), max_length=16, blank=True, db_index=True)
    type = models.CharField(_("type"), max_length=16, choices=CooperativeType.choices)
    level = models.CharField(
        _("level"), max_length=8, choices=CooperativeLevel.choices, default=CooperativeLevel.PRIMARY
    )
    members = models.PositiveIntegerField(_("members"), default=0)
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    chair_name = models.CharField(_("chair (ketua)"), max_length=150, blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_cooperatives",
        verbose_name=_("manager accounts"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CooperativeStatus.choices,
        default=CooperativeStatus.ACTIVE,
        db_index=True,
    )
    external_ref = models.CharField(_("external reference"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str:
        return self.village_id


class StatusChange(models.Model):
    """Dated history of a business's or a cooperative's status: the funnel is computed from it."""

    business = models.ForeignKey(
        Business, null=True, blank=True, on_delete=models.CASCADE, related_name="status_history"
    )
    cooperative = models.ForeignKey(
        Cooperative, null=True, blank=True, on_delete=models.CASCADE, related_name="status_history"
    )
    status = models.CharField(_("status"), max_length=12)
    previous = models.CharField(_("previous status"), max_length=12, blank=True)
    changed_at = models.DateTimeField(_("changed at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(business__isnull=False, cooperative__isnull=True)
                | Q(business__isnull=True, cooperative__isnull=False),
                name="status_change_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.previous} → {self.status} @ {self.changed_at:%Y-%m-%d}"

    def _label(self, value: str) -> str:
        choices = BusinessStatus if self.business_id else CooperativeStatus
        return str(dict(choices.choices).get(value, value))

    @property
    def status_label(self) -> str:
        return self._label(self.status)

    @property
    def previous_label(self) -> str:
        return self._label(self.previous) if self.previous else ""


class BusinessTally(models.Model):
    """How many businesses each village has per status, size class and sector, kept correct on every write.

    List pages and the API count from here instead of counting up to a million rows on each request.
    """

    scope_region_field = "village__code"

    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12)
    size_class = models.CharField(max_length=10, blank=True)
    sector = models.CharField(max_length=120, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["village", "status", "size_class", "sector"], name="business_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.status} {self.size_class} {self.sector}: {self.count}"


class Declaration(models.Model):
    """A figure an owner declares for their business (assets, annual revenue). These feed the size class, grant
    eligibility and scoring, so they take effect only when an officer of the business's area confirms them."""

    scope_region_field = "business__village__code"
    scope_owner_field = "business__owner__user"

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an officer")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Not confirmed")

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="declarations")
    field = models.CharField(_("figure"), max_length=32)
    value = models.BigIntegerField(_("declared value"), null=True, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("declared figure")
        verbose_name_plural = _("declared figures")
        ordering = ["-declared_at", "-id"]

    def __str__(self) -> str:
        return f"{self.business_id} {self.field}={self.value} ({self.state})"
