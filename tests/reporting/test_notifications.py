"""Whoever a step leaves waiting is told by e-mail, in their own language: the USG when the
annual report is submitted, the secretariat when the USG decides, the Committee when its
briefing pack is out, an action point's owners when it is agreed."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from compact.accounts.services import user_language_set
from compact.core.models import OutboundEmail
from reporting.committee.services import action_point_add, agenda_item_add, meeting_act, meeting_create
from reporting.compiled.annual.services import annual_report_act
from reporting.compiled.editions import edition_render, edition_request
from reporting.compiled.services import annual_report_start
from reporting.submissions.periods.services import period_close
from tests.helpers import calendar_only

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def emails(prefix: str) -> dict[str, OutboundEmail]:
    return {email.recipient: email for email in OutboundEmail.objects.filter(occasion__startswith=prefix)}


def generated(report, actor):
    edition = edition_request(report=report, actor=actor)
    assert edition_render(edition_id=edition.pk)
    return edition


def test_the_usg_is_asked_to_approve_in_arabic_and_the_secretariat_learns_the_decision(
    time_machine, roster, oct_officer, usg, report_period
):
    time_machine.move_to(datetime.datetime(2027, 2, 10, 15, tzinfo=datetime.UTC), tick=False)
    user_language_set(user=usg, language="ar")
    annual = annual_report_start(year=2026, actor=oct_officer)
    calendar_only()
    period_close(period=report_period, actor=None)
    generated(annual, oct_officer)
    annual_report_act(report=annual, action="submit", actor=oct_officer)
    asked = emails(f"annual:{annual.pk}:submit")
    assert list(asked) == [usg.email]
    with translation.override("ar"):
        subject = gettext("For your approval: the annual report %(year)s") % {"year": 2026}
    assert asked[usg.email].subject == subject and '<html lang="ar" dir="rtl">' in asked[usg.email].body_html
    assert f"/reporting/compiled/annual/{annual.pk}/" in asked[usg.email].body_text

    annual_report_act(report=annual, action="return", actor=usg, comment="Add the matrix figures.")
    told = emails(f"annual:{annual.pk}:return")
    assert set(told) == {oct_officer.email, settings.OCT_SECRETARIAT_EMAIL}
    assert told[oct_officer.email].subject == "Returned: the annual report 2026"
    assert "Add the matrix figures." in told[oct_officer.email].body_text


def test_the_committee_is_told_its_briefing_pack_is_out_once(roster, oct_officer, usg, committee_member, chair):
    meeting = meeting_create(
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        actor=oct_officer,
        date=datetime.date(2026, 12, 20),
        place="New York",
    )
    agenda_item_add(meeting=meeting, actor=oct_officer, kind="other", title="Any other business")
    pack = generated(meeting, oct_officer)
    told = emails(f"briefing-pack:{pack.pk}")
    assert {usg.email, committee_member.email, chair.email} <= set(told)
    assert told[usg.email].subject == "Briefing pack ready: Coordination Committee meeting of 20 December 2026"
    assert edition_render(edition_id=pack.pk) is False  # a second delivery renders nothing, sends nothing
    assert len(emails(f"briefing-pack:{pack.pk}")) == len(told)


def test_an_action_points_owners_are_told_when_it_is_agreed(roster, oct_officer, usg, chair, vice_chair):
    meeting = meeting_create(
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        actor=oct_officer,
        date=datetime.date(2026, 11, 20),
        place="New York",
    )
    meeting_act(meeting=meeting, action="hold", actor=oct_officer)
    user_language_set(user=chair, language="fr")
    point = action_point_add(
        meeting=meeting,
        actor=oct_officer,
        text="Share the guidance draft.",
        due_on=datetime.date(2027, 1, 15),
        owner_group=roster.group,
    )
    told = emails(f"action-point:{point.pk}:assigned")
    assert set(told) == {chair.email, vice_chair.email}
    assert "Share the guidance draft." in told[chair.email].body_text
    with translation.override("fr"):
        due = date_format(datetime.date(2027, 1, 15))
        assert told[chair.email].subject == gettext("A Committee action point for you, due %(due)s") % {"due": due}
    assert told[vice_chair.email].subject == "A Committee action point for you, due 15 January 2027"
