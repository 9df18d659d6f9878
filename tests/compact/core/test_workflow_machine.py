"""The workflow machine (compact.core.workflow.Move): the table, the party, four eyes, and a
compare-and-swap that writes nothing when someone else moved the object first."""

from __future__ import annotations

import datetime

import pytest

from compact.core.workflow import Move
from compact.lib.workflow import SeparationOfDutiesError, StaleStateError, TransitionNotAllowedError
from reporting.submissions.models import ReportingPeriod
from reporting.submissions.periods.services import period_create
from reporting.submissions.workflow import OCT, PERIOD_TRANSITIONS, TRANSITIONS

pytestmark = pytest.mark.django_db
D = datetime.date
State = ReportingPeriod.State


@pytest.fixture
def period() -> ReportingPeriod:
    return period_create(
        kind="q1",
        covers_from=D(2031, 1, 1),
        covers_until=D(2031, 3, 31),
        opens_on=D(2031, 3, 15),
        due_on=D(2031, 4, 10),
        actor=None,
    )


def _start(period: ReportingPeriod, action: str, **kwargs: object) -> Move:
    return Move.start(table=PERIOD_TRANSITIONS, obj=period, action=action, by=OCT, state_field="state", **kwargs)


def test_a_move_is_written_with_its_columns_and_the_object_read_again(period):
    move = _start(period, "open")
    assert (move.source, move.target, move.action) == (State.SCHEDULED, State.OPEN, "open")
    move.swap(stale="moved", closes_on=D(2031, 5, 10))
    assert (period.state, period.closes_on) == (State.OPEN, D(2031, 5, 10))
    stored = ReportingPeriod.objects.get(pk=period.pk)
    assert (stored.state, stored.closes_on) == (State.OPEN, D(2031, 5, 10))


def test_the_table_refuses_a_move_from_the_wrong_state_or_by_the_wrong_party(period):
    with pytest.raises(TransitionNotAllowedError, match="not possible from state"):
        _start(period, "close")
    with pytest.raises(TransitionNotAllowedError, match="not taken by"):
        Move.start(table=PERIOD_TRANSITIONS, obj=period, action="open", by="chair", state_field="state")
    with pytest.raises(TransitionNotAllowedError, match="Unknown action"):
        _start(period, "archive")
    assert ReportingPeriod.objects.get(pk=period.pk).state == State.SCHEDULED


def test_someone_elses_move_since_start_loses_the_swap_and_nothing_is_written(period):
    move = _start(period, "open")
    ReportingPeriod.objects.filter(pk=period.pk).update(state=State.CLOSED)  # a colleague, meanwhile
    with pytest.raises(StaleStateError, match="changed meanwhile"):
        move.swap(stale="changed meanwhile", closes_on=D(2031, 5, 10))
    stored = ReportingPeriod.objects.get(pk=period.pk)
    assert (stored.state, stored.closes_on) == (State.CLOSED, None)


def test_four_eyes_refuse_the_decision_to_whoever_put_the_object_forward(roster, chair, oct_officer, report_period):
    submission = report_period.submissions.get(working_group=roster.group)
    submission.status = "submitted"  # in memory only: the table is what is checked
    with pytest.raises(SeparationOfDutiesError):
        Move.start(
            table=TRANSITIONS, obj=submission, action="accept", by=OCT, actor=oct_officer, proposer={oct_officer.pk}
        )
    move = Move.start(
        table=TRANSITIONS, obj=submission, action="accept", by=OCT, actor=oct_officer, proposer={chair.pk}
    )
    assert move.target == "accepted"
