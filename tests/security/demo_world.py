"""A populated world for the tests that walk the whole API: the real roster and the demo data
(portal.demo) loaded on a fixed day, plus what the demo does not make, with one account per
persona. Everything is written by the services, inside the test's transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection

from compact.core.models import Classification, User
from compact.outreach.services import briefing_create
from portal.demo import demo_load
from portal.reference import reference_load
from reporting.calendar.services import calendar_rules
from reporting.committee.models import AgendaItem
from reporting.committee.services import attendance_set
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.services import submission_act, submission_save_draft

# A Wednesday in June: the quarter's briefing round is open (the mid-year round not yet).
WORLD_DAY = datetime.datetime(2026, 6, 10, 14, 0, tzinfo=ZoneInfo("America/New_York"))


@dataclass(frozen=True)
class World:
    oct: AbstractBaseUser
    chair: AbstractBaseUser
    focal_point: AbstractBaseUser
    committee_member: AbstractBaseUser


def world_load(time_machine) -> World:
    """Freeze the clock on ``WORLD_DAY`` and load the world (a few seconds)."""
    time_machine.move_to(WORLD_DAY, tick=False)
    return world_build()


def world_build() -> World:
    """Load the world, the clock standing on ``WORLD_DAY``."""
    calendar_rules()
    reference_load()
    demo_load(password="pw")
    people = {user.username: user for user in User.objects.all()}
    officer = people["oct.colleague"]  # OCT by role, not a superuser
    _what_the_demo_lacks(officer, people["ohchr.chair"])
    with connection.cursor() as cursor:
        # Planner statistics as a loaded database has them: autovacuum may have sampled these
        # tables empty (this transaction's rows are invisible to it) and the plans go astray.
        cursor.execute("ANALYZE")
    return World(
        oct=officer,
        chair=people["ohchr.chair"],
        focal_point=people["unesco.focal"],
        committee_member=people["cted.rep"],
    )


def _what_the_demo_lacks(officer: AbstractBaseUser, chair: AbstractBaseUser) -> None:
    """WG 7's briefing submitted and accepted (a version to read), a briefing to Member States,
    and someone expected at the demo's coming meeting."""
    briefing = Submission.objects.get(working_group__number=7, period__kind=ReportingPeriod.Kind.Q2)
    submission_save_draft(
        submission=briefing,
        actor=chair,
        base_revision=briefing.revision,
        fields={"work_plan_progress": "Guidance drafted.", "issues_of_concern": "", "upcoming_activities": ""},
        classification=Classification.UNCLASSIFIED,
    )
    submission_act(submission=briefing, action="submit", actor=chair)
    submission_act(submission=briefing, action="accept", actor=officer)
    briefing_create(
        actor=officer,
        date=WORLD_DAY.date() - datetime.timedelta(days=20),
        audience="Member States, New York",
        title="The Compact's work in 2026",
        notes="Questions on the programme of work.",
        notes_classification=Classification.UNCLASSIFIED,
        public_summary="The Under-Secretary-General briefed Member States on the Compact's work.",
    )
    item = AgendaItem.objects.filter(kind=AgendaItem.Kind.POLICY_BRIEFING).select_related("meeting").first()
    attendance_set(meeting=item.meeting, actor=officer, entity=item.presenter, person_name="A. Delegate")
