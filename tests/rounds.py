"""A year's reporting rounds, as the annual report's approval sees them (issue 14, hole 14).

The approval waits for every round that covers the year — the periods created for it, and the
ones an active calendar rule still owes — to be closed. Tests say which rounds exist and what
state they are in; they never trust the calendar rules a migration wrote.
"""

from __future__ import annotations

from reporting.calendar.services import calendar_rules, rule_plan
from reporting.submissions.models import ReportingPeriod
from reporting.submissions.periods.services import period_close, period_create, period_open
from tests.helpers import calendar_only

Kind = ReportingPeriod.Kind
State = ReportingPeriod.State
EVERY_KIND = tuple(Kind.values)


def year_round(year: int, kind: str, state: str) -> ReportingPeriod:
    """The round of ``kind`` covering ``year``, on the calendar's dates, brought to ``state``
    (created if need be; opening it makes the drafts of the groups)."""
    plan = rule_plan(calendar_rules()[kind], year)
    period = ReportingPeriod.objects.filter(kind=kind, covers_from=plan.covers_from).first()
    if period is None:
        period = period_create(
            kind=kind,
            covers_from=plan.covers_from,
            covers_until=plan.covers_until,
            opens_on=plan.opens_on,
            due_on=plan.due_on,
            closes_on=plan.closes_on,
            actor=None,
        )
    if state != State.SCHEDULED and period.state == State.SCHEDULED:
        period_open(period=period, actor=None)
    if state == State.CLOSED and period.state != State.CLOSED:
        period_close(period=period, actor=None)
    period.refresh_from_db()
    return period


def year_closed(year: int) -> list[ReportingPeriod]:
    """Every round of ``year`` created and closed; the calendar schedules every kind."""
    calendar_only(*EVERY_KIND)
    return [year_round(year, kind, State.CLOSED) for kind in EVERY_KIND]
