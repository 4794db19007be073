import pytest

from dashboard.filters import Choices, Filters, Link, Notice, parse_link, parse_query_params

CHOICES = Choices(
    countries=frozenset({"SEN", "FRA", "XKX"}),
    sectors=frozenset({"health", "international"}),
    entities=frozenset({"djantoli"}),
    first_year=1984,
    last_year=2025,
)


def test_known_values_are_read_in_order_without_duplicates():
    filters, notices = parse_query_params(
        {"country": ["SEN", "fra", "SEN"], "sector": ["health"], "years": ["2015", "2024"]}, CHOICES
    )
    assert filters == Filters(countries=("SEN", "FRA"), sectors=("health",), years=(2015, 2024))
    assert notices == []


def test_unknown_values_are_dropped_and_each_reported():
    filters, notices = parse_query_params({"country": ["ZZZ", "SEN"], "sector": ["nope"]}, CHOICES)
    assert filters.countries == ("SEN",)
    assert filters.sectors == ()
    assert [(n.problem, n.parameter, n.value) for n in notices] == [
        ("unknown_value", "country", "ZZZ"),
        ("unknown_value", "sector", "nope"),
    ]


def test_reversed_years_are_swapped_with_a_notice():
    filters, notices = parse_query_params({"years": ["2024", "2015"]}, CHOICES)
    assert filters.years == (2015, 2024)
    assert [n.problem for n in notices] == ["years_reversed"]


def test_years_beyond_the_data_are_clamped_and_reported():
    filters, notices = parse_query_params({"years": ["1900", "2015"]}, CHOICES)
    assert filters.years == (1984, 2015)
    assert [n.problem for n in notices] == ["years_clamped"]


def test_malformed_years_are_ignored_with_a_notice():
    for years, problem in (
        (["abc", "2020"], "not_a_year"),
        (["2020"], "years_count"),
        (["1", "2", "3"], "years_count"),
    ):
        filters, notices = parse_query_params({"years": years}, CHOICES)
        assert filters.years is None
        assert [n.problem for n in notices] == [problem]


def test_full_year_range_means_no_year_restriction():
    filters, _ = parse_query_params({"years": ["1984", "2025"]}, CHOICES)
    assert filters.years is None and filters.is_everything


def test_thousands_of_repeated_values_are_capped_and_reported():
    filters, notices = parse_query_params({"country": ["SEN"] * 5000}, CHOICES)
    assert filters.countries == ("SEN",)
    assert notices[0].problem == "too_many_values"


def test_filters_round_trip_through_the_query_string():
    filters = Filters(
        countries=("SEN",), sectors=("health", "international"), entities=("djantoli",), years=(2015, 2024)
    )
    again, notices = parse_query_params(filters.to_query_params(), CHOICES)
    assert again == filters and notices == []


def test_splits_name_the_dimensions_that_narrow_the_view():
    assert Filters().splits == ()
    assert Filters(countries=("SEN",), sectors=("health",)).splits == ("country", "sector")
    assert Filters(years=(2015, 2024)).splits == ()


def link_of(**params: list[str]) -> tuple[Link, list[Notice]]:
    return parse_link(params, ("en", "fr"), "en")


def test_the_link_gives_the_last_language_and_the_first_mode_and_slide():
    assert link_of(lang=["en", "fr"], present=["1", "0"], slide=["3", "4"]) == (Link("fr", True, 3), [])
    assert link_of() == (Link("en", False, None), [])


@pytest.mark.parametrize(
    ("params", "link", "notice"),
    [
        ({"lang": ["de"]}, Link("en", False, None), ("unknown_language", "de")),
        ({"present": ["yes"]}, Link("en", False, None), ("present_value", "yes")),
        ({"slide": ["3"]}, Link("en", False, None), ("slide_without_present", "3")),
        # A slide that is not a number, or too long a number, is kept as text: presentation mode reports it.
        ({"present": ["1"], "slide": ["²"]}, Link("en", True, "²"), None),
        ({"present": ["1"], "slide": ["9" * 5000]}, Link("en", True, "9" * 12), None),
    ],
)
def test_what_the_link_gets_wrong_is_dropped_and_reported(params, link, notice):
    parsed, notices = link_of(**params)
    assert parsed == link
    assert [(n.problem, n.value) for n in notices] == ([notice] if notice else [])
