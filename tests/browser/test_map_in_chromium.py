"""The matrix on a map in Chromium: filtering by pillar changes the map, the filters carry
to the list and back, a country links to its page, the page fits a phone in English and
Arabic (the page mirrors, the world does not), and axe finds nothing to fix.

axe-core runs through tests/browser/axe.py (bundled by axe-playwright-python).
Set SCREENSHOTS_DIR to keep screenshots.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_violations
from tests.browser.test_languages_in_chromium import WIDEST
from tests.browser.test_pages_in_chromium import sign_in
from tests.browser.test_reporting_in_chromium import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _projects(roster, oct_officer, language="en"):
    from compact.core.models import Classification, User
    from compact.matrix.services import project_save

    User.objects.filter(pk=oct_officer.pk).update(language=language)
    rows = [
        ("Prison reform in Kenya", ["I"], ["KE"], [], Classification.UNCLASSIFIED),
        ("Victims' support in Kenya", ["I", "IV"], ["KE"], [], Classification.UNCLASSIFIED),
        ("Border security in Mali", ["II"], ["ML"], [], Classification.UNCLASSIFIED),
        ("Youth in the Sahel", ["II"], [], ["sahel"], Classification.UNCLASSIFIED),
        ("Maldives coast guard", ["II"], ["MV"], [], Classification.UNCLASSIFIED),
    ]
    for title, pillars, countries, regions, level in rows:
        fields = {"title": title, "status": "ongoing", "lead_entity": roster.unodc, "pillars": pillars}
        fields["classification"] = level
        project_save(project=None, actor=None, fields=fields, countries=countries, regions=regions)


def _value(page, code):
    return page.locator(f'[data-chart="project-map"] [data-country="{code}"]').get_attribute("data-value")


def test_filtering_by_pillar_changes_the_map_and_carries_to_the_list(live_server, roster, oct_officer, orm, browser):
    orm(lambda: _projects(roster, oct_officer))
    page = browser.new_page()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/projects/map/")
    assert (_value(page, "KE"), _value(page, "ML"), _value(page, "NE"), _value(page, "MV")) == ("2", "2", "1", "1")
    shoot(page, "map-all")

    page.get_by_label("Pillar").select_option("II")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/projects/map/?*pillar=II*")
    assert (_value(page, "KE"), _value(page, "ML"), _value(page, "NE"), _value(page, "MV")) == ("0", "2", "1", "1")
    expect(page.locator(".chart-summary")).to_contain_text("Mali (2)")
    shoot(page, "map-pillar-ii")

    # The filter carries to the list and back.
    page.locator("nav.tabs").get_by_role("link", name="Browse").click()
    page.wait_for_url("**/projects/?*pillar=II*")
    expect(page.locator("table.projects")).not_to_contain_text("Prison reform in Kenya")
    page.locator("nav.tabs").get_by_role("link", name="Map").click()
    page.wait_for_url("**/projects/map/?*pillar=II*")
    assert _value(page, "KE") == "0"

    # A country with projects is a link to its page, reachable with the keyboard.
    mali = page.locator('[data-chart="project-map"] a:has([data-country="ML"])')
    mali.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/projects/countries/ML/")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_map_fits_a_phone_and_stays_geographic(live_server, roster, oct_officer, orm, browser, language):
    orm(lambda: _projects(roster, oct_officer, language))
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/projects/map/")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    shoot(page, f"map-phone-{language}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the map page scrolls sideways by {overflow}px: {page.evaluate(WIDEST)}"
    svg = page.locator('svg[data-chart="project-map"]').bounding_box()
    assert svg["width"] <= PHONE["width"]
    kenya = page.locator('[data-country="KE"]').bounding_box()
    mali = page.locator('[data-country="ML"]').bounding_box()
    assert kenya["x"] > mali["x"]  # east is on the right in Arabic too


def test_the_map_page_has_no_axe_violations(live_server, roster, oct_officer, orm, browser):
    orm(lambda: _projects(roster, oct_officer))
    page = browser.new_context().new_page()
    sign_in(page, live_server, "officer")
    for query in ("", "?pillar=II", "?pillar=nonsense"):
        page.goto(f"{live_server.url}/projects/map/{query}")
        violations = axe_violations(page)
        assert violations == [], query
