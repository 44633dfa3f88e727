"""Supervision of cooperatives: annual member meetings (RAT), yearly financial reports, health ratings, and
supervision visits with findings and follow-up actions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnualMeeting(models.Model):
    """The RAT that closes one book year."""

    scope_region_field = "cooperative__village__code"
    scope_owner_field = "cooperative__managers"

    cooperative = models.ForeignKey("registry.Cooperative", on_delete=models.CASCADE, related_name="meetings")
    book_year = models.PositiveSmallIntegerField(_("book year"))
    held_on = models.DateField(_("held on"))
    members_present = models.PositiveIntegerField(_("members present"), null=True, blank=True)
    minutes = models.FileField(_("minutes"), upload_to="supervision/rat/%Y/", blank=True)
    attendance = models.FileField(_("attendance list"), upload_to="supervision/rat/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cooperative", "-book_year"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "book_year"], name="meeting_once_per_year")
        ]

    def __str__(self) -> str:
        return f"RAT {self.book_year} {self.cooperative_id}"


# (field, Indonesian label as in a KSP's report, English label). One place: model, form, XLSX import and API.
REPORT_ITEMS = (
    ("total_assets", "Total aset", _("Total assets")),
    ("cash_and_bank", "Kas dan bank", _("Cash and bank")),
    ("loans_outstanding", "Pinjaman yang diberikan", _("Loans outstanding")),
    ("loans_to_members", "Pinjaman kepada anggota", _("Loans to members")),
    ("risky_loans", "Pinjaman diberikan yang berisiko", _("Loans without adequate collateral")),
    ("loans_substandard", "Pinjaman kurang lancar", _("Loans substandard")),
    ("loans_doubtful", "Pinjaman diragukan", _("Loans doubtful")),
    ("loans_loss", "Pinjaman macet", _("Loans in default")),
    ("risk_reserve", "Cadangan risiko", _("Risk reserve")),
    ("current_liabilities", "Kewajiban lancar", _("Current liabilities")),
    ("member_savings", "Simpanan anggota", _("Member savings")),
    ("core_savings", "Simpanan pokok dan wajib", _("Principal and mandatory savings")),
    ("funds_received", "Dana yang diterima", _("Funds received (savings and borrowings)")),
    ("equity", "Modal sendiri", _("Equity")),
    ("weighted_capital", "Modal tertimbang", _("Risk-weighted capital")),
    ("risk_weighted_assets", "ATMR", _("Risk-weighted assets (ATMR)")),
    ("gross_participation", "Partisipasi bruto", _("Gross member participation")),
    ("net_participation", "Partisipasi neto", _("Net member participation")),
    ("non_member_revenue", "Pendapatan dari non-anggota", _("Revenue from non-members")),
    ("member_service_costs", "Beban operasi anggota", _("Member service costs")),
    ("operating_expenses", "Beban usaha", _("Operating expenses")),
    ("cooperative_expenses", "Beban perkoperasian", _("Cooperative expenses")),
    ("staff_costs", "Biaya karyawan", _("Staff costs")),
    ("gross_shu", "SHU kotor", _("Gross SHU")),
    ("shu_before_tax", "SHU sebelum pajak", _("SHU before tax")),
    ("shu", "SHU bersih", _("SHU (surplus)")),
    ("shu_members", "SHU bagian anggota", _("SHU shared with members")),
    ("member_promotion", "Promosi ekonomi anggota (PEA)", _("Member economic promotion (PEA)")),
)
ITEM_NAMES = tuple(name for name, _id, _en in REPORT_ITEMS)


class FinancialReport(models.Model):
    scope_region_field = "cooperative__village__code"
    scope_owner_field = "cooperative__managers"

    cooperative = models.ForeignKey("registry.Cooperative", on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("book year"))
    source = models.CharField(_("source"), max_length=120, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    locals().update(
        {name: models.BigIntegerField(en, null=True, blank=True) for name, _id, en in REPORT_ITEMS}
    )

    class Meta:
        ordering = ["cooperative", "-year"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "year"], name="report_once_per_year")]

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.year}"

    def items(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in ITEM_NAMES}


class HealthCategory(models.TextChoices):
    SEHAT = "sehat", _("Sehat (healthy)")
    CUKUP = "cukup_sehat", _("Cukup Sehat (fairly healthy)")
    PENGAWASAN = "pengawasan", _("Dalam Pengawasan (under supervision)")
    KHUSUS = "pengawasan_khusus", _("Dalam Pengawasan Khusus (under special supervision)")
    KURANG = "kurang_sehat", _("Kurang Sehat (less healthy)")
    TIDAK = "tidak_sehat", _("Tidak Sehat (unhealthy)")


class HealthRating(models.Model):
    scope_region_field = "cooperative__village__code"
    scope_owner_field = "cooperative__managers"

    cooperative = models.ForeignKey("registry.Cooperative", on_delete=models.CASCADE, related_name="ratings")
    report = models.ForeignKey(FinancialReport, on_delete=models.CASCADE, related_name="ratings")
    method = models.CharField(_("method"), max_length=24)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    category = models.CharField(_("rating"), max_length=20, choices=HealthCategory.choices)
    management = models.JSONField(_("management answers"), default=dict, blank=True)
    details = models.JSONField(default=dict)  # the aspects, ratios and scores behind the rating
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-report__year", "-rated_at"]

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.method} {self.score}"


class SupervisionVisit(models.Model):
    scope_region_field = "cooperative__village__code"
    scope_owner_field = "cooperative__managers"

    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.CASCADE, related_name="supervision_visits"
    )
    visited_on = models.DateField(_("visited on"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.visited_on}"


class Severity(models.TextChoices):
    LOW = "rendah", _("Low")
    MEDIUM = "sedang", _("Medium")
    HIGH = "tinggi", _("High")


class Finding(models.Model):
    visit = models.ForeignKey(SupervisionVisit, on_delete=models.CASCADE, related_name="findings")
    text = models.CharField(_("finding"), max_length=500)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]


class FollowUp(models.Model):
    scope_region_field = "finding__visit__cooperative__village__code"
    scope_owner_field = "finding__visit__cooperative__managers"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(_("follow-up action"), max_length=500)
    owner = models.CharField(_("who does it"), max_length=150)
    due_on = models.DateField(_("deadline"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.CharField(_("how it was done"), max_length=255, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.action[:80]
