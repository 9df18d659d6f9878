"""Three reporting rounds of 2026 with every outcome the dashboard tells apart, seen on
20 July 2026 (noon UTC):

- Q1 (due 10 April): WG 7 on time (accepted after 5 days), WG 2 late (accepted after 1 day),
  WG 5 on time, accepted after 3 days — but strictly confidential;
- Q2 (due 10 July): WG 7 within its extension to 15 July (submitted), WG 2 missing, WG 5
  missing;
- mid-year (due 31 July, open): WG 7 returned for revision, WG 2 and WG 5 not yet due.

The stored results are set directly (the workflow that produces them is tested elsewhere; the
dashboard only reads them), with the accept steps the review would have written. Action
points: WG 7 two (10 and 45 days old), UNESCO one (120 days), one done (not counted).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from compact.core.models import Classification
from reporting.committee.models import ActionPoint, Meeting
from reporting.submissions.models import ReportingPeriod, Submission, SubmissionStep
from tests.factories import UserFactory, WorkingGroupFactory
from tests.helpers import open_period
from workinggroups.models import WorkingGroup
from workinggroups.services import role_assign

TODAY = datetime.date(2026, 7, 20)
D = datetime.date


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)), datetime.UTC)


@dataclass
class Rounds:
    q1: ReportingPeriod
    q2: ReportingPeriod
    mid: ReportingPeriod
    wg7: WorkingGroup
    wg2: WorkingGroup
    wg5: WorkingGroup
    secret: Submission  # WG 5's Q1 input, strictly confidential

    def submission(self, period: ReportingPeriod, group: WorkingGroup) -> Submission:
        return Submission.objects.get(period=period, working_group=group)


def _record(
    submission: Submission,
    *,
    status: str,
    submitted: datetime.datetime,
    on_time: bool,
    accepted: datetime.datetime | None = None,
    classification: str = Classification.UNCLASSIFIED,
    extended_until: datetime.date | None = None,
) -> Submission:
    submission.status, submission.submitted_at, submission.on_time = status, submitted, on_time
    submission.submitted_by = UserFactory(username=f"writer-{submission.pk}")
    submission.classification, submission.extended_until = classification, extended_until
    submission.save()
    if accepted is not None:
        SubmissionStep.objects.create(
            submission=submission, action="accept", from_status="submitted", to_status="accepted", created_at=accepted
        )
    return submission


def build_rounds(roster, time_machine) -> Rounds:
    time_machine.move_to(at(TODAY, 12), tick=False)
    wg5 = WorkingGroupFactory(number=5, name="Preventing violent extremism", short_name="Prevention")
    role_assign(group=wg5, entity=roster.cted, role="chair", starts_on=D(2020, 1, 1), actor=None)
    q1 = open_period("q1", (D(2026, 1, 1), D(2026, 3, 31)), D(2026, 3, 15), D(2026, 4, 10))
    q2 = open_period("q2", (D(2026, 4, 1), D(2026, 6, 30)), D(2026, 6, 15), D(2026, 7, 10))
    mid = open_period("mid-year", (D(2026, 1, 1), D(2026, 6, 30)), D(2026, 6, 15), D(2026, 7, 31))
    wg7, wg2 = roster.group, roster.other_group
    accepted, submitted, returned = Submission.Status.ACCEPTED, Submission.Status.SUBMITTED, Submission.Status.RETURNED
    _record(
        q1.submissions.get(working_group=wg7),
        status=accepted,
        submitted=at(D(2026, 4, 9)),
        on_time=True,
        accepted=at(D(2026, 4, 14)),
    )
    _record(
        q1.submissions.get(working_group=wg2),
        status=accepted,
        submitted=at(D(2026, 4, 12)),
        on_time=False,
        accepted=at(D(2026, 4, 13)),
    )
    secret = _record(
        q1.submissions.get(working_group=wg5),
        status=accepted,
        submitted=at(D(2026, 4, 1)),
        on_time=True,
        accepted=at(D(2026, 4, 4)),
        classification=Classification.STRICTLY_CONFIDENTIAL,
    )
    _record(
        q2.submissions.get(working_group=wg7),
        status=submitted,
        submitted=at(D(2026, 7, 14)),
        on_time=True,
        extended_until=D(2026, 7, 15),
    )
    _record(mid.submissions.get(working_group=wg7), status=returned, submitted=at(D(2026, 7, 18)), on_time=True)
    meeting = Meeting.objects.create(date=D(2026, 7, 10), place="New York")
    older = Meeting.objects.create(date=D(2026, 6, 5), place="New York")
    oldest = Meeting.objects.create(date=D(2026, 3, 22), place="Vienna")
    ActionPoint.objects.create(meeting=meeting, text="Circulate the note", owner_group=wg7, due_on=D(2026, 8, 1))
    ActionPoint.objects.create(meeting=older, text="Map the projects", owner_group=wg7, due_on=D(2026, 7, 1))
    ActionPoint.objects.create(meeting=oldest, text="Brief donors", owner_entity=roster.unesco, due_on=D(2026, 5, 1))
    ActionPoint.objects.create(
        meeting=oldest, text="Done already", owner_group=wg2, due_on=D(2026, 5, 1), status=ActionPoint.Status.DONE
    )
    return Rounds(q1, q2, mid, wg7, wg2, wg5, secret)
