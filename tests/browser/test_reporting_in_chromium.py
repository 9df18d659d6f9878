"""A working group's report in Debian's headless Chromium driven by Playwright: the chair
drafts and submits it, OCT returns it with a comment, the chair revises and resubmits it, OCT
sees the diff and accepts it.

Data is created before the browser starts; after that, ORM calls go through ``orm`` (another
thread), because Django refuses them in the thread where Playwright runs its event loop.
Set SCREENSHOTS_DIR to keep screenshots of the editor, the review with its diff and the
period's dashboard.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reporting.submissions.models import Submission
from tests.browser.menu import follow_menu_link
from tests.browser.test_pages_in_chromium import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot(page, name):
    directory = os.environ.get("SCREENSHOTS_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def answer_next_question(page, *, accept: bool) -> list[str]:
    """Answer the next confirmation the page asks (a data-confirm step); returns the list its
    question will be put in."""
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", answer)
    return asked


def open_reports(page):
    follow_menu_link(page, "Reports")
    page.wait_for_url("**/reporting/")


def take_step(page, label, comment, done):
    step = page.locator("details.action", has=page.locator("summary", has_text=label))
    step.locator("summary").click()
    step.locator("textarea[name=comment]").fill(comment)
    step.get_by_role("button", name=label).click()
    expect(page.locator(".messages")).to_contain_text(done)  # what happened, in words


def test_a_chair_drafts_submits_revises_and_oct_returns_then_accepts(
    live_server, report_period, chair, oct_officer, orm, browser
):
    period_pk = report_period.pk

    # The chair finds the draft on their desk and writes it.
    chair_page = browser.new_context().new_page()
    sign_in(chair_page, live_server, "chair")
    open_reports(chair_page)
    desk = chair_page.locator("#desk table.desk tbody tr")
    expect(desk).to_have_count(1)
    expect(desk.first).to_contain_text("WG 7: Human rights")
    chair_page.get_by_role("link", name="Edit WG 7: Human rights").click()
    chair_page.wait_for_url("**/reporting/submissions/*/edit/")
    chair_page.fill("#id_summary", "The guidance note on human rights is drafted.")
    chair_page.fill("#id_challenges", "Translation delays.")
    first_line = chair_page.locator("fieldset.activity-line").first
    expect(first_line.locator("legend")).to_have_text("Draft the guidance note")
    first_line.get_by_label("Status").select_option("completed")
    first_line.get_by_label("Progress").fill("Published in May.")
    shoot(chair_page, "reporting-editor")
    chair_page.get_by_role("button", name="Save draft").click()
    expect(chair_page.locator(".messages")).to_contain_text("Draft saved at")
    expect(chair_page.locator("#id_summary")).to_have_value("The guidance note on human rights is drafted.")
    expect(first_line.get_by_label("Status")).to_have_value("completed")
    # Submitting asks first; dismissing the question leaves the draft a draft.
    asked = answer_next_question(chair_page, accept=False)
    chair_page.get_by_role("button", name="Save and submit").click()
    expect(chair_page.get_by_role("button", name="Save and submit")).to_be_visible()
    assert "Submit this input to the OCT secretariat?" in asked[0]
    assert orm(lambda: Submission.objects.get(period_id=period_pk, working_group__number=7).status) == "draft"
    asked = answer_next_question(chair_page, accept=True)
    chair_page.get_by_role("button", name="Save and submit").click()
    chair_page.wait_for_url("**/reporting/submissions/*/")
    submission_url = chair_page.url
    expect(chair_page.locator(".messages")).to_contain_text("saved and submitted")
    expect(chair_page.locator(".submission-facts .badge").first).to_have_text("Submitted")
    expect(chair_page.get_by_role("link", name="Edit the draft")).to_have_count(0)

    # OCT finds it awaiting review and returns it with a comment.
    officer = browser.new_context().new_page()
    sign_in(officer, live_server, "officer")
    open_reports(officer)
    shoot(officer, "reporting-oct-landing")
    officer.locator("#review").get_by_role("link", name="WG 7: Human rights").click()
    officer.wait_for_url(submission_url)
    expect(officer.locator(".submission-content")).to_contain_text("Translation delays.")
    take_step(officer, "Return for revision", "Please add the regional workshops.", "Input returned for revision")
    expect(officer.locator(".submission-facts .badge").first).to_have_text("Returned for revision")

    # The chair sees it returned, at the top of the desk, with the comment; revises; resubmits.
    open_reports(chair_page)
    top = chair_page.locator("#desk table.desk tbody tr").first
    expect(top).to_contain_text("Returned for revision")
    expect(top).to_contain_text("Please add the regional workshops.")
    shoot(chair_page, "reporting-desk-returned")
    top.get_by_role("link", name="Revise WG 7: Human rights").click()
    chair_page.wait_for_url("**/edit/")
    expect(chair_page.locator(".returned-note")).to_contain_text("Please add the regional workshops.")
    chair_page.fill("#id_summary", "The guidance note on human rights is published; two regional workshops held.")
    answer_next_question(chair_page, accept=True)
    chair_page.get_by_role("button", name="Save and resubmit").click()
    chair_page.wait_for_url(submission_url)
    expect(chair_page.locator(".submission-facts .badge").first).to_have_text("Resubmitted")

    # OCT sees what changed since the first version, and accepts.
    officer.goto(submission_url)
    changes = officer.locator("#changes")
    expect(changes).to_contain_text("Changes from version 1 to version 2")
    expect(changes.locator("del").first).to_have_text("drafted.")
    expect(changes.locator("ins").first).to_contain_text("published;")
    shoot(officer, "reporting-review-diff")
    take_step(officer, "Accept", "Thank you.", "Input accepted")
    expect(officer.locator(".submission-facts .badge").first).to_have_text("Accepted")
    officer.goto(f"{live_server.url}/reporting/periods/{period_pk}/")
    expect(officer.locator("tr[data-group='7'] .badge")).to_have_text("Accepted")
    shoot(officer, "reporting-dashboard")

    # The chair sees it accepted.
    open_reports(chair_page)
    expect(chair_page.locator("#desk")).to_contain_text("Nothing waits for you")
    accepted_row = chair_page.locator("#desk tr", has=chair_page.get_by_role("link", name="Mid-year progress report"))
    expect(accepted_row.locator(".badge").first).to_have_text("Accepted")
    chair_page.goto(submission_url)
    expect(chair_page.locator(".timeline")).to_contain_text("Thank you.")
    shoot(chair_page, "reporting-accepted")
    expect(chair_page.locator(".versions li")).to_have_count(2)

    def status_and_summaries():
        submission = Submission.objects.get(period_id=period_pk, working_group__number=7)
        return submission.status, [v.content["fields"]["summary"] for v in submission.versions.order_by("number")]

    status, summaries = orm(status_and_summaries)
    assert status == "accepted"
    assert [("drafted" in text, "published" in text) for text in summaries] == [(True, False), (False, True)]


def open_editor(browser, live_server, username: str):
    """A new browser context signed in as ``username``, on WG 7's editor."""
    page = browser.new_context().new_page()
    sign_in(page, live_server, username)
    open_reports(page)
    page.get_by_role("link", name="Edit WG 7: Human rights").click()
    page.wait_for_url("**/edit/")
    return page


