"""Presentation mode through AppTest: one slide at a time, stepping, the slide in the URL, filters obeyed."""

from __future__ import annotations

from tests.app.test_pages import run_app, texts


def param(app, name):
    value = app.query_params.get(name)
    return value[-1] if isinstance(value, list) else value


def test_french_presentation_opens_on_the_key_figures_and_writes_the_slide_to_the_url():
    app = run_app(present="1", lang="fr")
    assert app.title[0].value == "Chiffres clés"
    assert [m.value for m in app.metric][:2] == ["22\u202f000", "2 millions"]
    assert any("Diapositive 1 sur" in m.value for m in app.markdown)
    assert param(app, "slide") == "1" and param(app, "present") == "1"


def test_next_and_previous_step_through_the_slides():
    app = run_app(present="1")
    app.button(key="present-next").click().run()
    assert app.title[0].value == "Growth of the group, 2009–2024"
    assert param(app, "slide") == "2"
    assert len(app.get("plotly_chart")) == 1
    app.button(key="present-next").click().run()
    assert app.title[0].value == "Progress against targets"
    app.button(key="present-previous").click().run()
    assert param(app, "slide") == "2"


def test_a_link_opens_on_its_slide():
    app = run_app(present="1", slide="3")
    assert app.title[0].value == "Progress against targets"
    assert "a lower bound cannot tell whether the target was met" in texts(app)


def test_a_slide_the_view_does_not_have_gives_a_notice_and_the_first_slide():
    app = run_app(present="1", slide="99")
    assert any("Ignored slide “99”" in w.value for w in app.warning)
    assert app.title[0].value == "Key figures" and param(app, "slide") == "1"
    app = run_app(present="1", slide="abc")
    assert any("Ignored slide “abc”" in w.value for w in app.warning)


def test_the_last_slide_cannot_step_further():
    app = run_app(present="1", slide="200")  # beyond the end: reported, then back to the start
    total = int(next(m.value for m in app.markdown if "Slide 1 of" in m.value).split(" of ")[1].strip("*"))
    app = run_app(present="1", slide=str(total))
    assert app.button(key="present-next").disabled
    assert not app.button(key="present-previous").disabled


def test_presentation_obeys_the_filters():
    app = run_app(present="1", country=["SEN"])
    assert [m.value for m in app.metric] == ["–"] * 6
    app.button(key="present-next").click().run()
    assert app.title[0].value == "Published figures and places by sector"
    assert param(app, "country") == "SEN"


def test_presenting_from_a_page_opens_on_that_pages_slide():
    app = run_app("app_pages/sectors.py")
    app.button(key="present-start").click().run()
    assert app.title[0].value == "Published figures and places by sector"
    assert param(app, "present") == "1"


def test_leaving_presentation_mode_returns_to_the_page():
    app = run_app(present="1")
    app.button(key="present-exit").click().run()
    assert app.title[0].value == "Groupe SOS at a glance"
    assert "present" not in app.query_params and "slide" not in app.query_params


def test_odd_slide_and_present_values_give_notices_not_a_crash():
    for query in ({"slide": "\u00b2"}, {"present": "1", "slide": "\u2460"}, {"present": "yes"}, {"slide": "3"}):
        app = run_app(**query)
        assert app.warning, query
    app = run_app(present="1", slide=["3", "99"])  # repeated: the first one counts
    assert app.title[0].value == "Progress against targets"


def test_the_targets_slide_draws_the_share_reached():
    app = run_app(present="1", slide="3")
    bars = app.get("progress")
    assert len(bars) == 1  # trees: 80 %; the doubling of revenue cannot be measured, so it has no bar
    assert bars[0].value == 80
