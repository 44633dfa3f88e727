"""Repayment schedules, how payments settle them, arrears and PAR 30: worked examples checked by hand, and
properties that hold for any loan."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from naikkelas.financing import loans


def test_it_makes_a_flat_schedule_due_on_the_same_day_each_month():
    # Rp 12.000.000 at 6 % a year over 12 months: 1.000.000 principal + 60.000 service (0,5 % of 12 juta) a month.
    lines = loans.schedule(
        amount=12_000_000, rate_percent=Decimal(6), months=12, method="flat", start=date(2026, 1, 31)
    )
    assert [(x.principal, x.interest) for x in lines] == [(1_000_000, 60_000)] * 12
    # 31 January + 1 month is the last day of February; then back to the 31st where the month has one.
    assert [x.due_on for x in lines[:3]] == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    assert sum(x.amount for x in lines) == 12_720_000


def test_it_charges_declining_balance_service_on_what_is_still_owed():
    # 12 juta at 12 % a year over 3 months: principal 4 juta each; service 1 % of 12, 8 and 4 juta.
    lines = loans.schedule(
        amount=12_000_000, rate_percent=Decimal(12), months=3, method="menurun", start=date(2026, 1, 15)
    )
    assert [(x.principal, x.interest) for x in lines] == [
        (4_000_000, 120_000),
        (4_000_000, 80_000),
        (4_000_000, 40_000),
    ]


def test_it_puts_the_rounding_remainder_on_the_last_installment():
    lines = loans.schedule(
        amount=1_000_000, rate_percent=Decimal(0), months=3, method="flat", start=date(2026, 1, 1)
    )
    assert [x.principal for x in lines] == [333_333, 333_333, 333_334]


def _loan():
    return loans.schedule(
        amount=12_000_000, rate_percent=Decimal(6), months=12, method="flat", start=date(2026, 1, 31)
    )


def test_it_settles_service_before_principal_and_counts_arrears_from_the_oldest_unpaid_installment():
    payments = [(date(2026, 2, 28), 1_060_000), (date(2026, 3, 31), 500_000)]
    state = loans.state(_loan(), payments, date(2026, 5, 15))
    # Installment 1 paid in full; of 500.000 for installment 2, 60.000 service and 440.000 principal.
    assert state.settled[:3] == [1_060_000, 500_000, 0]
    assert state.principal_paid == 1_440_000 and state.interest_paid == 120_000
    assert state.outstanding_principal == 10_560_000
    # Owed by 15 May: the rest of installment 2 (560.000) and all of installment 3 (1.060.000).
    assert state.arrears == 1_620_000
    assert state.days_past_due == (date(2026, 5, 15) - date(2026, 3, 31)).days == 45


def test_it_ignores_payments_made_after_the_day_asked_about():
    payments = [(date(2026, 2, 28), 1_060_000), (date(2026, 6, 1), 5_000_000)]
    state = loans.state(_loan(), payments, date(2026, 3, 1))
    assert state.paid == 1_060_000 and state.arrears == 0 and state.days_past_due == 0


def test_it_computes_par30_from_loans_more_than_30_days_late():
    late = loans.state(
        _loan(), [(date(2026, 2, 28), 1_060_000), (date(2026, 3, 31), 500_000)], date(2026, 5, 15)
    )
    current_lines = loans.schedule(
        amount=6_000_000, rate_percent=Decimal(0), months=6, method="flat", start=date(2026, 4, 1)
    )
    current = loans.state(current_lines, [(date(2026, 5, 1), 1_000_000)], date(2026, 5, 15))
    assert current.days_past_due == 0 and current.outstanding_principal == 5_000_000
    portfolio = loans.Portfolio()
    portfolio.add(12_000_000, late)
    portfolio.add(6_000_000, current)
    # 10.560.000 at risk of 15.560.000 outstanding.
    assert portfolio.at_risk == 10_560_000 and portfolio.outstanding == 15_560_000
    assert portfolio.par30 == Decimal("67.9")
    assert portfolio.loans_at_risk == 1


def test_a_loan_exactly_30_days_late_is_not_at_risk_yet():
    state = loans.state(_loan(), [], date(2026, 3, 30))  # first installment due 28 February: 30 days
    portfolio = loans.Portfolio()
    portfolio.add(12_000_000, state)
    assert state.days_past_due == 30 and portfolio.at_risk == 0 and portfolio.par30 == Decimal("0.0")


@given(
    amount=st.integers(1, 500_000_000),
    months=st.integers(1, 60),
    rate=st.decimals(0, 30, places=2),
    method=st.sampled_from(["flat", "menurun"]),
    paid=st.lists(st.integers(1, 50_000_000), max_size=20),
)
def test_schedules_and_settlement_always_add_up(amount, months, rate, method, paid):
    lines = loans.schedule(
        amount=amount, rate_percent=rate, months=months, method=method, start=date(2025, 1, 31)
    )
    assert sum(x.principal for x in lines) == amount
    assert all(x.principal >= 0 and x.interest >= 0 for x in lines)
    payments = [(date(2025, 2, 1), p) for p in paid]
    state = loans.state(lines, payments, date(2031, 1, 1))  # everything has fallen due
    assert state.paid == min(sum(paid), state.total_due)
    assert state.principal_paid + state.outstanding_principal == amount
    assert state.arrears == state.total_due - state.paid
    assert sum(state.settled) == state.paid
    assert (state.days_past_due == 0) == (state.arrears == 0)
