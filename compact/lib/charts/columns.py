"""Vertical columns over time: one group of columns per round (reporting rounds, years), read
from the oldest on the left (on the right in Arabic).

- ``grouped_columns``: a few series side by side in each group (the reporting rate and the
  on-time rate of each round). Series differ in lightness (they stay apart in greyscale),
  each column carries its figure above it and its series' letter at its foot.
- ``range_columns``: one column per group for a middle value (a median), with a whisker from
  the lowest to the highest value (the days from submission to acceptance per round).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from compact.lib.charts.base import (
    CATEGORICAL,
    GRID,
    INK,
    MUTED_INK,
    Chart,
    DataTable,
    LegendEntry,
    ink_on,
    layout_is_rtl,
    nice_maximum,
    number,
    plain_number,
    shortened,
    svg_document,
    tag,
)

WIDTH = 640
PLOT_HEIGHT = 200
TOP = 18  # room for the figures above the tallest column
AXIS_ROOM = 40  # left of the plot (right in RTL): the scale's figures
LABEL_ROOM = 34  # under the plot: the groups' labels, on two lines if they must
LABEL_SIZE = 10
TICKS = 4


@dataclass(frozen=True)
class Series:
    label: str
    fill: str
    mark: str  # its letter, drawn at the foot of each of its columns


@dataclass(frozen=True)
class ColumnGroup:
    label: str
    values: Sequence[float | None]  # one per series; None: nothing to show (no figure)


@dataclass(frozen=True)
class RangeColumn:
    label: str
    middle: float | None  # None: nothing measured for this group
    low: float | None = None
    high: float | None = None
    count: int = 0  # how many values the figures summarise


# Two series that stay apart in greyscale: a dark blue and a light orange (Okabe–Ito).
TWO_SERIES = (CATEGORICAL[0], CATEGORICAL[1])


def grouped_columns(
    *,
    slug: str,
    title: str,
    summary: str,
    groups: Sequence[ColumnGroup],
    series: Sequence[Series],
    label_heading: str,
    maximum: float | None = None,
    unit: str = "",
    note: str = "",
) -> Chart:
    """Columns for each of ``groups``, one per ``series``; the scale runs to ``maximum`` (100
    for percentages) or a round number above the tallest. ``unit`` follows each figure."""
    top = maximum or nice_maximum(max((v for g in groups for v in g.values if v is not None), default=0))
    table = DataTable(
        columns=(label_heading, *(s.label for s in series)),
        rows=[(g.label, *(_figure(v, unit) for v in g.values)) for g in groups],
    )
    frame = _Frame(len(groups), top)
    body = frame.axis(unit)
    for index, group in enumerate(groups):
        body.append(_group_columns(frame, index, group, series, unit))
    svg = svg_document(width=WIDTH, height=frame.height, title=title, summary=summary, slug=slug, body=body)
    legend = [LegendEntry(s.label, s.fill, s.mark) for s in series]
    return Chart(slug=slug, title=title, summary=summary, svg=svg, table=table, legend=legend, note=note)


def range_columns(
    *,
    slug: str,
    title: str,
    summary: str,
    columns: Sequence[RangeColumn],
    label_heading: str,
    headings: tuple[str, str, str, str],  # middle, lowest, highest, count
    middle_label: str,
    range_label: str,
    unit: str = "",
    fill: str = CATEGORICAL[0],
    note: str = "",
) -> Chart:
    """A column per group as tall as its middle value, with a whisker from its lowest to its
    highest value; the legend names both (``middle_label``, ``range_label``)."""
    top = nice_maximum(max((c.high or c.middle or 0 for c in columns), default=0))
    table = DataTable(
        columns=(label_heading, *headings),
        rows=[
            (c.label, _figure(c.middle, unit), _figure(c.low, unit), _figure(c.high, unit), str(c.count))
            for c in columns
        ],
    )
    frame = _Frame(len(columns), top)
    body = frame.axis(unit)
    for index, column in enumerate(columns):
        body.append(_range_column(frame, index, column, fill, unit))
    svg = svg_document(width=WIDTH, height=frame.height, title=title, summary=summary, slug=slug, body=body)
    legend = [LegendEntry(middle_label, fill), LegendEntry(range_label, "#ffffff", "I")]
    return Chart(slug=slug, title=title, summary=summary, svg=svg, table=table, legend=legend, note=note)


def _figure(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{number(value)}{unit}"


class _Frame:
    """The plot's geometry: where a group sits, how tall a value stands, mirrored in RTL."""

    def __init__(self, count: int, top: float) -> None:
        self.count, self.top, self.rtl = max(count, 1), top, layout_is_rtl()
        self.slot = (WIDTH - AXIS_ROOM - 8) / self.count
        self.height = TOP + PLOT_HEIGHT + LABEL_ROOM
        self.base = TOP + PLOT_HEIGHT

    def x(self, position: float, size: float = 0) -> float:
        return WIDTH - (AXIS_ROOM + position + size) if self.rtl else AXIS_ROOM + position

    def y(self, value: float) -> float:
        return self.base - PLOT_HEIGHT * min(value, self.top) / self.top

    def axis(self, unit: str) -> list[SafeString]:
        marks = []
        ticks = _ticks(self.top)
        for step in range(ticks + 1):
            value = self.top * step / ticks
            y = self.y(value)
            marks.append(tag("line", x1=self.x(0), x2=self.x(WIDTH - AXIS_ROOM - 8), y1=y, y2=y, stroke=GRID))
            marks.append(
                tag(
                    "text",
                    f"{number(value)}{unit}",
                    x=self.x(-4),
                    y=y,
                    text_anchor="end",
                    dominant_baseline="central",
                    font_size=LABEL_SIZE,
                    fill=MUTED_INK,
                )
            )
        return marks

    def group_label(self, index: int, label: str) -> SafeString:
        # The label under its group, cut to the group's width; two words on two lines.
        centre = self.x(index * self.slot + self.slot / 2)
        words = label.rsplit(" ", 1)  # "Mid-year" over "2026"
        lines = words if len(words) == 2 and self.slot < 90 else [label]
        return tag(
            "text",
            *(
                tag("tspan", shortened(line, self.slot + 4, LABEL_SIZE), x=centre, dy=0 if i == 0 else LABEL_SIZE + 2)
                for i, line in enumerate(lines)
            ),
            x=centre,
            y=self.base + 14,
            text_anchor="middle",
            font_size=LABEL_SIZE,
            fill=INK,
        )


