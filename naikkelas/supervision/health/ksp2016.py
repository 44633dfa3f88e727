"""KSP/USP health rating, 2016 method: Peraturan Deputi Bidang Pengawasan Kementerian Koperasi dan UKM
Nomor 06/Per/Dep.6/IV/2016 tentang Pedoman Penilaian Kesehatan KSP dan USP Koperasi.

Aspects and weights (100): Permodalan 15, Kualitas Aktiva Produktif 25, Manajemen 15, Efisiensi 10,
Likuiditas 15, Kemandirian dan Pertumbuhan 10, Jatidiri Koperasi 10. Predicate of the total: 80–100 Sehat,
66–<80 Cukup Sehat, 51–<66 Dalam Pengawasan, <51 Dalam Pengawasan Khusus.

Each ratio's "nilai" table follows the regulation's annex as carried over from Permen KUKM
14/Per/M.KUKM/XII/2009. The regulation's own text was not reachable from here; the tables were checked against
studies that apply it and print them:
  - cash ratio (10 < x ≤ 15 → 100; 15 < x ≤ 20 → 50; otherwise 25):
    https://text-id.123dok.com/document/7q0xn4m3q-likuiditas-penilaian-kesehatan-koperasi.html
  - non-performing loan risk (0 → 100 … > 45 → 0) and risk reserve (steps of 10):
    https://text-id.123dok.com/document/7qvxvgpry-modal-koperasi-analisis-tingkat-kesehatan-koperasi.html
  - equity to risky loans (steps of 10) and capital adequacy (< 4 → 0; 4–6 → 50; 6–8 → 75; ≥ 8 → 100):
    https://text-id.123dok.com/document/4zpxg3m0q-koperasi-simpan-pinjam-a-pengertian-koperasi-simpan-pinjam.html
The efficiency, independence and identity tables below are as commonly reproduced and were NOT found in a
source here: an office should compare them with its copy of the annex (each is one line to change).

Management (15) is a questionnaire of yes/no questions in five parts, 3 points each: general management
(12 questions), institution (6), capital (5), assets (10), liquidity (5); the supervisor enters the number of
"yes" answers per part.
"""

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from naikkelas.supervision.health import Aspect, Component, Rating

D = Decimal


def _ratio(numerator, denominator) -> D | None:
    if numerator is None or not denominator:
        return None
    return (D(numerator) * 100 / D(denominator)).quantize(D("0.01"), ROUND_HALF_UP)


def _steps_up(bands):
    """bands: ((lower bound, inclusive?, value), ...) from the highest lower bound down; the first met wins."""

    def value(x: D) -> int:
        for bound, inclusive, nilai in bands:
            if x > bound or (inclusive and x == bound):
                return nilai
        return 0

    return value


def equity_to_assets(x: D) -> int:
    # Neither too thin nor idle: 40–60 % scores best.
    for low, high, nilai in ((0, 20, 25), (20, 40, 50), (40, 60, 100), (60, 80, 50), (80, 100, 25)):
        if low < x <= high:
            return nilai
    return 0


def tens_down(x: D) -> int:  # equity to risky loans: 0 below 10 %, +10 per 10 %, 100 from 100 %
    return int(min(D(100), (x / 10).to_integral_value(ROUND_FLOOR) * 10)) if x > 0 else 0


def tens_up(x: D) -> int:  # risk reserve to non-performing loan risk: 10 per started 10 %, at most 100
    return int(min(D(100), (x / 10).to_integral_value(ROUND_CEILING) * 10)) if x > 0 else 0


def npl(x: D) -> int:
    if x == 0:
        return 100
    for high, nilai in ((10, 80), (20, 60), (30, 40), (40, 20), (45, 10)):
        if x <= high:
            return nilai
    return 0


def risky_share(x: D) -> int:
    for high, nilai in ((20, 100), (25, 75), (30, 50)):
        if x <= high:
            return nilai
    return 25


def cash(x: D) -> int:
    if 10 < x <= 15:
        return 100
    if 15 < x <= 20:
        return 50
    return 25


