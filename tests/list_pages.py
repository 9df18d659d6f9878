"""Working groups in numbers, for the tests of the pages that list groups or periods (issue
19): two periods and a builder of groups with their rosters, leaders and inputs."""

from __future__ import annotations

import datetime
import itertools

from guardian.shortcuts import assign_perm

from compact.core.models import Classification, User
from reporting.calendar.models import ExtensionRequest
from reporting.submissions.models import ReportingPeriod, Submission
from tests.factories import EntityFactory, RoleAssignmentFactory, UserFactory, WorkingGroupFactory
from workinggroups.permissions import LEAD_PERMISSION

NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
_numbers = itertools.count(100)


def make_periods() -> dict[str, ReportingPeriod]:
    """A closed mid-year period and an open end-of-year one, as bench/pages.py builds them."""
    closed = ReportingPeriod.objects.create(
        kind=ReportingPeriod.Kind.MID_YEAR,
        covers_from=datetime.date(2026, 1, 1),
        covers_until=datetime.date(2026, 6, 30),
        opens_on=datetime.date(2026, 6, 15),
        due_on=datetime.date(2026, 7, 15),
        closes_on=datetime.date(2026, 8, 1),
        state=ReportingPeriod.State.CLOSED,
    )
    opened = ReportingPeriod.objects.create(
        kind=ReportingPeriod.Kind.END_OF_YEAR,
        covers_from=datetime.date(2026, 7, 1),
        covers_until=datetime.date(2026, 12, 31),
        opens_on=datetime.date(2026, 11, 25),
        due_on=datetime.date(2026, 12, 20),
        state=ReportingPeriod.State.OPEN,
    )
    return {"open": opened, "closed": closed}


def groups_add(count: int, periods: dict[str, ReportingPeriod]) -> None:
    """``count`` more groups, each with a chair and a vice-chair (people who lead it), three
    members, an accepted or submitted input in the closed period and a draft, submitted or
    returned one in the open period (some confidential, some drafts asking for more time)."""
    entities = [EntityFactory(acronym=f"SCALE{n}") for n in range(6)]
    for index in range(count):
        group = WorkingGroupFactory(number=next(_numbers))
        for offset, role in enumerate(["chair", "vice-chair", "member", "member", "member"]):
            person = UserFactory() if role != "member" else None
            RoleAssignmentFactory(working_group=group, entity=entities[(index + offset) % 6], role=role, person=person)
            if person is not None:
                assign_perm(LEAD_PERMISSION, person, group)
        classification = Classification.CONFIDENTIAL if index % 3 == 2 else Classification.UNCLASSIFIED
        Submission.objects.create(
            period=periods["closed"],
            working_group=group,
            status=[Submission.Status.ACCEPTED, Submission.Status.SUBMITTED][index % 2],
            classification=classification,
            submitted_at=NOW,
            last_edited_at=NOW,
            on_time=index % 4 != 0,
        )
        status = [Submission.Status.DRAFT, Submission.Status.SUBMITTED, Submission.Status.RETURNED][index % 3]
        current = Submission.objects.create(
            period=periods["open"],
            working_group=group,
            status=status,
            classification=classification,
            submitted_at=None if status == Submission.Status.DRAFT else NOW,
            on_time=None if status == Submission.Status.DRAFT else True,
        )
        if status == Submission.Status.DRAFT:
            ExtensionRequest.objects.create(
                submission=current,
                due_before=periods["open"].due_on,
                requested_until=periods["open"].due_on + datetime.timedelta(days=10),
                reason="The chair is travelling.",
                requested_by=User.objects.filter(wg_assignments__working_group=group).first(),
            )
