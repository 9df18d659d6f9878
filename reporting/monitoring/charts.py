"""The M&E framework's charts (issue 20): an indicator's actual over the rounds against its
target and baseline, its disaggregation as small multiples, and a round's indicators on the
baseline-to-target scale for the consolidated report.

Only drawing happens here. The numbers are the selectors' (``indicator_history``,
``framework_histories``, ``indicator_rows_for_period``), which already count only accepted
reports and, on pages, only those the reader's clearance reaches: a chart shows exactly what
the tables beside it show.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compact.lib.charts.base import Chart, number
from compact.lib.charts.lines import Point, line_chart
from compact.lib.charts.multiples import Panel, small_multiples
from compact.lib.charts.progress import ProgressRow, percent, progress_chart
from reporting.monitoring.framework import DECREASE
from reporting.monitoring.selectors import IndicatorRow
from reporting.programme.models import Indicator

Round = dict[str, Any]  # {"period": ReportingPeriod, "result": IndicatorResult}, as indicator_history gives


def round_name(round_: Round) -> str:
    """A round as the axis names it: the month and year its period ends (June 2026)."""
    return date_format(round_["period"].covers_until, "YEAR_MONTH_FORMAT")


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _withheld_note(rounds: Sequence[Round]) -> str:
    if any(round_["result"].withheld for round_ in rounds):
        return _("Values from accepted reports above your clearance are neither drawn nor counted.")
    return ""


def indicator_line_chart(indicator: Indicator, rounds: Sequence[Round], *, compact: bool = False) -> Chart:
    """The indicator's actual in each round of the biennium against its target and baseline."""
    points = [Point(round_name(round_), _float(round_["result"].actual)) for round_ in rounds]
    higher_is_better = indicator.direction != DECREASE
    title = _("%(code)s: actual against target by round") % {"code": indicator.code}
    return line_chart(
        slug=f"indicator-{indicator.pk}-rounds" + ("-small" if compact else ""),
        title=title,
        summary=_line_summary(indicator, points, higher_is_better),
        points=points,
        round_heading=_("Round"),
        value_heading=_("Actual (%(unit)s)") % {"unit": indicator.unit},
        target=_float(indicator.target),
        baseline=_float(indicator.baseline),
        higher_is_better=higher_is_better,
        compact=compact,
        note=_withheld_note(rounds),
    )


def _line_summary(indicator: Indicator, points: Sequence[Point], higher_is_better: bool) -> str:
    references = _("Target %(target)s, baseline %(baseline)s; %(direction)s.") % {
        "target": number(indicator.target),
        "baseline": "—" if indicator.baseline is None else number(indicator.baseline),
        "direction": _("higher is better") if higher_is_better else _("lower is better"),
    }
    reported = [point for point in points if point.value is not None]
    if not reported:
        return _("No round has an accepted value yet.") + " " + references
    figures = "; ".join(f"{point.round}: {number(point.value)}" for point in reported)
    return (
        _("Actual (%(unit)s) by round: %(figures)s.") % {"unit": indicator.unit, "figures": figures} + " " + references
    )


def indicator_multiples(indicator: Indicator, rounds: Sequence[Round]) -> list[Chart]:
    """One set of small multiples per dimension the indicator is broken down by: each
    category's combined value over the rounds, on one scale."""
    names = [round_name(round_) for round_ in rounds]
    charts = []
    for position, key in enumerate(indicator.disaggregation):
        panels = _panels(key, rounds)
        if not panels:
            continue
        label = panels[0][0]
        title = _("%(code)s by %(dimension)s, by round") % {"code": indicator.code, "dimension": label}
        panel_list = [panel for _label, panel in panels]
        charts.append(
            small_multiples(
                slug=f"indicator-{indicator.pk}-{key}-{position}",
                title=title,
                summary=_multiples_summary(label, panel_list, names),
                rounds=names,
                panels=panel_list,
                round_heading=_("Round"),
                note=_withheld_note(rounds),
            )
        )
    return charts


def _panels(key: str, rounds: Sequence[Round]) -> list[tuple[str, Panel]]:
    """The dimension's label and a panel per category, in the declared order."""
    categories: dict[str, tuple[str, list[float | None]]] = {}
    dimension_label = key
    for index, round_ in enumerate(rounds):
        for dimension in round_["result"].dimensions:
            if dimension.key != key:
                continue
            dimension_label = dimension.label
            for category in dimension.categories:
                _name, values = categories.setdefault(category.key, (category.label, [None] * len(rounds)))
                values[index] = _float(category.value)
    return [(dimension_label, Panel(name, values)) for name, values in categories.values()]


def _multiples_summary(dimension: str, panels: Sequence[Panel], rounds: Sequence[str]) -> str:
    if not rounds:
        return _("No round yet.")
    latest = len(rounds) - 1
    known = [panel for panel in panels if panel.values[latest] is not None]
    if not known:
        return _("No value by %(dimension)s in %(round)s.") % {"dimension": dimension, "round": rounds[latest]}
    figures = "; ".join(f"{panel.label} {number(panel.values[latest])}" for panel in known)
    return _("By %(dimension)s in %(round)s: %(figures)s. One small chart per category, all on the same scale.") % {
        "dimension": dimension,
        "round": rounds[latest],
        "figures": figures,
    }


def round_progress_chart(rows: Sequence[IndicatorRow], *, slug: str = "round-indicators") -> Chart:
    """The round's indicators (the consolidated report's table) on the baseline-to-target
    scale."""
    bars = [
        ProgressRow(
            label=f"{row.indicator.code} {row.indicator.name}",
            progress=_float(row.result.progress),
            baseline="—" if row.indicator.baseline is None else number(row.indicator.baseline),
            target=number(row.indicator.target),
            actual="—" if row.result.actual is None else number(row.result.actual),
            met=row.result.target_met,
        )
        for row in rows
    ]
    measured = [bar for bar in bars if bar.progress is not None]
    reached = sum(1 for bar in bars if bar.met)
    summary = ngettext(
        "%(measured)s of %(count)s indicator has an actual this round; %(reached)s reached its target.",
        "%(measured)s of %(count)s indicators have an actual this round; %(reached)s reached their target.",
        len(bars),
    ) % {"measured": len(measured), "count": len(bars), "reached": reached}
    figures = [
        f"{row.indicator.code}: {percent(bar.progress)}"
        for row, bar in zip(rows, bars, strict=True)
        if bar.progress is not None
    ]
    if figures:
        summary += " " + _("Progress: %(figures)s.") % {"figures": "; ".join(figures)}
    return progress_chart(
        slug=slug,
        title=_("Indicators: progress from the baseline to the target"),
        summary=summary,
        rows=bars,
        label_heading=_("Indicator"),
        note=_(
            "Each indicator's actual as the way travelled from its baseline (0 %) to its target (100 %); "
            "an indicator where lower is better counts a fall as progress."
        ),
    )
