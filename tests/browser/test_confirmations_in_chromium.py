"""A confirmation in Debian's headless Chromium: OCT closes a reporting period from its page.
Dismissing the question sends nothing (the period stays open in the database); accepting it
closes the period. The question says what closing does."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reporting.submissions.models import ReportingPeriod
from tests.browser.test_pages_in_chromium import sign_in
from tests.browser.test_reporting_in_chromium import answer_next_question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = (
    "Close this period now? The working groups can no longer change, submit or ask more time for their "
    "inputs until you reopen it."
)


def test_dismissing_the_question_changes_nothing_and_accepting_closes_the_period(
    live_server,
    report_period,
    oct_officer,
    orm,
    browser,
):
    period_pk = report_period.pk

    def state():
        return orm(lambda: ReportingPeriod.objects.get(pk=period_pk).state)

    page = browser.new_context().new_page()
    sign_in(page, live_server, "officer")
    page.goto(live_server.url + reverse("reporting-period", args=[period_pk]))
    close = page.locator("form", has=page.locator("input[name=action][value=close]")).get_by_role("button")

    asked = answer_next_question(page, accept=False)
    close.click()
    page.wait_for_timeout(500)  # a refused submit sends nothing: give a wrong one time to arrive
    assert asked == [QUESTION]
    assert page.url.endswith(reverse("reporting-period", args=[period_pk]))
    assert state() == ReportingPeriod.State.OPEN

    asked = answer_next_question(page, accept=True)
    close.click()
    expect(page.locator(".messages")).to_contain_text("The period is closed.")
    assert asked == [QUESTION]
    assert state() == ReportingPeriod.State.CLOSED
