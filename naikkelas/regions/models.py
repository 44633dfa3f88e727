"""A region is identified by its official dotted Kemendagri code, which is also its primary key."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from naikkelas.regions import codes

CODE_PATTERN = re.compile(r"^[1-9]\d(\.\d{2}(\.\d{2}(\.[123]\d{3})?)?)?$")


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    REGENCY = 2, _("Regency/City")
    DISTRICT = 3, _("District")
    VILLAGE = 4, _("Village")


LEVEL_KEYS = {
    Level.PROVINCE: "province",
    Level.REGENCY: "regency",
    Level.DISTRICT: "district",
    Level.VILLAGE: "village",
}


level_of = codes.level_of


class Region(models.Model):
    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def level_key(self) -> str:
        return LEVEL_KEYS[self.level]

    def ancestor_codes(self) -> list[str]:
        """Codes from the province down to this region: 18.09.01 → [18, 18.09, 18.09.01]."""
        return ancestor_codes(self.code)

    def ancestors(self) -> list["Region"]:
        by_code = Region.objects.in_bulk(self.ancestor_codes())
        return [by_code[c] for c in self.ancestor_codes() if c in by_code]

    def path_name(self) -> str:
        return " › ".join(r.name for r in self.ancestors())


# The code helpers live in regions.codes (no imports, usable from every layer); the old names stay importable.
common_code = codes.common_code
ancestor_codes = codes.ancestor_codes
code_within = codes.code_within
