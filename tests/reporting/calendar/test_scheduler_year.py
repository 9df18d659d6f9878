"""A whole simulated year of the reporting calendar, with frozen time.

Three working groups live through thirteen months of the default calendar (1 December 2026
to 31 December 2027), the scheduler ticking twice every day:

- WG 7 (a chair and a vice-chair) submits every input three days before it is due;
- WG 2 (a chair) submits on the due day, and for the 2027 mid-year report asks for ten more
  days five days before the due date, which OCT grants;
- WG 3 (a chair) never submits anything.

OCT accepts every input the moment it arrives. The test then counts, exactly, the periods
opened and closed, drafts, reminders, escalations, digests and e-mails, and checks that the
second tick of every day did nothing.
"""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from compact.core.models import OutboundEmail
from compact.registry.services import person_create
from reporting.calendar.models import SchedulerEvent
from reporting.calendar.scheduler import TickReport, scheduler_tick
from reporting.calendar.services import extension_act, extension_request_create
from reporting.compiled.models import AnnualReport, ConsolidatedReport
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.services import submission_act
from tests.factories import WorkingGroupFactory
from workinggroups.models import RoleAssignment
from workinggroups.services import role_assign, role_representative_set

D = datetime.date
START, END = D(2026, 12, 1), D(2027, 12, 31)

# The periods the default calendar opens in the simulated months: (kind, covers from, opens,
# due, closes). Written out by hand from the calendar's rules, not computed by its code.
PERIODS = [
    ("end-of-year", D(2026, 1, 1), D(2026, 12, 1), D(2027, 1, 31), D(2027, 3, 2)),
    ("q4", D(2026, 10, 1), D(2026, 12, 16), D(2027, 1, 15), D(2027, 2, 14)),
    ("q1", D(2027, 1, 1), D(2027, 3, 16), D(2027, 4, 15), D(2027, 5, 15)),
    ("mid-year", D(2027, 1, 1), D(2027, 5, 31), D(2027, 7, 15), D(2027, 8, 14)),
    ("q2", D(2027, 4, 1), D(2027, 6, 15), D(2027, 7, 15), D(2027, 8, 14)),
    ("q3", D(2027, 7, 1), D(2027, 9, 15), D(2027, 10, 15), D(2027, 11, 14)),
    ("end-of-year", D(2027, 1, 1), D(2027, 12, 1), D(2028, 1, 31), D(2028, 3, 1)),
    ("q4", D(2027, 10, 1), D(2027, 12, 16), D(2028, 1, 15), D(2028, 2, 14)),
]
DUE_IN_YEAR = [p for p in PERIODS if p[3] <= END]  # six rounds fall due inside the year
EXTENSION_DAYS = 10


def days():
    day = START
    while day <= END:
        yield day
        day += datetime.timedelta(days=1)


def at(day: D, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=datetime.UTC)


@pytest.fixture
def groups(roster, chair, vice_chair, oct_officer, usg):
    """WG 7 (chair + vice-chair), WG 2 (its UNODC chair gets a person) and WG 3."""
    wg2_chair = person_create(
        username="wg2chair",
        email="wg2chair@example.org",
        first_name="Wg2",
        last_name="Chair",
        entity=roster.unodc,
        roles=(),
        actor=None,
    )
    role_representative_set(
        assignment=RoleAssignment.objects.get(working_group=roster.other_group, role="chair"),
        person=wg2_chair,
        actor=None,
    )
    wg3 = WorkingGroupFactory(number=3, name="Border management", short_name="Borders")
    wg3_chair = person_create(
        username="wg3chair",
        email="wg3chair@example.org",
        first_name="Wg3",
        last_name="Chair",
        entity=roster.cted,
        roles=(),
        actor=None,
    )
    role_assign(group=wg3, entity=roster.cted, role="chair", starts_on=D(2018, 2, 23), person=wg3_chair, actor=None)
    return {"wg7": (roster.group, chair), "wg2": (roster.other_group, wg2_chair), "wg3": (wg3, wg3_chair)}


def submit_and_accept(submission: Submission, leader, oct_officer) -> None:
    submission_act(submission=submission, action="submit", actor=leader)
    submission_act(submission=submission, action="accept", actor=oct_officer)


def groups_act(day: D, groups, oct_officer) -> None:
    """What the chairs and OCT do on ``day``, before the scheduler's ticks."""
    wg7, wg7_chair = groups["wg7"]
    wg2, wg2_chair = groups["wg2"]
    drafts = Submission.objects.filter(status=Submission.Status.DRAFT, period__state=ReportingPeriod.State.OPEN)
    for submission in drafts.select_related("period"):
        if submission.working_group_id == wg7.pk and day == submission.due_on - datetime.timedelta(days=3):
            submit_and_accept(submission, wg7_chair, oct_officer)
        elif submission.working_group_id == wg2.pk:
            asks_for_time = submission.period.kind == "mid-year" and submission.period.covers_from.year == 2027
            if asks_for_time and day == submission.period.due_on - datetime.timedelta(days=5):
                request = extension_request_create(
                    submission=submission,
                    actor=wg2_chair,
                    until=submission.due_on + datetime.timedelta(days=EXTENSION_DAYS),
                    reason="The group's meeting was postponed.",
                )
                extension_act(request=request, action="approve", actor=oct_officer)
            elif day == submission.due_on:
                submit_and_accept(submission, wg2_chair, oct_officer)


