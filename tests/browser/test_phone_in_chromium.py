"""Every page of the menu on a phone (390×844), as each role sees it, in Chromium: the menu
folds behind a button, no page scrolls sideways, and every data table reads as cards (its
rows' cells stack, each labelled by its column) except the grids marked grid-table, which
scroll inside their box. Set SCREENSHOTS_DIR to keep the screenshots."""

from __future__ import annotations

import pytest

from tests.browser.test_languages_in_chromium import WIDEST
from tests.browser.test_pages_in_chromium import sign_in
from tests.browser.test_reporting_in_chromium import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


# Tables with a header row that are not cards, and elements wider than the window outside a grid.
TABLES_NOT_CARDS = """() => [...document.querySelectorAll('main table')]
  .filter((t) => t.tHead && !t.classList.contains('as-cards') && !t.classList.contains('grid-table'))
  .map((t) => t.className || 'table')"""
# Grids and the matrix's wide bar charts scroll inside their own box (static/css/app.css).
# Wider than the window, unless inside a box that fits the window and scrolls sideways itself
# (the grids' wrap, a chart's panel): there the page stays put and the box scrolls.
WIDER_THAN_WINDOW = """() => {
  const scrollsInItsBox = (e) => {
    for (let box = e.parentElement; box && box !== document.body; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if ((overflow === 'auto' || overflow === 'scroll') && box.getBoundingClientRect().width <= innerWidth) {
        return true;
      }
    }
    return false;
  };
  return [...document.querySelectorAll('main *')]
    .filter((e) => e.getBoundingClientRect().width > innerWidth && !scrollsInItsBox(e))
    .map((e) => e.tagName + '.' + (e.getAttribute('class') || ''));
}"""
# For the first row of each table shown as cards: do its cells stack, and are they labelled?
CARD_ROWS = """() => [...document.querySelectorAll('main table.as-cards')].map((t) => {
  const row = t.tBodies[0] && t.tBodies[0].rows[0];
  const cells = row ? [...row.cells].filter((c) => c.getBoundingClientRect().height > 0) : [];
  if (cells.length < 2) return null;
  const [a, b] = cells;
  return {table: t.className, stacked: b.getBoundingClientRect().top >= a.getBoundingClientRect().bottom - 1,
    labelled: cells.some((c) => c.dataset.label && getComputedStyle(c, '::before').content.includes(c.dataset.label))};
}).filter(Boolean)"""


def assert_tables_read_as_cards(page, href):
    assert page.evaluate(TABLES_NOT_CARDS) == [], f"{href}: a data table is not shown as cards"
    assert page.evaluate(WIDER_THAN_WINDOW) == [], f"{href}: wider than the window"
    for card in page.evaluate(CARD_ROWS):
        assert card["stacked"] and card["labelled"], f"{href}: {card}"


def menu_links(page) -> list[str]:
    return page.eval_on_selector_all("#site-menu a[href^='/']", "links => links.map((a) => a.getAttribute('href'))")


@pytest.mark.parametrize("username", ["officer", "chair", "usg", "focal"])
def test_every_page_of_the_menu_fits_a_phone(
    live_server,
    report_period,
    oct_officer,
    chair,
    usg,
    focal_point,
    username,
    browser,
):
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server, username)
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible() and not page.locator("#site-menu").is_visible()
    toggle.click()
    assert page.locator("#site-menu").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    links = list(dict.fromkeys(menu_links(page)))
    assert len(links) >= 5
    for href in links:
        page.goto(f"{live_server.url}{href}")
        shoot(page, f"phone-{username}{href.replace('/', '-')}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{href} scrolls sideways by {overflow}px for {username}: {page.evaluate(WIDEST)}"
        assert_tables_read_as_cards(page, href)


def test_without_javascript_the_menu_stays_open(live_server, chair, browser):
    page = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "chair")
    page.fill("#id_password", "pw")
    page.click("form.stacked button[type=submit]")
    page.goto(f"{live_server.url}/")
    assert page.locator("#site-menu").is_visible() and not page.locator(".menu-toggle").is_visible()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_tables_read_as_cards_in_english_and_arabic(
    live_server,
    report_period,
    oct_officer,
    roster,
    language,
    orm,
    browser,
):
    """Home, the reporting landing page, a report, the project matrix and its pivots, and the
    registry, on a phone in both directions."""

    def prepare():
        from compact.core.models import User
        from compact.matrix.services import project_save
        from reporting.submissions.models import Submission

        User.objects.filter(pk=oct_officer.pk).update(language=language)
        for title, countries in (("Prison radicalization", ["JO", "IQ"]), ("Border security", ["TN"])):
            fields = {"title": title, "status": "ongoing", "lead_entity": roster.unodc, "pillars": ["I", "IV"]}
            project_save(project=None, actor=None, fields=fields, countries=countries)
        return Submission.objects.filter(period=report_period).order_by("working_group__number").first().pk

    submission = orm(prepare)
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server, "officer")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    pages = [
        "/",
        "/reporting/",
        f"/reporting/submissions/{submission}/",
        "/projects/",
        "/projects/pivots/",
        "/entities/",
    ]
    for href in pages:
        page.goto(f"{live_server.url}{href}")
        shoot(page, f"cards-{language}{href.replace('/', '-')}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{href} scrolls sideways by {overflow}px in {language}: {page.evaluate(WIDEST)}"
        assert_tables_read_as_cards(page, href)
    # The projects list is cards; its pivots are grids that scroll inside their box.
    page.goto(f"{live_server.url}/projects/")
    assert page.locator("table.projects.as-cards").count() == 1
    page.goto(f"{live_server.url}/projects/pivots/")
    assert page.locator("table.grid-table:not(.as-cards)").count() >= 1


def test_pages_beyond_the_menu_fit_a_phone_and_read_as_cards(
    live_server,
    report_period,
    oct_officer,
    roster,
    orm,
    browser,
):
    """The detail pages OCT opens from the menu's lists: an entity, a working group and its work
    plan, a period's dashboard, a report, the calendar's log and requests, the compiled
    reports, the overlaps, the import, M&E, a Committee meeting."""

    def paths():
        from reporting.submissions.models import Submission
        from workinggroups.models import WorkingGroup

        group = WorkingGroup.objects.get(number=7)
        submission = Submission.objects.filter(period=report_period, working_group=group).get()
        return [
            "/entities/UNODC/",
            f"/working-groups/{group.pk}/",
            f"/reporting/periods/{report_period.pk}/",
            f"/reporting/submissions/{submission.pk}/",
            f"/reporting/submissions/{submission.pk}/versions/",
            "/reporting/calendar/log/",
            "/reporting/extensions/",
            "/reporting/compiled/",
            "/reporting/monitoring/",
            "/projects/overlaps/",
            "/projects/import/",
            "/calendar/",
        ]

    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server, "officer")
    for href in orm(paths):
        response = page.goto(f"{live_server.url}{href}")
        assert response.ok, href
        shoot(page, f"phone-detail{href.replace('/', '-')}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{href} scrolls sideways by {overflow}px: {page.evaluate(WIDEST)}"
        assert_tables_read_as_cards(page, href)
