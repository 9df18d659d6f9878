"""Two leaders edit one draft at once, in two browser contexts of headless Chromium: edits to
different boxes both survive; the same box edited by both is shown side by side with a choice;
the editor saves itself after typing stops, the reload shows it, and what it saved no longer
warns on leaving (issue 17, safe editing).

Set SCREENSHOTS_DIR to keep screenshots of the choice and of the autosave notices.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reporting.submissions.models import Submission
from tests.browser.menu import follow_menu_link
from tests.browser.test_reporting_in_chromium import open_editor, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUTOSAVE_WAIT_MS = 15_000  # autosave.js waits 4 s after the last keystroke


def wg7_draft(run) -> Submission:
    return run(lambda: Submission.objects.get(working_group__number=7, period__kind="mid-year"))


def save_draft(page) -> None:
    page.get_by_role("button", name="Save draft").click()


def test_two_leaders_editing_different_boxes_both_keep_their_edits(
    live_server,
    report_period,
    chair,
    vice_chair,
    orm,
    browser,
):
    chair_page = open_editor(browser, live_server, "chair")
    vice = open_editor(browser, live_server, "vicechair")
    chair_page.fill("#id_summary", "Six workshops were held.")
    vice.fill("#id_challenges", "Translation delays.")
    save_draft(chair_page)
    expect(chair_page.locator(".messages")).to_contain_text("Draft saved at")
    save_draft(vice)
    expect(vice.locator(".messages")).to_contain_text("together with the changes Chair Tester saved at")
    for page in (chair_page, vice):
        page.reload()
        expect(page.locator("#id_summary")).to_have_value("Six workshops were held.")
        expect(page.locator("#id_challenges")).to_have_value("Translation delays.")
    draft = wg7_draft(orm)
    assert (draft.summary, draft.challenges) == ("Six workshops were held.", "Translation delays.")


def test_both_editing_one_box_choose_whose_text_to_keep(
    live_server,
    report_period,
    chair,
    vice_chair,
    orm,
    browser,
):
    chair_page = open_editor(browser, live_server, "chair")
    vice = open_editor(browser, live_server, "vicechair")
    chair_page.fill("#id_summary", "The chair's summary.")
    save_draft(chair_page)
    expect(chair_page.locator(".messages")).to_contain_text("Draft saved at")

    vice.fill("#id_summary", "The vice-chair's summary.")
    vice.fill("#id_joint_work", "With UNODC.")
    save_draft(vice)
    choice = vice.locator("#conflict-summary")
    expect(choice).to_contain_text("The chair's summary.")
    expect(choice).to_contain_text("The vice-chair's summary.")
    expect(vice.locator("#id_joint_work")).to_have_value("With UNODC.")
    shoot(vice, "drafts-conflict-choice")
    assert wg7_draft(orm).joint_work == ""  # nothing saved while the choice is open

    choice.get_by_label("Keep the text saved by Chair Tester").check()
    save_draft(vice)
    expect(vice.locator(".messages")).to_contain_text("Draft saved at")
    expect(vice.locator("#id_summary")).to_have_value("The chair's summary.")
    draft = wg7_draft(orm)
    assert (draft.summary, draft.joint_work) == ("The chair's summary.", "With UNODC.")


def test_typing_is_saved_automatically_survives_a_reload_and_no_longer_warns(
    live_server,
    report_period,
    chair,
    orm,
    browser,
):
    page = open_editor(browser, live_server, "chair")
    editor_url = page.url
    page.locator("#id_summary").press_sequentially("Typed and left to save itself.")
    expect(page.locator("#autosave-status")).to_contain_text("Saved automatically at", timeout=AUTOSAVE_WAIT_MS)
    shoot(page, "drafts-autosaved")
    draft = wg7_draft(orm)
    assert (draft.summary, draft.status) == ("Typed and left to save itself.", Submission.Status.DRAFT)

    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    follow_menu_link(page, "Reports")
    page.wait_for_url("**/reporting/")
    assert asked == []  # what was saved automatically is not "unsaved"
    page.goto(editor_url)
    expect(page.locator("#id_summary")).to_have_value("Typed and left to save itself.")

    page.locator("#id_challenges").press_sequentially("Not saved yet.")
    follow_menu_link(page, "Reports")
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and page.url == editor_url  # new text still warns


def test_an_automatic_save_after_someone_elses_save_overwrites_nothing_and_says_so(
    live_server,
    report_period,
    chair,
    vice_chair,
    orm,
    browser,
):
    chair_page = open_editor(browser, live_server, "chair")
    vice = open_editor(browser, live_server, "vicechair")
    chair_page.fill("#id_summary", "The chair's summary.")
    save_draft(chair_page)
    expect(chair_page.locator(".messages")).to_contain_text("Draft saved at")

    vice.locator("#id_summary").press_sequentially("Vice typing.")
    status = vice.locator("#autosave-status")
    expect(status).to_contain_text("Chair Tester saved this draft at", timeout=AUTOSAVE_WAIT_MS)
    expect(status).to_contain_text("save to merge")
    expect(vice.locator("#id_summary")).to_have_value("Vice typing.")
    shoot(vice, "drafts-autosave-conflict")
    assert wg7_draft(orm).summary == "The chair's summary."
