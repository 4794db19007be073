"""Translations and the one locale-aware formatter for numbers, values, periods and dates (Babel, CLDR data)."""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

from babel.dates import format_date as _babel_date
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_decimal,
    format_percent,
)

from dashboard.metadata import Indicator

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"

# Plotly's `separators`: decimal mark then thousands separator, as CLDR gives them for each language.
PLOTLY_SEPARATORS = {"en": ".,", "fr": ",\u202f"}

QUALIFIERS = {
    "more than": {"en": "more than {value}", "fr": "plus de {value}"},
    "about": {"en": "about {value}", "fr": "environ {value}"},
}
# Headline style, where space is short: never the bare number ("40+", not "40").
COMPACT_QUALIFIERS = {"more than": "{value}+", "about": "≈\u202f{value}"}

TEXT: dict[str, dict[str, str]] = {
    # navigation and chrome
    "page_overview": {"en": "Overview", "fr": "Vue d'ensemble"},
    "page_sectors": {"en": "Sectors", "fr": "Secteurs"},
    "page_international": {"en": "International", "fr": "International"},
    "page_programmes": {"en": "Programmes", "fr": "Programmes"},
    "page_sources": {"en": "Sources", "fr": "Sources"},
    "filters": {"en": "Filters", "fr": "Filtres"},
    "filter_country": {"en": "Country", "fr": "Pays"},
    "filter_sector": {"en": "Sector", "fr": "Secteur"},
    "filter_years": {"en": "Years", "fr": "Années"},
    "filter_placeholder": {"en": "All", "fr": "Tous"},
    "entity_search": {"en": "Find an entity", "fr": "Trouver une entité"},
    "entity_search_hint": {"en": "Part of its name", "fr": "Une partie de son nom"},
    "entity_matched": {
        "en": "Entities whose name matches: {count}.",
        "fr": "Entités dont le nom correspond : {count}.",
    },
    "entity_none": {"en": "No entity's name contains that text.", "fr": "Aucun nom d'entité ne contient ce texte."},
    "entity_listed": {
        "en": "The Entity list holds the first {shown} of {total} entities, alphabetically: type part of a name above "
        "to find any other.",
        "fr": "La liste Entité contient les {shown} premières des {total} entités, par ordre alphabétique : tapez une "
        "partie d'un nom ci-dessus pour en trouver une autre.",
    },
    "clear_filters": {"en": "Clear filters", "fr": "Effacer les filtres"},
    "years_help": {
        "en": "A figure belongs to the year its period ends. Undated figures show only when every year is selected.",
        "fr": "Un chiffre appartient à l'année où sa période se termine. Les chiffres non datés n'apparaissent "
        "que si toutes les années sont sélectionnées.",
    },
    "dataset_real": {
        "en": "Published figures, each with its source ({figures} figures, {sources} sources). Not synthetic.",
        "fr": "Chiffres publiés, chacun avec sa source ({figures} chiffres, {sources} sources). Non synthétiques.",
    },
    "dataset_synthetic": {
        "en": "Synthetic demo data: these numbers are generated, not Groupe SOS figures.",
        "fr": "Données de démonstration synthétiques : ces nombres sont générés, ce ne sont pas des chiffres du "
        "Groupe SOS.",
    },
    # URL notices
    "notice_unknown_value": {
        "en": "Ignored “{value}” in the link: it is not a known {parameter}.",
        "fr": "« {value} » ignoré dans le lien : ce n'est pas un {parameter} connu.",
    },
    "notice_not_a_year": {
        "en": "Ignored years “{value}” in the link: years must be whole numbers.",
        "fr": "Années « {value} » ignorées dans le lien : les années doivent être des nombres entiers.",
    },
    "notice_years_count": {
        "en": "Ignored years “{value}” in the link: give exactly two years, from and to.",
        "fr": "Années « {value} » ignorées dans le lien : indiquez exactement deux années, début et fin.",
    },
    "notice_years_reversed": {
        "en": "The years “{value}” in the link were reversed; they were swapped.",
        "fr": "Les années « {value} » du lien étaient inversées ; elles ont été remises dans l'ordre.",
    },
    "notice_years_clamped": {
        "en": "The years “{value}” in the link go beyond the data; kept to {low}–{high}.",
        "fr": "Les années « {value} » du lien dépassent les données ; ramenées à {low}–{high}.",
    },
    "notice_too_many_values": {
        "en": "The link repeats “{parameter}” {value} times; only the first ones were read.",
        "fr": "Le lien répète « {parameter} » {value} fois ; seules les premières valeurs ont été lues.",
    },
    "notice_present_value": {
        "en": "Ignored present=“{value}” in the link: use present=1 for presentation mode.",
        "fr": "present=« {value} » ignoré dans le lien : utilisez present=1 pour le mode présentation.",
    },
    "notice_slide_without_present": {
        "en": "Ignored slide=“{value}” in the link: slides are shown only with present=1.",
        "fr": "slide=« {value} » ignoré dans le lien : les diapositives ne s'affichent qu'avec present=1.",
    },
    "notice_unknown_language": {
        "en": "Ignored language “{value}” in the link: use en or fr.",
        "fr": "Langue « {value} » ignorée dans le lien : utilisez en ou fr.",
    },
    "parameter_country": {"en": "country code", "fr": "code pays"},
    "parameter_sector": {"en": "sector", "fr": "secteur"},
    "parameter_entity": {"en": "entity", "fr": "entité"},
    "parameter_years": {"en": "year", "fr": "année"},
    # scope statements
    "scope_everything": {
        "en": "Showing the whole group, every year.",
        "fr": "Affichage de tout le groupe, toutes années.",
    },
    "scope_filtered": {"en": "Showing: {what}.", "fr": "Affichage : {what}."},
    "scope_group_wide_hidden": {
        "en": "Group-wide totals cannot be split by {dimensions}, so they are not shown for this selection.",
        "fr": "Les totaux du groupe ne peuvent pas être ventilés par {dimensions} : ils ne sont pas affichés "
        "pour cette sélection.",
    },
    "dimension_country": {"en": "country", "fr": "pays"},
    "dimension_sector": {"en": "sector", "fr": "secteur"},
    "dimension_entity": {"en": "entity", "fr": "entité"},
    "and": {"en": "and", "fr": "et"},
    # KPI cards
    "kpi_not_splittable": {
        "en": "Group-wide figure only: it cannot be split by {dimensions}.",
        "fr": "Chiffre disponible pour le groupe entier seulement : il ne peut pas être ventilé par {dimensions}.",
    },
    "kpi_no_data": {
        "en": "No published figure for this selection.",
        "fr": "Aucun chiffre publié pour cette sélection.",
    },
    "kpi_several_scopes": {
        "en": "{count} separate figures ({names}); they are not added up. See the Sectors page.",
        "fr": "{count} chiffres distincts ({names}) ; ils ne sont pas additionnés. Voir la page Secteurs.",
    },
    "kpi_scope": {"en": "Scope: {scope}", "fr": "Périmètre : {scope}"},
    "kpi_no_previous": {"en": "No earlier figure", "fr": "Aucun chiffre antérieur"},
    "kpi_since": {"en": "since {period}", "fr": "depuis {period}"},
    "kpi_previous": {
        "en": "previous figure: {value} in {period}; no exact change can be computed",
        "fr": "chiffre précédent : {value} en {period} ; aucune évolution exacte ne peut être calculée",
    },
    "kpi_no_group_figure": {
        "en": "No group-wide figure published. Sector figures are on the Sectors page.",
        "fr": "Aucun chiffre publié pour l'ensemble du groupe. Les chiffres des secteurs sont sur la page Secteurs.",
    },
    "kpi_source": {"en": "Source: {source}", "fr": "Source : {source}"},
    "kpi_disputed": {"en": "Sources disagree: {values}", "fr": "Les sources divergent : {values}"},
    "kpi_corroborated": {
        "en": "Also reported by {count} other source(s)",
        "fr": "Également publié par {count} autre(s) source(s)",
    },
    "kpi_sources_button": {"en": "Sources", "fr": "Sources"},
    "kpi_rule": {
        "en": "Shown: one value per period, chosen by a fixed rule: confidence A first, then the organisation's "
        "own source, then the most recent publication. Other values are listed, never averaged.",
        "fr": "Affiché : une valeur par période, choisie selon une règle fixe : confiance A d'abord, puis la source "
        "de l'organisation elle-même, puis la publication la plus récente. Les autres valeurs sont listées, "
        "jamais moyennées.",
    },
    "chosen": {"en": "shown", "fr": "affichée"},
    "sparkline_note": {
        "en": "Trend: chosen figure of each published year",
        "fr": "Tendance : chiffre retenu pour chaque année publiée",
    },
    # overview
    "overview_title": {"en": "Groupe SOS at a glance", "fr": "Le Groupe SOS en un coup d'œil"},
    "overview_intro": {
        "en": "Key figures of Europe's largest social enterprise group, as published, each with its source.",
        "fr": "Les chiffres clés du premier groupe d'entrepreneuriat social en Europe, tels que publiés, chacun "
        "avec sa source.",
    },
    "growth_title": {"en": "Growth of the group, {first}–{last}", "fr": "Croissance du groupe, {first}–{last}"},
    "growth_caption": {
        "en": "Each point is one published figure: blue for the figure shown on the cards, vermilion for other "
        "sources of the same period; hollow points have confidence B. The line joins consecutive years only: a gap "
        "is a year with no published figure. Where sources disagree, each value is its own point.",
        "fr": "Chaque point est un chiffre publié : en bleu le chiffre retenu sur les cartes, en vermillon les autres "
        "sources de la même période ; les points creux ont la confiance B. La ligne ne relie que des années "
        "consécutives : un trou est une année sans chiffre publié. Quand les sources divergent, chaque valeur est "
        "un point.",
    },
    "growth_not_splittable": {
        "en": "The growth chart shows group-wide totals, which cannot be split by {dimensions}. Clear the filters "
        "to see it, or open the Sectors and Programmes pages for figures of this selection.",
        "fr": "Le graphique de croissance montre des totaux du groupe, qui ne peuvent pas être ventilés par "
        "{dimensions}. Effacez les filtres pour le voir, ou ouvrez les pages Secteurs et Programmes.",
    },
    "growth_no_figures": {
        "en": "No group-wide figure was published for these years.",
        "fr": "Aucun chiffre du groupe n'a été publié pour ces années.",
    },
    "selection_figures": {"en": "Figures for this selection", "fr": "Chiffres de cette sélection"},
    "data_behind_chart": {"en": "Data behind the chart", "fr": "Données du graphique"},
    "data_behind_slide": {"en": "Data behind this slide", "fr": "Données de cette diapositive"},
    "sources_line": {"en": "Sources: {sources}", "fr": "Sources : {sources}"},
    "download_xlsx": {"en": "Excel", "fr": "Excel"},
    "link_to_view": {"en": "Link to this view", "fr": "Lien vers cette vue"},
    "link_to_view_help": {
        "en": "Copy this address: it reopens the same page with the same filters and language.",
        "fr": "Copiez cette adresse : elle rouvre la même page avec les mêmes filtres et la même langue.",
    },
    "download_csv": {"en": "Download these figures (CSV)", "fr": "Télécharger ces chiffres (CSV)"},
    # sectors
    "sectors_title": {"en": "Sectors", "fr": "Secteurs"},
    "sectors_intro": {
        "en": "The eight sectors of the group and GROUPE SOS Pulse: what is published about each, with sources.",
        "fr": "Les huit secteurs du groupe et GROUPE SOS Pulse : ce qui est publié sur chacun, avec les sources.",
    },
    "sectors_chart_title": {
        "en": "Published figures and places by sector",
        "fr": "Chiffres publiés et lieux par secteur",
    },
    "sectors_chart_figures": {"en": "Published figures", "fr": "Chiffres publiés"},
    "sectors_chart_places": {"en": "Places", "fr": "Lieux"},
    "legend_group": {"en": "Groupe SOS itself (no sector)", "fr": "Groupe SOS lui-même (sans secteur)"},
    "legend_ring": {"en": "Country-level point (the country's centre)", "fr": "Point au niveau du pays (son centre)"},
    "legend_shading": {"en": "Countries shaded by number of places", "fr": "Pays teintés selon le nombre de lieux"},
    "reset_map": {"en": "Reset map view", "fr": "Réinitialiser la carte"},
    "click_bar_sector": {
        "en": "Click a bar to filter to that sector.",
        "fr": "Cliquez sur une barre pour filtrer sur ce secteur.",
    },
    "click_bar_country": {
        "en": "Click a bar to filter to that country.",
        "fr": "Cliquez sur une barre pour filtrer sur ce pays.",
    },
    "sector_summary": {
        "en": "{figures} published figure(s), {places} place(s)",
        "fr": "{figures} chiffre(s) publié(s), {places} lieu(x)",
    },
    "sector_no_data": {
        "en": "No published figure was found for this sector. That is a gap in the sources, not a zero.",
        "fr": "Aucun chiffre publié n'a été trouvé pour ce secteur. C'est un manque de sources, pas un zéro.",
    },
    "sector_no_data_selection": {
        "en": "No published figure for this sector in the current selection.",
        "fr": "Aucun chiffre publié pour ce secteur dans la sélection actuelle.",
    },
    "sector_little_data": {
        "en": "Little published data: only {count} figure(s) found for this sector.",
        "fr": "Peu de données publiées : seulement {count} chiffre(s) trouvé(s) pour ce secteur.",
    },
    "sectors_none_selected": {
        "en": "No sector matches this selection.",
        "fr": "Aucun secteur ne correspond à cette sélection.",
    },
    "over_time": {"en": "{indicator} over time ({scope})", "fr": "{indicator} dans le temps ({scope})"},
    # international
    "international_title": {"en": "Where the group works", "fr": "Où le groupe agit"},
    "international_intro": {
        "en": "Places where the group's entities work, as published. A point marked “country” is the country's "
        "centre, not a site.",
        "fr": "Lieux où agissent les entités du groupe, tels que publiés. Un point marqué « pays » est le centre du "
        "pays, pas un site.",
    },
    "map_title": {"en": "Places of the group's entities", "fr": "Lieux des entités du groupe"},
    "map_area_places": {"en": "{count} places around {place}", "fr": "{count} lieux autour de {place}"},
    "map_grouped": {
        "en": "{count} places: each point gathers the places of an area of about 100 km, drawn larger the more places "
        "it holds; the table below lists them one by one.",
        "fr": "{count} lieux : chaque point regroupe les lieux d'une zone d'environ 100 km, d'autant plus grand "
        "qu'elle en compte ; le tableau ci-dessous les liste un par un.",
    },
    "map_caption": {
        "en": "Click a country or a place to filter to that country. "
        "Filled circles are cities and regions; rings are country-level points (the country's centre). "
        "Countries are shaded by the number of places (darker: more). Shapes: Natural Earth 1:110m, drawn "
        "offline; small territories appear as points only.",
        "fr": "Cliquez sur un pays ou un lieu pour filtrer sur ce pays. "
        "Les disques pleins sont des villes et régions ; les anneaux sont des points au niveau du pays (le "
        "centre du pays). Les pays sont teintés selon le nombre de lieux (plus foncé : plus de lieux). Contours : "
        "Natural Earth 1:110m, dessinés hors ligne ; les petits territoires n'apparaissent qu'en points.",
    },
    "places_by_country_title": {"en": "Places by country", "fr": "Lieux par pays"},
    "places_by_country_top": {
        "en": "Places by country: the {most} with most places, of {total}",
        "fr": "Lieux par pays : les {most} qui en comptent le plus, sur {total}",
    },
    "profile_title": {"en": "{country}: what the group does there", "fr": "{country} : ce que le groupe y fait"},
    "profile_nothing": {
        "en": "Nothing is known about {country} in the published sources: no place and no figure.",
        "fr": "Rien n'est connu sur ce pays ({country}) dans les sources publiées : aucun lieu, aucun chiffre.",
    },
    "profile_no_figures": {
        "en": "No published figure for this entity.",
        "fr": "Aucun chiffre publié pour cette entité.",
    },
    "profile_published": {
        "en": "Figures published: {count} (choose the entity under the cards to list them).",
        "fr": "Chiffres publiés : {count} (choisir l'entité sous les fiches pour les lister).",
    },
    "profile_figures_pick": {
        "en": "List the figures published by",
        "fr": "Lister les chiffres publiés par",
    },
    "profile_entity_wide": {
        "en": "Figures published by this entity. They cover the whole entity, not only {country}, unless the "
        "Country column says so.",
        "fr": "Chiffres publiés par cette entité. Ils couvrent toute l'entité, pas seulement ce pays ({country}), "
        "sauf si la colonne Pays l'indique.",
    },
    "places_table_title": {"en": "Places, by country, entity and kind", "fr": "Lieux, par pays, entité et type"},
    "no_places": {"en": "No place is known for this selection.", "fr": "Aucun lieu connu pour cette sélection."},
    "places_count": {
        "en": "{places} places in {countries} countries and territories",
        "fr": "{places} lieux dans {countries} pays et territoires",
    },
    "places_count_one": {"en": "{places} places in one country or territory", "fr": "{places} lieux dans un pays"},
    # programmes
    "programmes_title": {"en": "Programmes and entities", "fr": "Programmes et entités"},
    "programmes_intro": {
        "en": "Outcomes published by the group's programmes and entities. Where sources disagree, every value is "
        "shown with its source.",
        "fr": "Résultats publiés par les programmes et entités du groupe. Quand les sources divergent, chaque valeur "
        "est montrée avec sa source.",
    },
    "target_progress": {
        "en": "Target: {target} by {target_period}. Latest published: {actual} ({actual_period}), {share} of the target.",
        "fr": "Objectif : {target} d'ici {target_period}. Dernier chiffre publié : {actual} ({actual_period}), soit "
        "{share} de l'objectif.",
    },
    "target_status_reached": {"en": "Status: reached.", "fr": "Statut : atteint."},
    "target_status_not_reached": {
        "en": "Status: not reached in the latest published figure.",
        "fr": "Statut : non atteint dans le dernier chiffre publié.",
    },
    "target_no_figure_at_date": {
        "en": "No figure has been published for the target date.",
        "fr": "Aucun chiffre n'a été publié pour la date de l'objectif.",
    },
    "col_id": {"en": "Id", "fr": "Identifiant"},
    "target_no_actual": {
        "en": "Target: {target} by {target_period}. No comparable figure published.",
        "fr": "Objectif : {target} d'ici {target_period}. Aucun chiffre comparable publié.",
    },
    "conflict_title": {
        "en": "Sources disagree on {indicator} ({period})",
        "fr": "Les sources divergent sur {indicator} ({period})",
    },
    "profile_more": {
        "en": "{shown} of the {total} entities present have a card below; the table of places lists them all.",
        "fr": "{shown} des {total} entités présentes ont une fiche ci-dessous ; le tableau des lieux les liste toutes.",
    },
    "places_capped": {
        "en": "The first {shown} of {total} places are listed here; the downloads hold them all.",
        "fr": "Les {shown} premiers lieux sur {total} sont listés ici ; les téléchargements les contiennent tous.",
    },
    "and_more": {"en": "and {count} more", "fr": "et {count} autres"},
    "series_more": {
        "en": "{shown} of {total} series drawn: the broadest scopes and the entities with most figures first.",
        "fr": "{shown} séries tracées sur {total} : les périmètres les plus larges et les entités qui publient le plus "
        "d’abord.",
    },
    "series_none_drawn": {
        "en": "{total} series over time, not drawn here: a page draws a few series of monthly figures, in reading "
        "order.",
        "fr": "{total} séries dans le temps, non tracées ici : une page trace quelques séries de chiffres mensuels, "
        "dans l’ordre de lecture.",
    },
    "series_hint_filter": {
        "en": "Choose an entity in the Entity filter to see its own.",
        "fr": "Choisissez une entité dans le filtre Entité pour voir les siennes.",
    },
    "series_hint_table": {
        "en": "Every figure is in the table below and its downloads.",
        "fr": "Chaque chiffre figure dans le tableau ci-dessous et ses téléchargements.",
    },
    "entities_more": {
        "en": "{shown} of {total} entities with several figures have a section here, in reading order. "
        "Choose one in the Entity filter to see any other.",
        "fr": "{shown} entités sur {total} ayant plusieurs chiffres ont une section ici, dans l’ordre de lecture. "
        "Choisissez-en une dans le filtre Entité pour voir les autres.",
    },
    "table_capped": {
        "en": "The first {shown} of {total} figures are listed here.",
        "fr": "Les {shown} premiers chiffres sur {total} sont listés ici.",
    },
    "download_capped": {
        "en": "The downloads hold the first {count}; `python -m dashboard facts` writes them all.",
        "fr": "Les téléchargements contiennent les {count} premiers ; `python -m dashboard facts` les écrit tous.",
    },
    "other_entity_figures": {
        "en": "Other entities: one published figure each",
        "fr": "Autres entités : un chiffre publié chacune",
    },
    "no_programmes": {
        "en": "No programme or entity figure for this selection.",
        "fr": "Aucun chiffre de programme ou d'entité pour cette sélection.",
    },
    # sources
    "sources_title": {"en": "Sources", "fr": "Sources"},
    "sources_intro": {
        "en": "Every source behind the figures in view, with the figures it supports.",
        "fr": "Toutes les sources des chiffres affichés, avec les chiffres qu'elles étayent.",
    },
    "sources_count": {"en": "{sources} sources, {figures} figures", "fr": "{sources} sources, {figures} chiffres"},
    "sources_pick": {"en": "Figures supported by", "fr": "Chiffres étayés par"},
    "download_all_csv": {
        "en": "Download all figures with their sources (CSV)",
        "fr": "Télécharger tous les chiffres avec leurs sources (CSV)",
    },
    "download_view_csv": {
        "en": "Download the {count} figures of this view (CSV)",
        "fr": "Télécharger les {count} chiffres de cette vue (CSV)",
    },
    "own_source": {"en": "Organisation's own", "fr": "Source de l'organisation"},
    "no_source_figures": {
        "en": "This source supports no figure in the current view.",
        "fr": "Cette source n'étaye aucun chiffre dans la vue actuelle.",
    },
    # column names
    "col_indicator": {"en": "Indicator", "fr": "Indicateur"},
    "col_value": {"en": "Value", "fr": "Valeur"},
    "col_unit": {"en": "Unit", "fr": "Unité"},
    "col_period": {"en": "Period", "fr": "Période"},
    "col_scope": {"en": "Scope", "fr": "Périmètre"},
    "col_sector": {"en": "Sector", "fr": "Secteur"},
    "col_country": {"en": "Country", "fr": "Pays"},
    "col_source": {"en": "Source", "fr": "Source"},
    "col_link": {"en": "Link", "fr": "Lien"},
    "col_confidence": {"en": "Confidence", "fr": "Confiance"},
    "col_note": {"en": "Note", "fr": "Note"},
    "col_disagree": {"en": "Sources disagree", "fr": "Sources divergentes"},
    "col_entity": {"en": "Entity", "fr": "Entité"},
    "col_place": {"en": "Place", "fr": "Lieu"},
    "col_precision": {"en": "Precision", "fr": "Précision"},
    "col_kind": {"en": "Kind of presence", "fr": "Type de présence"},
    "col_since": {"en": "Since", "fr": "Depuis"},
    "col_until": {"en": "Until", "fr": "Jusqu'à"},
    "col_places": {"en": "Places", "fr": "Lieux"},
    "col_figures": {"en": "Figures", "fr": "Chiffres"},
    "col_title": {"en": "Title", "fr": "Titre"},
    "col_published": {"en": "Published", "fr": "Publication"},
    "yes": {"en": "yes", "fr": "oui"},
    "undated": {"en": "undated", "fr": "non daté"},
    "precision_city": {"en": "city", "fr": "ville"},
    "precision_region": {"en": "region", "fr": "région"},
    "precision_country": {"en": "country (centre)", "fr": "pays (centre)"},
    # alt text of charts, generated from their data
    "alt_no_dated_figure": {
        "en": "{indicator}: no dated figure published.",
        "fr": "{indicator} : aucun chiffre daté publié.",
    },
    "alt_single": {"en": "{indicator}: {value} in {period}.", "fr": "{indicator} : {value} en {period}."},
    "alt_rose": {
        "en": "{indicator} rose from {first} in {first_period} to {last} in {last_period} ({count} published periods).",
        "fr": "{indicator} : hausse de {first} en {first_period} à {last} en {last_period} ({count} périodes "
        "publiées).",
    },
    "alt_fell": {
        "en": "{indicator} fell from {first} in {first_period} to {last} in {last_period} ({count} published periods).",
        "fr": "{indicator} : baisse de {first} en {first_period} à {last} en {last_period} ({count} périodes "
        "publiées).",
    },
    "alt_went": {
        "en": "{indicator}: {first} in {first_period}, {last} in {last_period} ({count} published periods).",
        "fr": "{indicator} : {first} en {first_period}, {last} en {last_period} ({count} périodes publiées).",
    },
    "alt_peak": {"en": "Highest: {value} in {period}.", "fr": "Maximum : {value} en {period}."},
    "alt_low": {"en": "Lowest: {value} in {period}.", "fr": "Minimum : {value} en {period}."},
    "alt_disagree": {"en": "Sources disagree for {periods}.", "fr": "Les sources divergent pour {periods}."},
    "alt_dense": {
        "en": "Too many figures for a point each: the line passes through every one (hover over it to read them); "
        "points mark the other sources' figures, those with confidence B and those where sources disagree.",
        "fr": "Trop de chiffres pour un point chacun : la ligne passe par tous (survolez-la pour les lire) ; des "
        "points marquent les chiffres des autres sources, ceux de confiance B et ceux où les sources divergent.",
    },
    "alt_bars_empty": {"en": "{title}: nothing to show.", "fr": "{title} : rien à afficher."},
    "alt_bars": {"en": "{title}: {items}{more}.", "fr": "{title} : {items}{more}."},
    "list_separator": {"en": "; ", "fr": " ; "},
    "target_line": {"en": "{entity}, {indicator}. {text} {status}", "fr": "{entity}, {indicator}. {text} {status}"},
    "alt_bars_more": {"en": ", and {count} more ({total} in all)", "fr": ", et {count} autres ({total} au total)"},
    "download_table_csv": {"en": "Download this table (CSV)", "fr": "Télécharger ce tableau (CSV)"},
    "more_sources": {"en": "and {count} more (see Sources)", "fr": "et {count} autres (voir Sources)"},
    "chart_description": {"en": "**Chart description:** {alt}", "fr": "**Description du graphique :** {alt}"},
    # targets
    "target_relative": {
        "en": "Target: {target} by {target_period}, {ratio} ({base}).",
        "fr": "Objectif : {target} d'ici {target_period}, soit {ratio} ({base}).",
    },
    "target_relative_no_base": {
        "en": "Target: {ratio} by {target_period}. No figure was published for the base year.",
        "fr": "Objectif : {ratio} d'ici {target_period}. Aucun chiffre n'a été publié pour l'année de référence.",
    },
    "target_base_disputed": {
        "en": "Sources disagree on the base figure ({values}); the target uses the figure shown.",
        "fr": "Les sources divergent sur le chiffre de référence ({values}) ; l'objectif utilise le chiffre retenu.",
    },
    "target_nothing_since": {
        "en": "No {indicator} figure has been published since {period}.",
        "fr": "Aucun chiffre « {indicator} » n'a été publié depuis {period}.",
    },
    "target_latest": {
        "en": "Latest published: {actual} ({actual_period}), {share} of the target.",
        "fr": "Dernier chiffre publié : {actual} ({actual_period}), soit {share} de l'objectif.",
    },
    "target_status_lower_bound": {
        "en": "Status: at least this share was reached; a lower bound cannot tell whether the target was met.",
        "fr": "Statut : au moins cette part a été atteinte ; un minimum ne permet pas de dire si l'objectif l'a été.",
    },
    "target_status_too_close": {
        "en": "Status: too close to the target to tell from an approximate figure.",
        "fr": "Statut : trop proche de l'objectif pour conclure à partir d'un chiffre approximatif.",
    },
    "target_status_unmeasured": {
        "en": "Status: progress cannot be measured from published figures.",
        "fr": "Statut : l'avancement ne peut pas être mesuré à partir des chiffres publiés.",
    },
    "targets_title": {"en": "Progress against targets", "fr": "Avancement des objectifs"},
    # one-line summary of the cards
    "summary_sentence": {"en": "Latest published figures: {parts}.", "fr": "Derniers chiffres publiés : {parts}."},
    "summary_part": {"en": "{indicator} {value} in {period}", "fr": "{indicator} {value} en {period}"},
    "summary_up": {"en": ", up from {value} in {period}", "fr": ", en hausse depuis {value} en {period}"},
    "summary_down": {"en": ", down from {value} in {period}", "fr": ", en baisse depuis {value} en {period}"},
    "summary_same": {"en": ", as in {period}", "fr": ", comme en {period}"},
    "summary_disputed": {"en": " (sources disagree)", "fr": " (les sources divergent)"},
    "summary_not_splittable": {
        "en": "Group-wide figures cannot be split by {dimensions}: see the figures of this selection below.",
        "fr": "Les chiffres du groupe ne peuvent pas être ventilés par {dimensions} : voir les chiffres de cette "
        "sélection ci-dessous.",
    },
    "summary_not_splittable_slide": {
        "en": "Group-wide figures cannot be split by {dimensions}; the next slides show what is published for this "
        "selection.",
        "fr": "Les chiffres du groupe ne peuvent pas être ventilés par {dimensions} ; les diapositives suivantes "
        "montrent ce qui est publié pour cette sélection.",
    },
    "summary_nothing": {
        "en": "No group-wide figure is published for this selection.",
        "fr": "Aucun chiffre du groupe n'est publié pour cette sélection.",
    },
    # slides, presentation mode and the deck
    "deck_title": {"en": "Groupe SOS: impact indicators", "fr": "Groupe SOS : indicateurs d'impact"},
    "exported_on": {"en": "Exported {date}", "fr": "Exporté le {date}"},
    "slide_kpis_title": {"en": "Key figures", "fr": "Chiffres clés"},
    "notes_definitions": {"en": "Definitions", "fr": "Définitions"},
    "notes_sources": {"en": "Sources", "fr": "Sources"},
    "col_entities": {"en": "Entities", "fr": "Entités"},
    "present_start": {"en": "Present", "fr": "Présenter"},
    "present_start_help": {
        "en": "Full-screen slides of this view, one chart or group of figures at a time. Arrow keys step through.",
        "fr": "Diapositives plein écran de cette vue, un graphique ou un groupe de chiffres à la fois. Les flèches "
        "du clavier font défiler.",
    },
    "present_exit": {"en": "Exit", "fr": "Quitter"},
    "present_previous": {"en": "Previous", "fr": "Précédente"},
    "present_next": {"en": "Next", "fr": "Suivante"},
    "present_counter": {"en": "Slide {number} of {total}", "fr": "Diapositive {number} sur {total}"},
    "present_keys": {
        "en": "Keys: → next, ← previous, Esc to leave.",
        "fr": "Touches : → suivante, ← précédente, Échap pour quitter.",
    },
    "download_deck": {"en": "PowerPoint of this view", "fr": "PowerPoint de cette vue"},
    "download_deck_help": {
        "en": "A .pptx: a title slide, one slide per group of figures and per chart, sources in the speaker notes.",
        "fr": "Un .pptx : une diapositive de titre, une par groupe de chiffres et par graphique, les sources dans "
        "les notes de l'orateur.",
    },
    "download_png": {"en": "PNG 16:9", "fr": "PNG 16:9"},
    "download_svg": {"en": "SVG", "fr": "SVG"},
    "download_image_help": {
        "en": "A 1920×1080 image for slides, with the title, filters, source and date drawn in.",
        "fr": "Une image 1920×1080 pour diapositives, avec le titre, les filtres, la source et la date incrustés.",
    },
    "chromium_missing": {"en": "{path} is missing", "fr": "{path} est introuvable"},
    "notes_definition": {"en": "- {label} ({unit}): {description}", "fr": "- {label} ({unit}) : {description}"},
    "growth_title_one_year": {"en": "The group in {year}", "fr": "Le groupe en {year}"},
    "export_failed": {
        "en": "The image could not be made: {reason}",
        "fr": "L'image n'a pas pu être produite : {reason}",
    },
    "notice_unknown_slide": {
        "en": "Ignored slide “{value}” in the link: this view has slides 1 to {last}.",
        "fr": "Diapositive « {value} » ignorée dans le lien : cette vue a les diapositives 1 à {last}.",
    },
    "error_title": {
        "en": "The dashboard cannot show its data",
        "fr": "Le tableau de bord ne peut pas afficher ses données",
    },
    "store_unavailable_title": {
        "en": "The data is temporarily unavailable",
        "fr": "Les données sont momentanément indisponibles",
    },
    "store_unavailable": {
        "en": "The database does not answer at the moment. This page comes back by itself as soon as it does: "
        "there is nothing to do, and no data is lost.",
        "fr": "La base de données ne répond pas pour le moment. Cette page revient d'elle-même dès qu'elle "
        "répond : il n'y a rien à faire, et aucune donnée n'est perdue.",
    },
    # the data stewards' login (components/login.py)
    "login_intro": {
        "en": "This page is for data stewards. Log in to continue.",
        "fr": "Cette page est réservée aux gestionnaires de données. Connectez-vous pour continuer.",
    },
    "login_username": {"en": "User name", "fr": "Nom d'utilisateur"},
    "login_password": {"en": "Password", "fr": "Mot de passe"},
    "login_submit": {"en": "Log in", "fr": "Se connecter"},
    "login_missing_fields": {
        "en": "Enter your user name and your password.",
        "fr": "Saisissez votre nom d'utilisateur et votre mot de passe.",
    },
    "login_failed": {
        "en": "Wrong user name or password.",
        "fr": "Nom d'utilisateur ou mot de passe incorrect.",
    },
    "login_locked": {
        "en": "Too many failed attempts. Try again in {minutes} min.",
        "fr": "Trop de tentatives échouées. Réessayez dans {minutes} min.",
    },
    "login_logged_in_as": {"en": "Logged in as {identity}.", "fr": "Connecté en tant que {identity}."},
    "login_logout": {"en": "Log out", "fr": "Se déconnecter"},
    "login_oidc": {"en": "Log in", "fr": "Se connecter"},
    "login_oidc_with": {"en": "Log in with {provider}", "fr": "Se connecter avec {provider}"},
    "login_oidc_error": {
        "en": "Logging in is not possible at the moment: the identity provider settings are not usable.",
        "fr": "La connexion est impossible pour le moment : les réglages du fournisseur d'identité sont inutilisables.",
    },
    "login_needs_authlib": {
        "en": 'Logging in with OpenID Connect needs the Authlib package: `pip install "streamlit[auth]"`.',
        "fr": 'La connexion OpenID Connect nécessite le paquet Authlib : `pip install "streamlit[auth]"`.',
    },
    "login_not_steward": {
        "en": "The account {identity} is not a data steward's. Log out and log in with another account.",
        "fr": "Le compte {identity} n'est pas celui d'un gestionnaire de données. Déconnectez-vous et connectez-vous "
        "avec un autre compte.",
    },
    "login_not_configured": {
        "en": "**No login is configured**, so this page stays closed. To open it to data stewards, put each "
        "steward's password hash in `.streamlit/secrets.toml` under `[admin.users]` (make one with "
        "`python -m dashboard hash-password`), or configure an OpenID Connect provider under `[auth]`. The README "
        "section “Data stewards” explains both; `.streamlit/secrets.toml.example` shows the format.",
        "fr": "**Aucune connexion n'est configurée** : cette page reste donc fermée. Pour l'ouvrir aux gestionnaires "
        "de données, placez l'empreinte du mot de passe de chacun dans `.streamlit/secrets.toml`, sous "
        "`[admin.users]` (créez-la avec `python -m dashboard hash-password`), ou configurez un fournisseur "
        "OpenID Connect sous `[auth]`. La section « Data stewards » du README explique les deux ; "
        "`.streamlit/secrets.toml.example` montre le format.",
    },
    "login_auth_incomplete": {
        "en": "Login is not usable yet: the `[auth]` settings in `.streamlit/secrets.toml` lack {missing}. See the "
        "README section “Data stewards”.",
        "fr": "La connexion n'est pas encore utilisable : il manque {missing} dans les réglages `[auth]` de "
        "`.streamlit/secrets.toml`. Voir la section « Data stewards » du README.",
    },
    "login_secrets_unreadable": {
        "en": "Login is not usable: `.streamlit/secrets.toml` cannot be read ({error}).",
        "fr": "La connexion est inutilisable : `.streamlit/secrets.toml` est illisible ({error}).",
    },
    # data stewards (/admin)
    "page_admin": {"en": "Admin", "fr": "Administration"},
    "admin_title": {"en": "Data stewards", "fr": "Gestion des données"},
    "admin_store": {
        "en": "Store: {store} · current version {version}",
        "fr": "Base : {store} · version en cours {version}",
    },
    "admin_step_template": {"en": "1 · Template", "fr": "1 · Modèle"},
    "admin_template": {"en": "Excel template", "fr": "Modèle Excel"},
    "admin_template_help": {
        "en": "One sheet per table with an example row, a comment on each header (type, unit, allowed values) and "
        "drop-down lists of the known codes. Replace or delete the example rows.",
        "fr": "Une feuille par table avec une ligne d'exemple, un commentaire sur chaque en-tête (type, unité, "
        "valeurs permises) et des listes déroulantes des codes connus. Remplacez ou supprimez les lignes d'exemple.",
    },
    "admin_current_data": {"en": "Current data (version {version})", "fr": "Données en cours (version {version})"},
    "admin_current_data_help": {
        "en": "The same workbook filled with every current row: correct it and import it back.",
        "fr": "Le même classeur rempli de toutes les lignes en cours : corrigez-le et importez-le.",
    },
    "admin_step_upload": {"en": "2 · Check and import", "fr": "2 · Vérifier et importer"},
    "admin_mode": {"en": "The rows of the file", "fr": "Les lignes du fichier"},
    "admin_mode_update": {
        "en": "add to or update the current rows (nothing else changes)",
        "fr": "s'ajoutent aux lignes en cours ou les mettent à jour (rien d'autre ne change)",
    },
    "admin_mode_replace": {
        "en": "replace each table they belong to (rows missing from a sheet are removed)",
        "fr": "remplacent chaque table concernée (les lignes absentes d'une feuille sont retirées)",
    },
    "admin_upload": {
        "en": "Filled workbook (.xlsx) or one table as CSV",
        "fr": "Classeur rempli (.xlsx) ou une table en CSV",
    },
    "admin_problems": {
        "en": "{count} problem(s) found. Nothing was imported: fix them and upload the file again.",
        "fr": "{count} problème(s) trouvé(s). Rien n'a été importé : corrigez-les et chargez de nouveau le fichier.",
    },
    "admin_col_sheet": {"en": "Sheet", "fr": "Feuille"},
    "admin_col_row": {"en": "Row", "fr": "Ligne"},
    "admin_col_column": {"en": "Column", "fr": "Colonne"},
    "admin_col_found": {"en": "Value found", "fr": "Valeur trouvée"},
    "admin_col_problem": {"en": "Problem", "fr": "Problème"},
    "admin_change_counts": {
        "en": "The file is valid. Importing it will add **{added}** row(s), change **{changed}** and remove "
        "**{removed}**:",
        "fr": "Le fichier est valide. L'importer ajoutera **{added}** ligne(s), en modifiera **{changed}** et en "
        "retirera **{removed}** :",
    },
    "admin_table_change": {
        "en": "{table}: +{added} ~{changed} −{removed}",
        "fr": "{table} : +{added} ~{changed} −{removed}",
    },
    "admin_col_change": {"en": "Change", "fr": "Changement"},
    "admin_col_what": {"en": "What changes", "fr": "Ce qui change"},
    "admin_added": {"en": "added", "fr": "ajoutée"},
    "admin_changed": {"en": "changed", "fr": "modifiée"},
    "admin_removed": {"en": "removed", "fr": "retirée"},
    "admin_more_rows": {"en": "… and {count} more rows.", "fr": "… et {count} lignes de plus."},
    "admin_no_change": {
        "en": "The file is valid and changes nothing: every row is already current.",
        "fr": "Le fichier est valide et ne change rien : toutes ses lignes sont déjà en cours.",
    },
    "admin_import": {"en": "Import as version {version}", "fr": "Importer comme version {version}"},
    "admin_import_refused": {
        "en": "The data changed since the check and the file now has {count} problem(s). Nothing was imported: "
        "upload it again to see them.",
        "fr": "Les données ont changé depuis la vérification et le fichier a maintenant {count} problème(s). Rien "
        "n'a été importé : chargez-le de nouveau pour les voir.",
    },
    "admin_imported": {
        "en": "Imported as version {version}: +{added} ~{changed} −{removed}. Every page now shows it.",
        "fr": "Importé comme version {version} : +{added} ~{changed} −{removed}. Toutes les pages l'affichent.",
    },
    "admin_step_history": {"en": "3 · History", "fr": "3 · Historique"},
    "admin_col_version": {"en": "Version", "fr": "Version"},
    "admin_current": {"en": "current", "fr": "en cours"},
    "admin_col_time": {"en": "Time", "fr": "Date"},
    "admin_col_who": {"en": "By", "fr": "Par"},
    "admin_col_action": {"en": "What", "fr": "Quoi"},
    "admin_col_file": {"en": "File", "fr": "Fichier"},
    "admin_col_checksum": {"en": "Checksum (sha256)", "fr": "Empreinte (sha256)"},
    "admin_col_rows": {"en": "Rows + ~ −", "fr": "Lignes + ~ −"},
    "admin_action_seed": {"en": "first version (bundled dataset)", "fr": "première version (données fournies)"},
    "admin_action_import": {"en": "import", "fr": "import"},
    "admin_action_rollback": {"en": "rollback to version {version}", "fr": "retour à la version {version}"},
    "admin_rollback_none": {
        "en": "There is only one version: nothing to roll back to.",
        "fr": "Il n'y a qu'une version : pas de retour possible.",
    },
    "admin_rollback_pick": {"en": "Make this version current again", "fr": "Rendre cette version de nouveau courante"},
    "admin_rollback_confirm": {
        "en": "I understand: every page will show this version's data (a new version records it; nothing is lost).",
        "fr": "Je comprends : toutes les pages afficheront les données de cette version (une nouvelle version "
        "l'enregistre ; rien n'est perdu).",
    },
    "admin_rollback": {"en": "Roll back", "fr": "Revenir à cette version"},
    "admin_rollback_unconfirmed": {
        "en": "Tick the box to confirm the rollback.",
        "fr": "Cochez la case pour confirmer le retour.",
    },
    "admin_rolled_back": {
        "en": "Version {restored} is current again, as version {version}.",
        "fr": "La version {restored} est de nouveau en cours, comme version {version}.",
    },
    # problems found in an uploaded file (dashboard/validation.py): where, then what was found and what was expected
    "problem_where_cell": {
        "en": "{sheet} row {row}, column {column}: ",
        "fr": "{sheet} ligne {row}, colonne {column} : ",
    },
    "problem_where_row": {"en": "{sheet} row {row}: ", "fr": "{sheet} ligne {row} : "},
    "problem_where_column": {"en": "{sheet}, column {column}: ", "fr": "{sheet}, colonne {column} : "},
    "problem_where_sheet": {"en": "{sheet}: ", "fr": "{sheet} : "},
    "problem_empty_file": {
        "en": "The file {file} is empty: upload the filled template (.xlsx) or one table as CSV.",
        "fr": "Le fichier {file} est vide : déposez le modèle rempli (.xlsx) ou une table en CSV.",
    },
    "problem_file_too_large": {
        "en": "The file {file} is {size} MB; the limit is {limit} MB. Split it into several files.",
        "fr": "Le fichier {file} fait {size} Mo ; la limite est de {limit} Mo. Découpez-le en plusieurs fichiers.",
    },
    "problem_zip_too_large": {
        "en": "The workbook {file} would take {size} MB once unpacked; the limit is {limit} MB. It was not opened "
        "(a small file that unpacks to that much may be a zip bomb).",
        "fr": "Le classeur {file} occuperait {size} Mo une fois décompressé ; la limite est de {limit} Mo. Il n'a "
        "pas été ouvert (un petit fichier qui se décompresse autant peut être une bombe zip).",
    },
    "problem_not_a_workbook": {
        "en": 'The file {file} is not an Excel workbook (.xlsx): save it from Excel as "Excel Workbook (.xlsx)" and '
        "upload it again.",
        "fr": "Le fichier {file} n'est pas un classeur Excel (.xlsx) : enregistrez-le depuis Excel au format "
        "« Classeur Excel (.xlsx) » et déposez-le à nouveau.",
    },
    "problem_encrypted_workbook": {
        "en": "The workbook {file} is protected by a password, so it cannot be read: remove the password (File > "
        "Info > Protect Workbook > Encrypt with Password, empty it), save, and upload it again.",
        "fr": "Le classeur {file} est protégé par un mot de passe et ne peut pas être lu : retirez le mot de passe "
        "(Fichier > Informations > Protéger le classeur > Chiffrer avec mot de passe, videz-le), enregistrez et "
        "déposez-le à nouveau.",
    },
    "problem_old_excel_format": {
        "en": 'The file {file} is an old Excel 97–2003 workbook (.xls): save it as "Excel Workbook (.xlsx)" and '
        "upload it again.",
        "fr": "Le fichier {file} est un ancien classeur Excel 97–2003 (.xls) : enregistrez-le au format "
        "« Classeur Excel (.xlsx) » et déposez-le à nouveau.",
    },
    "problem_unreadable_workbook": {
        "en": "The workbook {file} cannot be read ({reason}): open it in Excel, save it again as .xlsx, and upload it "
        "again.",
        "fr": "Le classeur {file} ne peut pas être lu ({reason}) : ouvrez-le dans Excel, enregistrez-le à nouveau en "
        ".xlsx et déposez-le à nouveau.",
    },
    "problem_unsupported_file": {
        "en": "The file {file} is neither an Excel workbook (.xlsx) nor a CSV file: upload the filled template or "
        "one table as CSV.",
        "fr": "Le fichier {file} n'est ni un classeur Excel (.xlsx) ni un fichier CSV : déposez le modèle rempli ou "
        "une table en CSV.",
    },
    "problem_not_utf8": {
        "en": "The CSV file {file} is not UTF-8 text (line {line} has a character that is not): save it from Excel "
        'as "CSV UTF-8".',
        "fr": "Le fichier CSV {file} n'est pas un texte UTF-8 (la ligne {line} contient un caractère qui ne l'est "
        "pas) : enregistrez-le depuis Excel au format « CSV UTF-8 ».",
    },
    "problem_not_text": {
        "en": "The file {file} is not a CSV text file (it holds binary data): upload the filled template (.xlsx) or "
        "one table as CSV.",
        "fr": "Le fichier {file} n'est pas un fichier texte CSV (il contient des données binaires) : déposez le "
        "modèle rempli (.xlsx) ou une table en CSV.",
    },
    "problem_unreadable_csv": {
        "en": "The CSV file {file} cannot be read ({reason}).",
        "fr": "Le fichier CSV {file} ne peut pas être lu ({reason}).",
    },
    "problem_unknown_table": {
        "en": "Which table the CSV file {file} holds cannot be told from its header or its name: name the file after "
        "its table (for example observations.csv) and keep the template's column names. Tables: {tables}.",
        "fr": "La table que contient le fichier CSV {file} ne se déduit ni de son en-tête ni de son nom : nommez le "
        "fichier d'après sa table (par exemple observations.csv) et gardez les noms de colonnes du modèle. "
        "Tables : {tables}.",
    },
    "problem_no_tables": {
        "en": "The workbook {file} has no sheet named after a table. Expected sheets: {expected}.",
        "fr": "Le classeur {file} n'a aucune feuille nommée d'après une table. Feuilles attendues : {expected}.",
    },
    "problem_unknown_sheet": {
        "en": 'The sheet "{value}" is not a table of the dataset, so it is not read. Expected sheets: {expected}.',
        "fr": "La feuille « {value} » n'est pas une table du jeu de données : elle n'est pas lue. Feuilles "
        "attendues : {expected}.",
    },
    "partner_view": {
        "en": ":material/visibility_off: Partner view: internal indicators are not shown, and counts of fewer than "
        "{count} people are hidden, with any figure that would give one away.",
        "fr": ":material/visibility_off: Vue partenaires : les indicateurs internes ne sont pas affichés, et les "
        "effectifs de moins de {count} personnes sont masqués, avec tout chiffre qui permettrait de les retrouver.",
    },
    "value_suppressed": {"en": "hidden (small count)", "fr": "masqué (petit effectif)"},
    "problem_duplicate_sheet": {
        "en": 'The sheets "{first}" and "{value}" are both the {table} table: put all its rows on one sheet.',
        "fr": "Les feuilles « {first} » et « {value} » sont toutes deux la table {table} : mettez toutes ses "
        "lignes sur une seule feuille.",
    },
    "problem_no_rows": {
        "en": "The file {file} has no rows to import: every sheet is empty or holds only the template's example.",
        "fr": "Le fichier {file} n'a aucune ligne à importer : chaque feuille est vide ou n'a que l'exemple du modèle.",
    },
    "problem_too_many_rows": {
        "en": "more than {limit} rows, the most one file may hold: split it into several files.",
        "fr": "plus de {limit} lignes, le maximum pour un fichier : découpez-le en plusieurs fichiers.",
    },
    "problem_missing_column": {
        "en": "this column is missing from the header row, so the sheet is not read. Expected columns: {expected}.",
        "fr": "cette colonne manque dans la ligne d'en-tête : la feuille n'est donc pas lue. Colonnes attendues : "
        "{expected}.",
    },
    "problem_unknown_column": {
        "en": '"{value}" is not a column of this table. Expected columns: {expected}.',
        "fr": "« {value} » n'est pas une colonne de cette table. Colonnes attendues : {expected}.",
    },
    "problem_misspelled_column": {
        "en": '"{value}" is not a column of this table: did you mean {suggestion}?',
        "fr": "« {value} » n'est pas une colonne de cette table : vouliez-vous dire {suggestion} ?",
    },
    "problem_duplicate_column": {
        "en": 'the column appears twice in the header row ("{value}"): keep one.',
        "fr": "la colonne figure deux fois dans la ligne d'en-tête (« {value} ») : n'en gardez qu'une.",
    },
    "problem_cell_without_header": {
        "en": '"{value}" is in column {letter}, which has no name in the header row: name the column or empty it.',
        "fr": "« {value} » est dans la colonne {letter}, qui n'a pas de nom dans la ligne d'en-tête : nommez la "
        "colonne ou videz-la.",
    },
    "problem_formula_without_value": {
        "en": "the formula {value} has no calculated value (the file was never opened in Excel): open it in Excel, "
        "save it, and upload it again, or type the value.",
        "fr": "la formule {value} n'a pas de valeur calculée (le fichier n'a jamais été ouvert dans Excel) : "
        "ouvrez-le dans Excel, enregistrez-le et déposez-le à nouveau, ou saisissez la valeur.",
    },
    "problem_excel_error": {
        "en": '"{value}" is an Excel error, not a value: correct the formula or type the value.',
        "fr": "« {value} » est une erreur Excel, pas une valeur : corrigez la formule ou saisissez la valeur.",
    },
    "problem_example_row": {
        "en": "this row is the template's example: replace it with your own row or delete it.",
        "fr": "cette ligne est l'exemple du modèle : remplacez-la par votre propre ligne ou supprimez-la.",
    },
    "problem_required": {
        "en": "the cell is empty, but {column} is required.",
        "fr": "la cellule est vide, mais {column} est obligatoire.",
    },
    "problem_missing_source": {
        "en": "no source: every row needs the id of its source, from the sources sheet or the current data.",
        "fr": "aucune source : chaque ligne a besoin de l'identifiant de sa source, de la feuille sources ou des "
        "données actuelles.",
    },
    "problem_not_a_number": {
        "en": '"{value}" is not a number (expected a number such as 1250 or 12.5)',
        "fr": "« {value} » n'est pas un nombre (attendu : un nombre comme 1250 ou 12.5, avec un point décimal)",
    },
    "problem_not_an_integer": {
        "en": '"{value}" is not a whole number (expected a whole number such as 3 or 2024)',
        "fr": "« {value} » n'est pas un nombre entier (attendu : un entier comme 3 ou 2024)",
    },
    "problem_not_a_date": {
        "en": '"{value}" is not a date (expected a date such as 2024-06-30)',
        "fr": "« {value} » n'est pas une date (attendu : une date comme 2024-06-30)",
    },
    "problem_not_a_boolean": {
        "en": '"{value}" is not true or false (expected true or false)',
        "fr": "« {value} » n'est ni true ni false (attendu : true ou false)",
    },
    "problem_not_allowed": {
        "en": '"{value}" is not allowed (expected one of: {allowed})',
        "fr": "« {value} » n'est pas permis (attendu, l'un de : {allowed})",
    },
    "problem_pattern_mismatch": {
        "en": '"{value}" does not have the expected form (expected something like {example}, matching {pattern})',
        "fr": "« {value} » n'a pas la forme attendue (attendu : quelque chose comme {example}, de la forme {pattern})",
    },
    "problem_below_minimum": {
        "en": "{value} is below the minimum (expected {minimum} or more)",
        "fr": "{value} est inférieur au minimum (attendu : {minimum} ou plus)",
    },
    "problem_above_maximum": {
        "en": "{value} is above the maximum (expected {maximum} or less)",
        "fr": "{value} est supérieur au maximum (attendu : {maximum} ou moins)",
    },
    "problem_not_a_url": {
        "en": '"{value}" is not a web address (expected an address such as https://www.groupe-sos.org/)',
        "fr": "« {value} » n'est pas une adresse web (attendu : une adresse comme https://www.groupe-sos.org/)",
    },
    "problem_duplicate": {
        "en": '"{value}" is already on row {first_row}: each row needs its own {column}.',
        "fr": "« {value} » figure déjà ligne {first_row} : chaque ligne a besoin de son propre {column}.",
    },
    "problem_unknown_indicator": {
        "en": '"{value}" is not a known indicator: use the id of an indicator of the indicators sheet or the '
        "current data (such as {examples}).",
        "fr": "« {value} » n'est pas un indicateur connu : utilisez l'identifiant d'un indicateur de la feuille "
        "indicators ou des données actuelles (comme {examples}).",
    },
    "problem_unknown_country": {
        "en": '"{value}" is not a known country code: use an ISO 3166-1 alpha-3 code of the countries sheet or the '
        "current data (such as {examples}).",
        "fr": "« {value} » n'est pas un code pays connu : utilisez un code ISO 3166-1 alpha-3 de la feuille "
        "countries ou des données actuelles (comme {examples}).",
    },
    "problem_unknown_sector": {
        "en": '"{value}" is not a known sector (expected one of: {examples}).',
        "fr": "« {value} » n'est pas un secteur connu (attendu, l'un de : {examples}).",
    },
    "problem_unknown_entity": {
        "en": '"{value}" is not a known entity: use the id of an entity of the entities sheet or the current data '
        "(such as {examples}).",
        "fr": "« {value} » n'est pas une entité connue : utilisez l'identifiant d'une entité de la feuille entities "
        "ou des données actuelles (comme {examples}).",
    },
    "problem_unknown_source": {
        "en": '"{value}" is not a known source: add it on the sources sheet of the same file, or use the id of a '
        "source of the current data (such as {examples}).",
        "fr": "« {value} » n'est pas une source connue : ajoutez-la dans la feuille sources du même fichier, ou "
        "utilisez l'identifiant d'une source des données actuelles (comme {examples}).",
    },
    "problem_still_referenced": {
        "en": 'this file removes "{value}", which {count} rows of {table} still use (such as {examples}): keep it, or '
        "change those rows in the same file.",
        "fr": "ce fichier retire « {value} », qu'utilisent encore {count} lignes de {table} (comme {examples}) : "
        "gardez-le, ou modifiez ces lignes dans le même fichier.",
    },
    "problem_negative_count": {
        "en": "{value} is negative, but {indicator} is a count (expected 0 or more)",
        "fr": "{value} est négatif, mais {indicator} est un effectif (attendu : 0 ou plus)",
    },
    "problem_future_actual": {
        "en": '"{value}" is after today ({today}), but the figure is an actual one (for a goal, the kind is target)',
        "fr": "« {value} » est après aujourd'hui ({today}), mais le chiffre est un réel (pour un objectif, le kind "
        "est target)",
    },
    "problem_year_out_of_range": {
        "en": '"{value}" gives the {field} {year}, out of range (expected {minimum} to {maximum})',
        "fr": "« {value} » donne l'année ({field}) {year}, hors limites (attendu : de {minimum} à {maximum})",
    },
    "problem_bad_period": {
        "en": '"{value}" is not a period (expected a year 2024, a month 2024-06, a day 2024-06-30, a range 2012-2021, '
        '"about 2015" or "to 2030")',
        "fr": "« {value} » n'est pas une période (attendu : une année 2024, un mois 2024-06, un jour 2024-06-30, un "
        "intervalle 2012-2021, « about 2015 » ou « to 2030 »)",
    },
    "problem_unit_mismatch": {
        "en": '"{value}" is not a unit of {indicator} (expected {expected}, as in the current data)',
        "fr": "« {value} » n'est pas une unité de {indicator} (attendu : {expected}, comme dans les données actuelles)",
    },
    "problem_missing_french": {
        "en": "the cell is empty, but {english} is filled: every note needs its French translation.",
        "fr": "la cellule est vide, mais {english} est rempli : chaque note a besoin de sa traduction française.",
    },
    "problem_more_problems": {
        "en": "… and {count} more problems, not listed: correct these and check the file again.",
        "fr": "… et {count} autres problèmes, non listés : corrigez ceux-ci et vérifiez à nouveau le fichier.",
    },
}


