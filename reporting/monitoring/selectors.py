"""Reads of the M&E framework: indicators scoped to the reader, the indicators a progress
report carries, and the accepted values turned into actual against target.

Actuals count accepted progress reports only. On pages and in the API they count only the
reports the reader may read (``submissions_visible_to``: their clearance must reach the
report's classification); the compiled reports count every accepted report and carry the
highest classification of what they include.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from reporting.monitoring.framework import (
    DIMENSIONS,
    GroupRef,
    IndicatorResult,
    ReportedValue,
    applies_to_period,
    category_label,
    indicator_result,
)
from reporting.programme.models import Indicator, IndicatorValue, ProgrammeOfWork
from reporting.programme.permissions import can_read_programme
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.selectors import submissions_visible_to
from workinggroups.models import WorkingGroup

AnyUser = AbstractBaseUser | AnonymousUser
Status = Submission.Status
PROGRESS_REPORTS = (ReportingPeriod.Kind.MID_YEAR, ReportingPeriod.Kind.END_OF_YEAR)


# --- Scoped reads ------------------------------------------------------------------------------


def indicators_visible_to(user: AnyUser) -> QuerySet[Indicator]:
    if not can_read_programme(user):
        return Indicator.objects.none()
    return Indicator.objects.select_related("programme").prefetch_related(
        "priorities", Prefetch("working_groups", queryset=WorkingGroup.objects.order_by("number"))
    )


def get_indicator_for_user_or_404(user: AnyUser, pk: int) -> Indicator:
    """One indicator; the same 404 whether it is missing or hidden from ``user``."""
    indicator = indicators_visible_to(user).filter(pk=pk).first()
    if indicator is None:
        raise Http404("No such indicator.")
    return indicator


# --- The indicators of a progress report -------------------------------------------------------


def indicators_for_submission(submission: Submission) -> list[Indicator]:
    """The indicators ``submission``'s group reports in it: those of the programme whose
    biennium contains the period, that name the group, and whose frequency includes this kind
    of report. A quarterly briefing carries none."""
    period = submission.period
    if period.kind not in PROGRESS_REPORTS:
        return []
    year = period.covers_until.year
    candidates = (
        Indicator.objects.filter(
            programme__biennium_start__in=(year, year - 1), working_groups=submission.working_group_id
        )
        .select_related("programme")
        .order_by("programme__biennium_start", "position", "code", "id")
    )
    return [
        indicator
        for indicator in candidates
        if applies_to_period(indicator.frequency, indicator.programme.biennium_start, period.kind, period.covers_until)
    ]


@dataclass(frozen=True)
class SubmissionIndicator:
    """An indicator of a report with the values the group entered: ``values`` by (dimension,
    category), the total under ("", "")."""

    indicator: Indicator
    values: dict[tuple[str, str], IndicatorValue]

    @property
    def total(self) -> IndicatorValue | None:
        return self.values.get(("", ""))

    def breakdown_rows(self) -> list[dict[str, Any]]:

        rows = []
        for key in self.indicator.disaggregation:
            dimension = DIMENSIONS.get(key)
            if dimension is None:
                continue
            cells = [(category, self.values.get((key, category.key))) for category in dimension.categories]
            rows.append({"dimension": dimension, "cells": cells})
        return rows


def submission_indicators(submission: Submission) -> list[SubmissionIndicator]:
    """The report's indicators with its values (also values of an indicator that no longer
    applies, so nothing entered is hidden)."""
    values: dict[int, dict[tuple[str, str], IndicatorValue]] = {}
    stored = submission.indicator_values.select_related("indicator__programme")
    extra: dict[int, Indicator] = {}
    for value in stored:
        values.setdefault(value.indicator_id, {})[(value.dimension, value.category)] = value
        extra[value.indicator_id] = value.indicator
    indicators = indicators_for_submission(submission)
    known = {indicator.pk for indicator in indicators}
    indicators += [indicator for pk, indicator in extra.items() if pk not in known]
    return [SubmissionIndicator(indicator, values.get(indicator.pk, {})) for indicator in indicators]


def indicator_values_content(submission: Submission) -> list[dict[str, Any]]:
    """The report's values as plain data, in the shape versions freeze."""
    rows = submission.indicator_values.select_related("indicator").order_by(
        "indicator__position", "indicator__code", "dimension", "category"
    )
    return [
        {
            "indicator": value.indicator.code,
            "indicator_id": value.indicator_id,
            "name": value.indicator.name,
            "unit": value.indicator.unit,
            "dimension": value.dimension,
            "category": value.category,
            "value": str(value.value),
            "note": value.note,
        }
        for value in rows
    ]


