"""The menu, by role: items grouped as an office works (Data, Lapangan, Pembinaan, Modal, Koperasi, Promosi,
Pengaturan), each shown only to those its page lets in: the page's own permission function where the app has one
(so the two cannot drift apart), its role list otherwise. No link a person sees answers 403. It lives in the
dashboard app, the top of the app stack, as it names every app's pages. Rendered by base.html
(`{% load site_menu %}`); tests/test_menu.py follows every link."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts import permissions
from naikkelas.catalog.services import can_curate
from naikkelas.dashboard.selectors import can_see_dashboard
from naikkelas.intake.duplicates import can_dedupe
from naikkelas.lifecycle.services import can_verify
from naikkelas.privacy.services import can_answer
from naikkelas.registry.services import can_create
from naikkelas.supervision.services import can_supervise
from naikkelas.training.services import can_manage

_may = permissions.rule  # the menu asks the same named rules as the services
_oversees = _may("oversee_privacy")  # admins and the DPO


@dataclass(frozen=True)
class Item:
    label: object
    url_name: str
    allowed: Callable[[object], bool]


GROUPS: list[tuple[object, list[Item]]] = [
    (_("Data"), [
        Item(_("Home"), "dashboard:home", _may("have_home")),
        Item(_("Businesses"), "business_list", _may("list_businesses")),
        Item(_("Cooperatives"), "cooperative_list", _may("list_cooperatives")),
        Item(_("Import"), "intake:home", can_create),
        Item(_("Likely duplicates"), "intake:duplicates", can_dedupe),
        Item(_("Data quality"), "intake:quality", can_see_dashboard),
    ]),
    (_("Field work"), [
        Item(_("Visits"), "lifecycle:worklist", can_verify),
        Item(_("Funnel"), "dashboard:funnel", can_see_dashboard),
        Item(_("Performance watch"), "performance:watchlist", can_see_dashboard),
    ]),
    (_("Plan and reports"), [
        Item(_("Head of office"), "planning:head_dashboard", can_see_dashboard),
        Item(_("Plans (Renstra, Renja)"), "planning:plans", can_see_dashboard),
        Item(_("Office indicators"), "planning:indicators", can_see_dashboard),
        Item(_("DPRD's points"), "planning:pokok_pikiran", can_see_dashboard),
    ]),
    (_("Coaching"), [
        Item(_("Training"), "training:cohorts", can_manage),
        Item(_("KPI"), "performance:overview", can_see_dashboard),
    ]),
    (_("Capital"), [
        Item(_("Capital programmes"), "financing:programmes", _may("apply_for_capital")),
    ]),
    (_("Cooperatives"), [
        Item(_("Supervision"), "supervision:dashboard", can_supervise),
    ]),
    (_("Promotion"), [
        Item(_("Catalogue curation"), "catalog:curation", can_curate),
        Item(_("Public catalogue"), "catalog:home", lambda user: True),
    ]),
    (_("Opportunities"), [
        Item(_("Buyers' demand"), "opportunities:office", _may("manage_opportunities")),
        Item(_("Suppliers ready for procurement"), "opportunities:ready", _may("manage_opportunities")),
        Item(_("Partnerships"), "opportunities:partnerships", _may("manage_opportunities")),
        Item(_("Share of procurement"), "opportunities:procurement", _may("manage_opportunities")),
        Item(_("Business-matching events"), "opportunities:events", _may("manage_opportunities")),
        Item(_("Open opportunities"), "opportunities:public_list", lambda user: True),
    ]),
    (_("Personal data"), [
        Item(_("My data"), "privacy:my_data", _may("run_own_business")),
        Item(_("Requests about personal data"), "privacy:requests", lambda u: can_answer(u) or _oversees(u)),
        Item(_("Messages to people"), "privacy:outbox", permissions.is_staff_role),
        Item(_("Personal data breaches"), "privacy:incidents", _oversees),
        Item(_("Register of processing activities"), "privacy:register",
             lambda u: permissions.is_staff_role(u) or _oversees(u)),
        Item(_("Impact assessments"), "privacy:dpia", lambda u: permissions.is_staff_role(u) or _oversees(u)),
    ]),
    (_("Settings"), [
        Item(_("Scorecard"), "lifecycle:instruments", _may("edit_settings")),
        Item(_("KPI library"), "performance:kpis", _may("edit_settings")),
        Item(_("Audit log"), "audit_log", _may("see_audit")),
        Item(_("API tokens"), "api_tokens", _may("use_api")),
    ]),
]  # fmt: skip


def menu_for(user) -> list[tuple[object, list[tuple[object, str]]]]:
    """(group label, [(item label, url)]) for the groups with at least one item this person may open."""
    if not user.is_authenticated:
        return []
    groups = []
    for label, items in GROUPS:
        links = [(item.label, reverse(item.url_name)) for item in items if item.allowed(user)]
        if links:
            groups.append((label, links))
    return groups
