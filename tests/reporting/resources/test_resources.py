"""The resource-mobilisation view: the year's needs (programme priorities, projects in the
Financing step) against pledges and earmarks, gap per line and in total, for OCT and the USG,
within clearance — a hidden line's amount never reaches a total."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from compact.core.models import Classification
from compact.core.roles import Role
from compact.funding.services import earmark_add
from compact.matrix.models import Project
from reporting.programme import services as programme_services
from reporting.programme.models import ProgrammeOfWork
from reporting.resources.selectors import resource_view
from tests.compact.funding.helpers import contribution, project
from tests.conftest import _person

pytestmark = pytest.mark.django_db


def _world(roster, oct_officer):
    """2026: a programme priority naming WG 7 needing 1,000 a year; an open project in
    financing (budget 500) and a confidential one (budget 300); an open pledge of 900 and a
    confidential one of 400, earmarked 200 to WG 7, 100 to the open project and 250 (from the
    confidential pledge) to the confidential project."""
    programme = ProgrammeOfWork.objects.create(biennium_start=2026, title="Programme MK-PW")
    programme_services.priority_add(
        programme=programme,
        actor=oct_officer,
        code="1",
        title="Coordination MK-PR",
        working_groups=[roster.group],
        resources_needed_usd=Decimal("1000"),
    )
    open_project = project("Open MK-OP", stage=Project.Stage.FINANCING, budget_usd=Decimal("500"))
    secret = project(
        "Secret MK-SP",
        stage=Project.Stage.FINANCING,
        budget_usd=Decimal("300"),
        classification=Classification.CONFIDENTIAL,
    )
    project("Not financing MK-NF", stage=Project.Stage.PLANNING, budget_usd=Decimal("9999"))
    pledge = contribution(oct_officer, pledged="900", received="450")
    hidden = contribution(oct_officer, code="JP", pledged="400", classification=Classification.CONFIDENTIAL)
    earmark_add(contribution=pledge, amount_usd=Decimal("200"), working_group=roster.group, actor=oct_officer)
    earmark_add(contribution=pledge, amount_usd=Decimal("100"), project=open_project, actor=oct_officer)
    earmark_add(contribution=hidden, amount_usd=Decimal("250"), project=secret, actor=oct_officer)
    return open_project, secret


def test_oct_sees_every_line_and_the_totals(roster, oct_officer):
    _world(roster, oct_officer)
    view = resource_view(oct_officer, 2026)
    lines = {line.label: (line.needed, line.earmarked, line.gap) for line in view.lines}
    assert lines == {
        "1. Coordination MK-PR": (Decimal("1000"), Decimal("200"), Decimal("800")),
        "Open MK-OP": (Decimal("500"), Decimal("100"), Decimal("400")),
        "Secret MK-SP": (Decimal("300"), Decimal("250"), Decimal("50")),
    }
    assert (view.needed, view.pledged, view.received) == (Decimal("1800"), Decimal("1300"), Decimal("450"))
    assert (view.earmarked, view.unearmarked, view.gap) == (Decimal("550"), Decimal("750"), Decimal("500"))


def test_a_reader_not_cleared_gets_neither_the_hidden_lines_nor_their_amounts_in_totals(
    roster, oct_officer, client_for, api_for
):
    _world(roster, oct_officer)
    officer = _person("lowofficer", roster.unoct, (Role.OCT,), Classification.UNCLASSIFIED)
    view = resource_view(officer, 2026)
    assert [line.label for line in view.lines] == ["1. Coordination MK-PR", "Open MK-OP"]
    assert (view.needed, view.pledged, view.earmarked) == (Decimal("1500"), Decimal("900"), Decimal("300"))
    page = client_for(officer)
    text = page.get(reverse("resources"), {"year": 2026}).content.decode()
    assert "Secret MK-SP" not in text and "1,800" not in text and "1,300" not in text and "1,500" in text
    exported = page.get(reverse("resources-csv"), {"year": 2026}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert all("Secret MK-SP" not in row for row in rows)
    assert ["Total", "", "", "", "1500.00", "", ""] in rows
    assert ["Gap: needed less pledged (USD)", "", "", "", "600.00", "", ""] in rows
    # What is left of the pledges is told only to a reader who sees every earmark.
    assert view.unearmarked is None and all(row[0] != "Pledged, not earmarked (USD)" for row in rows)
    assert "Pledged, not earmarked" not in text
    assert api_for(officer).get("/api/v1/resources/", {"year": 2026}).json()["unearmarked"] is None


def test_the_csv_keeps_a_line_s_gap_apart_from_the_year_s(roster, oct_officer, client_for):
    open_project, _secret = _world(roster, oct_officer)
    exported = client_for(oct_officer).get(reverse("resources-csv"), {"year": 2026}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][-1] == "Gap (USD)"  # a line's: its need less what is earmarked to it
    assert rows[2] == ["Project", str(open_project.pk), "Open MK-OP", "unclassified", "500.00", "100.00", "400.00"]
    assert rows[4:] == [
        ["Total", "", "", "", "1800.00", "", ""],
        ["Earmarked (USD)", "", "", "", "550.00", "", ""],
        ["Pledged (USD)", "", "", "", "1300.00", "", ""],
        ["Received (USD)", "", "", "", "450.00", "", ""],
        ["Pledged, not earmarked (USD)", "", "", "", "750.00", "", ""],
        ["Gap: needed less pledged (USD)", "", "", "", "500.00", "", ""],
    ]
    page = client_for(oct_officer).get(reverse("resources"), {"year": 2026}).content.decode()
    assert "Pledged, not earmarked (USD)" in page


def test_a_line_s_classification_reads_as_words_in_the_reader_s_language(roster, oct_officer, client_for):
    _world(roster, oct_officer)
    client = client_for(oct_officer)
    page = client.get(reverse("resources"), {"year": 2026}).content.decode()
    assert 'classification-confidential">Confidential</span>' in page and ">confidential<" not in page
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("resources"), {"year": 2026}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'classification-confidential">Confidentiel</span>' in page


def test_another_year_shows_its_own_pledges(roster, oct_officer):
    _world(roster, oct_officer)
    view = resource_view(oct_officer, 2028)
    assert view.programme is None and view.pledged == 0 and [line.earmarked for line in view.projects] == [0, 0]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("oct_officer", 200),
        ("usg", 200),
        ("committee_member", 404),
        ("chair", 404),
        ("vice_chair", 404),
        ("focal_point", 404),
        ("outsider", 404),
    ],
)
def test_the_view_is_oct_s_and_the_usg_s(roster, persona, status, request, client_for, api_for):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("resources")).status_code == status
    assert client_for(user).get(reverse("resources-csv")).status_code == status
    assert api_for(user).get("/api/v1/resources/").status_code == status


def test_the_api_and_a_bad_year(roster, oct_officer, api_for, client_for):
    _world(roster, oct_officer)
    body = api_for(oct_officer).get("/api/v1/resources/", {"year": 2026}).json()
    assert body["gap"] == "500.00" and len(body["lines"]) == 3 and body["lines"][0]["kind"] == "priority"
    assert api_for(oct_officer).get("/api/v1/resources/", {"year": 99999}).status_code == 400
    assert client_for(oct_officer).get(reverse("resources"), {"year": "x"}).status_code == 400
    assert api_for(None).get("/api/v1/resources/").status_code in (401, 403)


def test_the_drafters_record_the_need_and_a_negative_one_is_refused(roster, oct_officer, client_for):
    programme = ProgrammeOfWork.objects.create(biennium_start=2026, title="Programme MK-PW")
    priority = programme_services.priority_add(programme=programme, actor=oct_officer, code="1", title="One")
    url = reverse("programme-priority-edit", args=[priority.pk])
    data = {"code": "1", "title": "One", "base_revision": programme.__class__.objects.get().revision}
    refused = client_for(oct_officer).post(url, {**data, "resources_needed_usd": "-1"})
    assert refused.status_code == 400
    assert client_for(oct_officer).post(url, {**data, "resources_needed_usd": "2500"}).status_code == 302
    priority.refresh_from_db()
    assert priority.resources_needed_usd == Decimal("2500")