def _ticks(top: float) -> int:
    """How many steps the scale has: steps whose figures are whole or halves (5 → 1, 2, 3…,
    100 → 25, 50…, 2.5 → 0.5, 1…)."""
    for count in (TICKS, 5, 2):
        if (top / count * 2).is_integer():
            return count
    return TICKS


def _group_columns(frame: _Frame, index: int, group: ColumnGroup, series: Sequence[Series], unit: str) -> SafeString:
    inner = frame.slot * 0.8
    width = inner / max(len(series), 1)
    start = index * frame.slot + (frame.slot - inner) / 2
    marks = [frame.group_label(index, group.label)]
    for position, (value, one) in enumerate(zip(group.values, series, strict=True)):
        left = frame.x(start + position * width, width)
        marks.append(_column(frame, left, width, value, one, group.label, unit))
    return tag("g", *marks, class_="chart-group", data_label=group.label)


def _column(
    frame: _Frame, left: float, width: float, value: float | None, series: Series, group: str, unit: str
) -> SafeString:
    figure = _figure(value, unit)
    top = frame.y(value or 0)
    size = max(7.0, min(10.0, width / 2.4))  # "100%" within its column
    return tag(
        "g",
        tag("title", f"{group} — {series.label}: {figure}"),
        tag(
            "rect",
            x=left + 1,
            y=top,
            width=width - 2,
            height=frame.base - top,
            fill=series.fill,
            class_="chart-mark",
            data_label=group,
            data_series=series.label,
            data_category=series.mark,
            data_value="" if value is None else number(value),
        ),
        tag("text", figure, x=left + width / 2, y=top - 4, text_anchor="middle", font_size=size, fill=INK),
        tag(
            "text",
            series.mark,
            x=left + width / 2,
            y=frame.base - 5,
            text_anchor="middle",
            font_size=size,
            font_weight="700",
            fill=ink_on(series.fill) if frame.base - top >= 14 else INK,
            aria_hidden="true",
        ),
    )


def _range_column(frame: _Frame, index: int, column: RangeColumn, fill: str, unit: str) -> SafeString:
    width = min(frame.slot * 0.5, 36)
    left = frame.x(index * frame.slot + (frame.slot - width) / 2, width)
    centre = left + width / 2
    marks = [frame.group_label(index, column.label)]
    if column.middle is not None:
        top = frame.y(column.middle)
        figure = _figure(column.middle, unit)
        marks += [
            tag("title", f"{column.label}: {figure} ({_figure(column.low, unit)}–{_figure(column.high, unit)})"),
            tag(
                "rect",
                x=left,
                y=top,
                width=width,
                height=frame.base - top,
                fill=fill,
                class_="chart-mark",
                data_label=column.label,
                data_value=plain_number(column.middle),
                data_low=plain_number(column.low if column.low is not None else column.middle),
                data_high=plain_number(column.high if column.high is not None else column.middle),
                data_count=column.count,
            ),
        ]
        marks += _whisker(frame, centre, width, column)
        label_y = frame.y(column.high if column.high is not None else column.middle) - 4
        marks.append(tag("text", figure, x=centre, y=label_y, text_anchor="middle", font_size=LABEL_SIZE, fill=INK))
    return tag("g", *marks, class_="chart-group", data_label=column.label)


def _whisker(frame: _Frame, centre: float, width: float, column: RangeColumn) -> list[SafeString]:
    if column.low is None or column.high is None:
        return []
    low, high, cap = frame.y(column.low), frame.y(column.high), width / 4
    return [
        tag("line", x1=centre, x2=centre, y1=low, y2=high, stroke=INK, stroke_width=1.5, class_="chart-range"),
        tag("line", x1=centre - cap, x2=centre + cap, y1=low, y2=low, stroke=INK, stroke_width=1.5),
        tag("line", x1=centre - cap, x2=centre + cap, y1=high, y2=high, stroke=INK, stroke_width=1.5),
    ]
