"""A region is identified by its official dotted Kemendagri code, which is also its primary key."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

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


def level_of(code: str) -> int:
    return code.count(".") + 1


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


def common_code(codes) -> str:
    """The smallest region holding all these codes ("" when they lie in different provinces, or none given)."""
    parts = [c.split(".") for c in codes if c]
    if not parts:
        return ""
    shared = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        shared.append(level[0])
    return ".".join(shared)


def ancestor_codes(code: str) -> list[str]:
    """Codes from the province down to a region's code, itself included: 18.09.01 → [18, 18.09, 18.09.01]."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def code_within(code: str, scope_code: str) -> bool:
    """True when a region code lies inside (or is) another: 18.09.01.2006 within 18.09."""
    return code == scope_code or code.startswith(scope_code + ".")
