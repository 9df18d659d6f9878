"""Actual against target for several indicators at once, on the one scale they share: the way
travelled from the baseline (0 %) to the target (100 %). Indicators count different things
(officials, per cent, events), so their actuals cannot share an axis; their progress can.

One row per indicator: a bar from the baseline to the actual's progress, the baseline and the
target as reference lines across every row, the per cent at the bar's end (with a check mark
when the target is reached, for readers who cannot tell the bars apart by length alone). An
indicator with no actual yet has no bar and says so. Progress beyond the axis' ends (below
-100 % or above 200 %) is drawn to the end with an arrow; its figure is the true one.
"""

from __future__ import annotations

import math
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
    number,
    plain_number,
    shortened,
    svg_document,
    tag,
    text_width,
)
from compact.lib.charts.lines import BASELINE, BASELINE_DASH, TARGET, TARGET_DASH

WIDTH = 640
ROW_HEIGHT = 24
BAR_HEIGHT = 14
LABEL_MAX = 230
VALUE_ROOM = 70
TOP, BOTTOM = 22, 8
FLOOR, CEILING = -100.0, 200.0  # the axis never reaches further: the figures say the rest
FILL = CATEGORICAL[0]


@dataclass(frozen=True)
class ProgressRow:
    label: str  # the indicator (code and name)
    progress: float | None  # per cent from baseline to target; None: no actual yet
    baseline: str  # the figures as the table shows them (with units where the caller adds them)
    target: str
    actual: str
    met: bool | None = None


def progress_chart(
    *,
    slug: str,
    title: str,
    summary: str,
    rows: Sequence[ProgressRow],
    label_heading: str,
    note: str = "",
) -> Chart:
    """One bar per row on the baseline-to-target scale; the table has the rows' baseline,
    target, actual and progress."""
    table = DataTable(
        columns=(label_heading, _("Baseline"), _("Target"), _("Actual"), _("Progress")),
        rows=[(row.label, row.baseline, row.target, row.actual, percent(row.progress)) for row in rows],
    )
    legend = [
        LegendEntry(_("Progress from the baseline towards the target"), FILL),
        LegendEntry(_("Baseline (0 %)"), BASELINE, "···"),
        LegendEntry(_("Target (100 %)"), TARGET, "- -"),
    ]
    svg = _progress_svg(slug=slug, title=title, summary=summary, rows=rows)
    return Chart(slug=slug, title=title, summary=summary, svg=svg, table=table, legend=legend, note=note)


def percent(progress: float | None) -> str:
    return "—" if progress is None else _("%(value)s %%") % {"value": number(progress)}


def axis_ends(progresses: Sequence[float | None]) -> tuple[float, float]:
    """The axis from the baseline (or below, in steps of 50 %) to the target (or beyond)."""
    known = [value for value in progresses if value is not None]
    low = max(FLOOR, min(0.0, math.floor(min(known, default=0) / 50) * 50))
    high = min(CEILING, max(100.0, math.ceil(max(known, default=0) / 50) * 50))
    return low, high


def _progress_svg(*, slug: str, title: str, summary: str, rows: Sequence[ProgressRow]) -> SafeString:
    rtl = layout_is_rtl()
    label_room = min(LABEL_MAX, max((text_width(row.label) for row in rows), default=0)) + 10
    plot = WIDTH - label_room - VALUE_ROOM
    low, high = axis_ends([row.progress for row in rows])
    height = TOP + BOTTOM + ROW_HEIGHT * max(len(rows), 1)

    def x(value: float) -> float:  # per cent → position, mirrored right to left
        position = label_room + (value - low) / (high - low) * plot
        return WIDTH - position if rtl else position

    body = []
    for value, stroke, dash, kind, label in (
        (0.0, BASELINE, BASELINE_DASH, "baseline", _("Baseline")),
        (100.0, TARGET, TARGET_DASH, "target", _("Target")),
    ):
        body.append(
            tag(
                "g",
                tag(
                    "line",
                    x1=x(value),
                    x2=x(value),
                    y1=TOP - 4,
                    y2=height - BOTTOM + 2,
                    stroke=stroke,
                    stroke_width=2,
                    stroke_dasharray=dash,
                ),
                tag("text", label, x=x(value), y=TOP - 8, text_anchor="middle", fill=INK, font_size=11),
                class_="chart-reference",
                data_reference=kind,
                data_value=plain_number(value),
                data_x=f"{x(value):.2f}",
            )
        )
    for index, row in enumerate(rows):
        body.append(_row(index, row, x=x, low=low, high=high))
    body.insert(0, tag("line", x1=x(low), x2=x(high), y1=height - BOTTOM + 2, y2=height - BOTTOM + 2, stroke=GRID))
    return svg_document(width=WIDTH, height=height, title=title, summary=summary, slug=slug, body=body)


def _row(index: int, row: ProgressRow, *, x, low: float, high: float) -> SafeString:
    middle = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2
    label = tag(
        "text",
        shortened(row.label, LABEL_MAX),
        x=x(low) - 6 if not layout_is_rtl() else x(low) + 6,
        y=middle,
        text_anchor="end",
        dominant_baseline="central",
        fill=INK,
    )
    if row.progress is None:
        empty = tag(
            "text",
            _("no value yet"),
            x=x(0) + (4 if not layout_is_rtl() else -4),
            y=middle,
            text_anchor="start",
            dominant_baseline="central",
            fill=MUTED_INK,
            font_style="italic",
        )
        return tag("g", tag("title", f"{row.label}: —"), label, empty, class_="chart-row")
    drawn = min(max(row.progress, low), high)
    start, end = sorted((x(0), x(drawn)))
    clipped = drawn != row.progress
    figure = percent(row.progress) + (" ✓" if row.met else "") + (" →" if clipped and drawn == high else "")
    figure = ("← " if clipped and drawn == low else "") + figure
    beyond = x(max(drawn, 0)) + (4 if not layout_is_rtl() else -4)
    return tag(
        "g",
        tag("title", f"{row.label}: {row.actual} ({percent(row.progress)})"),
        label,
        tag(
            "rect",
            x=start,
            y=middle - BAR_HEIGHT / 2,
            width=max(end - start, 0.5),
            height=BAR_HEIGHT,
            fill=FILL,
            class_="chart-mark",
            data_label=row.label,
            data_value=plain_number(row.progress),
            data_actual=row.actual,
            data_met="yes" if row.met else "no",
        ),
        tag(
            "text",
            figure,
            x=beyond,
            y=middle,
            text_anchor="start",
            dominant_baseline="central",
            fill=INK,
            font_weight="600",
        ),
        class_="chart-row",
    )
