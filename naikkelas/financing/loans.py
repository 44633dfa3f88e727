"""Revolving-fund loans: the repayment schedule, how payments settle it, arrears, and portfolio at risk.

Pure functions over plain values, so that the rules can be checked by hand and by property tests.
Payments settle the installments in due order, each installment's service (interest) first, then its principal —
the usual rule of Indonesian revolving funds (LPDB-KUMKM) and savings-and-loan cooperatives.
"""

import calendar
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Line:
    number: int
    due_on: date
    principal: int
    interest: int

    @property
    def amount(self) -> int:
        return self.principal + self.interest


def months_after(day: date, n: int) -> date:
    """The same day n months later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + n
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _rupiah(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def schedule(*, amount: int, rate_percent: Decimal, months: int, method: str, start: date) -> list[Line]:
    """Equal principal each month (the last takes the rounding remainder); the service is charged monthly at
    rate/12 on the amount lent (flat) or on the principal still owed (declining balance, "menurun")."""
    if amount <= 0 or months <= 0:
        raise ValueError("amount and months must be positive")
    monthly = Decimal(rate_percent) / 100 / 12
    base = amount // months
    lines, owed = [], amount
    for number in range(1, months + 1):
        principal = base if number < months else owed
        on = amount if method == "flat" else owed
        lines.append(Line(number, months_after(start, number), principal, _rupiah(on * monthly)))
        owed -= principal
    return lines


@dataclass
class State:
    """A loan as of a day."""

    total_due: int = 0  # everything the schedule asks for
    paid: int = 0
    principal_paid: int = 0
    interest_paid: int = 0
    outstanding_principal: int = 0
    arrears: int = 0  # fallen due and not paid
    days_past_due: int = 0  # since the oldest installment not fully paid fell due
    settled: list[int] = field(default_factory=list)  # per installment, what the payments covered

    @property
    def remaining(self) -> int:
        return self.total_due - self.paid


def state(lines: list[Line], payments: list[tuple[date, int]], on: date) -> State:
    result = State(total_due=sum(line.amount for line in lines))
    pool = sum(amount for paid_on, amount in payments if paid_on <= on)
    result.paid = min(pool, result.total_due)
    oldest_unpaid: date | None = None
    principal_total = sum(line.principal for line in lines)
    for line in lines:
        interest = min(pool, line.interest)
        pool -= interest
        principal = min(pool, line.principal)
        pool -= principal
        result.interest_paid += interest
        result.principal_paid += principal
        result.settled.append(interest + principal)
        short = line.amount - interest - principal
        if short and line.due_on <= on:
            result.arrears += short
            oldest_unpaid = oldest_unpaid or line.due_on
    result.outstanding_principal = principal_total - result.principal_paid
    if oldest_unpaid is not None:
        result.days_past_due = (on - oldest_unpaid).days
    return result


@dataclass
class Portfolio:
    loans: int = 0
    disbursed: int = 0
    outstanding: int = 0
    at_risk: int = 0  # outstanding principal of loans more than 30 days past due
    arrears: int = 0
    loans_at_risk: int = 0

    @property
    def par30(self) -> Decimal | None:
        if not self.outstanding:
            return None
        return (Decimal(self.at_risk) * 100 / self.outstanding).quantize(Decimal("0.1"))

    def __add__(self, other: "Portfolio") -> "Portfolio":
        """Two portfolios as one (the total over programmes or regions); PAR 30 follows from the sums."""
        return Portfolio(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Portfolio)))

    def add(self, disbursed: int, loan: State) -> None:
        self.loans += 1
        self.disbursed += disbursed
        self.outstanding += loan.outstanding_principal
        self.arrears += loan.arrears
        if loan.days_past_due > 30 and loan.outstanding_principal:
            self.at_risk += loan.outstanding_principal
            self.loans_at_risk += 1
