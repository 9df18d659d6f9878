"""What every chart is made of: the figure (title, text alternative, legend, data table), the
SVG it draws, and the colours it draws with.

Charts are drawn on the server as SVG from the same rows the page's tables show, so the page,
its printout and the PDFs (WeasyPrint embeds inline SVG as vector drawings) show one picture.
The SVG is built here rather than by a plotting library because it must be:

- allowed by the Content-Security-Policy, which refuses inline ``style`` attributes and
  scripts: every colour is a presentation attribute (``fill="#…"``), nothing runs;
- accessible: ``role="img"`` named by its ``<title>`` and described by a sentence that says
  what the chart shows (``Chart.summary``), with its numbers in a real table beside it;
- checkable: every mark carries ``data-*`` attributes with the label and value it draws, so
  tests compare the drawing with the database, not with a screenshot;
- right-to-left when the page is (Arabic): ``layout_is_rtl`` mirrors the geometry;
- readable in black and white: sequential shades are monotone in lightness, categories have
  a pattern or a letter besides their colour.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi

# Okabe & Ito's palette (2008): distinguishable with every common colour-vision deficiency.
CATEGORICAL = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# A sequential ramp from ColorBrewer (YlGnBu, 6 classes): lightness falls step by step, so the
# order survives greyscale printing and every colour-vision deficiency. Index 0 is "none".
SEQUENTIAL = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA = "#f2f2f2"  # a country or cell with nothing to count: lighter than any shade
INK = "#1b1b1b"
MUTED_INK = "#5a5a5a"
GRID = "#c8c8c8"
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
FONT_SIZE = 12


def ink_on(fill: str) -> str:
    """Black or white text, whichever contrasts more with ``fill`` (WCAG 2's ratio: every
    shade of ``SEQUENTIAL`` and ``CATEGORICAL`` then reaches 4.5:1, body text's minimum; a fixed
    luminance threshold put white on ``SEQUENTIAL[4]`` at 4.3:1)."""
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#ffffff") else "#ffffff"


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


# --- The figure -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendEntry:
    label: str
    fill: str
    mark: str = ""  # the letter or symbol the chart also draws, for black-and-white readers

    @property
    def ink(self) -> str:
        return ink_on(self.fill)


@dataclass(frozen=True)
class DataTable:
    """The chart's numbers as a table: ``columns`` are the headers, the first cell of each row
    heads the row."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]


@dataclass(frozen=True)
class Chart:
    """A drawn chart and everything that stands for it when the drawing cannot be seen.

    ``slug`` names it within its page (HTML ids are made from it); ``summary`` is the text
    alternative: a sentence or two with the figures that matter, not "a bar chart"."""

    slug: str
    title: str
    summary: str
    svg: SafeString
    table: DataTable
    legend: Sequence[LegendEntry] = field(default_factory=tuple)
    note: str = ""  # how to read it, when that is not obvious (a rule for counting, a scale)

    @property
    def is_empty(self) -> bool:
        return not self.table.rows


# --- SVG, escaped -----------------------------------------------------------------------------------


def _attribute(name: str, value: Any) -> str:
    name = name.rstrip("_").replace("_", "-")
    if isinstance(value, float):
        value = f"{value:.2f}".rstrip("0").rstrip(".")
    return f' {name}="{conditional_escape(str(value))}"'


def tag(name: str, *children: Any, **attributes: Any) -> SafeString:
    """One SVG element: ``tag("rect", x=0, fill="#fff")``. Attribute names take ``-`` for ``_``
    (``text_anchor``) and lose a trailing ``_`` (``class_``); None drops the attribute; text
    children are escaped, SafeStrings (other tags) are kept."""
    attrs = "".join(_attribute(key, value) for key, value in attributes.items() if value is not None)
    # Safe: attribute values and text children are escaped above; only SafeStrings pass whole.
    if not children:
        return mark_safe(f"<{name}{attrs}/>")  # noqa: S308
    inner = "".join(str(conditional_escape(child)) for child in children if child is not None)
    return mark_safe(f"<{name}{attrs}>{inner}</{name}>")  # noqa: S308


