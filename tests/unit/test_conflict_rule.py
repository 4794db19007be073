"""The conflict rule of the reference README: A first, then the organisation's own source, then the newest."""

from datetime import date

import ibis
import pytest

from dashboard.views import with_headline_rank


def _ranked(rows: list[dict]) -> list[tuple[str, int, bool]]:
    base = dict(indicator_id="employees", kind="actual", entity_id="groupe-sos", period="2020")
    table = ibis.memtable([{**base, **row} for row in rows])
    con = ibis.duckdb.connect()
    frame = con.execute(with_headline_rank(table).order_by("observation_id"))
    return list(zip(frame["observation_id"], frame["rank_in_period"], frame["sources_disagree"], strict=True))


def _row(observation_id, value, confidence="A", own=False, published=None, qualifier=None):
    return dict(
        observation_id=observation_id,
        value=float(value),
        qualifier=qualifier,
        confidence=confidence,
        own_source=own,
        source_published_date=published,
    )


def test_confidence_a_wins_over_b_whatever_the_source():
    ranked = _ranked([_row("o1", 100, "B", own=True, published=date(2024, 1, 1)), _row("o2", 120, "A")])
    assert ranked == [("o1", 1, True), ("o2", 0, True)]


def test_with_equal_confidence_the_organisations_own_source_wins():
    ranked = _ranked([_row("o1", 100, "A", own=False, published=date(2024, 1, 1)), _row("o2", 120, "A", own=True)])
    assert [r[1] for r in ranked] == [1, 0]


def test_then_the_most_recent_publication_wins_and_undated_comes_last():
    ranked = _ranked(
        [
            _row("o1", 100, published=date(2019, 1, 1)),
            _row("o2", 110, published=None),
            _row("o3", 120, published=date(2021, 6, 1)),
        ]
    )
    assert [r[1] for r in ranked] == [1, 2, 0]


def test_sources_that_agree_are_not_a_disagreement():
    ranked = _ranked([_row("o1", 100), _row("o2", 100, "B")])
    assert [r[2] for r in ranked] == [False, False]


def test_the_same_number_with_another_qualifier_is_a_disagreement():
    ranked = _ranked([_row("o1", 50), _row("o2", 50, qualifier="more than")])
    assert [r[2] for r in ranked] == [True, True]


def test_different_periods_never_compete():
    table = ibis.memtable(
        [
            dict(indicator_id="employees", kind="actual", entity_id="g", period=p, **_row(f"o{i}", v))
            for i, (p, v) in enumerate((("2019", 1), ("2020", 2)))
        ]
    )
    frame = ibis.duckdb.connect().execute(with_headline_rank(table))
    assert list(frame["rank_in_period"]) == [0, 0] and not frame["sources_disagree"].any()


@pytest.mark.parametrize(
    ("indicator", "period", "chosen", "others"),
    [
        ("revenue", "2022", 1370, {1260, 1400}),  # sos-econ-model (A, own) over fsm-2023 (B) and housingcoop (B)
        ("employees", "2009", 2700, {2200}),  # both B, third-party: Novethic 2013 is the newer publication
        ("women_supported", "2021", 27, {44}),  # MANA: sos-2021-12 (A) over gironde-2021 (B)
        # two A third-party sources: Schwab (about 2015) is newer than Up Conférences (about 2014-2016: from 2014)
        ("employees", "2014", 14000, {15000, 11000}),
    ],
)
def test_the_rule_on_the_conflicts_named_in_the_reference(store, indicator, period, chosen, others):
    from dashboard.queries import figures

    rows = figures(store, indicators=[indicator])
    rows = rows[rows["period"] == period]
    assert rows.loc[rows["rank_in_period"] == 0, "value"].tolist() == [chosen]
    assert set(rows.loc[rows["rank_in_period"] != 0, "value"]) == others
    assert rows["sources_disagree"].all()