def indicator_values_text(content: list[dict[str, Any]]) -> dict[str, str]:
    """Frozen values as one line of text per indicator (for the diff of two versions)."""
    lines: dict[str, list[str]] = {}
    for row in content:
        label = f"{row['indicator']} {row['name']}"
        part = category_label(row["dimension"], row["category"]) if row["dimension"] else _("Total")
        lines.setdefault(label, []).append(f"{part}: {row['value']}")
    return {label: "; ".join(parts) for label, parts in lines.items()}


# --- Actual against target ---------------------------------------------------------------------


def _ref(group: WorkingGroup) -> GroupRef:
    label = _("WG %(number)s: %(name)s") % {"number": group.number, "name": group.short_name or group.name}
    return GroupRef(group.pk, group.number, label)


def _reported(values: QuerySet[IndicatorValue]) -> list[ReportedValue]:
    return _reported_rows(values.select_related("submission__working_group", "submission__period"))


def _reported_rows(rows: Iterable[IndicatorValue]) -> list[ReportedValue]:
    return [
        ReportedValue(
            group=_ref(value.submission.working_group),
            period_end=value.submission.period.covers_until,
            value=value.value,
            dimension=value.dimension,
            category=value.category,
            submission_id=value.submission_id,
        )
        for value in rows
    ]


def _expected(indicator: Indicator, day: datetime.date) -> list[GroupRef]:
    """The groups named by the indicator that exist on ``day``."""
    return [_ref(group) for group in indicator.working_groups.all() if _active(group, day)]


def _active(group: WorkingGroup, day: datetime.date) -> bool:
    established = group.established_on is None or group.established_on <= day
    return established and (group.retired_on is None or group.retired_on > day)


def _periods_between(first: datetime.date, last: datetime.date) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(kind__in=PROGRESS_REPORTS, covers_until__gte=first, covers_until__lte=last)


def actual_against_target(
    indicator: Indicator,
    *,
    periods: QuerySet[ReportingPeriod] | list[ReportingPeriod],
    readable: QuerySet[Submission] | None = None,
    expected_on: datetime.date | None = None,
) -> IndicatorResult:
    """The indicator's actual from the accepted reports of ``periods`` (restricted to
    ``readable`` for a reader; every accepted report when None). Each group's latest value
    counts; the expected groups are the indicator's groups existing on ``expected_on`` (the
    last period's end by default)."""
    periods = [p for p in periods if _applies(indicator, p)]
    if not periods:
        return indicator_result(indicator, [], [])
    accepted = Submission.objects.filter(period__in=periods, status=Status.ACCEPTED)
    visible = accepted if readable is None else accepted.filter(pk__in=readable.values("pk"))
    values = IndicatorValue.objects.filter(indicator=indicator, submission__in=visible)
    reported = _reported(values)
    withheld: set[int] = set()
    if readable is not None:
        # Accepted reports with values the reader may not read: said, never shown. A group's
        # older visible value must not stand in for a newer hidden one (it is not its latest).
        hidden = accepted.exclude(pk__in=visible.values("pk")).filter(indicator_values__indicator=indicator)
        reported, withheld = _withhold(reported, hidden.values_list("working_group_id", "period__covers_until"))
    day = expected_on or max(period.covers_until for period in periods)
    return indicator_result(indicator, reported, _expected(indicator, day), withheld=withheld)


def _applies(indicator: Indicator, period: ReportingPeriod) -> bool:
    return applies_to_period(indicator.frequency, indicator.programme.biennium_start, period.kind, period.covers_until)


def biennium_periods(programme: ProgrammeOfWork) -> QuerySet[ReportingPeriod]:
    first = datetime.date(programme.biennium_start, 1, 1)
    return _periods_between(first, datetime.date(programme.biennium_start + 1, 12, 31))


def year_periods(year: int) -> QuerySet[ReportingPeriod]:
    return _periods_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    result: IndicatorResult


def indicator_rows_for_period(period: ReportingPeriod) -> list[IndicatorRow]:
    """The consolidated report's table: every indicator reported in ``period``'s kind of
    report, from every accepted report of the round."""
    year = period.covers_until.year
    indicators = _indicators(Q(programme__biennium_start__in=(year, year - 1)))
    return [
        IndicatorRow(indicator, actual_against_target(indicator, periods=[period]))
        for indicator in indicators
        if _applies(indicator, period)
    ]


