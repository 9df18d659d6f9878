"""The indicator chart kinds on their own: a series over rounds (lines), small multiples on
one scale, and progress from baseline to target — gaps, empty data, extremes, escaping."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.utils import translation

from compact.lib.charts import multiples
from compact.lib.charts.lines import SMALL, Point, line_chart
from compact.lib.charts.multiples import Panel, small_multiples
from compact.lib.charts.progress import ProgressRow, axis_ends, progress_chart

SVG = "{http://www.w3.org/2000/svg}"


def _line(points, **extra):
    options = {"slug": "t", "title": "T", "summary": "S", "round_heading": "Round", "value_heading": "Value"}
    return line_chart(points=points, **{**options, **extra})


def _marks(root, name="circle"):
    return [m for m in root.iter(f"{SVG}{name}") if m.get("class") == "chart-mark"]


def test_a_round_without_a_value_is_a_gap_not_a_zero():
    chart = _line([Point("June 2026", 10), Point("December 2026", None), Point("June 2027", 30)], target=40)
    root = ElementTree.fromstring(str(chart.svg))
    assert [(m.get("data-round"), m.get("data-value")) for m in _marks(root)] == [
        ("June 2026", "10"),
        ("June 2027", "30"),
    ]
    assert [p for p in root.iter(f"{SVG}path") if p.get("class") == "chart-line"] == []  # no line across the gap
    assert chart.table.rows == [("June 2026", "10"), ("December 2026", "—"), ("June 2027", "30")]


def test_nothing_reported_still_draws_the_target_and_baseline():
    root = ElementTree.fromstring(str(_line([Point("June 2026", None)], target=500, baseline=100).svg))
    assert _marks(root) == []
    kinds = {g.get("data-reference"): g.get("data-value") for g in root.iter(f"{SVG}g") if g.get("data-reference")}
    assert kinds == {"target": "500", "baseline": "100"}


def test_the_scale_reaches_the_target_even_when_the_values_stay_below_it():
    root = ElementTree.fromstring(str(_line([Point("A", 5), Point("B", 8)], target=500).svg))
    target = next(g for g in root.iter(f"{SVG}g") if g.get("data-reference") == "target")
    assert float(target.get("data-y")) >= 26  # inside the plot, under the top margin
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-axis-label"]
    assert labels[-1] == "500"


def test_text_is_escaped_everywhere():
    hostile = '<script>alert(1)</script>"'
    chart = _line([Point(hostile, 3)], title=hostile, summary=hostile)
    drawn = str(chart.svg)
    assert "<script>" not in drawn
    ElementTree.fromstring(drawn)  # still well-formed


def test_the_compact_line_labels_only_its_last_value():
    root = ElementTree.fromstring(str(_line([Point("A", 5), Point("B", 8)], target=10, compact=True).svg))
    figures = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "chart-point" for t in g.iter(f"{SVG}text")]
    assert figures == ["8"]
    assert root.get("viewBox") == f"0 0 {SMALL.width} {SMALL.height}"


def test_small_multiples_share_one_scale_and_keep_empty_categories():
    chart = small_multiples(
        slug="m",
        title="By sex",
        summary="S",
        rounds=["June", "December"],
        panels=[Panel("Female", [3, 9]), Panel("Male", [None, 41]), Panel("Other", [None, None])],
        round_heading="Round",
    )
    wrapper = ElementTree.fromstring(str(chart.svg))
    assert wrapper.get("data-scale-max") == "50"
    panels = wrapper.findall(f"{SVG}svg")
    assert len(panels) == 3 and all(p.get("role") == "img" for p in panels)
    heights = {m.get("data-value"): float(m.get("cy")) for p in panels for m in _marks(p)}
    assert heights["41"] < heights["9"] < heights["3"]
    # 0 at the bottom and 50 at the top of every panel: 9 sits at 9/50 of the way up.
    bottom, top = multiples.HEIGHT - multiples.BOTTOM, multiples.TOP
    assert heights["9"] == pytest.approx(bottom - (bottom - top) * 9 / 50)
    assert chart.table.rows == [("June", "3", "—", "—"), ("December", "9", "41", "—")]
    assert "Other. June: —; December: —." in str(chart.svg)  # the empty panel says so


@pytest.mark.parametrize(
    ("progresses", "ends"),
    [([], (0, 100)), ([30, 60], (0, 100)), ([-20, 130], (-50, 150)), ([-400, 900], (-100, 200))],
)
def test_the_progress_axis_runs_from_the_baseline_to_the_target_or_beyond(progresses, ends):
    assert axis_ends(progresses) == ends


def test_progress_beyond_the_axis_is_drawn_to_its_end_with_its_true_figure():
    rows = [
        ProgressRow("1.1 Trained", 450, "100", "500", "1900", met=True),
        ProgressRow("2.1 Days", None, "60", "30", "—"),
    ]
    with translation.override("en"):
        chart = progress_chart(slug="p", title="T", summary="S", rows=rows, label_heading="Indicator")
    root = ElementTree.fromstring(str(chart.svg))
    (bar,) = _marks(root, "rect")
    refs = {g.get("data-reference"): float(g.get("data-x")) for g in root.iter(f"{SVG}g") if g.get("data-reference")}
    assert bar.get("data-value") == "450" and bar.get("data-met") == "yes"
    # Clipped at 200 %: twice the distance from the baseline to the target.
    assert float(bar.get("width")) == pytest.approx(2 * (refs["target"] - refs["baseline"]), abs=0.01)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "450 % ✓ →" in texts and "no value yet" in texts
    assert chart.table.rows == [("1.1 Trained", "100", "500", "1900", "450 %"), ("2.1 Days", "60", "30", "—", "—")]