def lower_is_better(*bands):
    """bands: ((upper bound inclusive, nilai), ...) ascending; above the last bound: 25."""

    def value(x: D) -> int:
        for high, nilai in bands:
            if x <= high:
                return nilai
        return 25

    return value


CAR = _steps_up(((D(8), True, 100), (D(6), True, 75), (D(4), True, 50)))
QUARTERS = _steps_up(((D(75), True, 100), (D(50), True, 75), (D(25), True, 50), (D(0), False, 25)))
LOANS_TO_FUNDS = _steps_up(((D(100), True, 100), (D(75), True, 75), (D(50), True, 50), (D(0), False, 25)))
RETURN_ON_ASSETS = _steps_up(((D(10), True, 100), (D("7.5"), True, 75), (D(5), True, 50), (D(0), False, 25)))
RETURN_ON_EQUITY = _steps_up(((D(5), True, 100), (D(4), True, 75), (D(3), True, 50), (D(0), False, 25)))
SELF_RELIANCE = _steps_up(((D(150), False, 100), (D(125), False, 75), (D(100), False, 50), (D(0), False, 25)))
PEA = _steps_up(((D(10), True, 100), (D("7.5"), True, 75), (D(5), True, 50), (D(0), False, 25)))
MEMBER_COSTS = lower_is_better((D(70), 100), (D(85), 75), (D(100), 50))
EXPENSES_TO_SHU = lower_is_better((D(40), 100), (D(60), 75), (D(80), 50))
SERVICE_EFFICIENCY = lower_is_better((D(5), 100), (D(10), 75), (D(15), 50))

MANAGEMENT_PARTS = (
    ("general", "Manajemen umum", 12),
    ("institution", "Kelembagaan", 6),
    ("capital", "Manajemen permodalan", 5),
    ("assets", "Manajemen aktiva", 10),
    ("liquidity", "Manajemen likuiditas", 5),
)