def indicator_rows_for_year(year: int) -> list[IndicatorRow]:
    """The annual report's table: the indicators of the programme(s) covering ``year`` that
    were due in one of the year's progress reports, each group's latest accepted value."""
    periods = list(year_periods(year).exclude(state=ReportingPeriod.State.SCHEDULED))
    indicators = _indicators(Q(programme__biennium_start__in=(year, year - 1)))
    rows = []
    for indicator in indicators:
        due = [period for period in periods if _applies(indicator, period)]
        if due:
            rows.append(IndicatorRow(indicator, actual_against_target(indicator, periods=due)))
    return rows


def _indicators(scope: Q) -> list[Indicator]:
    return list(
        Indicator.objects.filter(scope)
        .select_related("programme")
        .prefetch_related("working_groups", "priorities")
        .order_by("programme__biennium_start", "position", "code", "id")
    )


def classifications_of(rows: list[IndicatorRow]) -> list[str]:
    """The classifications of the reports whose values ``rows`` show (for the document's
    marking)."""
    ids = {group.submission_id for row in rows for group in row.result.groups if group.submission_id}
    return list(Submission.objects.filter(pk__in=ids).values_list("classification", flat=True).distinct())


def framework_rows(programme: ProgrammeOfWork, user: AnyUser) -> list[IndicatorRow]:
    """The programme's indicators with actual against target so far (each group's latest
    accepted value of the biennium that ``user`` may read)."""
    periods = list(biennium_periods(programme))
    readable = submissions_visible_to(user)
    return [
        IndicatorRow(indicator, actual_against_target(indicator, periods=periods, readable=readable))
        for indicator in _indicators(Q(programme=programme))
    ]


def indicator_history(indicator: Indicator, user: AnyUser) -> list[dict[str, Any]]:
    """Per progress report of the biennium that carries the indicator: the actual of that
    round, with each group's value, from the accepted reports ``user`` may read."""
    readable = submissions_visible_to(user)
    rounds = []
    for period in biennium_periods(indicator.programme).order_by("covers_until", "kind"):
        if _applies(indicator, period):
            rounds.append(
                {"period": period, "result": actual_against_target(indicator, periods=[period], readable=readable)}
            )
    return rounds


def framework_histories(programme: ProgrammeOfWork, user: AnyUser) -> dict[int, list[dict[str, Any]]]:
    """``indicator_history`` for every indicator of ``programme`` at once (the framework
    page's small charts), by indicator id, in a fixed number of queries: the periods, the
    reader's accepted reports, and every value of the programme's indicators in those periods
    are read once, then split per indicator and round by the rule of ``actual_against_target``
    (a group's value in a report the reader may not read is withheld, never shown)."""
    periods = list(biennium_periods(programme).order_by("covers_until", "kind"))
    readable = set(
        submissions_visible_to(user).filter(period__in=periods, status=Status.ACCEPTED).values_list("pk", flat=True)
    )
    indicators = _indicators(Q(programme=programme))
    values: dict[tuple[int, int], list[IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(
        indicator__in=indicators, submission__period__in=periods, submission__status=Status.ACCEPTED
    ).select_related("submission__working_group", "submission__period"):
        values.setdefault((value.indicator_id, value.submission.period_id), []).append(value)
    return {
        indicator.pk: [
            {
                "period": period,
                "result": _round_result(indicator, period, values.get((indicator.pk, period.pk), []), readable),
            }
            for period in periods
            if _applies(indicator, period)
        ]
        for indicator in indicators
    }


def _round_result(
    indicator: Indicator, period: ReportingPeriod, values: list[IndicatorValue], readable: set[int]
) -> IndicatorResult:
    """``actual_against_target`` for one round, from the round's accepted values already read."""
    reported, withheld = _withhold(
        _reported_rows([value for value in values if value.submission_id in readable]),
        (
            (value.submission.working_group_id, value.submission.period.covers_until)
            for value in values
            if value.submission_id not in readable
        ),
    )
    return indicator_result(indicator, reported, _expected(indicator, period.covers_until), withheld=withheld)


def _withhold(
    reported: list[ReportedValue], hidden: Iterable[tuple[int, datetime.date]]
) -> tuple[list[ReportedValue], set[int]]:
    """The visible values that are still their group's latest, and the groups withheld: a
    group whose newest value is in a report the reader may not read (``hidden``: group id and
    period end of each such value) is said to be withheld, and its older visible value must not
    stand in for the hidden one."""
    newest_hidden: dict[int, datetime.date] = {}
    for group_id, end in hidden:
        newest_hidden[group_id] = max(end, newest_hidden.get(group_id, end))
    kept = [v for v in reported if v.period_end > newest_hidden.get(v.group.id, datetime.date.min)]
    return kept, set(newest_hidden) - {v.group.id for v in kept}
