"""Both themes and the chart inks read well (WCAG 2 contrast), and one colour-blind-safe sector palette is used."""

from __future__ import annotations

import csv
import re
import tomllib

import pytest

from components.charts import INK, OTHER_COLOUR, SHOWN_COLOUR
from tests.conftest import DATA, ROOT

CONFIG = ROOT / ".streamlit" / "config.toml"
WHITE = "#FFFFFF"
TEXT_MINIMUM = 4.5  # WCAG 1.4.3, normal-size text
GRAPHIC_MINIMUM = 3.0  # WCAG 1.4.11, parts of graphics needed to understand them (chart marks)
HEX = re.compile(r"#[0-9A-Fa-f]{6}")
# Paul Tol's "muted" qualitative scheme (without its pale grey for missing data): built to stay distinct for the
# common colour-vision deficiencies. https://personal.sron.nl/~pault/
TOL_MUTED = {"#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499"}


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour written #RRGGBB."""
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(one: str, other: str) -> float:
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _config() -> dict:
    with CONFIG.open("rb") as handle:
        return tomllib.load(handle)


def _themes() -> dict[str, dict]:
    """Each theme as Streamlit builds it: the shared [theme] options, then its own section on top."""
    theme = _config()["theme"]
    shared = {key: value for key, value in theme.items() if not isinstance(value, dict)}
    return {name: {**shared, **theme[name]} for name in ("light", "dark")}


def _sector_colours() -> list[str]:
    with (DATA / "sectors.csv").open(newline="", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["position"]))
    return [row["colour"].upper() for row in rows]


def test_the_contrast_ratio_matches_known_pairs():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey
    assert contrast_ratio("#FFFFFF", "#777777") == contrast_ratio("#777777", "#FFFFFF")
    assert contrast_ratio("#0B4F8A", "#0B4F8A") == pytest.approx(1.0)


def test_a_light_and_a_dark_theme_are_configured_with_todays_light_look():
    themes = _themes()
    light, dark = themes["light"], themes["dark"]
    assert (light["textColor"], light["backgroundColor"], light["primaryColor"]) == ("#1A1A1A", "#FFFFFF", "#0B4F8A")
    assert relative_luminance(dark["backgroundColor"]) < 0.05 < relative_luminance(dark["textColor"])


def test_no_colour_of_one_theme_leaks_into_the_other():
    # Streamlit lays each section over [theme]: a colour set only there, or only for one theme, shows in both.
    theme = _config()["theme"]
    shared_colours = {key for key, value in theme.items() if isinstance(value, str) and HEX.fullmatch(value)}
    assert not shared_colours, f"set these per theme, in [theme.light] and [theme.dark]: {sorted(shared_colours)}"
    assert set(theme["light"]) == set(theme["dark"])


@pytest.mark.parametrize("theme_name", ["light", "dark"])
@pytest.mark.parametrize("background", ["backgroundColor", "secondaryBackgroundColor"])
@pytest.mark.parametrize("ink", ["textColor", "primaryColor", "linkColor"])
def test_text_and_accent_colours_read_on_both_backgrounds(theme_name, background, ink):
    # The secondary background is the sidebar's: the year slider writes its values there in the primary colour.
    theme = _themes()[theme_name]
    ratio = contrast_ratio(theme[ink], theme[background])
    assert ratio >= TEXT_MINIMUM, f"{theme_name}: {ink} {theme[ink]} on {background} {theme[background]} is {ratio:.2f}"


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_white_labels_on_the_accent_stay_visible(theme_name):
    # Streamlit writes white on the primary colour (filter tags, primary buttons). In the dark theme the accent must
    # also read as text on a dark page, so both cannot reach 4.5; 3:1 is the floor kept here (see config.toml).
    theme = _themes()[theme_name]
    minimum = TEXT_MINIMUM if theme_name == "light" else GRAPHIC_MINIMUM
    assert contrast_ratio(WHITE, theme["primaryColor"]) >= minimum


def test_chart_ink_reads_on_the_white_chart_background():
    assert contrast_ratio(INK, WHITE) >= TEXT_MINIMUM


def test_the_figure_shown_stands_out_on_white():
    assert contrast_ratio(SHOWN_COLOUR, WHITE) >= GRAPHIC_MINIMUM


def test_the_other_sources_marks_stand_out_on_white():
    assert contrast_ratio(OTHER_COLOUR, WHITE) >= GRAPHIC_MINIMUM


def test_one_sector_palette_everywhere():
    sectors = _sector_colours()
    configured = [colour.upper() for colour in _config()["theme"]["chartCategoricalColors"]]
    assert configured == sectors, "chartCategoricalColors must list data/sectors.csv's colours in position order"
    assert len(set(sectors)) == len(sectors), "two sectors share a colour"
    assert set(sectors) <= TOL_MUTED, "a sector colour is not from the colour-blind-safe palette"
