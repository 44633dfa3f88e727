"""The menu, by role: items grouped as an office works (Data, Lapangan, Pembinaan, Modal, Koperasi, Promosi,
Pengaturan), each shown only to the roles its page lets in (the same rule the page itself checks), so no link a
person sees answers 403. Rendered by base.html from `menu_for(user)`; tests/test_menu.py follows every link."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.constants import ADMIN_ROLES, Role

STAFF = (*ADMIN_ROLES, Role.FIELD_OFFICER)


def _roles(*roles) -> Callable[[object], bool]:
    return lambda user: user.effective_role in roles


def _not(*roles) -> Callable[[object], bool]:
    return lambda user: user.effective_role not in roles


@dataclass(frozen=True)
class Item:
    label: object
    url_name: str
    allowed: Callable[[object], bool]


GROUPS: list[tuple[object, list[Item]]] = [
    (_("Data"), [
        Item(_("Home"), "dashboard:home", _not(Role.PUBLIC)),
        Item(_("Businesses"), "business_list", _roles(*STAFF, Role.BUSINESS_OWNER)),
        Item(_("Cooperatives"), "cooperative_list", _roles(*STAFF, Role.COOPERATIVE_MANAGER)),
        Item(_("Import"), "intake:home", _roles(*STAFF)),
        Item(_("Likely duplicates"), "intake:duplicates", _roles(*STAFF)),
    ]),
    (_("Field work"), [
        Item(_("Visits"), "lifecycle:worklist", _roles(*STAFF)),
        Item(_("Funnel"), "dashboard:funnel", _roles(*STAFF)),
        Item(_("Performance watch"), "performance:watchlist", _roles(*STAFF)),
    ]),
    (_("Coaching"), [
        Item(_("Training"), "training:cohorts", _roles(*STAFF)),
        Item(_("KPI"), "performance:overview", _roles(*STAFF)),
    ]),
    (_("Capital"), [
        Item(_("Capital programmes"), "financing:programmes", _not(Role.COOPERATIVE_MANAGER)),
    ]),
    (_("Cooperatives"), [
        Item(_("Supervision"), "supervision:dashboard", _roles(*STAFF)),
    ]),
    (_("Promotion"), [
        Item(_("Catalogue curation"), "catalog:curation", _roles(*STAFF)),
        Item(_("Public catalogue"), "catalog:home", lambda user: True),
    ]),
    (_("Settings"), [
        Item(_("Scorecard"), "lifecycle:instruments", _roles(*ADMIN_ROLES)),
        Item(_("KPI library"), "performance:kpis", _roles(*ADMIN_ROLES)),
        Item(_("Audit log"), "audit_log", _roles(*ADMIN_ROLES)),
        Item(_("API tokens"), "api_tokens", _not(Role.BUSINESS_OWNER, Role.PUBLIC)),
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
