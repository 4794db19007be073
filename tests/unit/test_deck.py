"""The PowerPoint deck, written and reopened: slides in order, 16:9, titles, notes with sources, alt text, French."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu, Inches

from components.charts import growth_figure, series_figure
from components.deck import deck_pptx
from components.slide_export import CHROMIUM
from components.slides import Deck, Slide, SourceRef, Tile
from dashboard.queries import figures

GROWTH = ["employees", "revenue", "establishments", "beneficiaries"]
INTRODUCTION = SourceRef("Groupe SOS, Introduction", "https://www.groupe-sos.org/qui-sommes-nous/")
ECONOMIC_MODEL = SourceRef("Groupe SOS, Our economic model", "https://www.groupe-sos.org/en/economic-model/")
FOOTER_TOP = Inches(6.78)


def notes_for(sources: tuple[SourceRef, ...], alt: str) -> str:
    return alt + "\n\nSources\n" + "\n".join(f"- {s.title} — {s.url}" for s in sources)


def tile(label: str, value: str, **more) -> Tile:
    fields = dict(period="2024", detail="+150 depuis 2023", source="Source : Groupe SOS, Introduction · Confiance A")
    return Tile(label=label, value=value, **{**fields, **more})


def kpi_slide(count: int) -> Slide:
    tiles = [
        tile("Salariés", "22\u202f000"),
        tile("Chiffre d'affaires", "1,37\xa0Md\xa0€", period="2022",
             warning="Les sources divergent : 1,26\xa0Md\xa0€ · 1,37\xa0Md\xa0€ · ≈\u202f1,4\xa0Md\xa0€"),
        tile("Bénéficiaires", "2 millions"),
        tile("Établissements et services", "850"),
        tile("Pays", "50+", detail="chiffre précédent : 40 en 2022 ; aucune évolution exacte ne peut être calculée"),
        tile("Entreprises sociales", "–", period="", source="",
             detail="Aucun chiffre publié pour l'ensemble du groupe. Les chiffres des secteurs sont sur la page Secteurs."),
        tile("Salariés en Afrique", "1\u202f200"),
        tile("Arbres plantés", "8 millions", period="2006–2019"),
    ][:count]  # fmt: skip
    sources = (INTRODUCTION, ECONOMIC_MODEL)
    alt = "Derniers chiffres publiés : Salariés 22 000 en 2024."
    return Slide(key="kpis", kind="kpis", title="Chiffres clés", alt=alt, source_line="Sources : Groupe SOS",
                 notes=notes_for(sources, alt), tiles=tuple(tiles), sources=sources)  # fmt: skip


def french_deck(store, catalog, *, with_charts: bool = True, tiles: int = 6) -> Deck:
    slides = [kpi_slide(tiles)]
    if with_charts:
        points = figures(store, indicators=GROWTH, kind="actual")
        points = points[points["scope_level"] == "group"]
        employees = points[points["indicator_id"] == "employees"]
        growth = growth_figure(points, catalog, GROWTH, "fr", "Croissance")
        series = series_figure(employees, catalog.indicators["employees"], "fr", "Salariés", "#0072B2")
        for key, title, figure in (
            ("growth", "Croissance du groupe, 2009–2024", growth),
            ("series", "Salariés dans le temps", series),
        ):
            alt = f"{title} : hausse de 2 700 en 2009 à 22 000 en 2024."
            slides.append(Slide(key=key, kind="chart", title=title, alt=alt, figure=figure, sources=(INTRODUCTION,),
                                source_line="Sources : Groupe SOS, Introduction",
                                notes=notes_for((INTRODUCTION,), "")))  # fmt: skip
    lines = ("Planète Urgence, Arbres plantés (cumul). Objectif : 10 millions d'ici 2020. Statut : non atteint.",
             "Groupe SOS, Objectif de croissance de l'activité. Objectif : 2,74 Md € d'ici 2025.")  # fmt: skip
    slides.append(Slide(key="targets", kind="text", title="Avancement des objectifs", alt=" ".join(lines),
                        source_line="Sources : Groupe SOS, Our economic model", lines=lines,
                        notes=notes_for((ECONOMIC_MODEL,), ""), sources=(ECONOMIC_MODEL,)))  # fmt: skip
    return Deck(title="Groupe SOS : indicateurs d'impact", filters_line="Affichage : Sénégal et 2015–2024.",
                date_line="Exporté le 23 novembre 2026", dataset_line="Chiffres publiés, chacun avec sa source.",
                lang="fr", slides=tuple(slides))  # fmt: skip


def reopen(deck: Deck, tmp_path) -> Presentation:
    path = tmp_path / "deck.pptx"
    path.write_bytes(deck_pptx(deck))
    return Presentation(str(path))


def all_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


@pytest.fixture(scope="module")
def written(store, catalog, tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(f"chart pictures need Chromium at {CHROMIUM}")
    deck = french_deck(store, catalog)
    return deck, reopen(deck, tmp_path_factory.mktemp("deck"))


def test_a_title_slide_then_one_16_9_slide_per_slide_with_its_title(written):
    deck, presentation = written
    assert (presentation.slide_width, presentation.slide_height) == (Emu(12192000), Emu(6858000))  # 13.333 x 7.5 in
    assert len(presentation.slides) == 1 + len(deck.slides)
    titles = [slide.shapes.title.text for slide in presentation.slides]
    assert titles == [deck.title, *(s.title for s in deck.slides)]
    cover = all_text(presentation.slides[0])
    assert all(line in cover for line in (deck.filters_line, deck.date_line, deck.dataset_line))


def test_notes_name_every_source_with_its_url_then_what_the_slide_shows(written):
    deck, presentation = written
    for slide, source_slide in zip(list(presentation.slides)[1:], deck.slides, strict=True):
        notes = slide.notes_slide.notes_text_frame.text
        for source in source_slide.sources:
            assert source.title in notes and source.url in notes
        assert source_slide.alt in notes and notes.count(source_slide.alt) == 1  # appended once, not twice
        assert source_slide.source_line in all_text(slide)  # and the footer names them on the slide itself


def test_chart_pictures_carry_the_alt_text_and_keep_their_proportions(written):
    deck, presentation = written
    for slide, source_slide in zip(list(presentation.slides)[1:], deck.slides, strict=True):
        pictures = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        if source_slide.kind != "chart":
            assert pictures == []
            continue
        (picture,) = pictures
        assert picture._element.nvPicPr.cNvPr.get("descr") == source_slide.alt
        image = Image.open(io.BytesIO(picture.image.blob))
        assert abs(image.width / image.height - picture.width / picture.height) < 0.01  # not stretched
        assert image.width >= 2000  # sharp when projected
        assert picture.top + picture.height <= FOOTER_TOP and deck.filters_line in all_text(slide)


def test_french_text_survives_with_its_spaces_and_warning_colour(written):
    deck, presentation = written
    kpis = presentation.slides[1]
    text = all_text(kpis)
    assert "22\u202f000" in text and "1,37\xa0Md\xa0€" in text and "Établissements et services" in text
    warning = next(run for shape in kpis.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs
                   for run in p.runs if run.text.startswith("Les sources divergent"))  # fmt: skip
    assert str(warning.font.color.rgb) == "A14A00"
    assert warning._r.rPr.get("lang") == "fr-FR"
    bullets = [p.text for p in presentation.slides[4].placeholders[1].text_frame.paragraphs]
    assert bullets == list(deck.slides[3].lines)


@pytest.mark.parametrize("count", range(1, 9))
def test_one_to_eight_tiles_fit_between_the_title_and_the_footer_without_overlapping(store, catalog, tmp_path, count):
    presentation = reopen(french_deck(store, catalog, with_charts=False, tiles=count), tmp_path)
    tiles = [shape for shape in presentation.slides[1].shapes if shape.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
             and shape.has_text_frame and shape.text_frame.text]  # fmt: skip
    assert len(tiles) == count
    boxes = [(t.left, t.top, t.left + t.width, t.top + t.height) for t in tiles]
    for left, top, right, bottom in boxes:
        assert left >= 0 and right <= presentation.slide_width and top >= Inches(1.6) and bottom <= FOOTER_TOP
    for index, a in enumerate(boxes):
        for b in boxes[index + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], "tiles overlap"
    if count == 6:
        assert len({box[0] for box in boxes}) == 3 and len({box[1] for box in boxes}) == 2  # a 3 x 2 grid
