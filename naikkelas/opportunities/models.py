"""Business opportunities: buyers, what they need, the suppliers invited, their offers and what came of it; and
what the office ticks about a supplier's readiness for government procurement.

An opportunity belongs to the region whose businesses and cooperatives may supply it (scope_region_field); its
buyer to the office that recorded it. The public sees open opportunities without any personal data: the buyer's
name and kind, what is needed, where and when, never the buyer's contact person.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from naikkelas.registry.constants import DocumentKind


class BuyerKind(models.TextChoices):
    AGENCY = "opd", _("Government agency (OPD)")
    STATE_COMPANY = "bumn_bumd", _("BUMN / BUMD")
    COMPANY = "perusahaan", _("Company")
    HOTEL = "horeka", _("Hotel, restaurant, café")
    RETAILER = "ritel", _("Retailer")
    COOPERATIVE_UNIT = "unit_koperasi", _("Cooperative business unit")


class Channel(models.TextChoices):
    TENDER = "tender", _("Tender")
    EKATALOG = "ekatalog", _("e-Katalog lokal")
    DIRECT = "bela", _("Bela Pengadaan / direct purchase (up to Rp50 juta)")
    PARTNERSHIP = "kemitraan", _("Partnership (kemitraan)")
    OFFTAKE = "offtake", _("Off-take")


class Frequency(models.TextChoices):
    ONCE = "sekali", _("once")
    WEEKLY = "mingguan", _("per week")
    MONTHLY = "bulanan", _("per month")
    YEARLY = "tahunan", _("per year")


class Status(models.TextChoices):
    OPEN = "terbuka", _("Open for offers")
    MATCHED = "cocok", _("Matched")
    CLOSED = "ditutup", _("Closed")


class Outcome(models.TextChoices):
    DEAL = "deal", _("Deal")
    NO_DEAL = "tidak", _("No deal")


# Documents an opportunity may ask for: the registry's legal documents plus the tax number, which the office
# ticks (naikkelas does not hold tax numbers).
NPWP = "npwp"
REQUIRED_DOCUMENTS = [*DocumentKind.choices, (NPWP, "NPWP")]


class Buyer(models.Model):
    scope_region_field = "region__code"
    scope_owner_field = None

    name = models.CharField(_("buyer"), max_length=160)
    kind = models.CharField(_("kind of buyer"), max_length=16, choices=BuyerKind.choices)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("office's region")
    )
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=16, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")

    def __str__(self) -> str:
        return self.name


class Opportunity(models.Model):
    scope_region_field = "region__code"
    scope_owner_field = None

    buyer = models.ForeignKey(
        Buyer, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("buyer")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("suppliers from")
    )
    title = models.CharField(_("what is needed"), max_length=160)
    description = models.TextField(_("details"), blank=True)
    kbli = models.CharField(_("KBLI 2020 code"), max_length=5, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices)
    quality = models.TextField(_("quality and standards"), blank=True)
    documents = models.JSONField(_("documents required"), default=list, blank=True)
    delivery_village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("place of delivery")
    )
    delivery_address = models.CharField(_("delivery address"), max_length=200, blank=True)
    deadline = models.DateField(_("offers by"))
    delivery_on = models.DateField(_("first delivery"))
    price_max = models.BigIntegerField(_("highest price per unit (Rp)"), null=True, blank=True)
    budget = models.BigIntegerField(_("budget (Rp)"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=6, choices=Outcome.choices, blank=True)
    deal_value = models.BigIntegerField(_("deal value (Rp)"), null=True, blank=True)
    outcome_note = models.CharField(_("why / note"), max_length=300, blank=True)
    winning_offer = models.ForeignKey(
        "Offer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("offer taken"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_on = models.DateField(_("posted on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="opportunity_quantity_positive"),
            models.CheckConstraint(
                condition=Q(deal_value__isnull=True) | Q(deal_value__gt=0), name="opportunity_deal_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Supplier(models.Model):
    """Either a business or a cooperative: the shape shared by invitations and offers."""

    business = models.ForeignKey(
        "registry.Business",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("business"),
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("cooperative"),
    )

    class Meta:
        abstract = True

    @property
    def supplier(self):
        return self.business or self.cooperative


def _one_supplier(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(business__isnull=False, cooperative__isnull=True)
        | Q(business__isnull=True, cooperative__isnull=False),
        name=name,
    )


class Invitation(Supplier):
    scope_region_field = "opportunity__region__code"
    scope_owner_field = None

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("opportunity")
    )
    channel = models.CharField(_("sent by"), max_length=8)  # "whatsapp" or "email"
    score = models.PositiveSmallIntegerField(_("match score"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opportunity invitation")
        verbose_name_plural = _("opportunity invitations")
        ordering = ["-sent_at"]
        constraints = [_one_supplier("invitation_one_supplier")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} → {self.supplier}"


class OfferStatus(models.TextChoices):
    SUBMITTED = "diajukan", _("Submitted")
    SHORTLISTED = "terpilih", _("Shortlisted")
    ACCEPTED = "diterima", _("Accepted")
    DECLINED = "tidak", _("Not taken")


class Offer(Supplier):
    scope_region_field = "opportunity__region__code"
    scope_owner_field = None

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="offers", verbose_name=_("opportunity")
    )
    price = models.BigIntegerField(_("price per unit (Rp)"))
    quantity = models.DecimalField(_("quantity offered"), max_digits=14, decimal_places=2)
    available_on = models.DateField(_("can deliver from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=OfferStatus.choices, default=OfferStatus.SUBMITTED
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["price", "created_at"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            _one_supplier("offer_one_supplier"),
            models.CheckConstraint(condition=Q(price__gt=0, quantity__gt=0), name="offer_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier}: Rp {self.price} × {self.quantity}"

    @property
    def value(self) -> int:
        return int(self.price * self.quantity)


class Readiness(Supplier):
    """What the office ticks about a supplier's readiness for government procurement (naikkelas cannot see it)."""

    scope_region_field = "village_code"
    scope_owner_field = None

    village_code = models.CharField(max_length=13, db_index=True)  # the supplier's, for scope
    npwp = models.BooleanField(_("has a tax number (NPWP)"), default=False)
    spse = models.BooleanField(_("has an SPSE / SIKaP account"), default=False)
    ekatalog = models.BooleanField(_("listed in e-Katalog lokal"), default=False)
    bank_account = models.BooleanField(_("has a business bank account"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("supplier readiness")
        verbose_name_plural = _("supplier readiness records")
        constraints = [
            _one_supplier("readiness_one_supplier"),
            models.UniqueConstraint(fields=["business"], name="readiness_one_per_business"),
            models.UniqueConstraint(fields=["cooperative"], name="readiness_one_per_cooperative"),
        ]

    def __str__(self) -> str:
        return str(self.supplier)


class Pattern(models.TextChoices):
    """The patterns of partnership of PP 7/2021 (Pasal 106)."""

    INTI_PLASMA = "inti_plasma", _("Core–plasma (inti-plasma)")
    SUBCONTRACT = "subkontrak", _("Subcontract")
    FRANCHISE = "waralaba", _("Franchise")
    TRADE = "perdagangan", _("General trade")
    DISTRIBUTION = "distribusi", _("Distribution and agency")
    SUPPLY_CHAIN = "rantai_pasok", _("Supply chain")
    PROFIT_SHARING = "bagi_hasil", _("Profit sharing")
    JOINT_OPERATION = "kso", _("Joint operation")
    JOINT_VENTURE = "patungan", _("Joint venture")
    OUTSOURCING = "penyumberluaran", _("Outsourcing")


class PartnershipStatus(models.TextChoices):
    ACTIVE = "aktif", _("Active")
    ENDED = "selesai", _("Ended")
    CANCELLED = "batal", _("Cancelled")


class Partnership(models.Model):
    """A partnership (kemitraan) of cooperatives and businesses with a larger partner."""

    scope_region_field = "region__code"
    scope_owner_field = None

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    pattern = models.CharField(_("pattern"), max_length=16, choices=Pattern.choices)
    partner = models.CharField(_("partner"), max_length=160)
    partner_kind = models.CharField(_("kind of partner"), max_length=16, choices=BuyerKind.choices)
    businesses = models.ManyToManyField(
        "registry.Business", blank=True, related_name="+", verbose_name=_("businesses taking part")
    )
    cooperatives = models.ManyToManyField(
        "registry.Cooperative", blank=True, related_name="+", verbose_name=_("cooperatives taking part")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    contract_value = models.BigIntegerField(_("contract value (Rp)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=PartnershipStatus.choices,
                              default=PartnershipStatus.ACTIVE)  # fmt: skip
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "partner"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="partnership_ends_after_start",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.partner} ({self.get_pattern_display()})"


class PartnershipSale(models.Model):
    """Sales through a partnership in a month, as typed by the office (the cash book's tagged sales are added
    when the figures are read: opportunities.partnerships.monthly_sales)."""

    scope_region_field = "partnership__region__code"
    scope_owner_field = None

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="sales", verbose_name=_("partnership")
    )
    month = models.DateField(_("month"))  # first day of the month
    amount = models.BigIntegerField(_("sales (Rp)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "month"], name="partnership_sale_one_per_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="partnership_sale_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.month:%Y-%m}: {self.amount}"


class ProcurementKind(models.TextChoices):
    PLAN = "rup", _("Procurement plan (RUP)")
    REALISATION = "realisasi", _("Realisation")


class ProcurementImport(models.Model):
    """A regional government's procurement plan or realisation as exported (RUP / realisation XLSX), read to see
    the share that went to the registry's businesses and cooperatives (Perpres 12/2021: at least 40 %)."""

    scope_region_field = "region__code"
    scope_owner_field = None

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=ProcurementKind.choices)
    file_name = models.CharField(_("file"), max_length=200)
    packages = models.PositiveIntegerField(_("packages"), default=0)
    total_value = models.BigIntegerField(_("total value (Rp)"), default=0)
    matched_value = models.BigIntegerField(_("value to UMKM and cooperatives (Rp)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} {self.region_id}"

    @property
    def share(self) -> float | None:
        return round(100 * self.matched_value / self.total_value, 2) if self.total_value else None


class ProcurementPackage(Supplier):
    scope_region_field = "source__region__code"
    scope_owner_field = None

    source = models.ForeignKey(ProcurementImport, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField()
    package = models.CharField(max_length=300)
    agency = models.CharField(max_length=200, blank=True)
    value = models.BigIntegerField()
    supplier_name = models.CharField(max_length=200, blank=True)
    supplier_nib = models.CharField(max_length=13, blank=True)
    matched_by = models.CharField(max_length=8, blank=True)  # "nib", "nama" or ""

    class Meta:
        verbose_name = _("procurement package")
        verbose_name_plural = _("procurement packages")
        ordering = ["row"]

    def __str__(self) -> str:
        return self.package


class Event(models.Model):
    """A business-matching event (temu bisnis): buyers meet the suppliers who chose them, in scheduled slots."""

    scope_region_field = "region__code"
    scope_owner_field = None

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    title = models.CharField(_("event"), max_length=160)
    place = models.CharField(_("place"), max_length=200)
    held_on = models.DateField(_("day"))
    starts_at = models.TimeField(_("first meeting at"))
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per meeting"), default=20)
    buyers = models.ManyToManyField(Buyer, blank=True, related_name="events", verbose_name=_("buyers"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(slot_minutes__gte=5, slot_minutes__lte=120),
                                              name="event_slot_minutes")]  # fmt: skip

    def __str__(self) -> str:
        return self.title


class EventRegistration(Supplier):
    """A supplier taking part, with the buyers it wants to meet."""

    scope_region_field = "event__region__code"
    scope_owner_field = None

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    wants = models.ManyToManyField(Buyer, blank=True, related_name="+", verbose_name=_("buyers wanted"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    # Through the event's public link, like a training's: a business not (yet) known to naikkelas, as typed. The
    # office finds it in the registry later; the registry is never searched for the public.
    guest_business = models.CharField(_("business name"), max_length=160, blank=True)
    guest_name = models.CharField(_("name"), max_length=150, blank=True)
    guest_phone = models.CharField(_("phone / WhatsApp"), max_length=20, blank=True)
    guest_village = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("village"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(business__isnull=False, cooperative__isnull=True, guest_business="")
                | Q(business__isnull=True, cooperative__isnull=False, guest_business="")
                | (Q(business__isnull=True, cooperative__isnull=True) & ~Q(guest_business="")),
                name="event_registration_one_supplier",
            ),
            models.UniqueConstraint(
                fields=["event", "guest_phone"], condition=~Q(guest_phone=""), name="event_guest_phone_once"
            ),  # fmt: skip
            models.UniqueConstraint(fields=["event", "business"], name="event_business_once"),
            models.UniqueConstraint(fields=["event", "cooperative"], name="event_cooperative_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.supplier.name if self.supplier is not None else self.guest_business


class MeetingOutcome(models.TextChoices):
    DEAL = "deal", _("Deal")
    FOLLOW_UP = "lanjut", _("Follow-up")
    NO_DEAL = "tidak", _("No deal")


class Meeting(models.Model):
    scope_region_field = "event__region__code"
    scope_owner_field = None

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("event")
    )
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="+", verbose_name=_("buyer"))
    registration = models.ForeignKey(EventRegistration, on_delete=models.CASCADE, related_name="meetings",
                                     verbose_name=_("supplier"))  # fmt: skip
    starts_at = models.TimeField(_("time"))
    outcome = models.CharField(_("outcome"), max_length=6, choices=MeetingOutcome.choices, blank=True)
    value = models.BigIntegerField(_("deal value (Rp)"), null=True, blank=True)

    class Meta:
        verbose_name = _("business meeting")
        verbose_name_plural = _("business meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "buyer", "starts_at"], name="meeting_buyer_slot"),
            models.UniqueConstraint(fields=["registration", "starts_at"], name="meeting_supplier_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M} {self.buyer_id} × {self.registration_id}"
