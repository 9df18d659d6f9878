"""From signing in to what waits on you, in Chromium: the USG's approval, the Committee's
briefing pack, a chair's returned report and a focal point's comment are each one click from
the home page, and the e-mail that told them is in the outbox."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from compact.core.models import OutboundEmail
from reporting.committee.services import agenda_item_add, meeting_create
from reporting.compiled.annual.services import annual_report_act
from reporting.compiled.editions import edition_render, edition_request
from reporting.compiled.services import annual_report_start
from reporting.review.services import review_act, review_create
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_act
from tests.browser.test_pages_in_chromium import sign_in
from tests.helpers import calendar_only

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def first_task(page, kind: str):
    """The home page's task of ``kind`` (the one click the person makes)."""
    return page.locator(f"#tasks li.task-{kind} a").first


@pytest.fixture
def waiting(_media, report_period, roster, chair, oct_officer, usg, committee_member, focal_point):
    """Something waits on each of them: an annual report submitted to the USG, a meeting with
    its briefing pack out, WG 7's input returned to its chair, an open review for UNESCO."""
    annual = annual_report_start(year=2025, actor=oct_officer)
    calendar_only()
    assert edition_render(edition_id=edition_request(report=annual, actor=oct_officer).pk)
    annual_report_act(report=annual, action="submit", actor=oct_officer)
    meeting = meeting_create(
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        actor=oct_officer,
        date=datetime.date.today() + datetime.timedelta(days=10),
        place="NY",
    )
    agenda_item_add(meeting=meeting, actor=oct_officer, kind="other", title="Any other business")
    assert edition_render(edition_id=edition_request(report=meeting, actor=oct_officer).pk)
    submission = Submission.objects.get(period=report_period, working_group__number=7)
    submission_act(submission=submission, action="submit", actor=chair)
    submission_act(submission=submission, action="return", actor=oct_officer, comment="Add the workshops.")
    today = datetime.date.today()
    review = review_create(
        actor=oct_officer,
        biennium=today.year + 1,
        title="Review of the Compact",
        resolution_symbol="A/RES/77/298",
        resolution_url="https://docs.un.org/en/A/RES/77/298",
        opens_on=today,
        comments_due_on=today + datetime.timedelta(days=20),
    )
    review_act(review=review, action="open", actor=oct_officer)
    return {"annual": annual, "meeting": meeting, "submission": submission, "review": review}


def test_each_role_reaches_what_waits_on_it_in_one_click_and_was_told(live_server, waiting, orm, browser):
    def told(prefix: str, username: str) -> bool:
        return orm(
            lambda: OutboundEmail.objects.filter(
                occasion__startswith=prefix, recipient=f"{username}@example.org"
            ).exists()
        )

    usg = browser.new_context().new_page()
    sign_in(usg, live_server, "usg")
    first_task(usg, "approval").click()
    expect(usg.locator("h1")).to_contain_text("2025")
    expect(usg.get_by_role("button", name="Approve")).to_be_visible()
    assert told(f"annual:{waiting['annual'].pk}:submit", "usg")

    member = browser.new_context().new_page()
    sign_in(member, live_server, "cted")
    first_task(member, "meeting").click()
    expect(member.locator("#briefing-pack").get_by_role("link", name="Download PDF")).to_be_visible()
    pack = orm(lambda: waiting["meeting"].briefing_packs.get().pk)
    assert told(f"briefing-pack:{pack}", "cted")

    chair = browser.new_context().new_page()
    sign_in(chair, live_server, "chair")
    first_task(chair, "returned").click()
    expect(chair.locator(".returned-note")).to_contain_text("Add the workshops.")
    assert orm(
        lambda: OutboundEmail.objects.filter(recipient="chair@example.org", subject__startswith="Returned").exists()
    )

    focal = browser.new_context().new_page()
    sign_in(focal, live_server, "focal")
    first_task(focal, "comment").click()
    expect(focal.locator("textarea").first).to_be_visible()
    assert told("review", "focal")
