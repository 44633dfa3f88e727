"""Outcomes of a verification visit and states of a scorecard instrument."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitOutcome(models.TextChoices):
    OPERATING = "operating", _("Operating")
    TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
    CLOSED = "closed", _("Closed")
    MOVED = "moved", _("Moved")
    NOT_FOUND = "not_found", _("Not found")


class InstrumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In use")
    RETIRED = "retired", _("Retired")


LEVEL_NAMES = {
    1: _("Traditional"),
    2: _("Developing"),
    3: _("Growing"),
    4: _("Advanced"),
    5: _("Modern"),
}
