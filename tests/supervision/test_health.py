"""The 2016 KSP/USP health method on a report worked out by hand, its bands at their edges, and the
predicates."""

from decimal import Decimal as D

import pytest

from naikkelas.supervision.health import ksp2016, methods

JUTA = 1_000_000
# A sound savings-and-loan cooperative (figures in Rupiah). The ratios and scores below are worked by hand.
REPORT = {
    "total_assets": 1000 * JUTA, "equity": 450 * JUTA, "risky_loans": 300 * JUTA,
    "weighted_capital": 90 * JUTA, "risk_weighted_assets": 1000 * JUTA,
    "loans_outstanding": 800 * JUTA, "loans_to_members": 640 * JUTA,
    "loans_substandard": 40 * JUTA, "loans_doubtful": 20 * JUTA, "loans_loss": 10 * JUTA, "risk_reserve": 36 * JUTA,
    "member_service_costs": 600 * JUTA, "gross_participation": 1000 * JUTA, "operating_expenses": 50 * JUTA,
    "gross_shu": 100 * JUTA, "staff_costs": 40 * JUTA, "cash_and_bank": 120 * JUTA,
    "current_liabilities": 1000 * JUTA, "funds_received": 1000 * JUTA, "shu_before_tax": 80 * JUTA,
    "shu_members": 27 * JUTA, "net_participation": 300 * JUTA, "cooperative_expenses": 150 * JUTA,
    "non_member_revenue": 250 * JUTA, "member_promotion": 12 * JUTA, "core_savings": 100 * JUTA,
}  # fmt: skip
MANAGEMENT = {"general": 12, "institution": 6, "capital": 4, "assets": 10, "liquidity": 5}

EXPECTED = {  # component: (ratio %, nilai, score)
    "equity_assets": ("45.00", 100, "6.00"),  # 450/1000: the 40–60 % band
    "equity_risky": ("150.00", 100, "6.00"),  # 450/300, capped at 100
    "car": ("9.00", 100, "3.00"),  # ≥ 8 %
    "member_loans": ("80.00", 100, "10.00"),  # 640/800 ≥ 75 %
    "npl": ("5.63", 80, "4.00"),  # (20 + 15 + 10) / 800 = 5,625 %: 0–10 %
    "reserve": ("80.00", 80, "4.00"),  # 36/45: 70–80 %
    "risky_share": ("37.50", 25, "1.25"),  # 300/800 > 30 %
    "general": ("100.00", D("100.00"), "3.00"),
    "capital": ("80.00", D("80.00"), "2.40"),  # 4 of 5 "yes": 0,6 each
    "member_costs": ("60.00", 100, "4.00"),  # ≤ 70 %
    "expenses_shu": ("50.00", 75, "3.00"),  # 40–60 %
    "service": ("5.00", 100, "2.00"),  # ≤ 5 %
    "cash": ("12.00", 100, "10.00"),  # 10–15 %
    "loans_funds": ("80.00", 75, "3.75"),  # 75–100 %
    "roa": ("8.00", 75, "2.25"),  # 7,5–10 %
    "roe": ("6.00", 100, "3.00"),  # ≥ 5 %
    "self_reliance": ("150.00", 75, "3.00"),  # 300 / (50 + 150): exactly 150 is not above 150
    "participation": ("80.00", 100, "7.00"),  # 1000 / 1250
    "pea": ("12.00", 100, "3.00"),  # 12/100 ≥ 10 %
}


def test_it_rates_a_worked_example_by_hand():
    rating = methods()["ksp2016"].rate(REPORT, MANAGEMENT)
    components = {c.key: c for a in rating.aspects for c in a.components}
    for key, (ratio, value, score) in EXPECTED.items():
        c = components[key]
        assert (str(c.ratio), c.value, str(c.score)) == (ratio, value, score), key
    aspects = {a.key: str(a.score) for a in rating.aspects}
    assert aspects == {
        "permodalan": "15.00",
        "kap": "19.25",
        "manajemen": "14.40",
        "efisiensi": "9.00",
        "likuiditas": "13.75",
        "kemandirian": "8.25",
        "jatidiri": "10.00",
    }
    assert rating.score == D("89.65") and rating.category == "sehat"
    assert [a.weight for a in rating.aspects] == [15, 25, 15, 10, 15, 10, 10]


def test_a_thin_cooperative_falls_to_special_supervision():
    weak = REPORT | {
        "equity": 50 * JUTA,
        "cash_and_bank": 400 * JUTA,
        "loans_loss": 300 * JUTA,
        "risk_reserve": 0,
        "shu_before_tax": 0,
        "shu_members": 0,
        "loans_to_members": 100 * JUTA,
    }
    rating = ksp2016.METHOD.rate(weak, {})
    assert rating.score < 51 and rating.category == "pengawasan_khusus"


