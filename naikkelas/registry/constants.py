"""Status values and categories of the registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    OPERATING = "operating", _("Operating")
    MODERN = "modern", _("Modern and innovating")
    CLOSED = "closed", _("Closed")


class SizeClass(models.TextChoices):
    MIKRO = "mikro", _("Micro")
    KECIL = "kecil", _("Small")
    MENENGAH = "menengah", _("Medium")
    BESAR = "besar", _("Large")


class Gender(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class DocumentKind(models.TextChoices):
    NIB = "nib", "NIB"
    PIRT = "pirt", "PIRT"
    HALAL = "halal", _("Halal")
    BPOM = "bpom", "BPOM"
    SNI = "sni", "SNI"


class CooperativeType(models.TextChoices):
    SAVINGS_LOAN = "simpan_pinjam", _("Savings and loan")
    PRODUCER = "produsen", _("Producer")
    CONSUMER = "konsumen", _("Consumer")
    MARKETING = "pemasaran", _("Marketing")
    SERVICES = "jasa", _("Services")


class CooperativeLevel(models.TextChoices):
    PRIMARY = "primer", _("Primary")
    SECONDARY = "sekunder", _("Secondary")


class CooperativeStatus(models.TextChoices):
    ACTIVE = "aktif", _("Active")
    INACTIVE = "tidak_aktif", _("Inactive")
    DISSOLVED = "dibubarkan", _("Dissolved")
