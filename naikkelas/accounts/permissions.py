"""Who may change what: the rules every write service asks, whoever calls it (page, API, import, command, task).

Scope says which records a user may see (accounts.scope); these say which of them the user may write, and the
one guard every service uses for every record it touches: `require_in_scope(actor, obj)`.

A person has no region of their own: they belong to the regions of the businesses they run. An office may see a
person when one of those businesses is in its scope, and change them (name, phone, e-mail, login) only when all of
them are, so that no office changes someone another office also serves.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts.constants import ADMIN_ROLES, NIK_VIEWER_ROLES, Role
from naikkelas.accounts.scope import scope_for, scope_q

OUT_OF_SCOPE = gettext_lazy("This record is outside your area.")
REGION_REQUIRED = gettext_lazy("%(field)s is required.")
REGION_UNKNOWN = gettext_lazy("%(field)s: region code %(value)s is not in the Kemendagri region tree.")
REGION_OUTSIDE = gettext_lazy("%(field)s: %(value)s is outside your area.")
CANNOT_WRITE = gettext_lazy("Your role cannot change this record.")


STAFF_ROLES = frozenset({*ADMIN_ROLES, Role.FIELD_OFFICER})
EVERYONE_SIGNED_IN = frozenset(Role.values)

# What each role may do, whatever the record: one table for services, views, the menu and templates
# (`{% if user|may:"curate" %}`). Which records comes from scope: every service also calls
# require_in_scope (or can_edit_business / can_edit_cooperative) on every record it touches.
RULES: dict[str, frozenset[str]] = {
    "create_records": STAFF_ROLES,  # businesses, cooperatives, imports, owner accounts
    "view_nik": frozenset(NIK_VIEWER_ROLES),  # reveal a full NIK (audited)
    "dedupe": STAFF_ROLES,  # duplicate search, review and merge
    "verify": STAFF_ROLES,  # field visits and scorecards
    "see_dashboard": STAFF_ROLES,  # funnel, performance watch, KPI overview
    "manage_training": STAFF_ROLES,  # cohorts, sessions, check-in, certificates
    "edit_training_catalogue": frozenset(ADMIN_ROLES),  # programmes and their tests
    "supervise": STAFF_ROLES,  # cooperative visits and health ratings
    "curate": STAFF_ROLES,  # the public catalogue
    "review_applications": STAFF_ROLES,  # verify capital applications, record payments and referrals
    "decide_applications": frozenset(ADMIN_ROLES),  # capital programmes, approval, rejection, disbursement
    "write_performance": frozenset({*STAFF_ROLES, Role.BUSINESS_OWNER}),  # KPI reports, cash book, SOPs
    "edit_settings": frozenset(ADMIN_ROLES),  # scorecard instrument, KPI library, SOP templates
    "see_audit": frozenset(ADMIN_ROLES),
    "list_businesses": frozenset({*STAFF_ROLES, Role.BUSINESS_OWNER}),
    "list_cooperatives": frozenset({*STAFF_ROLES, Role.COOPERATIVE_MANAGER}),
    "apply_for_capital": frozenset(
        EVERYONE_SIGNED_IN - {Role.COOPERATIVE_MANAGER, Role.DATA_PROTECTION_OFFICER}
    ),
    "use_api": frozenset(EVERYONE_SIGNED_IN - {Role.BUSINESS_OWNER, Role.PUBLIC}),
    "have_home": frozenset(EVERYONE_SIGNED_IN - {Role.PUBLIC}),
    "run_own_business": frozenset({Role.BUSINESS_OWNER}),  # the owner's Beranda: their books and programmes
    "manage_own_cooperative": frozenset({Role.COOPERATIVE_MANAGER}),  # the manager's Beranda: RAT and reports
    # A person's copy of their data (UU PDP), for the person: it holds what rebuilds a masked NIK (birth date,
    # gender), so only for those who may see NIKs; audited.
    "answer_data_requests": frozenset(NIK_VIEWER_ROLES),
    # Personal data breaches (UU 27/2022 Pasal 46): recorded, and people and the authority told, by the office.
    "handle_breaches": frozenset(ADMIN_ROLES),
    # Read the requests, the register, the impact assessments and the breaches of the area (not the records).
    "oversee_privacy": frozenset({*ADMIN_ROLES, Role.DATA_PROTECTION_OFFICER}),
    "manage_opportunities": STAFF_ROLES,  # buyers, opportunities, invitations, outcomes, procurement readiness
}


def can(user, rule: str) -> bool:
    """May this user, by role, do this (a key of RULES)? Unknown rules are a programming error."""
    roles = RULES[rule]
    return bool(user is not None and user.is_authenticated and user.effective_role in roles)


def rule(name: str):
    """can(user, name) as a one-argument function, for the menu and for an app's own `can_<verb>` name."""
    RULES[name]  # fail at import on a typo

    def check(user) -> bool:
        return can(user, name)

    check.__name__ = f"can_{name}"
    return check


