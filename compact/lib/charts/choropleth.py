"""A world map shaded by a count per country (a choropleth): the matrix on a map.

The geometry is Natural Earth's 1:110m countries (public domain) in the Equal Earth projection,
made once by ``scripts/world_geometry.py`` into ``data/geometry/world-110m.json`` and shipped
with the code: no tile server and no network when a page or a PDF draws the map. States too
small for 1:110m (Maldives, Bahrain, Singapore, the island states…) are dots at their capital.

Every country is a ``<path class="chart-mark" data-country="KE" data-value="8">`` (a dot is a
``<circle>`` with the same attributes), filled with its class of ``shading_for`` — shades of
monotone lightness, so the order survives black-and-white printing; countries with no project
are ``NO_DATA``. A country with projects is a link to its page, focusable with the keyboard,
named by its ``<title>`` ("Kenya: 8"). The map is geographic in every language: right to left
mirrors the page around it, never the world.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compact.lib.charts.base import NO_DATA, Chart, DataTable, LegendEntry, Shading, shading_for, svg_document, tag

GEOMETRY = Path(__file__).resolve().parents[3] / "data" / "geometry" / "world-110m.json"
BORDER = "#8a8a8a"  # thin country borders: visible on the lightest shade and on NO_DATA
DOT_RADIUS = 3.2
TOP_COUNTRIES = 5  # named in the text alternative


@dataclass(frozen=True)
class Shape:
    code: str
    path: str = ""  # SVG path data, or
    dot: tuple[float, float] | None = None  # the capital of a state 1:110m does not draw


@dataclass(frozen=True)
class World:
    width: float
    height: float
    shapes: tuple[Shape, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(shape.code for shape in self.shapes)


@cache
def world() -> World:
    """The shipped geometry (read once per process)."""
    data = json.loads(GEOMETRY.read_text(encoding="utf-8"))
    shapes = tuple(
        Shape(code=code, path=entry.get("path", ""), dot=tuple(entry["dot"]) if "dot" in entry else None)
        for code, entry in sorted(data["countries"].items())
    )
    return World(width=data["width"], height=data["height"], shapes=shapes)


def choropleth(
    *,
    slug: str,
    title: str,
    counts: Mapping[str, int],
    country_name: Callable[[str], str],
    country_url: Callable[[str], str] | None = None,
    value_heading: str,
    note: str = "",
) -> Chart:
    """The world shaded by ``counts`` ({ISO alpha-2 code: count}); ``country_name`` gives a
    code's name in the reader's language, ``country_url`` the page a country links to. The
    text alternative names the countries with the most; the table lists every country counted
    (also those too small to draw, or not on the map at all: a territory a region covers)."""
    present = {code: value for code, value in counts.items() if value}
    ranked = sorted(present.items(), key=lambda item: (-item[1], country_name(item[0])))
    shading = shading_for(present.values())
    summary = _summary(ranked, country_name)
    svg = _map_svg(
        slug=slug,
        title=title,
        summary=summary,
        counts=present,
        shading=shading,
        country_name=country_name,
        country_url=country_url,
    )
    legend = [LegendEntry(_("No project"), NO_DATA), *shading.legend()] if present else []
    off_map = sorted(set(present) - world().codes)
    if off_map:
        # Named in the table, not here: through a region they can be dozens of territories.
        extra = ngettext(
            "%(count)d place counted has no shape of its own at this scale; the table lists it.",
            "%(count)d places counted have no shape of their own at this scale; the table lists them.",
            len(off_map),
        ) % {"count": len(off_map)}
        note = f"{note} {extra}".strip()
    table = DataTable(columns=(_("Country"), value_heading), rows=[(country_name(c), v) for c, v in ranked])
    return Chart(slug=slug, title=title, summary=summary, svg=svg, table=table, legend=legend, note=note)


def _summary(ranked: list[tuple[str, int]], country_name: Callable[[str], str]) -> str:
    if not ranked:
        return _("No country has a project in this selection.")
    top = ", ".join(
        _("%(country)s (%(count)d)") % {"country": country_name(code), "count": value}
        for code, value in ranked[:TOP_COUNTRIES]
    )
    return ngettext(
        "Projects in %(count)d country or territory. Most: %(top)s.",
        "Projects in %(count)d countries or territories. Most: %(top)s.",
        len(ranked),
    ) % {"count": len(ranked), "top": top}


def _map_svg(
    *,
    slug: str,
    title: str,
    summary: str,
    counts: Mapping[str, int],
    shading: Shading,
    country_name: Callable[[str], str],
    country_url: Callable[[str], str] | None,
) -> SafeString:
    geometry = world()
    body = []
    # Dots last, so that a small state is drawn over its larger neighbours.
    for shape in sorted(geometry.shapes, key=lambda shape: shape.dot is not None):
        value = counts.get(shape.code, 0)
        name = country_name(shape.code)
        label = _("%(country)s: %(count)d") % {"country": name, "count": value}
        attributes = {
            "fill": shading.fill(value),
            "stroke": BORDER if shape.dot is None else "#1b1b1b",
            "stroke_width": 0.4 if shape.dot is None else 0.6,
            "stroke_linejoin": "round",
            "class_": "chart-mark",
            "data_country": shape.code,
            "data_label": name,
            "data_value": value,
        }
        if shape.dot is not None:
            mark = tag("circle", tag("title", label), cx=shape.dot[0], cy=shape.dot[1], r=DOT_RADIUS, **attributes)
        else:
            mark = tag("path", tag("title", label), d=shape.path, **attributes)
        if value and country_url:
            body.append(tag("a", mark, href=country_url(shape.code), class_="chart-link", aria_label=label))
        else:
            body.append(mark)
    return svg_document(
        width=geometry.width,
        height=geometry.height,
        title=title,
        summary=summary,
        slug=slug,
        body=body,
        interactive=bool(country_url),
    )
