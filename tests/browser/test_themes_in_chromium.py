"""OCT confirms themes in bulk in Chromium: "select all" ticks the page's projects."""

from __future__ import annotations

import pytest

from compact.matrix.models import Project
from compact.matrix.services import project_save
from tests.browser.test_pages_in_chromium import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def projects(roster):
    roster.group.code = "ctitf-2018-07"
    roster.group.save(update_fields=["code"])
    return [
        project_save(
            project=None, actor=None, fields={"title": title, "status": "ongoing", "lead_entity": roster.ohchr}
        ).pk
        for title in ("Human rights training", "Human rights guide")
    ]


def test_select_all_then_confirm(live_server, oct_officer, projects, orm, browser):
    page = browser.new_page()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/projects/themes/")
    master = page.locator("#tick-all")
    assert master.is_visible()
    master.check()
    assert page.locator('input[name="projects"]:checked').count() == 2
    page.locator(f"#tick-{projects[0]}").uncheck()
    assert master.evaluate("box => box.indeterminate")
    master.check()
    page.get_by_role("button", name="Confirm the themes of the ticked projects").click()
    page.wait_for_url(f"{live_server.url}/projects/themes/")
    assert "The themes of 2 projects were confirmed." in page.content()
    page.close()
    confirmed = Project.objects.filter(pk__in=projects, themes_confirmed_at__isnull=False)
    codes = orm(lambda: sorted(confirmed.values_list("themes__code", flat=True)))
    assert codes == ["ctitf-2018-07", "ctitf-2018-07"]