def t(key: str, lang: str, **values) -> str:
    """The text for `key` in `lang`, with {placeholders} filled."""
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def join_words(items: list[str], lang: str) -> str:
    """ "a, b and c" / "a, b et c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('and', lang)} {items[-1]}"


# Babel parses the locale and the pattern at every call: a table of a hundred rows cost milliseconds a page run, and
# the same numbers and periods come back on every rerun.
@lru_cache(maxsize=1 << 14)
def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """A plain number with the locale's separators: 22 000 (narrow no-break space) in French, 22,000 in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=lang)


def format_value(
    value: float, indicator: Indicator, lang: str, qualifier: str | None = None, compact: bool = False
) -> str:
    """A value of an indicator as a reader should see it: unit, scale and the source's qualifier included.

    compact=True gives headline style: 1,37 Md€ / €1.37B, 2 millions / 2 million, 50+ for "more than 50".
    """
    kind = indicator.number_kind
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "currency_meur":
        euros = value * 1_000_000
        digits = 2 if euros >= 1e9 else indicator.decimals
        text = format_compact_currency(euros, "EUR", locale=lang, fraction_digits=digits)
    elif kind == "percent":
        text = format_percent(value / 100, locale=lang)
    elif kind == "year":
        text = str(int(value))
    elif kind == "ratio":
        text = f"{format_number(value, lang, indicator.decimals)} {indicator.units[lang]}"
    elif compact and abs(value) >= 1_000_000:
        text = format_compact_decimal(value, format_type="long", locale=lang, fraction_digits=2)
        if lang == "fr" and abs(value) < 2_000_000:  # CLDR's French plural is singular below two: "1,5 million"
            text = text.replace("millions", "million")
    else:
        text = format_number(value, lang, indicator.decimals)
        if indicator.short_units[lang]:
            text = f"{text}\u00a0{indicator.short_units[lang]}"
    if isinstance(qualifier, str) and qualifier:
        text = (COMPACT_QUALIFIERS[qualifier] if compact else QUALIFIERS[qualifier][lang]).format(value=text)
    return text


