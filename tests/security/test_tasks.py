"""The task list shows nobody what they could not open: another group's draft, an input above
the reader's clearance, OCT's queues to anyone but OCT."""

from __future__ import annotations

import datetime

import pytest

from compact.core.models import Classification
from compact.registry.models import Profile
from portal.inbox import tasks_for
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_act, submission_save_draft
from tests.helpers import fresh, oct_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _early_july(time_machine):
    time_machine.move_to("2026-07-01 14:00Z", tick=False)


def titles(user) -> list[str]:
    return [task.title for task in tasks_for(user, today=datetime.date(2026, 7, 1))]


def test_an_input_above_an_officers_clearance_is_not_in_their_queue(report_period, chair, oct_officer):
    Profile.objects.filter(user=chair).update(clearance=Classification.CONFIDENTIAL)
    chair = fresh(chair)
    submission = Submission.objects.get(period=report_period, working_group__number=7)
    submission = submission_save_draft(
        submission=submission,
        actor=chair,
        base_revision=submission.revision,
        fields={"summary": "Confidential details."},
        classification=Classification.CONFIDENTIAL,
    )
    submission_act(submission=submission, action="submit", actor=chair)
    cleared_low = oct_person("lowclearance", Classification.UNCLASSIFIED)
    review = "Review the Mid-year progress report of WG 7: Human rights"
    assert review in titles(oct_officer)
    assert review not in titles(cleared_low)


def test_nobody_sees_another_groups_draft_or_octs_queues(report_period, chair, vice_chair, focal_point, outsider):
    for person in (focal_point, outsider):
        assert titles(person) == []
    assert all("WG 2" not in title for title in titles(chair))
    assert not any(title.startswith("Review the") for title in titles(vice_chair))
