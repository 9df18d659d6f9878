"""The chart kinds of the reporting dashboard — heatmap, grouped and range columns, stacked
bars — on made-up figures: geometry, escaping, right-to-left mirroring, empty input."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.utils import translation

from compact.lib.charts.columns import ColumnGroup, RangeColumn, Series, grouped_columns, range_columns
from compact.lib.charts.heatmap import Category, Cell, heatmap
from compact.lib.charts.stacked import Segment, StackedRow, stacked_bars

SVG = "{http://www.w3.org/2000/svg}"
CATEGORIES = [Category("yes", "Yes", "#009E73", "✓"), Category("no", "No", "#D55E00", "✗")]


def _root(chart) -> ElementTree.Element:
    return ElementTree.fromstring(str(chart.svg))


def _marks(chart) -> list[ElementTree.Element]:
    return _root(chart).findall(f".//{SVG}rect[@class='chart-mark']")


def _heatmap(cells=None):
    return heatmap(
        slug="h",
        title="Grid",
        summary="Two by two.",
        rows=["Alpha", "Beta"],
        columns=["Q1", "Q2"],
        cells=cells
        if cells is not None
        else [Cell("Alpha", "Q1", "yes", "/a/"), Cell("Alpha", "Q2", "no"), Cell("Beta", "Q2", "yes")],
        categories=CATEGORIES,
        row_heading="Row",
    )


def test_a_heatmap_cell_says_its_row_column_and_category_and_draws_its_letter():
    chart = _heatmap()
    marks = _marks(chart)
    assert [(m.get("data-row"), m.get("data-column"), m.get("data-category")) for m in marks] == [
        ("Alpha", "Q1", "yes"),
        ("Alpha", "Q2", "no"),
        ("Beta", "Q2", "yes"),
    ]
    letters = [t.text for t in _root(chart).iter(f"{SVG}text") if t.get("aria-hidden") == "true"]
    assert letters == ["✓", "✗", "✓"]
    links = [a.get("href") for a in _root(chart).iter(f"{SVG}a")]
    assert links == ["/a/"]
    assert chart.table.rows == [("Alpha", "Yes", "No"), ("Beta", "", "Yes")]
    assert [(e.label, e.mark) for e in chart.legend] == [("Yes", "✓"), ("No", "✗")]


def test_a_heatmap_legend_names_only_the_categories_drawn():
    chart = _heatmap([Cell("Alpha", "Q1", "no")])
    assert [e.label for e in chart.legend] == ["No"]


def test_a_heatmap_escapes_labels():
    chart = _heatmap([Cell("Alpha", "Q1", "yes", '/x/?"><script>')])
    assert "<script>" not in str(chart.svg)
    _root(chart)  # still well-formed


def test_a_heatmap_is_mirrored_right_to_left():
    with translation.override("en"):
        ltr = _marks(_heatmap())
    with translation.override("ar"):
        chart = _heatmap()
    width = float(_root(chart).get("viewBox").split()[2])
    for left, right in zip(ltr, _marks(chart), strict=True):
        assert float(right.get("x")) + float(right.get("width")) == pytest.approx(width - float(left.get("x")))
    assert _root(chart).get("direction") == "rtl"


def _grouped():
    return grouped_columns(
        slug="g",
        title="Rates",
        summary="Rates per round.",
        groups=[ColumnGroup("Q1 2026", (100, 50)), ColumnGroup("Q2 2026", (25, None))],
        series=[Series("Reported", "#0072B2", "R"), Series("On time", "#E69F00", "T")],
        label_heading="Round",
        maximum=100,
        unit="%",
    )


def test_grouped_columns_are_as_tall_as_their_values():
    marks = _marks(_grouped())
    assert [(m.get("data-label"), m.get("data-category"), m.get("data-value")) for m in marks] == [
        ("Q1 2026", "R", "100"),
        ("Q1 2026", "T", "50"),
        ("Q2 2026", "R", "25"),
        ("Q2 2026", "T", ""),
    ]
    heights = [float(m.get("height")) for m in marks]
    assert heights[0] == pytest.approx(2 * heights[1]) == pytest.approx(4 * heights[2])
    assert heights[3] == 0
    assert _grouped().table.rows == [("Q1 2026", "100%", "50%"), ("Q2 2026", "25%", "—")]


def test_grouped_columns_run_from_the_right_in_arabic():
    with translation.override("en"):
        ltr = _marks(_grouped())
    with translation.override("ar"):
        rtl = _marks(_grouped())
    for left, right in zip(ltr, rtl, strict=True):
        assert float(right.get("x")) + float(right.get("width")) == pytest.approx(640 - float(left.get("x")))


def test_range_columns_draw_the_middle_and_the_range():
    chart = range_columns(
        slug="r",
        title="Days",
        summary="Days.",
        columns=[RangeColumn("Q1", 4, 2, 10, 3), RangeColumn("Q2", None)],
        label_heading="Round",
        headings=("Median", "Shortest", "Longest", "Count"),
        middle_label="Median",
        range_label="Range",
    )
    (mark,) = _marks(chart)
    assert (mark.get("data-value"), mark.get("data-low"), mark.get("data-high")) == ("4", "2", "10")
    (whisker,) = _root(chart).findall(f".//{SVG}line[@class='chart-range']")
    # The scale runs to 10: the whisker spans 8 tenths of the plot, the column 4.
    span = float(whisker.get("y1")) - float(whisker.get("y2"))
    assert span == pytest.approx(2 * float(mark.get("height")))
    assert chart.table.rows[1] == ("Q2", "—", "—", "—", "0")


def test_stacked_bars_cut_each_bar_by_segment():
    chart = stacked_bars(
        slug="s",
        title="Points",
        summary="Points.",
        rows=[StackedRow("WG 7", (2, 0, 1)), StackedRow("UNESCO", (0, 1, 0))],
        segments=[
            Segment("a", "New", "#c7e9b4", "1"),
            Segment("b", "Older", "#41b6c4", "2"),
            Segment("c", "Old", "#253494", "3"),
        ],
        label_heading="Owner",
        total_heading="Total",
    )
    marks = _marks(chart)
    assert [(m.get("data-label"), m.get("data-category"), m.get("data-value")) for m in marks] == [
        ("WG 7", "a", "2"),
        ("WG 7", "c", "1"),
        ("UNESCO", "b", "1"),
    ]
    first, second = marks[0], marks[1]
    assert float(first.get("width")) == pytest.approx(2 * float(second.get("width")))
    assert float(second.get("x")) == pytest.approx(float(first.get("x")) + float(first.get("width")))
    assert chart.table.rows == [("WG 7", "2", "0", "1", "3"), ("UNESCO", "0", "1", "0", "1")]


def test_empty_charts_are_empty():
    assert _heatmap([]).is_empty is False  # rows exist, cells blank: the table still lists them
    empty = stacked_bars(slug="s", title="", summary="", rows=[], segments=[], label_heading="", total_heading="")
    assert empty.is_empty
