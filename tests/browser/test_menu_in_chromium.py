"""The main menu's sections in Chromium (portal/menu.py, static/js/menu.js): a section opens
from the keyboard, Escape closes it and leaves focus on its button, a click elsewhere closes
it, one section is open at a time, the list stays inside the window right-to-left, and
without JavaScript the <details> still open. Set SCREENSHOTS_DIR to keep screenshots."""

from __future__ import annotations

import pytest

from compact.core.models import User
from tests.browser.test_pages_in_chromium import sign_in
from tests.browser.test_reporting_in_chromium import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}


def menu_link(page, name):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def section_button(page, name):
    return page.get_by_role("navigation", name="Main").get_by_role("button", name=name)


def test_the_keyboard_opens_a_section_and_escape_closes_it(live_server, oct_officer, browser):
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "officer")
    secretariat = section_button(page, "Secretariat")
    assert secretariat.get_attribute("aria-expanded") == "false"
    audit = menu_link(page, "Audit log")
    assert not audit.is_visible()

    secretariat.focus()
    page.keyboard.press("Enter")
    assert secretariat.get_attribute("aria-expanded") == "true" and audit.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Member States"
    page.keyboard.press("Escape")
    assert secretariat.get_attribute("aria-expanded") == "false" and not audit.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Secretariat"

    page.keyboard.press("Space")
    audit.click()
    page.wait_for_url("**/audit/")
    # On the audit log, its section is marked as holding the current page.
    assert section_button(page, "Secretariat").get_attribute("aria-current") == "true"
    assert (
        page.get_by_role("navigation", name="Main")
        .get_by_role("link", name="Audit log", exact=True, include_hidden=True)
        .get_attribute("aria-current")
        == "page"
    )


def test_one_section_at_a_time_and_a_click_elsewhere_closes_it(live_server, oct_officer, browser):
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "officer")
    registry, committee = section_button(page, "Registry"), section_button(page, "Committee")
    registry.click()
    shoot(page, "menu-en-open")
    committee.click()
    assert registry.get_attribute("aria-expanded") == "false"
    assert committee.get_attribute("aria-expanded") == "true"
    page.locator("main h1").click()
    assert committee.get_attribute("aria-expanded") == "false"


def test_in_arabic_an_open_section_stays_inside_the_window(live_server, oct_officer, orm, browser):
    orm(lambda: User.objects.filter(pk=oct_officer.pk).update(language="ar"))
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "officer")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    buttons = page.locator(".nav-section-button")
    for index in range(buttons.count()):
        buttons.nth(index).click()
        box = page.locator(".nav-disclosure > ul:not([hidden])").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"]
        if index == 0:
            shoot(page, "menu-ar-open")


def test_on_a_phone_a_section_opens_inside_the_folded_menu(live_server, oct_officer, browser):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, live_server, "officer")
    page.locator(".menu-toggle").click()
    section_button(page, "Secretariat").click()
    audit = menu_link(page, "Audit log")
    assert audit.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shoot(page, "menu-phone-open")
    audit.click()
    page.wait_for_url("**/audit/")


def test_without_javascript_every_section_opens_as_details(live_server, oct_officer, browser):
    page = browser.new_context(viewport=DESKTOP, java_script_enabled=False).new_page()
    sign_in(page, live_server, "officer")
    page.locator("summary", has_text="Secretariat").click()
    menu_link(page, "System").click()
    page.wait_for_url("**/system/")
