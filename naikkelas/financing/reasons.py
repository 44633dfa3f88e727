"""Why an application is not eligible, worded for the reader. Stored as a code with raw values (financing.rules
decides them), worded when shown, in the reader's language, not the submitter's. Depends on no other module of
the app, so models and rules both use it without a cycle."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.core.money import digits
from naikkelas.registry.constants import BusinessStatus, DocumentKind, SizeClass


def _names(choices, values) -> str:
    labels = dict(choices)
    return ", ".join(str(labels.get(v, v)) for v in values)


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d-%m-%Y")


# code -> (message, how its values become words)
REASONS = {
    "closed": (gettext_lazy("The programme takes applications from %(start)s to %(end)s."),
               lambda v: {"start": _day(v["start"]), "end": _day(v["end"])}),
    "region": (gettext_lazy("The business is outside the programme's region (%(region)s)."), lambda v: v),
    "size_class": (gettext_lazy("Size class must be %(allowed)s; the business is %(actual)s."),
                   lambda v: {"allowed": _names(SizeClass.choices, v["allowed"]),
                              "actual": _names(SizeClass.choices, [v["actual"]]) if v["actual"] else _("not known")}),
    "sector": (gettext_lazy("Sector must be %(allowed)s; the business is %(actual)s."),
               lambda v: {"allowed": ", ".join(v["allowed"]), "actual": v["actual"] or _("not known")}),
    "status": (gettext_lazy("Status must be %(allowed)s; the business is %(actual)s."),
               lambda v: {"allowed": _names(BusinessStatus.choices, v["allowed"]),
                          "actual": _names(BusinessStatus.choices, [v["actual"]])}),
    "level": (gettext_lazy("Scorecard level must be at least %(min)s; the business is at %(actual)s."),
              lambda v: {"min": v["min"], "actual": v["actual"] or _("no assessment")}),
    "training": (gettext_lazy("The owner has not completed the required training (%(topic)s)."), lambda v: v),
    "documents": (gettext_lazy("Valid legal documents missing: %(docs)s."),
                  lambda v: {"docs": _names(DocumentKind.choices, v["docs"])}),
    "amount": (gettext_lazy("The amount asked is above the programme's limit of Rp %(max)s."),
               lambda v: {"max": digits(v["max"])}),
}  # fmt: skip


def reason_text(reason: dict) -> str:
    message, words = REASONS[reason["code"]]
    return str(message) % words(reason)
