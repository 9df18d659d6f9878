"""A reorganisation of the groups into fewer groups, in Chromium, from draft to adoption: an OCT
officer drafts it through the pages (a new group, then where each old group's work goes), the
preview says what will happen, a second officer records the Committee's decision after the
browser's question, and the list of groups as of the day before shows the old structure, as of
the day itself the new one; in Arabic on a phone too.

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


def test_two_groups_become_one_from_draft_to_adoption(
    live_server, roster, oct_officer, oct_colleague, chair, orm, browser
):
    today = timezone.localdate()
    eve = today - datetime.timedelta(days=1)
    decision = orm(lambda: held_decision(oct_officer, eve, "The Committee brings working groups 7 and 2 together."))

    page = browser.new_context().new_page()
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/working-groups/")
    page.get_by_role("link", name="Reorganisations").click()
    page.get_by_role("link", name="Draft a reorganisation").click()
    page.fill("#id_title", "Two groups into one")
    page.fill("#id_effective_on", today.isoformat())
    page.click("form.stacked button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("The draft was started")

    form = page.locator("#add-target")
    form.locator("#id_number").fill("1")
    form.locator("#id_name").fill("Human rights and the financing of terrorism")
    form.locator("#id_short_name").fill("Rights and finance")
    form.get_by_role("button", name="Add to the new structure").click()
    expect(page.locator(".reorganisation-targets")).to_contain_text("Human rights and the financing of terrorism")

    for group in (roster.group, roster.other_group):
        line = page.locator(f"#map-{group.pk}")
        line.locator("summary").click()
        line.get_by_label("WG 1: Rights and finance").check()
        line.locator("select").select_option(label="WG 1: Rights and finance")
        line.get_by_role("button", name="Save this line").click()
        expect(page.locator(".messages")).to_contain_text("was saved")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Group established: 1")
    expect(preview).to_contain_text("Group ends: 2")
    expect(preview).not_to_contain_text("Not ready to adopt")
    shot(page, "reorganisation-draft")

    other = browser.new_context().new_page()
    sign_in(other, live_server, "colleague")
    reorganisation = orm(lambda: Reorganisation.objects.get())
    other.goto(live_server.url + reverse("reorganisation-detail", args=[reorganisation.pk]))
    adopt = other.locator("section", has=other.locator("#move-adopt"))
    adopt.locator("select").select_option(value=str(decision.pk))
    asked = answer_next_question(other, accept=True)
    adopt.get_by_role("button", name="Record the adoption").click()
    expect(other.locator(".messages")).to_contain_text("The reorganisation is now “Adopted”.")
    assert asked == [QUESTION]
    shot(other, "reorganisation-adopted")

    new = orm(lambda: WorkingGroup.objects.get(number=1, retired_on=None))
    assert orm(lambda: RoleAssignment.objects.in_force_on(today).filter(working_group=new).count()) == 3
    other.goto(f"{live_server.url}/working-groups/?on={eve.isoformat()}")
    assert cards(other) == ["2", "7"]
    shot(other, "groups-the-day-before")
    other.goto(f"{live_server.url}/working-groups/?on={today.isoformat()}")
    assert cards(other) == ["1"]
    expect(other.locator("body")).to_contain_text("its work went to")
    shot(other, "groups-the-day")

    orm(lambda: User.objects.filter(username="chair").update(language="ar"))
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, live_server, "chair")
    phone.goto(f"{live_server.url}/working-groups/?on={eve.isoformat()}")
    assert phone.evaluate("document.documentElement.dir") == "rtl"
    assert cards(phone) == ["2", "7"]
    phone.goto(live_server.url + reverse("reorganisation-detail", args=[reorganisation.pk]))
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "reorganisation-arabic-phone")
