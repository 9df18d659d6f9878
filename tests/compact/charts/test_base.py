"""The chart module's foundation: escaping, shading classes, the bar chart's geometry."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.utils import translation

from compact.lib.charts.bars import Bar, bar_chart
from compact.lib.charts.base import CATEGORICAL, NO_DATA, SEQUENTIAL, contrast, ink_on, nice_maximum, shading_for, tag

SVG = "{http://www.w3.org/2000/svg}"


def _marks(chart) -> list[ElementTree.Element]:
    return ElementTree.fromstring(str(chart.svg)).findall(f".//{SVG}rect[@class='chart-mark']")


def test_a_tag_escapes_text_and_attributes_but_keeps_nested_tags():
    inner = tag("title", "<script>alert(1)</script>")
    drawn = str(tag("g", inner, data_label='"><img src=x>'))
    assert "<script>" not in drawn and "&lt;script&gt;" in drawn
    assert 'data-label="&quot;&gt;&lt;img src=x&gt;"' in drawn
    assert "<title>" in drawn  # the nested tag is kept as markup


def test_bars_are_as_long_as_their_values_and_name_them():
    chart = bar_chart(
        slug="t",
        title="Projects",
        summary="Three countries.",
        bars=[Bar("Kenya", 8), Bar("Mali", 4), Bar("Chad", 0)],
        label_heading="Country",
        value_heading="Projects",
    )
    marks = _marks(chart)
    assert [(m.get("data-label"), m.get("data-value")) for m in marks] == [("Kenya", "8"), ("Mali", "4"), ("Chad", "0")]
    widths = [float(m.get("width")) for m in marks]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[2] == 0
    assert chart.table.rows == [("Kenya", "8"), ("Mali", "4"), ("Chad", "0")]
    root = ElementTree.fromstring(str(chart.svg))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}desc").text == "Three countries."


def test_right_to_left_bars_grow_from_the_right():
    bars = [Bar("Kenya", 8), Bar("Mali", 4)]
    with translation.override("en"):
        ltr = _marks(bar_chart(slug="t", title="", summary="", bars=bars, label_heading="", value_heading=""))
    with translation.override("ar"):
        chart = bar_chart(slug="t", title="", summary="", bars=bars, label_heading="", value_heading="")
        rtl = _marks(chart)
    assert ElementTree.fromstring(str(chart.svg)).get("direction") == "rtl"
    for left, right in zip(ltr, rtl, strict=True):
        assert float(right.get("x")) + float(right.get("width")) == pytest.approx(640 - float(left.get("x")))


@pytest.mark.parametrize(
    ("values", "bounds"),
    [
        ([], (1,)),
        ([1, 1, 3], (1, 3)),
        ([1, 2, 3, 4, 5], (1, 2, 3, 4, 5)),
        (list(range(1, 101)), (20, 40, 60, 80, 100)),
        ([1] * 90 + [50, 60, 70, 80, 90, 100, 300], (1, 300)),
    ],
)
def test_shading_classes(values, bounds):
    shading = shading_for(values)
    assert shading.bounds == bounds
    assert shading.fill(0) == NO_DATA
    assert shading.fill(max(values, default=1)) == SEQUENTIAL[len(bounds)]


def test_every_count_falls_in_a_class_that_covers_it():
    shading = shading_for([3, 7, 7, 12, 40, 41, 90, 200])
    for value in (1, 3, 4, 7, 8, 40, 200):
        level = shading.level(value)
        assert value <= shading.bounds[level - 1]
        assert level == 1 or value > shading.bounds[level - 2]


def test_the_shades_get_darker_step_by_step_and_text_stays_readable():
    def lightness(colour: str) -> float:
        return sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    assert [lightness(c) for c in SEQUENTIAL] == sorted((lightness(c) for c in SEQUENTIAL), reverse=True)
    assert ink_on(SEQUENTIAL[0]) != ink_on(SEQUENTIAL[-1])


@pytest.mark.parametrize(("value", "top"), [(0, 1), (7, 10), (12, 20), (21, 25), (26, 50), (100, 100)])
def test_axes_end_on_a_round_number(value, top):
    assert nice_maximum(value) == top


@pytest.mark.parametrize("fill", [*SEQUENTIAL, *CATEGORICAL, NO_DATA])
def test_text_on_any_fill_reads_at_body_texts_contrast(fill):
    assert contrast(fill, ink_on(fill)) >= 4.5


def test_figures_read_in_the_readers_format_and_data_attributes_stay_plain():
    bars = [Bar("Kenya", 12.5), Bar("Mali", 4)]
    with translation.override("fr"):
        chart = bar_chart(slug="t", title="", summary="", bars=bars, label_heading="", value_heading="")
    drawn = str(chart.svg)
    assert ">12,5<" in drawn and 'data-value="12.5"' in drawn
    assert chart.table.rows[0] == ("Kenya", "12,5")
    with translation.override("en"):
        assert bar_chart(slug="t", title="", summary="", bars=bars, label_heading="", value_heading="").table.rows[
            0
        ] == (
            "Kenya",
            "12.5",
        )
