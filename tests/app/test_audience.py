"""Every page, in both languages, for the partner audience: no internal indicator anywhere in what is sent to the
browser (text, tables, chart data, filter options), small counts hidden and said to be."""

from __future__ import annotations

import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from components.login import STEWARD_KEY
from dashboard import settings
from tests.app.test_pages import APP, run_app, texts
from tests.conftest import INTERNAL_INDICATORS, SMALL_COUNT_FIGURES

PAGES = [None, "app_pages/sectors.py", "app_pages/international.py", "app_pages/programmes.py",
         "app_pages/sources.py"]  # fmt: skip


@pytest.fixture
def partner_deployment(partner_dataset, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(partner_dataset))
    monkeypatch.delenv("DASHBOARD_DATABASE_URL", raising=False)
    monkeypatch.setenv("DASHBOARD_AUDIENCE", "partner")


def everything_sent(app) -> str:
    """Every element's message as the browser gets it (labels, text, options, Plotly specs), and every table."""
    parts = []

    def walk(node) -> None:
        if (proto := getattr(node, "proto", None)) is not None:
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    parts += [table.value.to_csv() for table in app.dataframe]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("page", PAGES)
def test_a_partner_page_sends_no_internal_indicator(partner_deployment, page, lang):
    app = run_app(page, lang=lang)
    sent = everything_sent(app)
    for indicator_id, labels in INTERNAL_INDICATORS.items():
        for word in (indicator_id, *labels):
            assert word not in sent, f"{word} on {page or 'the overview'} ({lang})"
    assert "Partner view" in texts(app) or "Vue partenaires" in texts(app)


def test_partner_presentation_mode_shows_no_internal_indicator(partner_deployment):
    seen = set()
    for slide in range(1, 10):  # past the end of the deck: the last slides are the programmes' series
        sent = everything_sent(run_app(present="1", slide=str(slide), lang="fr"))
        seen.add(sent)
        for indicator_id, labels in INTERNAL_INDICATORS.items():
            assert not [word for word in (indicator_id, *labels) if word in sent], slide
    assert len(seen) > 5  # the slides differ: the test went through the deck


def test_a_hidden_small_count_says_so_and_its_value_is_not_sent(partner_deployment):
    app = run_app("app_pages/programmes.py", entity=["djantoli", "play-international"])
    tables = "\n".join(table.value.to_csv() for table in app.dataframe)
    assert tables.count("hidden (small count)") >= len(SMALL_COUNT_FIGURES)
    assert "people trained" not in everything_sent(app)  # the notes that would give the numbers away


def test_the_internal_audience_sees_them(partner_dataset, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(partner_dataset))
    monkeypatch.delenv("DASHBOARD_DATABASE_URL", raising=False)
    monkeypatch.setenv("DASHBOARD_AUDIENCE", "internal")
    app = run_app()
    assert "Employees" in everything_sent(app) and "Partner view" not in texts(app)


def test_a_wrong_audience_setting_stops_the_app_with_a_message(monkeypatch):
    monkeypatch.setenv("DASHBOARD_AUDIENCE", "everyone")
    app = run_app()
    assert any("audience setting is 'everyone'" in e.value for e in app.error)
    assert not app.get("metric")


def test_a_reader_listed_as_internal_sees_everything_once_logged_in(partner_deployment, tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[access]\ninternal_users = ["Alice"]\n', encoding="utf-8")
    monkeypatch.setattr(settings, "SECRETS", secrets)
    for steward, sees_all in ((None, False), ("bob", False), ("alice", True)):
        app = AppTest.from_file(APP, default_timeout=60)
        if steward:
            app.session_state[STEWARD_KEY] = steward  # what the stewards' password login leaves in the session
        app.run()
        assert not app.exception
        assert ("Employees" in everything_sent(app)) is sees_all, steward
        assert ("Partner view" in texts(app)) is not sees_all, steward
