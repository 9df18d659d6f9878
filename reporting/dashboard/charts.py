"""The dashboard's charts, drawn from its selectors' figures (the selectors count, the chart
kinds in ``compact.lib.charts`` draw): the page and the PDFs call these, so both show the
same picture of the same numbers."""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Sequence

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from compact.lib.charts.base import CATEGORICAL, NO_DATA, SEQUENTIAL, Chart, DataTable
from compact.lib.charts.columns import TWO_SERIES, ColumnGroup, RangeColumn, Series, grouped_columns, range_columns
from compact.lib.charts.heatmap import Category, Cell, heatmap
from compact.lib.charts.stacked import Segment, StackedRow, stacked_bars
from reporting.dashboard.selectors import (
    AGE_BUCKETS,
    AcceptanceTimes,
    Outcome,
    OwnerAges,
    ReportingGrid,
    RoundRates,
    outcome_counts,
    round_label,
    round_labels,
)
from reporting.submissions.models import ReportingPeriod


def outcome_categories() -> list[Category]:
    """The heatmap's categories: Okabe–Ito colours (told apart by every colour vision) and a
    letter each (told apart in black and white); "missing" is the darkest, "not yet due" the
    palest, as a reader scans for the gaps."""
    return [
        Category(Outcome.ON_TIME, _("Submitted on time"), CATEGORICAL[2], "✓"),
        Category(Outcome.EXTENDED, _("Submitted within an extension"), CATEGORICAL[4], "+"),
        Category(Outcome.LATE, _("Submitted late"), CATEGORICAL[1], "!"),
        Category(Outcome.RETURNED, _("Returned for revision"), CATEGORICAL[3], "↺"),
        Category(Outcome.MISSING, _("Missing"), CATEGORICAL[5], "✗"),
        Category(Outcome.NOT_YET_DUE, _("Not yet due"), NO_DATA, "…"),
    ]


def _clearance_note(grid: ReportingGrid) -> str:
    if not grid.partial:
        return ""
    if grid.for_document:
        return _("Inputs classified above this report's marking are counted as if the group had none.")
    return _("Inputs classified above your clearance are counted as if the group had none.")


def _percent(value: float | None) -> str:
    if value is None:
        return "—"
    return pgettext("a percentage", "%(value)s%%") % {"value": number_format(round(value), 0)}


def rates_chart(rates: Sequence[RoundRates], grid: ReportingGrid, *, slug: str = "rates") -> Chart:
    """The reporting rate and the on-time rate of each round, as columns side by side."""
    series = [
        Series(pgettext("share of working groups", "Reported"), TWO_SERIES[0], "●"),
        Series(_("Reported on time"), TWO_SERIES[1], "✓"),
    ]
    labels = round_labels([r.period for r in rates])
    groups = [ColumnGroup(labels[r.period.pk], (_rounded(r.reporting_rate), _rounded(r.on_time_rate))) for r in rates]
    return grouped_columns(
        slug=slug,
        title=_("Reporting rate and on-time rate per round"),
        summary=_rates_summary(rates),
        groups=groups,
        series=series,
        label_heading=_("Round"),
        maximum=100,
        unit="%",
        note=" ".join(
            part
            for part in (
                _("Both rates are shares of the working groups expected to report in the round."),
                _("On time: by the due date that applied to the group, an approved extension included."),
                _clearance_note(grid),
            )
            if part
        ),
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value)


def _rates_summary(rates: Sequence[RoundRates]) -> str:
    if not rates:
        return _("No reporting round to show.")
    last = rates[-1]
    return _(
        "Rounds shown: %(rounds)s. In the latest, %(label)s, working groups that reported: %(reported)s of "
        "%(expected)s (%(reporting_rate)s); on time: %(on_time)s (%(on_time_rate)s)."
    ) % {
        "rounds": len(rates),
        "label": round_label(last.period),
        "reported": last.reported,
        "expected": last.expected,
        "on_time": last.on_time,
        "reporting_rate": _percent(last.reporting_rate),
        "on_time_rate": _percent(last.on_time_rate),
    }


def outcomes_chart(grid: ReportingGrid, *, slug: str = "outcomes", with_links: bool = True) -> Chart:
    """Working groups × rounds, each cell the group's outcome in the round (``outcome_of``);
    a cell links to the submission when the reader may open it (not in a PDF)."""
    labels = round_labels(grid.periods)
    columns = [labels[period.pk] for period in grid.periods]
    rows = [str(group) for group in grid.groups]
    cells = []
    for cell in grid.cells.values():
        url = reverse("reporting-submission", args=[cell.submission.pk]) if cell.openable and with_links else ""
        cells.append(Cell(str(cell.group), labels[cell.period.pk], cell.outcome, url))
    return heatmap(
        slug=slug,
        title=_("Each working group's input, round by round"),
        summary=_outcomes_summary(grid),
        rows=rows,
        columns=columns,
        cells=cells,
        categories=outcome_categories(),
        row_heading=_("Working group"),
        note=" ".join(
            part
            for part in (
                _("A blank cell: the group was not expected to report in that round."),
                _clearance_note(grid),
            )
            if part
        ),
    )


