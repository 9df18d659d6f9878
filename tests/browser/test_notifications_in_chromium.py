"""Notifications in Chromium: a chair whose report was returned sees the unread count next to
their name, opens the notification from the list and lands on the report, then chooses on
their account page to get decisions in a daily digest and sets their time zone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from compact.core.models import Notification, User
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_act
from tests.browser.test_pages_in_chromium import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/helpers/shots/notify")


def shoot(page, name: str) -> None:
    # Only where the helpers' folder exists (a developer's machine), never required.
    if SHOTS.parent.exists():
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def returned(report_period, chair, oct_officer):
    submission = Submission.objects.get(period=report_period, working_group__number=7)
    submission_act(submission=submission, action="submit", actor=chair)
    submission_act(submission=submission, action="return", actor=oct_officer, comment="Add the workshops.")
    return submission


def test_a_chair_opens_a_notification_and_chooses_a_digest(live_server, returned, orm, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, live_server, "chair")
    link = page.locator("a.notifications-link")
    expect(link).to_contain_text("1 unread notification")
    link.click()
    item = page.locator("li.notification").first
    expect(item).to_have_class("notification unread")
    expect(item.locator(".unread-label")).to_have_text("Unread")
    shoot(page, "notifications-desktop")
    item.locator("button.notification-title").click()
    page.wait_for_url(f"{live_server.url}/reporting/submissions/{returned.pk}/")
    expect(page.locator("a.notifications-link .nav-count")).to_have_count(0)
    assert orm(lambda: Notification.objects.get(recipient__username="chair").read_at is not None)

    page.goto(f"{live_server.url}/account/")
    page.locator('input[name="category-report-decisions"][value="daily-digest"]').check()
    page.get_by_role("button", name="Save e-mail settings").click()
    expect(page.locator(".messages")).to_contain_text("Your e-mail settings are saved.")
    expect(page.locator('input[name="category-report-decisions"][value="daily-digest"]')).to_be_checked()
    page.select_option("#id_time_zone", "Africa/Nairobi")
    page.locator("form:has(#id_time_zone) button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Your time zone is saved")
    expect(page.locator("#time-zone + form")).to_contain_text("Africa/Nairobi")
    shoot(page, "account-desktop")
    user = orm(lambda: User.objects.get(username="chair"))
    assert user.notification_settings["report-decisions"] == "daily-digest" and user.time_zone == "Africa/Nairobi"

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, live_server, "chair")
    phone.goto(f"{live_server.url}/account/")
    shoot(phone, "account-phone")
    phone.goto(f"{live_server.url}/notifications/")
    shoot(phone, "notifications-phone")
    arabic = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(arabic, live_server, "chair")
    arabic.goto(f"{live_server.url}/account/")
    arabic.locator("#language").select_option("ar")
    arabic.locator("form.lang button").click()
    arabic.goto(f"{live_server.url}/account/")
    shoot(arabic, "account-arabic")
    arabic.goto(f"{live_server.url}/notifications/")
    shoot(arabic, "notifications-arabic")
