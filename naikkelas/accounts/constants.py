"""Roles of the people who use naikkelas."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National admin")
    PROVINCE_ADMIN = "province_admin", _("Provincial admin")
    REGENCY_ADMIN = "regency_admin", _("Regency admin")
    FIELD_OFFICER = "field_officer", _("Field officer (pendamping)")
    BUSINESS_OWNER = "business_owner", _("Business owner")
    COOPERATIVE_MANAGER = "cooperative_manager", _("Cooperative manager")
    # UU 27/2022 Pasal 53: oversees personal data in its region (requests, register, breaches), reads no record.
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer (DPO)")
    PUBLIC = "public", _("Public")


ADMIN_ROLES = {Role.NATIONAL_ADMIN, Role.PROVINCE_ADMIN, Role.REGENCY_ADMIN}
# Roles that may reveal a full NIK (each reveal is audited); everyone else sees it masked.
NIK_VIEWER_ROLES = {Role.NATIONAL_ADMIN, Role.PROVINCE_ADMIN, Role.REGENCY_ADMIN, Role.FIELD_OFFICER}
