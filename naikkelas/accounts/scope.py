"""The one place that turns a user into what they may see. Every selector, API endpoint and export calls it.

A scoped model declares two class attributes:
  scope_region_field  the lookup path to the region code of the record ("village__code": no join, the FK column)
  scope_owner_field   the path from the record to the user who owns or manages it (None if none)
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Model, Q, QuerySet

from naikkelas.accounts.constants import Role
from naikkelas.regions import codes as region_codes


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_codes: tuple[str, ...] = ()  # records in any of these regions (codes at any level)
    own: bool = False  # records the user owns or manages
    user_id: int | None = None
    role: str = Role.PUBLIC

    def covers_region(self, code: str) -> bool:
        """May this user place a record in (or look at) the region with this code?"""
        if self.everything:
            return True
        return region_codes.within_any(code, self.region_codes)


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    role = user.effective_role
    if role == Role.NATIONAL_ADMIN:
        return Scope(everything=True, role=role, user_id=user.pk)
    if role in (Role.PROVINCE_ADMIN, Role.REGENCY_ADMIN):
        codes = (user.region_id,) if user.region_id else ()
        return Scope(region_codes=codes, role=role, user_id=user.pk)
    if role == Role.FIELD_OFFICER:
        codes = tuple(user.districts.values_list("code", flat=True))
        return Scope(region_codes=codes, role=role, user_id=user.pk)
    if role in (Role.BUSINESS_OWNER, Role.COOPERATIVE_MANAGER):
        return Scope(own=True, role=role, user_id=user.pk)
    return Scope(role=role, user_id=user.pk)


def region_q(field_name: str, codes, *, narrow: bool = True) -> Q:
    """Records whose region code lies inside any of the codes.

    PostgreSQL: LIKE '18.09.%' can use the varchar_pattern_ops index Django adds to indexed varchar columns, and
    its planner weighs that against walking the name index for an ordered page. SQLite's planner does not weigh
    the LIMIT: given a usable range on the code it fetches every row in the region and sorts them. So on SQLite a
    narrow query (few rows expected) gets a range on the code ("18.09." <= code < "18.09/", "/" following "."),
    which the index answers, and a wide one gets LIKE, which SQLite cannot index, leaving the name index to walk.
    """
    q = Q(pk__in=[])
    for code in codes:
        if connection.vendor == "sqlite" and narrow:
            inside = Q(**{f"{field_name}__gte": code + ".", f"{field_name}__lt": code + "/"})
        else:
            inside = Q(**{f"{field_name}__startswith": code + "."})
        q |= Q(**{field_name: code}) | inside
    return q


def scope_q(model: type[Model], scope: Scope, *, narrow: bool = True) -> Q | None:
    """None means no restriction."""
    if scope.everything:
        return None
    q = region_q(model.scope_region_field, scope.region_codes, narrow=narrow)
    owner_field = getattr(model, "scope_owner_field", None)
    if scope.own and owner_field:
        q |= Q(**{owner_field: scope.user_id})
    return q


def scoped(qs: QuerySet, user, *, narrow: bool = True) -> QuerySet:
    """The queryset limited to what the user may see (narrow: see region_q; it changes speed, not results)."""
    q = scope_q(qs.model, scope_for(user), narrow=narrow)
    return qs if q is None else qs.filter(q)
