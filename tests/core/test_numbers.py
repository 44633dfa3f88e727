"""Numbers written the reader's way, through one formatter (core.money), and charts that do not mislead."""

from django.utils import translation

from naikkelas.core.money import number, percent
from naikkelas.performance.selectors import histogram


def test_percentages_and_numbers_are_written_the_indonesian_way():
    with translation.override("id"):
        assert percent(445, 1000) == "44,5 %" and percent(1, 3, digits=0) == "33 %"
        assert number(390660600) == "390.660.600"
        assert percent(1, 0) == "–"
    with translation.override("en"):
        assert percent(445, 1000) == "44.5%"


def test_one_outlier_does_not_push_every_business_into_the_first_bar():
    revenue = [1_000_000 + 50_000 * i for i in range(99)] + [3_900_000_000]
    bins = histogram(revenue)
    assert sum(bins["counts"]) + bins["below"] + bins["above"] == 100
    assert bins["above"] == 5 and max(bins["counts"]) <= 15  # spread over the bars, the outlier counted apart
    with translation.override("id"):
        assert "." in histogram(revenue)["labels"][0]  # 1.250.000, not 1,250,000
    assert histogram([]) == {}
    small = histogram([10, 20, 30])
    assert small["below"] == 0 and sum(small["counts"]) == 3


def test_training_topics_read_as_words():
    from naikkelas.core.describe import topic_words

    assert topic_words("pemasaran-digital") == "Pemasaran digital"
    assert topic_words("kpi") == "KPI" and topic_words("pelatihan-sdm") == "Pelatihan SDM"
    assert topic_words("") == "–"
