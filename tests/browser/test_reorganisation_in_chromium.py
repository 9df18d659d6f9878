"""A reorganisation of the demo's twelve groups into eleven, in Chromium, from draft to adoption:
an OCT officer drafts it through the pages (a new group, then where the work of working groups
7 and 9 goes), the preview says what will happen, a second officer records the Committee's
decision after the browser's question, and the list of groups as of the day before shows the
old structure, as of the day itself the new one; in Arabic on a phone too.

Set ``SHOTS_DIR`` to keep screenshots of what the pages look like."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from compact.core.models import User
from reporting.reorganisation.models import Reorganisation
from tests.browser.test_pages_in_chromium import sign_in
from tests.browser.test_reporting_in_chromium import answer_next_question
from tests.reporting.programme.test_api import held_decision
from workinggroups.models import RoleAssignment, WorkingGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
QUESTION = (
    "Record the adoption? The old groups end, the new ones start and everything the preview lists moves at once; "
    "only another reorganisation can undo it."
)


def shot(page, name: str) -> None:
    if os.environ.get("SHOTS_DIR"):
        page.screenshot(path=str(Path(os.environ["SHOTS_DIR"]) / f"{name}.png"), full_page=True)


def cards(page) -> list[str]:
    return [text.strip() for text in page.locator("ul.cards li.card h2 .wg-number").all_text_contents()]


@pytest.fixture
def demo(settings, tmp_path):
    """The demo's data, as ``make run`` loads it (its people's password is "pw")."""
    from portal.demo import demo_load
    from portal.reference import reference_load

    settings.MEDIA_ROOT = tmp_path / "media"
    reference_load()
    demo_load(password="pw")


def test_two_demo_groups_become_one_from_draft_to_adoption(live_server, demo, orm, browser):
    today = timezone.localdate()
    eve = today - datetime.timedelta(days=1)
    officer = orm(lambda: User.objects.get(username="oct.officer"))
    decision = orm(lambda: held_decision(officer, eve, "The Committee brings working groups 7 and 9 together."))
    old = orm(lambda: {g.number: g.pk for g in WorkingGroup.objects.active_on(eve)})
    assert sorted(old) == list(range(1, 13))

    page = browser.new_context().new_page()
    sign_in(page, live_server, "oct.officer")
    page.goto(f"{live_server.url}/working-groups/")
    page.get_by_role("link", name="Reorganisations").click()
    page.get_by_role("link", name="Draft a reorganisation").click()
    page.fill("#id_title", "Human rights and victims in one group")
    page.fill("#id_effective_on", today.isoformat())
    page.click("form.stacked button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("The draft was started")

    form = page.locator("#add-target")
    form.locator("#id_number").fill("14")
    form.locator("#id_name").fill("Human rights, the rule of law and the victims of terrorism")
    form.locator("#id_short_name").fill("Rights and victims")
    form.get_by_role("button", name="Add to the new structure").click()
    expect(page.locator(".reorganisation-targets")).to_contain_text("the victims of terrorism")

    for number in (7, 9):
        line = page.locator(f"#map-{old[number]}")
        line.locator("summary").click()
        line.get_by_label("WG 14: Rights and victims").check()
        line.locator("select").select_option(label="WG 14: Rights and victims")
        line.get_by_role("button", name="Save this line").click()
        expect(page.locator(".messages")).to_contain_text("was saved")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Group established: 1")
    expect(preview).to_contain_text("Group ends: 2")
    expect(preview).not_to_contain_text("Not ready to adopt")
    expect(preview).to_contain_text("Neither mapped nor kept")  # the other ten stay as they are
    expect(page.locator("#four-eyes")).to_be_visible()  # the drafter is not offered the adoption
    shot(page, "reorganisation-draft")

    other = browser.new_context().new_page()
    sign_in(other, live_server, "oct.colleague")
    reorganisation = orm(lambda: Reorganisation.objects.get(title="Human rights and victims in one group"))
    other.goto(live_server.url + reverse("reorganisation-detail", args=[reorganisation.pk]))
    adopt = other.locator("section", has=other.locator("#move-adopt"))
    adopt.locator("select").select_option(value=str(decision.pk))
    asked = answer_next_question(other, accept=True)
    adopt.get_by_role("button", name="Record the adoption").click()
    expect(other.locator(".messages")).to_contain_text("The reorganisation is now “Adopted”.")
    assert asked == [QUESTION]
    shot(other, "reorganisation-adopted")

    new = orm(lambda: WorkingGroup.objects.get(number=14, retired_on=None))
    chairs = orm(
        lambda: set(
            RoleAssignment.objects.in_force_on(today)
            .filter(working_group=new, role="chair")
            .values_list("entity__acronym", flat=True)
        )
    )
    assert "OHCHR" in chairs  # WG 7's chair carries on in the new group
    other.goto(f"{live_server.url}/working-groups/?on={eve.isoformat()}")
    assert cards(other) == [str(n) for n in range(1, 13)]
    shot(other, "groups-the-day-before")
    other.goto(f"{live_server.url}/working-groups/?on={today.isoformat()}")
    assert cards(other) == ["1", "2", "3", "4", "5", "6", "8", "10", "11", "12", "14"]
    expect(other.locator("body")).to_contain_text("its work went to")
    shot(other, "groups-the-day")

    orm(lambda: User.objects.filter(username="ohchr.chair").update(language="ar"))
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, live_server, "ohchr.chair")
    phone.goto(f"{live_server.url}/working-groups/?on={eve.isoformat()}")
    assert phone.evaluate("document.documentElement.dir") == "rtl"
    assert cards(phone) == [str(n) for n in range(1, 13)]
    phone.goto(live_server.url + reverse("reorganisation-detail", args=[reorganisation.pk]))
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "reorganisation-arabic-phone")
