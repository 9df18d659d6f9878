"""A heatmap of categories: rows × columns of cells (working groups × reporting rounds), each
cell one category drawn with its colour AND its letter, so that the grid reads in black and
white and for every colour vision. A cell may link to the page of what it stands for."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from compact.lib.charts.base import (
    GRID,
    INK,
    Chart,
    DataTable,
    LegendEntry,
    ink_on,
    layout_is_rtl,
    shortened,
    svg_document,
    tag,
    text_width,
)

CELL_WIDTH = 44
CELL_HEIGHT = 24
GAP = 2
LABEL_MAX = 200  # longer row labels are cut (the table keeps them whole)
HEADING_HEIGHT = 36
COLUMN_LABEL_MAX = CELL_WIDTH + GAP + 8  # a column's label (on two lines if it has two words) may overhang the gap
MIN_WIDTH = 640


@dataclass(frozen=True)
class Category:
    key: str  # what data-category says
    label: str
    fill: str
    mark: str  # the letter or symbol drawn in the cell


@dataclass(frozen=True)
class Cell:
    row: str
    column: str
    category: str  # a Category's key
    url: str = ""  # the page of what the cell stands for, when the reader may open it


def heatmap(
    *,
    slug: str,
    title: str,
    summary: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Cell],
    categories: Sequence[Category],
    row_heading: str,
    note: str = "",
) -> Chart:
    """A grid with a row per ``rows`` label and a column per ``columns`` label; a cell of
    ``cells`` at each crossing that has one (the others stay blank). Its table has the same
    rows and columns, each cell named by its category's label."""
    by_key = {category.key: category for category in categories}
    found = {(cell.row, cell.column): cell for cell in cells}
    table_rows = [
        (row, *(by_key[found[(row, column)].category].label if (row, column) in found else "" for column in columns))
        for row in rows
    ]
    used = {cell.category for cell in cells}
    legend = [LegendEntry(c.label, c.fill, c.mark) for c in categories if c.key in used]
    svg = _heatmap_svg(slug=slug, title=title, summary=summary, rows=rows, columns=columns, found=found, by_key=by_key)
    table = DataTable(columns=(row_heading, *columns), rows=table_rows)
    return Chart(slug=slug, title=title, summary=summary, svg=svg, table=table, legend=legend, note=note)


def _heatmap_svg(
    *,
    slug: str,
    title: str,
    summary: str,
    rows: Sequence[str],
    columns: Sequence[str],
    found: dict[tuple[str, str], Cell],
    by_key: dict[str, Category],
) -> SafeString:
    rtl = layout_is_rtl()
    label_room = math.ceil(min(LABEL_MAX, max((text_width(row) for row in rows), default=0))) + 10
    # At least as wide as the other charts, so that a grid of a few rounds is drawn at the same
    # scale as they are (the page scales every chart to one width), its cells from the labels.
    width = max(MIN_WIDTH, label_room + len(columns) * (CELL_WIDTH + GAP) + GAP)
    height = HEADING_HEIGHT + len(rows) * (CELL_HEIGHT + GAP) + GAP

    def x(position: float, size: float = 0) -> float:  # from the label column, mirrored in RTL
        return width - (label_room + position + size) if rtl else label_room + position

    body = [
        _column_heading(label, x(index * (CELL_WIDTH + GAP) + GAP, CELL_WIDTH)) for index, label in enumerate(columns)
    ]
    for row_index, row in enumerate(rows):
        y = HEADING_HEIGHT + row_index * (CELL_HEIGHT + GAP)
        body.append(
            tag(
                "text",
                shortened(row, LABEL_MAX),
                x=x(-6),
                y=y + CELL_HEIGHT / 2,
                text_anchor="end",
                dominant_baseline="central",
                fill=INK,
            )
        )
        for column_index, column in enumerate(columns):
            cell = found.get((row, column))
            if cell is not None:
                left = x(column_index * (CELL_WIDTH + GAP) + GAP, CELL_WIDTH)
                body.append(_cell(cell, by_key[cell.category], left, y))
    linked = any(cell.url for cell in found.values())
    return svg_document(
        width=width,
        height=height,
        title=title,
        summary=summary,
        slug=slug,
        body=body,
        interactive=linked,
    )


def _column_heading(label: str, left: float) -> SafeString:
    centre = left + CELL_WIDTH / 2
    words = label.rsplit(" ", 1)  # "Mid-year" over "2026"
    lines = words if len(words) == 2 else [label]
    first = HEADING_HEIGHT - 8 - (len(lines) - 1) * 12
    return tag(
        "text",
        *(
            tag("tspan", shortened(line, COLUMN_LABEL_MAX, size=10), x=centre, dy=0 if index == 0 else 12)
            for index, line in enumerate(lines)
        ),
        x=centre,
        y=first,
        text_anchor="middle",
        font_size=10,
        fill=INK,
    )


def _cell(cell: Cell, category: Category, left: float, top: float) -> SafeString:
    # Translators: a heatmap cell's tooltip: "WG 7 — Q1 2026: Submitted on time".
    tooltip = _("%(row)s — %(column)s: %(category)s") % {
        "row": cell.row,
        "column": cell.column,
        "category": category.label,
    }
    named = tag("title", tooltip)  # names the link when the cell is one, else the cell
    drawn = tag(
        "g",
        None if cell.url else named,
        tag(
            "rect",
            x=left,
            y=top,
            width=CELL_WIDTH,
            height=CELL_HEIGHT,
            rx=2,
            fill=category.fill,
            stroke=GRID,
            stroke_width=0.5,
            class_="chart-mark",
            data_row=cell.row,
            data_column=cell.column,
            data_category=category.key,
            data_label=category.label,
        ),
        tag(
            "text",
            category.mark,
            x=left + CELL_WIDTH / 2,
            y=top + CELL_HEIGHT / 2,
            text_anchor="middle",
            dominant_baseline="central",
            font_weight="700",
            fill=ink_on(category.fill),
            aria_hidden="true",
        ),
        class_="chart-cell",
    )
    return tag("a", named, drawn, href=cell.url) if cell.url else drawn
