"""Signing on to the Compact, in Debian's headless Chromium driven by Playwright: the public
form, the e-mailed confirmation link, OCT's consultation and approval, and the invited focal
point who sets a password and edits their own entity (and only theirs).

E-mails go through the outbox: the test delivers them itself, as the worker would, in another
thread, because Django refuses ORM calls in the thread where Playwright runs its event loop.
Set SCREENSHOTS_DIR to keep screenshots of the form, the status page and OCT's review page.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.menu import follow_menu_link
from tests.browser.test_pages_in_chromium import sign_in
from tests.browser.test_reporting_in_chromium import answer_next_question
from tests.helpers import deliver_emails, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCAL_EMAIL = "Amina.OBrien@icao.example"
NEW_PASSWORD = "Runway-lights-at-dusk-42"


def link_in_mail(outbox, recipient, pattern):
    """The path of the first link matching ``pattern`` in an e-mail to ``recipient``."""
    for message in outbox:
        if recipient.lower() in (address.lower() for address in message.to):
            found = re.search(rf"https?://\S*?({pattern})", message.body)
            if found:
                return urlsplit(found.group(0)).path
    raise AssertionError(f"No e-mail to {recipient} with a link like {pattern}: {[m.subject for m in outbox]}")


def assert_out_of_sight(page, selector):
    """Off the page (Playwright calls an element off-screen "visible") and hidden from screen readers."""
    box = page.locator(selector).bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0, box
    assert page.locator(selector).evaluate("element => element.closest('[aria-hidden=true]') !== null")


def shoot(page, name):
    directory = os.environ.get("SCREENSHOTS_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def fill_signon_form(page, *, phone):
    page.fill("#id_organization_name", "International Civil Aviation Organization")
    page.fill("#id_acronym", "ICAO")
    page.select_option("#id_organization_kind", "specialized-agency")
    page.fill("#id_website", "https://www.icao.int")
    page.fill("#id_head_name", "Juan Carlos Salazar")
    page.fill("#id_head_title", "Secretary General")
    page.fill("#id_focal_given_name", "Amina")
    page.fill("#id_focal_family_name", "O'Brien")
    page.fill("#id_focal_title", "Aviation Security Officer")
    page.fill("#id_focal_email", FOCAL_EMAIL)
    page.fill("#id_focal_phone", phone)
    page.fill(
        "#id_mandate",
        "ICAO sets the standards for aviation security that keep terrorists off aircraft, "
        "which serves pillar II of the Strategy.",
    )
    page.check("input[name=pillars][value=II]")
    page.check("input[name=pillars][value=III]")
    page.get_by_label("7. Human rights and the rule of law").check()
    page.check("input[name=requested_status][value=member]")
    attach_letter(page)


def attach_letter(page):
    letter = {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    page.set_input_files("#id_supporting_letter", letter)


def test_an_organization_signs_on_and_its_focal_point_edits_only_its_entity(
    live_server, roster, oct_officer, orm, browser
):
    # The applicant fills in the public form, first with mistakes.
    applicant = browser.new_context().new_page()
    applicant.goto(f"{live_server.url}/sign-on/")
    assert_out_of_sight(applicant, "#id_homepage")  # the honeypot is for bots only
    shoot(applicant, "signon-form")
    fill_signon_form(applicant, phone="call the front desk")
    applicant.get_by_role("button", name="Send the request").click()
    summary = applicant.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("choose the supporting letter again")
    phone_field = applicant.locator(".field", has=applicant.locator("#id_focal_phone"))
    expect(phone_field.locator(".field-error")).to_contain_text("country code")
    declaration = applicant.locator(".field.checkbox", has=applicant.locator("#id_declaration"))
    expect(declaration.locator(".field-error")).to_contain_text("must be accepted")
    expect(applicant.locator(".field-error")).to_have_count(2)
    expect(applicant.locator("#id_organization_name")).to_have_value("International Civil Aviation Organization")
    expect(applicant.locator("#id_focal_phone")).to_have_value("call the front desk")
    expect(applicant.locator("#id_focal_email")).to_have_value(FOCAL_EMAIL)
    expect(applicant.locator("#id_organization_kind")).to_have_value("specialized-agency")
    expect(applicant.locator("input[name=pillars][value=III]")).to_be_checked()
    expect(applicant.locator("input[name=requested_status][value=member]")).to_be_checked()
    expect(applicant.get_by_label("7. Human rights and the rule of law")).to_be_checked()
    assert_out_of_sight(applicant, "#id_homepage")
    shoot(applicant, "signon-form-errors")

    applicant.fill("#id_focal_phone", "+1 514 954 8219")
    applicant.check("#id_declaration")
    attach_letter(applicant)
    applicant.get_by_role("button", name="Send the request").click()
    applicant.wait_for_url("**/sign-on/requests/*/")
    status_url = applicant.url
    badge = applicant.locator(".state-panel .badge")
    expect(badge).to_have_text("Awaiting e-mail confirmation")
    expect(applicant.locator(".messages")).to_contain_text(FOCAL_EMAIL)
    shoot(applicant, "signon-status")

    # They follow the link in the e-mail and confirm: the request reaches OCT.
    confirm_path = link_in_mail(orm(deliver_emails), FOCAL_EMAIL, r"/sign-on/confirm/[^\s/]+/")
    applicant.goto(f"{live_server.url}{confirm_path}")
    applicant.get_by_role("button", name="Confirm and send the request").click()
    applicant.wait_for_url(status_url)
    expect(badge).to_have_text("New")

    # An OCT officer consults the Compact's entities, then approves.
    officer = browser.new_context().new_page()
    sign_in(officer, live_server, "officer")
    follow_menu_link(officer, "Sign-on requests")
    officer.wait_for_url("**/sign-on/review/")
    officer.get_by_role("link", name="ICAO").click()
    officer.wait_for_url("**/sign-on/review/*/")
    expect(officer.locator("h1")).to_contain_text("ICAO")
    shoot(officer, "signon-review-detail")

    def take_step(label, message, done, asks="", **choices):
        step = officer.locator("details.action", has=officer.locator("summary", has_text=label))
        # Only a step that asks gets an answer: a question from any other one goes unanswered
        # (Playwright dismisses it), and the step is not taken.
        asked = answer_next_question(officer, accept=True) if asks else []
        step.locator("summary").click()
        for name, value in choices.items():
            step.locator(f"input[name={name}][value={value}]").check()
        step.locator("textarea[name=message]").fill(message)
        step.locator("button[type=submit]", has_text=label).click()
        expect(officer.locator(".messages")).to_contain_text(done)
        if asks:  # a step that cannot be undone asks first, and says so
            assert len(asked) == 1 and asks in asked[0]

    take_step("Start consultation", "Views of working group 7 asked for.", "Consultation on a sign-on request started")
    expect(officer.locator("p > .badge").first).to_have_text("In consultation")
    take_step(
        "Approve",
        "Welcome to the Compact.",
        "Sign-on request approved",
        asks="The entity is admitted to the Compact",
        status="member",
    )
    expect(officer.locator(".notice.ok")).to_contain_text(
        f"Admitted as ICAO. Focal point account: {FOCAL_EMAIL.lower()}"
    )
    shoot(officer, "signon-review-approved")

    applicant.reload()
    expect(badge).to_have_text("Approved")
    expect(applicant.locator(".timeline")).to_contain_text("Welcome to the Compact.")
    expect(applicant.locator(".timeline")).not_to_contain_text("Views of working group 7")  # internal

    # The focal point sets a password from the invitation and signs in.
    set_password_path = link_in_mail(orm(deliver_emails), FOCAL_EMAIL, r"/accounts/password/set/[^\s/]+/[^\s/]+/")
    focal = browser.new_context().new_page()
    focal.goto(f"{live_server.url}{set_password_path}")
    focal.wait_for_url("**/accounts/password/set/*/set-password/")
    focal.fill("#id_new_password1", NEW_PASSWORD)
    focal.fill("#id_new_password2", NEW_PASSWORD)
    focal.get_by_role("button", name="Save my password").click()
    focal.wait_for_url("**/accounts/password/set/done/")
    focal.goto(f"{live_server.url}/accounts/login/")
    focal.fill("#id_username", FOCAL_EMAIL.lower())
    focal.fill("#id_password", NEW_PASSWORD)
    focal.click("form.stacked button[type=submit]")
    focal.wait_for_url(f"{live_server.url}/")

    # They edit their own entity's profile …
    focal.goto(f"{live_server.url}/entities/ICAO/")
    focal.get_by_role("link", name="Edit profile").click()
    focal.wait_for_url("**/entities/ICAO/edit/")
    expect(focal.locator("#id_acronym")).to_have_count(0)  # the secretariat's fields are not theirs
    focal.fill("#id_website", "https://www.icao.int/Security")
    focal.get_by_role("button", name="Save").click()
    focal.wait_for_url("**/entities/ICAO/")
    expect(focal.get_by_role("link", name="https://www.icao.int/Security")).to_be_visible()

    # … and no other.
    focal.goto(f"{live_server.url}/entities/UNODC/")
    expect(focal.locator("h1")).to_contain_text("UNODC")
    expect(focal.get_by_role("link", name="Edit profile")).to_have_count(0)
    response = focal.goto(f"{live_server.url}/entities/UNODC/edit/")
    assert response.status == 404
    expect(focal.get_by_role("heading", name="Not found")).to_be_visible()


def test_the_form_reads_right_to_left_in_arabic(live_server, roster, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/sign-on/")
    page.select_option("#language", "ar")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert urlsplit(page.url).path == "/sign-on/"
    objectives = page.locator(".principles")
    objectives.scroll_into_view_if_needed()
    expect(objectives).to_be_in_viewport()
    expect(page.locator(".objectives li").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "signon-form-arabic")
