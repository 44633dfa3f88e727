"""The register of processing activities (UU 27/2022 Pasal 31): what naikkelas processes, for which purpose, on
which legal basis (Pasal 20), about whom, kept how long, and given to whom. Kept with the code, so that it changes
with what the code does."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from naikkelas.privacy.models import ConsentPurpose

PUBLIC_TASK = _("public task of the office (Pasal 20 ayat 2 huruf e): PP 7/2021, the single KUMKM database")
CONSENT = _("consent of the person (Pasal 20 ayat 2 huruf a), withdrawable at any time (Pasal 9)")


@dataclass(frozen=True)
class Activity:
    code: str
    name: str
    basis: str
    data: str
    people: str
    retention: str
    recipients: str
    consent: str = ""  # the ConsentPurpose it rests on, if any


ACTIVITIES = [
    Activity("registry", _("Registry of UMKM and cooperatives"), PUBLIC_TASK,
             _("name, NIK (encrypted), gender, birth date, education, disability, phone, e-mail, address; the "
               "business's figures"), _("owners, cooperative managers"),
             _("while the business is registered, then 5 years"), _("the office; the ministry (SIDT export)")),
    Activity("coaching", _("Coaching and field visits, scorecard"), PUBLIC_TASK,
             _("visit notes and photos, scorecard answers, KPI reports, cash book"), _("owners"),
             _("5 years after the last visit"), _("the office")),
    Activity("training", _("Training, attendance, tests and certificates"), PUBLIC_TASK,
             _("name, phone, attendance, test scores, certificates"), _("participants"),
             _("10 years (certificates are checked later)"), _("the office; the participant")),
    Activity("capital", _("Capital aid: applications, loans and repayments"), PUBLIC_TASK,
             _("applications, documents, disbursements, repayments, referrals"), _("applicants"),
             _("10 years after the last payment (state finance records)"), _("the office; the bank for KUR referrals")),
    Activity("catalogue", _("Public product catalogue"), CONSENT,
             _("the business's name and products; its WhatsApp number (the owner's phone)"), _("owners"),
             _("while the product is published"), _("the public"), ConsentPurpose.CATALOGUE_CONTACT),
    Activity("whatsapp", _("Contact by WhatsApp from the office"), CONSENT, _("phone"), _("owners, participants"),
             _("until withdrawn"), _("the office"), ConsentPurpose.WHATSAPP_CONTACT),
    Activity("opportunities", _("Business opportunities: matching, invitations, offers"), PUBLIC_TASK,
             _("the business's profile, readiness, offers"), _("owners, cooperative managers"),
             _("5 years"), _("the office; the buyer an offer is sent to")),
    Activity("statistics", _("Statistics and reports for the DPRD and the ministry"), PUBLIC_TASK,
             _("counts only; no person is named"), _("everyone in the registry"), _("as the reports"),
             _("DPRD, ministry (aggregates)")),
]  # fmt: skip
