"""Horizontal bars: one labelled bar per row (countries, working groups, owners), longest
labels on their own column, the value at the bar's end. Rows are drawn in the order given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from compact.lib.charts.base import (
    CATEGORICAL,
    GRID,
    INK,
    Chart,
    DataTable,
    layout_is_rtl,
    nice_maximum,
    number,
    plain_number,
    shortened,
    svg_document,
    tag,
    text_width,
)

WIDTH = 640
ROW_HEIGHT = 22
BAR_HEIGHT = 14
LABEL_MAX = 220  # longer labels are cut (the table keeps them whole)
VALUE_ROOM = 44
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    url: str = ""  # where a click on the bar leads (the row's page), if anywhere


def bar_chart(
    *,
    slug: str,
    title: str,
    summary: str,
    bars: Sequence[Bar],
    label_heading: str,
    value_heading: str,
    fill: str = CATEGORICAL[0],
    note: str = "",
) -> Chart:
    """A horizontal bar chart of ``bars``; its table has ``label_heading`` and
    ``value_heading`` as columns."""
    table = DataTable(columns=(label_heading, value_heading), rows=[(bar.label, number(bar.value)) for bar in bars])
    svg = _bars_svg(slug=slug, title=title, summary=summary, bars=bars, fill=fill)
    return Chart(slug=slug, title=title, summary=summary, svg=svg, table=table, note=note)


def _bars_svg(*, slug: str, title: str, summary: str, bars: Sequence[Bar], fill: str) -> SafeString:
    rtl = layout_is_rtl()
    label_room = min(LABEL_MAX, max((text_width(bar.label) for bar in bars), default=0)) + 10
    plot = WIDTH - label_room - VALUE_ROOM
    top = max((bar.value for bar in bars), default=0)
    scale = plot / nice_maximum(top)
    height = TOP * 2 + ROW_HEIGHT * max(len(bars), 1)

    def x(position: float) -> float:  # distance from the label column, mirrored right to left
        return WIDTH - (label_room + position) if rtl else label_room + position

    body = [tag("line", x1=x(0), x2=x(0), y1=TOP - 4, y2=height - TOP + 4, stroke=GRID)]
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT
        length = bar.value * scale
        middle = y + ROW_HEIGHT / 2
        mark = tag(
            "g",
            tag("title", f"{bar.label}: {number(bar.value)}"),
            tag(
                "text",
                shortened(bar.label, LABEL_MAX),
                x=x(-6),
                y=middle,
                text_anchor="end",
                dominant_baseline="central",
                fill=INK,
            ),
            tag(
                "rect",
                x=min(x(0), x(length)),
                y=middle - BAR_HEIGHT / 2,
                width=max(length, 0.5 if bar.value else 0),
                height=BAR_HEIGHT,
                fill=fill,
                class_="chart-mark",
                data_label=bar.label,
                data_value=plain_number(bar.value),
            ),
            tag(
                "text",
                number(bar.value),
                x=x(length + 4),
                y=middle,
                text_anchor="start",
                dominant_baseline="central",
                fill=INK,
                font_weight="600",
            ),
            class_="chart-row",
        )
        body.append(tag("a", mark, href=bar.url) if bar.url else mark)
    interactive = any(bar.url for bar in bars)
    return svg_document(
        width=WIDTH, height=height, title=title, summary=summary, slug=slug, body=body, interactive=interactive
    )