def test_a_second_editor_is_told_of_the_conflict_and_keeps_their_text(
    live_server, report_period, chair, vice_chair, browser
):
    pages = {username: open_editor(browser, live_server, username) for username in ("chair", "vicechair")}

    pages["chair"].fill("#id_summary", "Six workshops were held.")
    pages["chair"].get_by_role("button", name="Save draft").click()
    expect(pages["chair"].locator(".messages")).to_contain_text("Draft saved at")

    vice = pages["vicechair"]
    vice.fill("#id_summary", "Five workshops were held.")
    vice.get_by_role("button", name="Save draft").click()
    conflict = vice.locator("#conflict")
    expect(conflict).to_contain_text("Chair Tester saved it at")
    choice = conflict.locator("#conflict-summary")
    expect(choice).to_contain_text("Six workshops were held.")
    expect(choice).to_contain_text("Five workshops were held.")
    expect(vice.locator("#id_summary")).to_have_value("Five workshops were held.")
    shoot(vice, "reporting-editor-conflict")

    choice.get_by_label("Use my text").check()  # the deliberate choice
    vice.get_by_role("button", name="Save draft").click()
    expect(vice.locator(".messages")).to_contain_text("Draft saved at")
    pages["chair"].reload()
    expect(pages["chair"].locator("#id_summary")).to_have_value("Five workshops were held.")


def test_leaving_the_editor_with_unsaved_text_asks_first(live_server, report_period, chair, browser):
    page = browser.new_context().new_page()
    sign_in(page, live_server, "chair")
    open_reports(page)
    page.get_by_role("link", name="Edit WG 7: Human rights").click()
    page.wait_for_url("**/edit/")
    editor_url = page.url
    page.locator("#id_summary").press_sequentially("Typed and not saved.")
    asked: list[str] = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    follow_menu_link(page, "Reports")
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and page.url == editor_url
    expect(page.locator("#id_summary")).to_have_value("Typed and not saved.")
    # Saving is never stopped, and once saved the page is left without a question.
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("Draft saved at")
    open_reports(page)
    assert asked == ["beforeunload"]