def format_hedged(value: float, indicator: Indicator, lang: str, qualifier: str | None) -> str:
    """A compact value inside a sentence: "more than 8 million" rather than the headline's "8 million+"."""
    text = format_value(value, indicator, lang, compact=True)
    return QUALIFIERS[qualifier][lang].format(value=text) if isinstance(qualifier, str) and qualifier else text


def format_rivals(rows, indicator: Indicator, lang: str) -> str:
    """The values sources give for one period, lowest first, each with its hedge: "€1.26B · €1.37B · ≈ €1.4B"."""
    return " · ".join(
        format_value(r["value"], indicator, lang, r["qualifier"], compact=True)
        for r in rows.sort_values("value").to_dict("records")
    )


def format_share(share: float, lang: str, at_least: bool = False) -> str:
    """A share as a percentage in the locale (80 % / 80%); "≥" when the figure it comes from is a lower bound."""
    return ("≥\u00a0" if at_least else "") + format_percent(share, locale=lang)


def format_change(change: float, indicator: Indicator, lang: str, approximate: bool = False) -> str:
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    return ("≈\u202f" if approximate else "") + sign + format_value(abs(change), indicator, lang, compact=True)


def change_between(current: dict, previous: dict, indicator: Indicator, lang: str) -> tuple[str | None, str]:
    """The change from the previous published figure to the current one, honest about qualifiers.

    Returns (change, what it is measured against). No change is computed when either figure is a lower bound
    ("more than 40"): the previous figure is named instead. "About" makes the change approximate.
    """
    since = period_of(previous, lang)
    qualifiers = {current.get("qualifier"), previous.get("qualifier")}
    if "more than" in qualifiers:
        value = format_value(previous["value"], indicator, lang, previous.get("qualifier"), compact=True)
        return None, t("kpi_previous", lang, value=value, period=since)
    change = current["value"] - previous["value"]
    return format_change(change, indicator, lang, approximate="about" in qualifiers), t("kpi_since", lang, period=since)


