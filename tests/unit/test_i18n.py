"""One formatter for numbers, values and periods; every text in both languages."""

import re
from datetime import date

import pytest

from dashboard.i18n import TEXT, format_number, format_period, format_share, format_value, t

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def indicators(catalog):
    return catalog.indicators


def test_french_thousands_use_a_narrow_no_break_space():
    assert format_number(22000, "fr") == f"22{NNBSP}000"
    assert format_number(22000, "en") == "22,000"


def test_revenue_in_billions_reads_like_a_french_slide(indicators):
    assert format_value(1370, indicators["revenue"], "fr", compact=True) == f"1,37{NBSP}Md{NBSP}€"
    assert format_value(1370, indicators["revenue"], "en", compact=True) == "€1.37B"
    assert format_value(189.7, indicators["revenue"], "fr", compact=True) == f"189,7{NBSP}M{NBSP}€"


def test_millions_of_people_are_words(indicators):
    assert format_value(2_000_000, indicators["beneficiaries"], "fr", compact=True) == "2 millions"
    assert format_value(2_000_000, indicators["beneficiaries"], "en", compact=True) == "2 million"
    assert format_value(2_000_000, indicators["beneficiaries"], "fr") == f"2{NNBSP}000{NNBSP}000"


def test_qualifiers_are_never_dropped(indicators):
    assert format_value(40, indicators["countries"], "en", "more than") == "more than 40"
    assert format_value(40, indicators["countries"], "fr", "more than") == "plus de 40"
    assert format_value(40, indicators["countries"], "en", "more than", compact=True) == "40+"
    assert format_value(1400, indicators["revenue"], "fr", "about") == f"environ 1,4{NBSP}Md{NBSP}€"


def test_units_percentages_and_years(indicators):
    assert format_value(1700, indicators["forest_preserved"], "fr") == f"1{NNBSP}700{NBSP}ha"
    assert format_value(75, indicators["trainees_into_jobs"], "fr") == f"75{NBSP}%"
    assert format_value(1984, indicators["founded"], "fr") == "1984"
    assert format_share(0.8, "en", at_least=True) == f"≥{NBSP}80%"


def test_periods_in_words_with_french_month_names():
    assert format_period("2021-12", "month", date(2021, 12, 1), date(2021, 12, 31), False, "fr") == "décembre 2021"
    assert format_period("2021-12", "month", date(2021, 12, 1), date(2021, 12, 31), False, "en") == "December 2021"
    assert format_period("2012-2021", "range", date(2012, 1, 1), date(2021, 12, 31), False, "en") == "2012–2021"
    assert format_period("about 2015", "year", date(2015, 1, 1), date(2015, 12, 31), True, "fr") == "vers 2015"
    assert format_period("to 2021", "range", None, date(2021, 12, 31), False, "fr") == "jusqu'en 2021"
    assert format_period("", "undated", None, None, False, "en") == "undated"


def test_every_text_exists_in_both_languages_with_the_same_placeholders():
    for key, versions in TEXT.items():
        assert set(versions) == {"en", "fr"}, key
        assert versions["en"].strip() and versions["fr"].strip(), key
        placeholders = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in versions.items()}
        assert placeholders["en"] == placeholders["fr"], key


def test_filter_labels_follow_the_contract():
    assert [t(k, "en") for k in ("filter_country", "filter_sector", "filter_years")] == ["Country", "Sector", "Years"]


def test_french_million_is_singular_below_two(indicators):
    assert format_value(1_000_000, indicators["beneficiaries"], "fr", compact=True) == "1 million"
    assert format_value(1_700_000, indicators["beneficiaries"], "fr", compact=True) == "1,7 million"


def test_a_change_is_never_computed_from_a_lower_bound(indicators):
    from dashboard.i18n import change_between

    def row(value, qualifier=None, year=2022):
        return dict(value=value, qualifier=qualifier, period=str(year), period_kind="year",
                    period_start=date(year, 1, 1), period_end=date(year, 12, 31), period_approximate=False)  # fmt: skip

    countries = indicators["countries"]
    assert change_between(row(50, "more than", 2024), row(40), countries, "en") == (
        None, "previous figure: 40 in 2022; no exact change can be computed",
    )  # fmt: skip
    assert change_between(row(1370), row(1000, "about", 2020), indicators["revenue"], "en") == (
        "≈\u202f+€370M", "since 2020",
    )  # fmt: skip
    assert change_between(row(22000, year=2024), row(22000), indicators["employees"], "fr") == ("±0", "depuis 2022")
