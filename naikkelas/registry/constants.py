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


class Education(models.TextChoices):
    """The owner's highest schooling, in the SIDT-KUMKM survey's steps."""

    NONE = "tidak_sekolah", _("No schooling")
    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior high school (SMP)")
    SMA = "sma", _("Senior high school (SMA/SMK)")
    DIPLOMA = "diploma", _("Diploma (D1–D3)")
    S1 = "s1", _("Bachelor (D4/S1)")
    S2 = "s2", _("Master (S2)")
    S3 = "s3", _("Doctorate (S3)")


class LegalForm(models.TextChoices):
    """The business's legal form (status badan usaha)."""

    NONE = "perorangan", _("Individual, no legal entity")
    PT_PERORANGAN = "pt_perorangan", _("PT Perorangan")
    CV = "cv", "CV"
    FIRMA = "firma", _("Firma")
    PT = "pt", "PT"
    COOPERATIVE = "koperasi", _("Cooperative")
    FOUNDATION = "yayasan", _("Foundation")
    OTHER = "lainnya", _("Other")
