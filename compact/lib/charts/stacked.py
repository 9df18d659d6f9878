"""Stacked horizontal bars: one bar per row (owners of action points, a reporting round), cut
into segments (age buckets, outcomes). Segments are told apart without colour by their order
(the legend's) and, when they have one, by their letter, drawn before the count in each
segment wide enough; an ordered series (ages) takes a sequential ramp, lightest first, so that
its order reads in greyscale. Rows are drawn in the order given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from compact.lib.charts.base import (
    GRID,
    INK,
    Chart,
    DataTable,
    LegendEntry,
    ink_on,
    layout_is_rtl,
    nice_maximum,
    number,
    shortened,
    svg_document,
    tag,
    text_width,
)

WIDTH = 640
ROW_HEIGHT = 24
BAR_HEIGHT = 16
LABEL_MAX = 200
TOTAL_ROOM = 40
TOP = 8


@dataclass(frozen=True)
class Segment:
    key: str  # what data-category says
    label: str
    fill: str
    mark: str  # drawn before the count in each segment wide enough ("" for none)


@dataclass(frozen=True)
class StackedRow:
    label: str
    values: Sequence[int]  # one per segment
    url: str = ""

    @property
    def total(self) -> int:
        return sum(self.values)


def stacked_bars(
    *,
    slug: str,
    title: str,
    summary: str,
    rows: Sequence[StackedRow],
    segments: Sequence[Segment],
    label_heading: str,
    total_heading: str,
    note: str = "",
) -> Chart:
    """A bar per row as long as its total, in segments; the table has a column per segment
    and the total."""
    table = DataTable(
        columns=(label_heading, *(s.label for s in segments), total_heading),
        rows=[(row.label, *(str(v) for v in row.values), str(row.total)) for row in rows],
    )
    svg = _stacked_svg(slug=slug, title=title, summary=summary, rows=rows, segments=segments)
    legend = [LegendEntry(s.label, s.fill, s.mark) for s in segments]
    return Chart(slug=slug, title=title, summary=summary, svg=svg, table=table, legend=legend, note=note)


def _stacked_svg(
    *, slug: str, title: str, summary: str, rows: Sequence[StackedRow], segments: Sequence[Segment]
) -> SafeString:
    rtl = layout_is_rtl()
    label_room = min(LABEL_MAX, max((text_width(row.label) for row in rows), default=0)) + 10
    plot = WIDTH - label_room - TOTAL_ROOM
    scale = plot / nice_maximum(max((row.total for row in rows), default=0))
    height = TOP * 2 + ROW_HEIGHT * max(len(rows), 1)

    def x(position: float, size: float = 0) -> float:
        return WIDTH - (label_room + position + size) if rtl else label_room + position

    body = [tag("line", x1=x(0), x2=x(0), y1=TOP - 4, y2=height - TOP + 4, stroke=GRID)]
    for index, row in enumerate(rows):
        middle = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2
        marks = [
            tag(
                "text",
                shortened(row.label, LABEL_MAX),
                x=x(-6),
                y=middle,
                text_anchor="end",
                dominant_baseline="central",
                fill=INK,
            ),
        ]
        start = 0.0
        for value, segment in zip(row.values, segments, strict=True):
            length = value * scale
            if value:
                marks.append(_segment(row, segment, value, x(start, length), length, middle))
            start += length
        marks.append(
            tag(
                "text",
                str(row.total),
                x=x(start + 4),
                y=middle,
                text_anchor="start",
                dominant_baseline="central",
                fill=INK,
                font_weight="600",
            )
        )
        drawn = tag("g", *marks, class_="chart-row", data_label=row.label, data_total=row.total)
        body.append(tag("a", drawn, href=row.url) if row.url else drawn)
    return svg_document(width=WIDTH, height=height, title=title, summary=summary, slug=slug, body=body)


def _segment(row: StackedRow, segment: Segment, value: int, left: float, length: float, middle: float) -> SafeString:
    marks = [
        tag("title", f"{row.label} — {segment.label}: {number(value)}"),
        tag(
            "rect",
            x=left,
            y=middle - BAR_HEIGHT / 2,
            width=length,
            height=BAR_HEIGHT,
            fill=segment.fill,
            stroke="#ffffff",
            stroke_width=0.75,
            class_="chart-mark",
            data_label=row.label,
            data_category=segment.key,
            data_value=value,
        ),
    ]
    drawn = f"{segment.mark} {number(value)}" if segment.mark else number(value)
    if length >= text_width(drawn, 10) + 4:
        marks.append(
            tag(
                "text",
                drawn,
                x=left + length / 2,
                y=middle,
                text_anchor="middle",
                dominant_baseline="central",
                font_size=10,
                fill=ink_on(segment.fill),
                aria_hidden="true",
            )
        )
    return tag("g", *marks)
