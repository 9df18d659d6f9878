"""A Committee meeting people can attend, in Chromium: OCT plans it with its times, zone and
link through the form (a bad link comes back with its message), the meeting's page shows the
time with its zone, the join button and the .ics download, and a Committee member joins from
the home page, in English and in Arabic, on a phone too.

Set ``SHOTS_DIR`` to keep screenshots of what the pages look like."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from compact.core.models import OutboundEmail, User
from reporting.committee.models import Meeting
from tests.browser.test_pages_in_chromium import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = "https://meet.example.org/coordination-committee"


def shot(page, name: str) -> None:
    if os.environ.get("SHOTS_DIR"):
        page.screenshot(path=str(Path(os.environ["SHOTS_DIR"]) / f"{name}.png"), full_page=True)


def test_oct_plans_a_meeting_and_a_member_joins_it(
    live_server,
    tmp_path,
    roster,
    oct_officer,
    usg,
    committee_member,
    orm,
    browser,
):
    day = datetime.date.today() + datetime.timedelta(days=7)
    page = browser.new_context().new_page()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/reporting/committee/new/")
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", "10:00")
    page.fill("#id_end_time", "12:00")
    page.fill("#id_time_zone", "Europe/Vienna")
    page.check("#id_is_virtual")
    page.fill("#id_join_url", "http://meet.example.org/plain")
    page.click("form.stacked button[type=submit]")
    expect(page.get_by_text("Give the link to join as a full https:// address.").first).to_be_visible()
    assert orm(lambda: not Meeting.objects.exists())
    shot(page, "form-error")
    page.fill("#id_join_url", LINK)
    page.click("form.stacked button[type=submit]")
    expect(page.locator("#meeting-when")).to_contain_text("10:00–12:00 (Vienna time, UTC+")
    expect(page.locator("#meeting-when-local")).to_contain_text("New York time")
    expect(page.get_by_role("link", name="Join the meeting")).to_have_attribute("href", LINK)
    expect(page.get_by_role("link", name="Add to calendar")).to_be_visible()
    shot(page, "meeting-page-oct")
    meeting = orm(lambda: Meeting.objects.get())
    assert orm(lambda: OutboundEmail.objects.filter(occasion=f"meeting:{meeting.pk}:invitation:0").count()) == 3

    member = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(member, live_server, "cted")
    join = member.locator("#tasks li.task-meeting a.task-action")
    expect(join).to_have_attribute("href", LINK)
    expect(member.locator("#tasks li.task-meeting")).to_contain_text("Vienna time")
    shot(member, "home-phone")
    with member.expect_download() as download:
        member.goto(f"{live_server.url}/reporting/committee/{meeting.pk}/")
        member.get_by_role("link", name="Add to calendar").click()
    saved = tmp_path / "meeting.ics"
    download.value.save_as(saved)  # the browser runs in another process: its file is copied here
    assert b"BEGIN:VEVENT" in saved.read_bytes()
    assert member.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    orm(lambda: User.objects.filter(username="cted").update(language="ar"))
    arabic = browser.new_context().new_page()
    sign_in(arabic, live_server, "cted")
    arabic.goto(f"{live_server.url}/reporting/committee/{meeting.pk}/")
    assert arabic.evaluate("document.documentElement.dir") == "rtl"
    expect(arabic.locator(f'#meeting-join a[href="{LINK}"]')).to_be_visible()
    shot(arabic, "meeting-page-arabic")
