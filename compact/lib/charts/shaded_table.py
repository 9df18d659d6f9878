"""Heat-shaded tables: a cross-tab whose count cells are shaded by how large they are.

The table stays a table (its numbers are written in every cell, so the shade is never the only
carrier and a screen reader reads it as any other grid); the shade is a class, ``shade-0`` …
``shade-5``, because the Content-Security-Policy refuses ``style`` attributes. The classes'
colours are the chart module's ``SEQUENTIAL`` ramp (``NO_DATA`` for 0) with a readable ink
(``ink_on``); ``shade_css()`` writes those rules, and a test keeps static/css/app.css equal
to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from compact.lib.charts.base import NO_DATA, SEQUENTIAL, Shading, ink_on, shading_for

SHADE_CLASS = "shade-{level}"


def shade_fill(level: int) -> str:
    """The colour of shade ``level`` (0: nothing counted)."""
    return SEQUENTIAL[level] if level else NO_DATA


AA_BODY_TEXT = 4.5


def shade_css() -> str:
    """The CSS rules of the shade classes, as app.css holds them (background and ink; a link in
    a dark cell takes the cell's ink)."""
    rules = []
    for level in range(len(SEQUENTIAL)):
        fill = shade_fill(level)
        name = SHADE_CLASS.format(level=level)
        ink = ink_on(fill)
        rules.append(f".{name} {{ background: {fill}; color: {ink}; }}")
        rules.append(f".{name} a {{ color: {ink}; }}")
    return "\n".join(rules)


class _Shaded:
    """What a shade level gives a cell or a legend entry: its class and its colour."""

    level: int  # 0 for nothing, 1.. for the class of the shading the value falls in

    @property
    def css_class(self) -> str:
        return SHADE_CLASS.format(level=self.level)

    @property
    def fill(self) -> str:
        return shade_fill(self.level)


@dataclass(frozen=True)
class ShadedCell(_Shaded):
    value: int
    level: int


@dataclass(frozen=True)
class ShadeKey(_Shaded):
    """One entry of the legend: the counts a shade stands for."""

    label: str
    level: int


@dataclass(frozen=True)
class ShadedTable:
    """The cells of a cross-tab, row by row, each with its shade, and the legend."""

    rows: list[list[ShadedCell]]
    legend: list[ShadeKey]
    shading: Shading


def shaded_table(rows: Sequence[Sequence[int]]) -> ShadedTable:
    """Shade ``rows`` of counts over all of the table's counts (``shading_for``: quantile
    classes, so a few very large counts do not wash the others into the lightest shade)."""
    shading = shading_for(value for row in rows for value in row)
    cells = [[ShadedCell(value, shading.level(value)) for value in row] for row in rows]
    legend = [ShadeKey("0", 0)]  # nothing counted: the lightest grey
    legend += [ShadeKey(entry.label, level) for level, entry in enumerate(shading.legend(), start=1)]
    return ShadedTable(rows=cells, legend=legend, shading=shading)
