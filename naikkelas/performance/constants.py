"""KPI directions, where a monthly report came from, and the bookkeeping categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class ReportSource(models.TextChoices):
    OWNER = "owner", _("Owner")
    OFFICER = "officer", _("Field officer")
    IMPORT = "import", _("Import")
    BOOKS = "books", _("Bookkeeping")


class EntryKind(models.TextChoices):
    SALE = "sale", _("Sale")
    EXPENSE = "expense", _("Expense")


class Category(models.TextChoices):
    """Bookkeeping categories. COGS_CATEGORIES count as cost of goods sold (HPP); ONLINE_CATEGORIES as online."""

    SALE_CASH = "jual_tunai", _("Sales, cash")
    SALE_TRANSFER = "jual_transfer", _("Sales, transfer or QRIS")
    SALE_ONLINE = "jual_online", _("Sales, online shop")
    RAW_MATERIAL = "bahan_baku", _("Raw materials")
    PACKAGING = "kemasan", _("Packaging")
    WAGES = "gaji", _("Wages")
    RENT = "sewa", _("Rent")
    UTILITIES = "listrik_air", _("Electricity and water")
    TRANSPORT = "transport", _("Transport")
    OTHER_EXPENSE = "lainnya", _("Other expenses")


SALE_CATEGORIES = {Category.SALE_CASH, Category.SALE_TRANSFER, Category.SALE_ONLINE}
ONLINE_CATEGORIES = {Category.SALE_ONLINE}
COGS_CATEGORIES = {Category.RAW_MATERIAL, Category.PACKAGING}


class Light(models.TextChoices):
    GREEN = "green", _("On target")
    AMBER = "amber", _("Close (80–99 %)")
    RED = "red", _("Behind (below 80 %)")
