from datetime import date

import pytest

from dashboard.periods import parse_period


@pytest.mark.parametrize(
    ("label", "kind", "start", "end", "approximate", "year"),
    [
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31), False, 2024),
        ("2021-12", "month", date(2021, 12, 1), date(2021, 12, 31), False, 2021),
        ("2022-02", "month", date(2022, 2, 1), date(2022, 2, 28), False, 2022),
        ("2012-2021", "range", date(2012, 1, 1), date(2021, 12, 31), False, 2021),
        ("about 2015", "year", date(2015, 1, 1), date(2015, 12, 31), True, 2015),
        ("to 2021", "range", None, date(2021, 12, 31), False, 2021),
        ("2021-05-10", "day", date(2021, 5, 10), date(2021, 5, 10), False, 2021),
        ("undated (about 2014-2016)", "range", date(2014, 1, 1), date(2016, 12, 31), True, 2016),
        ("winter 2021-2022", "range", date(2021, 1, 1), date(2022, 12, 31), True, 2022),
        ("", "undated", None, None, False, None),
    ],
)
def test_period_labels_become_typed_periods(label, kind, start, end, approximate, year):
    period = parse_period(label)
    assert (period.kind, period.start, period.end, period.approximate, period.year) == (
        kind, start, end, approximate, year,
    )  # fmt: skip
    assert period.label == label


@pytest.mark.parametrize("label", ["next year", "2021-13", "2021-2012", "20211"])
def test_unreadable_period_is_refused_with_its_label(label):
    with pytest.raises(ValueError, match=label):
        parse_period(label)
