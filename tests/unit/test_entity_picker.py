"""The Entity picker's options when more entities are in reach than it lists."""

from __future__ import annotations

from components.filter_bar import entity_options

NAMES = {"e1": "Zebra house", "e2": "apple farm", "e3": "Apple Store", "e4": "Mango", "e5": "Papaya"}


def test_the_first_names_alphabetically_any_case_and_how_many_there_are():
    options, matched = entity_options(NAMES, [], "", 2)
    assert list(options.values()) == ["apple farm", "Apple Store"] and matched == 5


def test_a_search_matches_part_of_a_name_in_any_case():
    options, matched = entity_options(NAMES, [], "  APPLE ", 10)
    assert set(options) == {"e2", "e3"} and matched == 2


def test_a_chosen_entity_stays_listed_whatever_the_search():
    options, matched = entity_options(NAMES, ["e1", "gone"], "mango", 10)
    assert list(options) == ["e4", "e1"] and matched == 1  # an id the names do not know is not listed