def _outcomes_summary(grid: ReportingGrid) -> str:
    if not grid.cells:
        return _("No reporting round to show.")
    labels = {category.key: category.label for category in outcome_categories()}
    totals = dict.fromkeys(Outcome.ALL, 0)
    for period in grid.periods:
        for key, count in outcome_counts(grid, period).items():
            totals[key] += count
    figures = "; ".join(f"{labels[key]}: {count}" for key, count in totals.items() if count)
    return _("Working groups: %(groups)s. Rounds: %(rounds)s. %(figures)s.") % {
        "groups": len(grid.groups),
        "rounds": len(grid.periods),
        "figures": figures,
    }


def round_status_chart(grid: ReportingGrid, period: ReportingPeriod) -> Chart:
    """One round's outcomes as one bar cut by outcome (the consolidated report, whose
    compliance table beside it names each group's)."""
    counts = outcome_counts(grid, period)
    categories = outcome_categories()
    label = round_labels([period])[period.pk]
    expected = sum(counts.values())
    figures = "; ".join(f"{c.label}: {counts[c.key]}" for c in categories if counts[c.key])
    summary = (
        ngettext(
            "%(label)s: %(expected)s working group expected to report. %(figures)s.",
            "%(label)s: %(expected)s working groups expected to report. %(figures)s.",
            expected,
        )
        % {"label": label, "expected": expected, "figures": figures}
        if expected
        else _("No working group was expected to report in this round.")
    )
    chart = stacked_bars(
        slug=f"round-{period.pk}-status",
        title=_("Where the working groups' inputs stand"),
        summary=summary,
        rows=[StackedRow(label, tuple(counts[c.key] for c in categories))] if expected else [],
        segments=[Segment(c.key, c.label, c.fill, c.mark) for c in categories],
        label_heading=_("Round"),
        total_heading=pgettext("working groups", "Expected"),
        note=_clearance_note(grid),
    )
    # One row of eight columns reads badly on paper: the numbers go down, an outcome a row.
    expected_label = pgettext("working groups", "Expected")
    rows = [(c.label, str(counts[c.key])) for c in categories] + [(expected_label, str(expected))]
    return dataclasses.replace(chart, table=DataTable(columns=(_("Outcome"), _("Working groups")), rows=rows))


def acceptance_chart(times: Sequence[AcceptanceTimes], grid: ReportingGrid, *, slug: str = "acceptance") -> Chart:
    """Per round, the median days from first submission to acceptance, with the range."""
    labels = round_labels([t.period for t in times])
    columns = [RangeColumn(labels[t.period.pk], t.median, t.shortest, t.longest, len(t.days)) for t in times]
    measured = [t for t in times if t.days]
    if measured:
        everything = sorted(day for t in measured for day in t.days)
        summary = ngettext(
            "%(count)s accepted input in the rounds shown: a median of %(median)s days from first submission "
            "to acceptance.",
            "%(count)s accepted inputs in the rounds shown: a median of %(median)s days from first submission "
            "to acceptance.",
            len(everything),
        ) % {
            "count": len(everything),
            "median": number_format(statistics.median(everything), 1),
        }
    else:
        summary = _("No accepted input in these rounds yet.")
    return range_columns(
        slug=slug,
        title=_("Days from submission to acceptance per round"),
        summary=summary,
        columns=columns,
        label_heading=_("Round"),
        headings=(_("Median (days)"), _("Shortest (days)"), _("Longest (days)"), _("Accepted inputs")),
        middle_label=_("Median"),
        range_label=_("Shortest to longest"),
        note=" ".join(
            part
            for part in (
                _(
                    "From the first submission to the latest acceptance; a report returned and resubmitted counts "
                    "the whole time. Rounds without an accepted input have no column."
                ),
                _clearance_note(grid),
            )
            if part
        ),
    )


def age_segments() -> list[Segment]:
    """The age buckets, lightest (newest) to darkest (oldest): the order reads in greyscale."""
    labels = {
        "recent": _("Under 30 days"),
        "weeks": _("30 to 90 days"),
        "old": _("Over 90 days"),
    }
    shades = (SEQUENTIAL[1], SEQUENTIAL[3], SEQUENTIAL[5])
    # No letter: the order and the ramp's lightness tell the ages apart in greyscale, and a
    # letter beside each segment's count would read as another figure.
    return [Segment(key, labels[key], shade, "") for (key, _bound), shade in zip(AGE_BUCKETS, shades, strict=True)]


def action_points_chart(owners: Sequence[OwnerAges], *, slug: str = "action-points") -> Chart:
    rows = [StackedRow(owner.owner, owner.counts) for owner in owners]
    total = sum(owner.total for owner in owners)
    old = sum(owner.counts[-1] for owner in owners)
    summary = (
        ngettext(
            "%(total)s open action point, asked for over 90 days ago: %(old)s. Owners: %(owners)s.",
            "%(total)s open action points, asked for over 90 days ago: %(old)s. Owners: %(owners)s.",
            total,
        )
        % {"total": total, "owners": len(owners), "old": old}
        if owners
        else _("No open action point.")
    )
    return stacked_bars(
        slug=slug,
        title=_("Open action points by owner and age"),
        summary=summary,
        rows=rows,
        segments=age_segments(),
        label_heading=_("Owner"),
        total_heading=pgettext("action points", "Open"),
        note=_("Age: days since the meeting that asked for the action."),
    )
