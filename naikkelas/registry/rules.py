"""Domain rules that are numbers from regulations."""

from naikkelas.registry.constants import SizeClass

MILIAR = 1_000_000_000

# PP 7/2021 Pasal 35: capital (modal usaha, excluding land and buildings) classifies a business when it is set
# set up or registered (ayat 2–3); annual sales classify it for ease, protection and empowerment (ayat 4–5),
# which is what an office coaching running businesses does. Source: PP 7/2021 Pasal 35, as quoted by DDTCNews,
# 23 Feb 2021. Upper bounds are inclusive ("paling banyak").
CAPITAL_BOUNDS = [
    (1 * MILIAR, SizeClass.MIKRO),
    (5 * MILIAR, SizeClass.KECIL),
    (10 * MILIAR, SizeClass.MENENGAH),
]
SALES_BOUNDS = [
    (2 * MILIAR, SizeClass.MIKRO),
    (15 * MILIAR, SizeClass.KECIL),
    (50 * MILIAR, SizeClass.MENENGAH),
]


def _classify(amount: int, bounds) -> str:
    for upper, size in bounds:
        if amount <= upper:
            return size
    return SizeClass.BESAR


def size_class_for(*, assets: int | None, annual_revenue: int | None) -> str:
    """Annual sales when known (the business runs), else capital; '' when neither is known."""
    if annual_revenue is not None:
        return _classify(annual_revenue, SALES_BOUNDS)
    if assets is not None:
        return _classify(assets, CAPITAL_BOUNDS)
    return ""