def test_missing_items_score_zero_and_say_why():
    rating = ksp2016.METHOD.rate({"total_assets": 100, "equity": 50}, {})
    car = next(c for a in rating.aspects for c in a.components if c.key == "car")
    assert car.ratio is None and car.value == 0 and car.note


@pytest.mark.parametrize("score,category", [
    (D(80), "sehat"), (D("79.99"), "cukup_sehat"), (D(66), "cukup_sehat"), (D("65.99"), "pengawasan"),
    (D(51), "pengawasan"), (D("50.99"), "pengawasan_khusus"), (D(0), "pengawasan_khusus"),
])  # fmt: skip
def test_it_names_the_predicate_at_the_edges(score, category):
    assert ksp2016.Ksp2016.category(score) == category


@pytest.mark.parametrize("table,ratio,value", [
    (ksp2016.cash, "10", 25), (ksp2016.cash, "10.01", 100), (ksp2016.cash, "15", 100), (ksp2016.cash, "20", 50),
    (ksp2016.cash, "20.01", 25),
    (ksp2016.npl, "0", 100), (ksp2016.npl, "0.01", 80), (ksp2016.npl, "45", 10), (ksp2016.npl, "45.01", 0),
    (ksp2016.CAR, "3.99", 0), (ksp2016.CAR, "4", 50), (ksp2016.CAR, "6", 75), (ksp2016.CAR, "8", 100),
    (ksp2016.tens_down, "9.99", 0), (ksp2016.tens_down, "10", 10), (ksp2016.tens_down, "99.9", 90),
    (ksp2016.tens_down, "250", 100),
    (ksp2016.tens_up, "0", 0), (ksp2016.tens_up, "0.5", 10), (ksp2016.tens_up, "90.01", 100),
    (ksp2016.equity_to_assets, "20", 25), (ksp2016.equity_to_assets, "40", 50),
    (ksp2016.equity_to_assets, "40.01", 100), (ksp2016.equity_to_assets, "60", 100),
    (ksp2016.equity_to_assets, "80.5", 25),
    (ksp2016.risky_share, "20", 100), (ksp2016.risky_share, "25", 75), (ksp2016.risky_share, "30", 50),
    (ksp2016.risky_share, "30.01", 25),
])  # fmt: skip
def test_bands_at_their_edges(table, ratio, value):
    assert table(D(ratio)) == value


def test_management_answers_count_at_their_weight():
    aspect = ksp2016.METHOD._management(
        {"general": 7, "institution": 3, "capital": 5, "assets": 1, "liquidity": 0}
    )
    # 7 × 0,25 + 3 × 0,5 + 5 × 0,6 + 1 × 0,3 + 0
    assert aspect.score == D("6.55")


def test_a_newer_method_can_be_added_beside_the_2016_one(monkeypatch, db, personas, cooperatives):
    """The rating keeps the code of the method that made it; a second method is one object with `rate`."""
    from naikkelas.supervision import health, services

    class Permenkop2020:  # the newer regime's bands, on one made-up aspect: enough to show the seam
        code, name = "permenkop2020", "Permenkop 9/2020 (contoh)"
        management_parts = ()

        def rate(self, items, management):
            ratio = D(items["equity"]) * 100 / D(items["total_assets"])
            aspect = health.Aspect(
                "permodalan",
                "Permodalan",
                D(100),
                [
                    health.Component(
                        "equity", "Ekuitas terhadap aset", "ekuitas / aset", D(100), ratio, int(ratio)
                    )
                ],
            )
            score = aspect.score
            category = (
                "sehat"
                if score >= 76
                else "cukup_sehat"
                if score >= 51
                else "kurang_sehat"
                if score >= 26
                else "tidak_sehat"
            )
            return health.Rating(self.code, score, category, [aspect])

    original = health.methods
    monkeypatch.setattr(health, "methods", lambda: original() | {"permenkop2020": Permenkop2020()})
    report = services.report_save(
        actor=personas["admin_pesawaran"],
        cooperative=cooperatives["gedong"],
        year=2025,
        data={"total_assets": 1000, "equity": 400},
    )
    newer = services.rating_make(
        actor=personas["admin_pesawaran"], report=report, management={}, method_code="permenkop2020"
    )
    older = services.rating_make(actor=personas["admin_pesawaran"], report=report, management={})
    assert (newer.method, str(newer.score), newer.category) == ("permenkop2020", "40.00", "kurang_sehat")
    assert older.method == "ksp2016" and older.details["aspects"][0]["key"] == "permodalan"
