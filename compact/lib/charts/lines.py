"""A series over rounds: one value per round (a reporting period) joined by a line, with the
target and the baseline drawn as reference lines, and the side of the target that meets it
shaded, so that "higher is better" and "lower is better" read the same way at a glance.

A round without a value leaves a gap in the line (it is not drawn as zero). A point that meets
the target is filled, one that does not is hollow: the difference does not depend on colour.
``compact=True`` draws the small version used beside a table row (no axis labels but the
top of the scale, the last value labelled); the data table carries every figure either way.
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
    LegendEntry,
    layout_is_rtl,
    nice_maximum,
    number,
    plain_number,
    shortened,
    svg_document,
    tag,
)

SERIES = CATEGORICAL[0]  # blue
TARGET = CATEGORICAL[5]  # vermillion, and dashed
BASELINE = MUTED_INK  # grey, and dotted
ZONE = "#e8f4ec"  # the side of the target that meets it: a tint light enough for any ink
TARGET_DASH, BASELINE_DASH = "7 4", "2 3"


@dataclass(frozen=True)
class Point:
    round: str  # the round's name as drawn under the axis (and in the table)
    value: float | None  # None: nothing reported in that round (a gap, not a zero)


@dataclass(frozen=True)
class Size:
    width: int
    height: int
    start: int  # room for the value axis' labels
    end: int  # room for the reference lines' labels
    top: int
    bottom: int  # room for the rounds' labels


FULL = Size(width=440, height=240, start=44, end=92, top=26, bottom=30)
SMALL = Size(width=290, height=96, start=8, end=84, top=18, bottom=8)


def line_chart(
    *,
    slug: str,
    title: str,
    summary: str,
    points: Sequence[Point],
    round_heading: str,
    value_heading: str,
    target: float | None = None,
    baseline: float | None = None,
    higher_is_better: bool = True,
    compact: bool = False,
    note: str = "",
) -> Chart:
    """The values of ``points`` over their rounds with ``target`` and ``baseline`` as
    reference lines; the table lists the rounds with their values."""
    table = DataTable(
        columns=(round_heading, value_heading),
        rows=[(point.round, "—" if point.value is None else number(point.value)) for point in points],
    )
    svg = _line_svg(
        slug=slug,
        title=title,
        summary=summary,
        points=points,
        target=target,
        baseline=baseline,
        higher_is_better=higher_is_better,
        size=SMALL if compact else FULL,
    )
    legend = [LegendEntry(_("Value reported in the round"), SERIES, "●")]
    if target is not None:
        legend.append(LegendEntry(_("Target: %(value)s") % {"value": number(target)}, TARGET, "- -"))
    if baseline is not None:
        legend.append(LegendEntry(_("Baseline: %(value)s") % {"value": number(baseline)}, BASELINE, "···"))
    return Chart(
        slug=slug, title=title, summary=summary, svg=svg, table=table, legend=() if compact else legend, note=note
    )


def direction_label(higher_is_better: bool) -> str:
    return _("↑ Higher is better") if higher_is_better else _("↓ Lower is better")


def meets(value: float, target: float | None, higher_is_better: bool) -> bool:
    if target is None:
        return False
    return value >= target if higher_is_better else value <= target


def _line_svg(
    *,
    slug: str,
    title: str,
    summary: str,
    points: Sequence[Point],
    target: float | None,
    baseline: float | None,
    higher_is_better: bool,
    size: Size,
) -> SafeString:
    rtl = layout_is_rtl()
    drawn = [point.value for point in points if point.value is not None]
    references = [value for value in (target, baseline) if value is not None]
    low = min([0.0, *drawn, *references])
    high = nice_maximum(max([*drawn, *references], default=0) - low) + low
    plot_width = size.width - size.start - size.end
    plot_height = size.height - size.top - size.bottom

    def x(index: int) -> float:
        step = plot_width / max(len(points) - 1, 1)
        position = size.start + (plot_width / 2 if len(points) == 1 else index * step)
        return size.width - position if rtl else position

    def y(value: float) -> float:
        return size.top + plot_height * (high - value) / (high - low)

    body = _axes(size=size, low=low, high=high, y=y, rtl=rtl)
    if target is not None:
        body.append(_zone(size=size, target=target, higher_is_better=higher_is_better, y=y, low=low, high=high))
    if baseline is not None:
        body.append(_reference("baseline", _("Baseline"), baseline, BASELINE, BASELINE_DASH, size=size, y=y, rtl=rtl))
    if target is not None:
        body.append(_reference("target", _("Target"), target, TARGET, TARGET_DASH, size=size, y=y, rtl=rtl))
    body.append(_direction(higher_is_better, size=size, rtl=rtl))
    body.extend(_line(points, x=x, y=y))
    body.extend(_marks(points, x=x, y=y, target=target, higher_is_better=higher_is_better, size=size))
    if size is FULL:
        body.extend(_round_labels(points, x=x, size=size))
    return svg_document(width=size.width, height=size.height, title=title, summary=summary, slug=slug, body=body)


def _axes(*, size: Size, low: float, high: float, y, rtl: bool) -> list[SafeString]:
    start, end = size.start, size.width - size.end
    if rtl:
        start, end = size.width - start, size.width - end
    ticks = [low + (high - low) * step / 4 for step in range(5)] if size is FULL else [low, high]
    lines = []
    for value in ticks:
        lines.append(tag("line", x1=start, x2=end, y1=y(value), y2=y(value), stroke=GRID, stroke_width=0.75))
        label_x = start - 6 if not rtl else start + 6
        if size is FULL:  # the small chart's scale is told by its labelled reference lines
            lines.append(
                tag(
                    "text",
                    number(value),
                    x=label_x,
                    y=y(value),
                    text_anchor="end",
                    dominant_baseline="central",
                    fill=MUTED_INK,
                    font_size=11,
                    class_="chart-axis-label",
                )
            )
    return lines


def _zone(*, size: Size, target: float, higher_is_better: bool, y, low: float, high: float) -> SafeString:
    """The band between the target and the edge of the plot where the target is met."""
    edge = high if higher_is_better else low
    top, bottom = sorted((y(target), y(edge)))
    return tag(
        "rect",
        x=size.start if not layout_is_rtl() else size.end,
        y=top,
        width=size.width - size.start - size.end,
        height=bottom - top,
        fill=ZONE,
        class_="chart-zone",
        data_direction="increase" if higher_is_better else "decrease",
    )


def _reference(kind: str, label: str, value: float, stroke: str, dash: str, *, size: Size, y, rtl: bool) -> SafeString:
    start, end = size.start, size.width - size.end
    label_x = end + 4
    if rtl:
        start, end, label_x = size.width - start, size.width - end, size.width - label_x
    text = f"{label} {number(value)}"
    return tag(
        "g",
        tag("title", text),
        tag("line", x1=start, x2=end, y1=y(value), y2=y(value), stroke=stroke, stroke_width=2, stroke_dasharray=dash),
        tag(
            "text",
            shortened(text, size.end - 6, 11 if size is FULL else 10),
            x=label_x,
            y=y(value),
            text_anchor="start",
            dominant_baseline="central",
            fill=INK,
            font_size=11 if size is FULL else 10,
        ),
        class_="chart-reference",
        data_reference=kind,
        data_value=plain_number(value),
        data_y=f"{y(value):.2f}",
    )


def _direction(higher_is_better: bool, *, size: Size, rtl: bool) -> SafeString:
    return tag(
        "text",
        direction_label(higher_is_better),
        x=size.width - size.start if rtl else size.start,
        y=size.top - 10 if size is FULL else size.top - 6,
        text_anchor="start",
        fill=MUTED_INK,
        font_size=11 if size is FULL else 10,
        class_="chart-direction",
        data_direction="increase" if higher_is_better else "decrease",
    )


def _line(points: Sequence[Point], *, x, y) -> list[SafeString]:
    """The line through the points, broken where a round has no value."""
    runs: list[list[tuple[float, float]]] = [[]]
    for index, point in enumerate(points):
        if point.value is None:
            runs.append([])
        else:
            runs[-1].append((x(index), y(point.value)))
    paths = []
    for run in runs:
        if len(run) > 1:
            path = "M" + " L".join(f"{px:.2f} {py:.2f}" for px, py in run)
            paths.append(tag("path", d=path, fill="none", stroke=SERIES, stroke_width=2, class_="chart-line"))
    return paths


def _marks(
    points: Sequence[Point], *, x, y, target: float | None, higher_is_better: bool, size: Size
) -> list[SafeString]:
    marks = []
    last = max((index for index, point in enumerate(points) if point.value is not None), default=None)
    for index, point in enumerate(points):
        if point.value is None:
            continue
        met = meets(point.value, target, higher_is_better)
        children = [
            tag("title", f"{point.round}: {number(point.value)}"),
            tag(
                "circle",
                cx=x(index),
                cy=y(point.value),
                r=4.5 if size is FULL else 3.5,
                fill=SERIES if met else "#ffffff",
                stroke=SERIES,
                stroke_width=2,
                class_="chart-mark",
                data_round=point.round,
                data_value=plain_number(point.value),
                data_met="yes" if met else "no",
            ),
        ]
        if size is FULL or index == last:
            children.append(
                tag(
                    "text",
                    number(point.value),
                    x=x(index),
                    y=y(point.value) - 9,
                    text_anchor="middle",
                    fill=INK,
                    font_weight="600",
                    font_size=12 if size is FULL else 10,
                )
            )
        marks.append(tag("g", *children, class_="chart-point"))
    return marks


def _round_labels(points: Sequence[Point], *, x, size: Size) -> list[SafeString]:
    room = (size.width - size.start - size.end) / max(len(points), 1)
    return [
        tag(
            "text",
            shortened(point.round, max(room - 4, 40), 11),
            x=x(index),
            y=size.height - size.bottom + 18,
            text_anchor="middle",
            fill=INK,
            font_size=11,
            class_="chart-round-label",
        )
        for index, point in enumerate(points)
    ]
