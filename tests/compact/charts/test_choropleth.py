"""The world map: every country drawn with its count's shade, small states as dots, links to
the country pages, a text alternative naming the top countries, and a geography that stays
put right to left. Also the shipped geometry: small, and every UN state on it."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest
from django.utils import translation

from compact.lib.charts.base import NO_DATA, SEQUENTIAL, shading_for
from compact.lib.charts.choropleth import GEOMETRY, choropleth, world
from compact.lib.places import UN_MEMBER_STATES, UN_OBSERVER_STATES

SVG = "{http://www.w3.org/2000/svg}"
NAMES = {"KE": "Kenya", "ML": "Mali", "MV": "Maldives", "FR": "France", "RE": "Réunion", "NE": "Niger"}


def _name(code: str) -> str:
    return NAMES.get(code, code)


def _map(counts, **extra):
    return choropleth(
        slug="m", title="Projects per country", counts=counts, country_name=_name, value_heading="Projects", **extra
    )


def _marks(chart) -> dict[str, ElementTree.Element]:
    root = ElementTree.fromstring(str(chart.svg))
    return {mark.get("data-country"): mark for mark in root.iter() if mark.get("class") == "chart-mark"}


def test_every_country_is_drawn_with_its_count_and_shade():
    counts = {"KE": 8, "ML": 3, "MV": 1, "FR": 3}
    chart = _map(counts)
    marks = _marks(chart)
    assert set(marks) == world().codes
    shading = shading_for(counts.values())
    for code, mark in marks.items():
        assert mark.get("data-value") == str(counts.get(code, 0))
        assert mark.get("fill") == shading.fill(counts.get(code, 0))
    assert marks["KE"].get("fill") == SEQUENTIAL[3] and marks["ML"].get("fill") == SEQUENTIAL[2]
    assert marks["NE"].get("fill") == NO_DATA
    assert marks["MV"].tag == f"{SVG}circle" and marks["KE"].tag == f"{SVG}path"
    assert marks["KE"].find(f"{SVG}title").text == "Kenya: 8"


def test_countries_with_projects_link_to_their_page_and_the_others_do_not():
    chart = _map({"KE": 2, "MV": 1}, country_url=lambda code: f"/projects/countries/{code}/")
    root = ElementTree.fromstring(str(chart.svg))
    links = {link.find(f"{SVG}*").get("data-country"): link for link in root.iter(f"{SVG}a")}
    assert {code: link.get("href") for code, link in links.items()} == {
        "KE": "/projects/countries/KE/",
        "MV": "/projects/countries/MV/",
    }
    assert links["KE"].get("aria-label") == "Kenya: 2"


def test_the_text_alternative_table_and_legend_state_the_figures():
    chart = _map({"KE": 8, "ML": 3, "FR": 3, "NE": 0})
    assert chart.summary == "Projects in 3 countries or territories. Most: Kenya (8), France (3), Mali (3)."
    assert chart.table.rows == [("Kenya", 8), ("France", 3), ("Mali", 3)]
    assert [(entry.label, entry.fill) for entry in chart.legend] == [
        ("No project", NO_DATA),
        ("1–3", SEQUENTIAL[1]),
        ("4–8", SEQUENTIAL[2]),
    ]


def test_a_place_too_small_or_not_drawn_is_in_the_table_and_the_note():
    chart = _map({"RE": 2, "KE": 1})
    assert "RE" not in _marks(chart)
    assert ("Réunion", 2) in chart.table.rows
    assert "1 place counted has no shape of its own at this scale" in chart.note


def test_nothing_counted_is_an_empty_chart():
    chart = _map({"KE": 0})
    assert chart.is_empty and not chart.legend
    assert chart.summary == "No country has a project in this selection."


def test_the_map_is_not_mirrored_right_to_left():
    with translation.override("en"):
        ltr = {code: (mark.get("d"), mark.get("cx")) for code, mark in _marks(_map({"KE": 1})).items()}
    with translation.override("ar"):
        rtl = {code: (mark.get("d"), mark.get("cx")) for code, mark in _marks(_map({"KE": 1})).items()}
    assert ltr == rtl


def test_the_shipped_geometry_is_small_and_has_every_un_state():
    assert GEOMETRY.stat().st_size < 300_000
    data = json.loads(GEOMETRY.read_text(encoding="utf-8"))
    assert data["projection"] == "Equal Earth" and "Natural Earth" in data["source"]
    assert world().codes >= (UN_MEMBER_STATES | UN_OBSERVER_STATES)
    for code, entry in data["countries"].items():
        assert ("path" in entry) != ("dot" in entry), code
        x, y = entry["label"]
        assert 0 <= x <= data["width"] and 0 <= y <= data["height"], code
    # Small states are dots at their capital; Natural Earth's -99 shapes are coded by name.
    assert data["countries"]["MV"]["capital"] == "Malé" and "dot" in data["countries"]["SG"]
    assert {"FR", "NO", "XK"} <= set(data["countries"])


def _script():
    """scripts/world_geometry.py, which is not a package."""
    import importlib.util

    path = GEOMETRY.parents[2] / "scripts" / "world_geometry.py"
    spec = importlib.util.spec_from_file_location("world_geometry", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_conversion_projects_with_equal_earth_and_simplifies_within_its_tolerance():
    script = _script()
    assert script.equal_earth(0, 0) == (500, 0)
    east, _y = script.equal_earth(180, 0)
    west, _y = script.equal_earth(-180, 0)
    assert (round(west, 6), round(east, 6)) == (0, 1000)
    # Equal Earth's published extent: y at the pole is 1.3173 in units where x at 180° is 2.7066.
    _x, pole = script.equal_earth(0, 90)
    assert -pole / 500 * 2.7066297 == pytest.approx(1.3173, abs=1e-4)
    # Douglas–Peucker keeps the corners of a square and drops points within the tolerance.
    square = [(0, 0), (5, 0.1), (10, 0), (10, 10), (5, 10.2), (0, 10)]
    assert script.simplified(square, 0.35) == [(0, 0), (10, 0), (10, 10), (0, 10)]
    assert script.path_data([[(0, 0), (10, 0), (10, 10.06)]]) == "M0 0l10 0 0 10.1z"
    assert script.path_data([[(0, 0), (10, 0), (10, -0.3)]]) == "M0 0l10 0 0-.3z"  # compact, still valid
