"""Small multiples: one small chart per category (female, male …; a region; a pillar), all
drawn on one scale so that their heights compare, side by side and wrapping onto more rows on
a narrow screen (each is its own ``<svg>`` in a wrapping ``div.chart-multiples``).

Each small chart is the category's values over the same rounds, joined by a line (a round with
no value leaves a gap). The shared top of the scale is written on every chart and in
``data-scale-max``, so a reader and a test can both see that the scale is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from compact.lib.charts.base import (
    CATEGORICAL,
    GRID,
    INK,
    MUTED_INK,
    Chart,
    DataTable,
    layout_is_rtl,
    nice_maximum,
    number,
    plain_number,
    shortened,
    svg_document,
    tag,
)
from compact.lib.charts.lines import Point

WIDTH, HEIGHT = 168, 124
START, END, TOP, BOTTOM = 8, 8, 34, 20
INK_LINE = CATEGORICAL[0]


@dataclass(frozen=True)
class Panel:
    """One small chart: ``label`` names the category; ``values`` follow the chart's rounds."""

    label: str
    values: Sequence[float | None]


def small_multiples(
    *,
    slug: str,
    title: str,
    summary: str,
    rounds: Sequence[str],
    panels: Sequence[Panel],
    round_heading: str,
    note: str = "",
) -> Chart:
    """One small line chart per panel over ``rounds``, sharing one scale; the table has a row
    per round and a column per panel."""
    drawn = [value for panel in panels for value in panel.values if value is not None]
    low = min([0.0, *drawn])
    high = nice_maximum(max(drawn, default=0) - low) + low
    pictures = [
        _panel_svg(slug=f"{slug}-{index}", panel=panel, rounds=rounds, low=low, high=high)
        for index, panel in enumerate(panels, start=1)
    ]
    svg = tag("div", *pictures, class_="chart-multiples", data_chart=slug, data_scale_max=plain_number(high))
    table = DataTable(
        columns=(round_heading, *(panel.label for panel in panels)),
        rows=[
            (name, *("—" if panel.values[index] is None else number(panel.values[index]) for panel in panels))
            for index, name in enumerate(rounds)
        ]
        if panels
        else [],
    )
    return Chart(slug=slug, title=title, summary=summary, svg=svg, table=table, note=note)


def panel_summary(panel: Panel, rounds: Sequence[str]) -> str:
    figures = [
        _("%(round)s: %(value)s") % {"round": name, "value": "—" if value is None else number(value)}
        for name, value in zip(rounds, panel.values, strict=True)
    ]
    return _("%(category)s. %(figures)s.") % {"category": panel.label, "figures": "; ".join(figures)}


def _panel_svg(*, slug: str, panel: Panel, rounds: Sequence[str], low: float, high: float) -> SafeString:
    rtl = layout_is_rtl()
    plot_width, plot_height = WIDTH - START - END, HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        position = START + (plot_width / 2 if len(rounds) == 1 else index * plot_width / (len(rounds) - 1))
        return WIDTH - position if rtl else position

    def y(value: float) -> float:
        return TOP + plot_height * (high - value) / (high - low)

    points = [Point(name, value) for name, value in zip(rounds, panel.values, strict=True)]
    body = [
        tag(
            "text",
            shortened(panel.label, WIDTH - 8, 12),
            x=WIDTH - 4 if rtl else 4,
            y=14,
            text_anchor="start",
            fill=INK,
            font_weight="700",
            class_="chart-panel-label",
        ),
        tag("line", x1=START, x2=WIDTH - END, y1=y(high), y2=y(high), stroke=GRID, stroke_width=0.75),
        tag("line", x1=START, x2=WIDTH - END, y1=y(low), y2=y(low), stroke=MUTED_INK, stroke_width=0.75),
        tag(
            "text",
            number(high),
            x=WIDTH - END if rtl else START,
            y=y(high) - 4,
            text_anchor="start",
            fill=MUTED_INK,
            font_size=10,
            class_="chart-axis-label",
        ),
    ]
    run: list[tuple[float, float]] = []
    segments: list[list[tuple[float, float]]] = [run]
    for index, point in enumerate(points):
        if point.value is None:
            run = []
            segments.append(run)
        else:
            run.append((x(index), y(point.value)))
    for segment in segments:
        if len(segment) > 1:
            path = "M" + " L".join(f"{px:.2f} {py:.2f}" for px, py in segment)
            body.append(tag("path", d=path, fill="none", stroke=INK_LINE, stroke_width=2, class_="chart-line"))
    last = max((index for index, point in enumerate(points) if point.value is not None), default=None)
    for index, point in enumerate(points):
        if point.value is None:
            continue
        body.append(
            tag(
                "g",
                tag("title", f"{panel.label}, {point.round}: {number(point.value)}"),
                tag(
                    "circle",
                    cx=x(index),
                    cy=y(point.value),
                    r=3.5,
                    fill=INK_LINE,
                    class_="chart-mark",
                    data_label=panel.label,
                    data_round=point.round,
                    data_value=plain_number(point.value),
                ),
                tag(
                    "text",
                    number(point.value),
                    x=x(index),
                    y=y(point.value) - 7,
                    text_anchor="middle",
                    fill=INK,
                    font_size=10,
                    font_weight="600",
                )
                if index == last
                else None,
                class_="chart-point",
            )
        )
    if len(rounds) > 1:
        for index in (0, len(rounds) - 1):
            body.append(
                tag(
                    "text",
                    shortened(rounds[index], plot_width / 2, 9),
                    x=x(index),
                    y=HEIGHT - 6,
                    text_anchor="start" if index == 0 else "end",
                    fill=MUTED_INK,
                    font_size=9,
                    class_="chart-round-label",
                )
            )
    return svg_document(
        width=WIDTH, height=HEIGHT, title=panel.label, summary=panel_summary(panel, rounds), slug=slug, body=body
    )
