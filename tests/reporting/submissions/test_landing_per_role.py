"""The reporting landing page speaks to its reader: OCT runs reporting for every group (even
when its officer also leads one), a chair prepares their groups' inputs, the USG and the
Committee read accepted reports, anyone else follows the periods. The <title> and the h1 say
the same thing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from tests.helpers import html_tree
from workinggroups.models import WorkingGroup
from workinggroups.permissions import LEAD_PERMISSION

pytestmark = pytest.mark.django_db


def heading_and_title(client) -> tuple[str, str, str]:
    page = html_tree(client.get(reverse("reporting-home")))
    title = page.find("title").text.split(" · ")[0]
    return page.find("h1").text, title, page.find("p", class_="lede").text


@pytest.mark.parametrize(
    ("persona", "heading", "lede_starts"),
    [
        ("oct_officer", "Reporting — all working groups", "Every working group's"),
        ("chair", "My working groups", "The quarterly briefings and progress reports your working groups"),
        ("usg", "Working groups' reports", "The working groups' quarterly briefings"),
        ("committee_member", "Working groups' reports", "The working groups' quarterly briefings"),
        ("focal_point", "Working groups' reporting", "When the working groups report"),
    ],
)
def test_each_role_gets_its_own_title_and_introduction(
    request, client_for, report_period, persona, heading, lede_starts
):
    h1, title, lede = heading_and_title(client_for(request.getfixturevalue(persona)))
    assert h1 == title == heading
    assert lede.startswith(lede_starts)


def test_an_officer_who_also_leads_a_group_keeps_octs_wording(client_for, report_period, oct_officer):
    assign_perm(LEAD_PERMISSION, oct_officer, WorkingGroup.objects.get(number=2))
    client = client_for(oct_officer)
    h1, title, _lede = heading_and_title(client)
    assert h1 == title == "Reporting — all working groups"
    headings = [h2.text for h2 in html_tree(client.get(reverse("reporting-home"))).find_all("h2")]
    assert "Groups you report for" in headings and "My working groups" not in headings


def test_a_chairs_desk_is_not_titled_twice(client_for, report_period, chair):
    headings = [h2.text for h2 in html_tree(client_for(chair).get(reverse("reporting-home"))).find_all("h2")]
    assert "Reports to prepare" in headings and "My working groups" not in headings