def svg_document(
    *,
    width: float,
    height: float,
    title: str,
    summary: str,
    slug: str,
    body: Iterable[SafeString],
    interactive: bool = False,
) -> SafeString:
    """The chart's ``<svg>``: scalable (a viewBox, no fixed size), named and described for
    assistive technology, right-to-left when the page is. An ``interactive`` chart (its marks
    are links) is a named group, not an image: an image's content is hidden from assistive
    technology, and links inside it could be tabbed to but not read (axe: nested-interactive)."""
    title_id, desc_id = f"chart-{slug}-svg-title", f"chart-{slug}-svg-desc"
    return tag(
        "svg",
        tag("title", title, id=title_id),
        tag("desc", summary, id=desc_id),
        *body,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width:.0f} {height:.0f}",
        role="group" if interactive else "img",
        aria_labelledby=title_id,
        aria_describedby=desc_id,
        class_="chart-svg",
        font_family=FONT,
        font_size=FONT_SIZE,
        direction="rtl" if layout_is_rtl() else None,
        data_chart=slug,
    )


def layout_is_rtl() -> bool:
    return bool(get_language_bidi())


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """A generous estimate of how wide ``text`` is drawn (no font metrics on the server):
    wide enough for Latin capitals and CJK, which is what leaving room needs."""
    wide = sum(1 for char in text if ord(char) > 0x2E80)
    return (len(text) - wide) * size * 0.6 + wide * size


def shortened(text: str, width: float, size: float = FONT_SIZE) -> str:
    """``text`` cut to fit ``width`` (with an ellipsis); the full text stays in the data table."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def nice_maximum(value: float) -> float:
    """The axis end above ``value``: 1, 2, 2.5 or 5 times a power of ten (0 stays 1)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def number(value: float) -> str:
    """A figure as a reader sees it on a chart: whole numbers without decimals, others with
    one, in the reader's language's format (12.5 in English, 12,5 in French)."""
    return number_format(value, 0 if float(value).is_integer() else 1)


def plain_number(value: float) -> str:
    """A figure as a ``data-*`` attribute carries it, for scripts and tests: the same rounding,
    always with a point."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


# --- Shading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shading:
    """Counts to shades of ``SEQUENTIAL``: 0 is ``NO_DATA``; the rest fall in classes whose
    upper bounds are ``bounds`` (ascending)."""

    bounds: tuple[int, ...]

    def fill(self, value: float | None) -> str:
        return SEQUENTIAL[self.level(value)] if value else NO_DATA

    def level(self, value: float | None) -> int:
        """0 for nothing, 1.. for the class ``value`` falls in."""
        if not value:
            return 0
        for index, bound in enumerate(self.bounds, start=1):
            if value <= bound:
                return index
        return len(self.bounds)

    def legend(self) -> list[LegendEntry]:
        entries, low = [], 1
        for index, bound in enumerate(self.bounds, start=1):
            label = str(low) if bound == low else f"{low}–{bound}"
            entries.append(LegendEntry(label, SEQUENTIAL[index]))
            low = bound + 1
        return entries


def shading_for(values: Iterable[float], classes: int = len(SEQUENTIAL) - 1) -> Shading:
    """Classes for counts: each value on its own shade when there are few distinct values,
    otherwise quantile bounds (every class holds about as many places as the others, so a few
    very large counts do not wash every other place into the lightest shade)."""
    present = sorted(math.ceil(value) for value in values if value and value > 0)
    distinct = sorted(set(present))
    if not distinct:
        return Shading(bounds=(1,))
    if len(distinct) <= classes:
        return Shading(bounds=tuple(distinct))
    bounds: list[int] = []
    for index in range(1, classes + 1):
        bound = present[math.ceil(index * len(present) / classes) - 1]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return Shading(bounds=tuple(bounds))