def expected_digest_weeks() -> tuple[int, int, int]:
    """(weeks, weeks OCT's digest has something, weeks the Committee chair's has something),
    from the periods written out above: WG 3's draft is open in every period until it closes."""
    first_days: dict[tuple[int, int], D] = {}
    for day in days():
        first_days.setdefault(day.isocalendar()[:2], day)
    oct_weeks = committee_weeks = 0
    for day in first_days.values():
        open_periods = [p for p in PERIODS if p[2] <= day <= p[4]]
        if any(due < day or day <= due <= day + datetime.timedelta(days=14) for *_, due, _close in open_periods):
            oct_weeks += 1
        if any((day - due).days > 7 for *_, due, _close in open_periods):
            committee_weeks += 1
    return len(first_days), oct_weeks, committee_weeks


def emails(prefix: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(occasion__startswith=prefix))


@pytest.mark.long
@pytest.mark.django_db
def test_a_simulated_year_of_the_reporting_calendar(groups, oct_officer, time_machine):
    totals = TickReport()
    for day in days():
        time_machine.move_to(at(day, 14), tick=False)
        groups_act(day, groups, oct_officer)
        time_machine.move_to(at(day, 15), tick=False)
        first = scheduler_tick()
        for name, value in vars(first).items():
            setattr(totals, name, getattr(totals, name) + value)
        time_machine.move_to(at(day, 15, 5), tick=False)
        assert scheduler_tick() == TickReport(), f"the second tick of {day} did something"

    wg7, wg2, wg3 = (groups[name][0] for name in ("wg7", "wg2", "wg3"))

    # Periods: eight opened on their day, with one draft per group; six closed after their closing day.
    periods = ReportingPeriod.objects.order_by("opens_on", "kind")
    assert [(p.kind, p.covers_from, p.opens_on, p.due_on, p.closes_on) for p in periods] == sorted(
        PERIODS, key=lambda p: (p[2], p[0])
    )
    opened = {e.period_id: e.created_at.date() for e in SchedulerEvent.objects.filter(kind="period-opened")}
    assert {p.pk: p.opens_on for p in periods} == opened
    assert totals.periods_created == totals.periods_opened == 8
    assert totals.drafts_created == 24 == Submission.objects.count()
    closed = periods.filter(state="closed")
    assert {(p.kind, p.covers_from) for p in closed} == {(p[0], p[1]) for p in DUE_IN_YEAR}
    assert totals.periods_closed == 6
    for period in closed:
        event = SchedulerEvent.objects.get(kind="period-closed", period=period)
        assert event.created_at.date() == period.closes_on + datetime.timedelta(days=1)

    # Reminders: WG 7 got the 14- and 7-day ones; WG 2 all three, and after its extension all
    # three again for the new date; WG 3 all three, then both escalations.
    reminders = Counter(
        (e.submission.working_group_id, e.submission.period.kind, e.submission.period.covers_from)
        for e in SchedulerEvent.objects.filter(kind="reminder").select_related("submission__period")
    )
    for kind, covers_from, *_ in DUE_IN_YEAR:
        extended = kind == "mid-year" and covers_from.year == 2027
        assert reminders[(wg7.pk, kind, covers_from)] == 2
        assert reminders[(wg2.pk, kind, covers_from)] == (5 if extended else 3)
        assert reminders[(wg3.pk, kind, covers_from)] == 3
    assert totals.reminders == sum(reminders.values()) == 6 * 2 + (5 * 3 + 5) + 6 * 3 == 50
    escalations = SchedulerEvent.objects.filter(kind="escalation")
    assert totals.escalations == escalations.count() == 12
    assert {e.submission.working_group_id for e in escalations} == {wg3.pk}

    # On time: WG 2's mid-year report came in on the extended date and counts as on time.
    mid_year = Submission.objects.get(working_group=wg2, period__kind="mid-year", period__covers_from=D(2027, 1, 1))
    assert mid_year.extended_until == D(2027, 7, 25)
    assert mid_year.on_time is True
    assert timezone_date(mid_year.submitted_at) == D(2027, 7, 25)
    assert not Submission.objects.filter(on_time=False).exists()
    assert Submission.objects.filter(working_group=wg3, submitted_at__isnull=True).count() == 8

    # The reports OCT compiles: one per round that fell due, and the 2026 annual report.
    assert ConsolidatedReport.objects.count() == 6
    assert list(AnnualReport.objects.values_list("year", flat=True)) == [2026]
    assert totals.reports_started == 7

    # Digests: one log entry a week each; e-mailed only in the weeks with something to say.
    weeks, oct_weeks, committee_weeks = expected_digest_weeks()
    assert SchedulerEvent.objects.filter(kind="oct-digest").count() == weeks == 57
    assert SchedulerEvent.objects.filter(kind="committee-digest").count() == weeks
    assert len(emails("oct-digest:")) == oct_weeks
    assert len(emails("committee-digest:")) == committee_weeks
    assert {e.recipient for e in emails("committee-digest:")} == {"usg@example.org"}
    assert totals.digests == oct_weeks + committee_weeks

    # E-mails, exactly: openings to every leader, reminders, escalations (leaders and OCT).
    opened_mail = OutboundEmail.objects.filter(occasion__regex=r"^reporting:\d+:opened$")
    assert opened_mail.count() == 8 * 4  # "the period is open", to each of the four leaders
    reminder_mail = Counter(e.recipient for e in emails("reminder:"))
    assert reminder_mail == {
        "chair@example.org": 12,
        "vicechair@example.org": 12,
        "wg2chair@example.org": 20,
        "wg3chair@example.org": 18,
    }
    escalation_mail = Counter(e.recipient for e in emails("escalation:"))
    assert escalation_mail == {"wg3chair@example.org": 12, "oct-secretariat@localhost": 12}
    assert sorted(e.recipient for e in emails("extension:")) == ["oct-secretariat@localhost", "wg2chair@example.org"]


def timezone_date(moment: datetime.datetime) -> D:
    from django.utils import timezone

    return timezone.localtime(moment).date()