class Ksp2016:
    code = "ksp2016"
    name = "KSP/USP 2016 (Perdep KUKM 06/Per/Dep.6/IV/2016)"
    management_parts = MANAGEMENT_PARTS

    @staticmethod
    def category(score: D) -> str:
        if score >= 80:
            return "sehat"
        if score >= 66:
            return "cukup_sehat"
        if score >= 51:
            return "pengawasan"
        return "pengawasan_khusus"

    def rate(self, items: dict, management: dict) -> Rating:
        g = items.get

        def comp(key, name, formula, weight, num, den, table, *, if_zero: int | None = None):
            ratio = _ratio(num, den)
            if ratio is None:
                value = if_zero if (if_zero is not None and num is not None and not den) else 0
                return Component(
                    key, name, formula, D(weight), None, value, note="denominator is 0 or an item is missing"
                )
            return Component(key, name, formula, D(weight), ratio, table(ratio))

        npl_risk = None
        if None not in (g("loans_substandard"), g("loans_doubtful"), g("loans_loss")):
            npl_risk = (
                D(g("loans_substandard")) * D("0.5") + D(g("loans_doubtful")) * D("0.75") + D(g("loans_loss"))
            )
        aspects = [
            Aspect("permodalan", "Permodalan", D(15), [
                comp("equity_assets", "Modal sendiri terhadap total aset", "modal sendiri / total aset", 6,
                     g("equity"), g("total_assets"), equity_to_assets),
                comp("equity_risky", "Modal sendiri terhadap pinjaman diberikan yang berisiko",
                     "modal sendiri / pinjaman berisiko", 6, g("equity"), g("risky_loans"), tens_down, if_zero=100),
                comp("car", "Rasio kecukupan modal (CAR)", "modal tertimbang / ATMR", 3,
                     g("weighted_capital"), g("risk_weighted_assets"), CAR),
            ]),
            Aspect("kap", "Kualitas Aktiva Produktif", D(25), [
                comp("member_loans", "Pinjaman kepada anggota terhadap pinjaman diberikan",
                     "pinjaman anggota / pinjaman diberikan", 10, g("loans_to_members"), g("loans_outstanding"),
                     QUARTERS),
                comp("npl", "Risiko pinjaman bermasalah terhadap pinjaman diberikan",
                     "(50% kurang lancar + 75% diragukan + 100% macet) / pinjaman diberikan", 5, npl_risk,
                     g("loans_outstanding"), npl),
                comp("reserve", "Cadangan risiko terhadap pinjaman bermasalah",
                     "cadangan risiko / risiko pinjaman bermasalah", 5, g("risk_reserve"), npl_risk, tens_up,
                     if_zero=100),
                comp("risky_share", "Pinjaman berisiko terhadap pinjaman diberikan",
                     "pinjaman berisiko / pinjaman diberikan", 5, g("risky_loans"), g("loans_outstanding"),
                     risky_share),
            ]),
            self._management(management),
            Aspect("efisiensi", "Efisiensi", D(10), [
                comp("member_costs", "Beban operasi anggota terhadap partisipasi bruto",
                     "beban operasi anggota / partisipasi bruto", 4, g("member_service_costs"),
                     g("gross_participation"), MEMBER_COSTS),
                comp("expenses_shu", "Beban usaha terhadap SHU kotor", "beban usaha / SHU kotor", 4,
                     g("operating_expenses"), g("gross_shu"), EXPENSES_TO_SHU),
                comp("service", "Efisiensi pelayanan", "biaya karyawan / pinjaman diberikan", 2,
                     g("staff_costs"), g("loans_outstanding"), SERVICE_EFFICIENCY),
            ]),
            Aspect("likuiditas", "Likuiditas", D(15), [
                comp("cash", "Kas dan bank terhadap kewajiban lancar", "kas + bank / kewajiban lancar", 10,
                     g("cash_and_bank"), g("current_liabilities"), cash),
                comp("loans_funds", "Pinjaman diberikan terhadap dana yang diterima",
                     "pinjaman diberikan / dana yang diterima", 5, g("loans_outstanding"), g("funds_received"),
                     LOANS_TO_FUNDS),
            ]),
            Aspect("kemandirian", "Kemandirian dan Pertumbuhan", D(10), [
                comp("roa", "Rentabilitas aset", "SHU sebelum pajak / total aset", 3, g("shu_before_tax"),
                     g("total_assets"), RETURN_ON_ASSETS),
                comp("roe", "Rentabilitas modal sendiri", "SHU bagian anggota / modal sendiri", 3,
                     g("shu_members"), g("equity"), RETURN_ON_EQUITY),
                comp("self_reliance", "Kemandirian operasional pelayanan",
                     "partisipasi neto / (beban usaha + beban perkoperasian)", 4, g("net_participation"),
                     _sum(g("operating_expenses"), g("cooperative_expenses")), SELF_RELIANCE),
            ]),
            Aspect("jatidiri", "Jatidiri Koperasi", D(10), [
                comp("participation", "Rasio partisipasi bruto",
                     "partisipasi bruto / (partisipasi bruto + pendapatan non-anggota)", 7,
                     g("gross_participation"), _sum(g("gross_participation"), g("non_member_revenue")), QUARTERS),
                comp("pea", "Promosi ekonomi anggota (PEA)", "PEA / simpanan pokok dan wajib", 3,
                     g("member_promotion"), g("core_savings"), PEA),
            ]),
        ]  # fmt: skip
        total = sum((a.score for a in aspects), D(0))
        return Rating(self.code, total, self.category(total), aspects)

    def _management(self, answers: dict) -> Aspect:
        aspect = Aspect("manajemen", "Manajemen", D(15))
        for key, name, questions in MANAGEMENT_PARTS:
            yes = max(0, min(int(answers.get(key) or 0), questions))
            # Every "yes" is worth 3/questions points (0.25 of 12, 0.5 of 6 …): keep the value exact to the cent.
            value = (D(yes * 100) / questions).quantize(D("0.01"))
            aspect.components.append(Component(key, name, f"{yes} / {questions} ya", D(3), value, value))
        return aspect


def _sum(*values):
    return None if any(v is None for v in values) else sum(values)


METHOD = Ksp2016()