def require(condition: bool, message) -> None:
    """Refuse with the app's Indonesian sentence when the condition does not hold."""
    if not condition:
        raise PermissionDenied(str(message))


def require_rule(user, name: str, message=CANNOT_WRITE) -> None:
    require(can(user, name), message)


def is_staff_role(user) -> bool:
    """Office staff: admins of any level and field officers."""
    return bool(user and user.is_authenticated and user.effective_role in STAFF_ROLES)


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.effective_role in ADMIN_ROLES)


def covers(user, region_code: str) -> bool:
    """May this user act in the region with this code (any level)? No query: from the user's scope."""
    return bool(region_code) and scope_for(user).covers_region(region_code)


def region_in_area(actor, code, *, field: str = "region", label=None):
    """The region a write names (any level), when the actor's area covers it and it exists; otherwise a
    ValidationError naming the field. The one guard for a region typed into a write (plans, indicators, buyers,
    opportunities, partnerships, events, imports)."""
    from naikkelas.regions.models import Region  # the region tree's app imports this one

    code, label = str(code or "").strip(), label or _("Region")
    if not code:
        raise ValidationError({field: [str(REGION_REQUIRED % {"field": label})]})
    if not covers(actor, code):
        raise ValidationError({field: [str(REGION_OUTSIDE % {"field": label, "value": code})]})
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({field: [str(REGION_UNKNOWN % {"field": label, "value": code})]})
    return region


def staff_covers(user, region_code: str, name: str = "create_records") -> bool:
    """Office staff allowed this rule, acting inside their area."""
    return can(user, name) and covers(user, region_code)


def in_scope(user, obj: Model) -> bool:
    """Is this record (a model declaring scope_region_field) one the user may see?"""
    if obj is None or obj.pk is None:
        return False
    q = scope_q(type(obj), scope_for(user))
    manager = getattr(type(obj), "all_objects", type(obj)._default_manager)
    return q is None or manager.filter(q, pk=obj.pk).exists()


def require_in_scope(actor, obj: Model) -> None:
    """Refuse (PermissionDenied, an Indonesian sentence) when the record is not one the actor may see."""
    if not in_scope(actor, obj):
        raise PermissionDenied(str(OUT_OF_SCOPE))


def can_edit_business(user, business) -> bool:
    """Office staff within their area, or the business's own owner."""
    if not (user and user.is_authenticated):
        return False
    if is_staff_role(user):
        return in_scope(user, business)
    if user.effective_role == Role.BUSINESS_OWNER:
        return business.owner.user_id == user.pk
    return False


def can_edit_cooperative(user, cooperative) -> bool:
    if not (user and user.is_authenticated):
        return False
    if is_staff_role(user):
        return in_scope(user, cooperative)
    if user.effective_role == Role.COOPERATIVE_MANAGER:
        return cooperative.managers.filter(pk=user.pk).exists()
    return False


def _person_businesses(person):
    from naikkelas.registry.models import Business  # registry sits above accounts

    return Business.all_objects.filter(owner_id=person.pk)


def persons_reach(user, person_ids) -> tuple[set[int], set[int]]:
    """Of these persons: those the user may see (a business of theirs is in the user's area) and those the user
    may change (every business of theirs is); one query pair for a whole import chunk."""
    from naikkelas.registry.models import Business  # registry sits above accounts

    ids = set(person_ids)
    scope = scope_for(user)
    if scope.everything:
        return ids, ids
    theirs = Business.all_objects.filter(owner_id__in=ids)
    inside = scope_q(Business, scope)
    visible = set(theirs.filter(inside).values_list("owner_id", flat=True))
    outside = set(theirs.exclude(inside).values_list("owner_id", flat=True))
    return visible, visible - outside


def _is_self(user, person) -> bool:
    return person.user_id is not None and person.user_id == getattr(user, "pk", None)


def person_visible(user, person) -> bool:
    """May the user see this person (their masked NIK, phone, birth year)? Through a business in scope."""
    return _is_self(user, person) or person.pk in persons_reach(user, [person.pk])[0]


def person_editable(user, person) -> bool:
    """May the user change this person or their login? Only when every business they run is in the user's
    area (a person served by two offices is changed by the office above both), or it is the person themself."""
    return _is_self(user, person) or person.pk in persons_reach(user, [person.pk])[1]


def person_region(person) -> str:
    """Where a person is served: the village of their first business ("" when they run none). Audit entries
    about a person are filed there, so that their office sees them."""
    return _person_businesses(person).order_by("pk").values_list("village_id", flat=True).first() or ""
