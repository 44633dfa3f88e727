"""Every financing read, scoped to the user: programmes, applications, and the revolving-fund portfolio."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import region_q, scope_for, scoped
from naikkelas.financing import loans
from naikkelas.financing.models import Application, ApplicationStatus, Programme, ProgrammeKind
from naikkelas.financing.services import NOT_REVIEWER
from naikkelas.regions.models import Region, ancestor_codes


def programmes_for(*, user) -> QuerySet[Programme]:
    """Programmes whose region covers, or lies inside, what the user sees; an owner sees those covering their
    businesses."""
    scope = scope_for(user)
    qs = Programme.objects.select_related("region")
    if scope.everything:
        return qs
    codes = list(scope.region_codes)
    if scope.own:
        codes += (
            list(user.person.businesses.values_list("village_id", flat=True))
            if hasattr(user, "person")
            else []
        )
    if not codes:
        return qs.none()
    above = {a for code in codes for a in ancestor_codes(code)}
    return qs.filter(Q(region__code__in=above) | region_q("region__code", scope.region_codes))


def programme_get_for_user(*, user, pk) -> Programme:
    return get_object_or_404(programmes_for(user=user), pk=pk)


def applications_for(*, user, programme: Programme | None = None, status: str = "") -> QuerySet[Application]:
    qs = scoped(Application.objects.select_related("programme", "business__owner", "business__village"), user)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if status:
        qs = qs.filter(status=status)
    return qs


def application_get_for_user(*, user, pk) -> Application:
    return get_object_or_404(applications_for(user=user), pk=pk)


@dataclass
class PortfolioRow:
    key: str
    name: str
    portfolio: loans.Portfolio


PORTFOLIO_GROUPS = ("programme", "regency", "district")


def portfolio(
    *, user, on: date, programme: Programme | None = None, by: str = "programme"
) -> list[PortfolioRow]:
    """Revolving-fund loans as of a day, per programme or per regency/district (any other grouping: per
    programme): disbursed, outstanding, arrears, PAR 30. The office-wide portfolio is for staff who review
    applications; within one programme's page anyone sees the loans of their own scope (an owner: theirs)."""
    if programme is None:
        permissions.require_rule(user, "review_applications", NOT_REVIEWER)
    by = by if by in PORTFOLIO_GROUPS else "programme"
    qs = (
        applications_for(user=user, programme=programme, status=ApplicationStatus.DISBURSED)
        .filter(programme__kind=ProgrammeKind.REVOLVING, disbursement__disbursed_on__lte=on)
        .prefetch_related("installments", "payments")
        .select_related("disbursement")
    )
    rows: dict[str, PortfolioRow] = {}
    names = {}
    for application in qs:
        if by == "programme":
            key, name = str(application.programme_id), application.programme.name
        else:
            key = application.business.village_id[: 5 if by == "regency" else 8]
            if key not in names:
                names[key] = Region.objects.filter(code=key).values_list("name", flat=True).first() or key
            name = names[key]
        row = rows.setdefault(key, PortfolioRow(key, name, loans.Portfolio()))
        lines = [
            loans.Line(i.number, i.due_on, i.principal, i.interest) for i in application.installments.all()
        ]
        state = loans.state(lines, [(p.paid_on, p.amount) for p in application.payments.all()], on)
        row.portfolio.add(application.disbursement.amount, state)
    return sorted(rows.values(), key=lambda r: r.name)


def portfolio_total(rows: list[PortfolioRow]) -> loans.Portfolio:
    return sum((row.portfolio for row in rows), loans.Portfolio())