@lru_cache(maxsize=1 << 12)
def format_date(day: date, lang: str, style: str = "medium") -> str:
    return _babel_date(day, format=style, locale=lang)


@lru_cache(maxsize=1 << 14)
def format_period(
    label: str | None, kind: str, start: date | None, end: date | None, approximate: bool, lang: str
) -> str:
    """A period as words: 2021, December 2021 / décembre 2021, 2012–2021, until 2021, about 2015, undated."""
    if kind == "undated" or end is None:
        return t("undated", lang)
    if kind == "month":
        text = _babel_date(end, format="MMMM y", locale=lang)
    elif kind == "day":
        text = format_date(end, lang, "long")
    elif kind == "range" and start is None:
        text = ("until {y}" if lang == "en" else "jusqu'en {y}").format(y=end.year)
    elif kind == "range":
        text = f"{start.year}–{end.year}"
    else:
        text = str(end.year)
    if approximate:
        text = ("about {p}" if lang == "en" else "vers {p}").format(p=text)
    return text


def period_of(row: dict, lang: str) -> str:
    """format_period for a figure row from the data layer."""

    def as_date(value):
        if value is None or value != value:  # None, NaN or NaT: no date
            return None
        return value.date() if hasattr(value, "date") and callable(value.date) else value

    return format_period(
        row.get("period"),
        row["period_kind"],
        as_date(row.get("period_start")),
        as_date(row.get("period_end")),
        bool(row.get("period_approximate")),
        lang,
    )
