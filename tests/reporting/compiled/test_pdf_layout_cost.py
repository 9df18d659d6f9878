"""The print layout avoids the constructs that made the consolidated report slow to render.

The work-plan activities' table holds most of a progress report's text in its cells. Laid out
with the automatic table layout, WeasyPrint shapes every word of every cell (hyphenated, one
break opportunity at a time) to find the cells' minimum and maximum widths before it places
a single line; that was about a fifth of the consolidated report's render (bench/reports.py,
bench/README.md). The table's columns are set by print.css anyway, so the fixed layout gives
the same columns without that pass. These tests read WeasyPrint's layout of the real template
and stylesheet (no timing): the table is laid out fixed, its columns are those the automatic
layout gave (so the reader sees the same page), they mirror in a right-to-left edition, and a
word too long for its column wraps inside it instead of running over the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes

from reporting.lib.pdf import STATIC_SCHEME, StaticOnlyFetcher

NARRATIVE = (
    "The working group convened its members in a hybrid meeting to review progress against the "
    "biennial work plan and agreed on the division of labour for the next quarter."
)
# A reference with no break opportunity in it, wider than the progress column.
LONG_WORD = "UNOCT" + "20260715" * 12


def _section(narratives: list[str]) -> SimpleNamespace:
    activities = [
        {"title": f"Activity {n}: regional workshops on border security", "status": "Ongoing", "narrative": text}
        for n, text in enumerate(narratives, start=1)
    ]
    return SimpleNamespace(submission=SimpleNamespace(classification="unclassified"), fields=[], activities=activities)


def _laid_out(narratives: list[str], *, rtl: bool = False) -> list:
    """The pages of a document holding one activities table, as WeasyPrint lays them out."""
    body = render_to_string("reporting/pdf/partials/section_body.html", {"section": _section(narratives), "level": 4})
    css = render_to_string("reporting/pdf/print.css", {"LANGUAGE_BIDI": rtl})
    direction = "rtl" if rtl else "ltr"
    html = f'<!DOCTYPE html><html lang="en" dir="{direction}"><body>{body}</body></html>'
    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher).render(
        stylesheets=[CSS(string=css, url_fetcher=fetcher)]
    )
    return document.pages


def _boxes(box) -> Iterator:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


def _activities_table(pages: list):
    return next(
        box
        for page in pages
        for box in _boxes(page._page_box)
        if isinstance(box, boxes.TableBox) and "activities" in (box.element.get("class") or "")
    )


def test_the_activities_table_is_laid_out_fixed():
    table = _activities_table(_laid_out([NARRATIVE] * 3))

    assert table.style["table_layout"] == "fixed"


def test_its_columns_are_those_the_automatic_layout_gave():
    # 32 % and 14 % of the table for the activity and its status, padding included, and the
    # rest for the progress: what the automatic layout made of print.css's widths.
    table = _activities_table(_laid_out([NARRATIVE] * 3))

    activity, status, progress = table.column_widths
    assert activity == pytest.approx(0.32 * table.width, abs=0.01)
    assert status == pytest.approx(0.14 * table.width, abs=0.01)
    assert progress == pytest.approx(table.width - activity - status, abs=0.01)


def test_its_columns_mirror_in_a_right_to_left_edition():
    table = _activities_table(_laid_out([NARRATIVE] * 3, rtl=True))
    left_to_right = _activities_table(_laid_out([NARRATIVE] * 3))

    # WeasyPrint lists the columns from left to right on the page.
    assert table.column_widths == pytest.approx(left_to_right.column_widths[::-1])
    activity_cell = next(box for box in _boxes(table) if isinstance(box, boxes.TableCellBox))
    # The first column (the activity) is the rightmost one.
    assert activity_cell.position_x + activity_cell.margin_width() == pytest.approx(
        table.position_x + table.margin_width(), abs=0.5
    )


def test_a_word_too_long_for_its_column_wraps_inside_it():
    table = _activities_table(_laid_out([NARRATIVE, f"The guidance note is at {LONG_WORD}.", NARRATIVE]))
    progress_cells = [box for box in _boxes(table) if isinstance(box, boxes.TableCellBox) and box.grid_x == 2]

    long_cell = next(cell for cell in progress_cells if "guidance note is at" in "".join(_texts(cell)))
    right_edge = long_cell.content_box_x() + long_cell.width
    lines = [box for box in _boxes(long_cell) if isinstance(box, boxes.LineBox)]
    assert len(lines) > 2
    assert all(line.position_x + line.width <= right_edge + 0.5 for line in lines)
    assert table.column_widths[2] == pytest.approx(table.width * 0.54, abs=0.01)


def _texts(box) -> Iterator[str]:
    for child in _boxes(box):
        if isinstance(child, boxes.TextBox):
            yield child.text
