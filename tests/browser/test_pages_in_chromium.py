"""Pages as a person sees them, in Debian's headless Chromium driven by Playwright."""

import pytest

from tests.browser.menu import follow_menu_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_a_chair_signs_in_and_finds_the_committee_as_of_a_date(live_server, roster, chair, browser):
    page = browser.new_page()
    sign_in(page, live_server, "chair")
    assert page.get_by_role("heading", name="Your working groups").is_visible()
    follow_menu_link(page, "Coordination Committee")
    page.fill("#id_on", "2019-01-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/committee/?on=2019-01-01")
    rows = page.locator("table tbody tr")
    assert rows.count() == 5  # USG, CTED, WG 2's chair, WG 7's chair and vice-chair
    assert "OHCHR" in rows.nth(3).inner_text() and "Chair Tester" in rows.nth(3).inner_text()


def test_pages_flip_to_right_to_left_and_fit_a_phone(live_server, roster, outsider, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server, "outsider")
    page.select_option("#language", "ar")
    page.click(".lang button")
    page.goto(f"{live_server.url}/working-groups/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    nav_right = page.evaluate("document.querySelector('.brand').getBoundingClientRect().right")
    assert nav_right > 390 / 2  # the brand sits at the start of the line, which is on the right
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
