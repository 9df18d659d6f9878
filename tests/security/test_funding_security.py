"""Attacks on the Trust Fund's contributions, earmarks and the resource-mobilisation view:
forged POSTs, other people's ids, amounts that do not fit, fields nobody may set, hidden rows
reached by id or through a total, and texts that a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from compact.core.models import AuditEvent, Classification
from compact.core.roles import Role
from compact.funding.models import Contribution, Earmark
from compact.funding.services import earmark_add
from compact.matrix.models import Project
from compact.matrix.services import project_save
from tests.compact.funding.helpers import contribution, donor, project
from tests.conftest import _person

pytestmark = pytest.mark.django_db

EARMARKS = "/api/v1/trust-fund/earmarks/"


def _low_officer(roster):
    """An OCT officer cleared for unclassified rows only."""
    return _person("lowofficer", roster.unoct, (Role.OCT,), Classification.UNCLASSIFIED)


def test_a_forged_earmark_post_by_a_focal_point_changes_nothing(roster, oct_officer, focal_point, client_for):
    row = contribution(oct_officer)
    for url, data in [
        (reverse("trust-fund-earmark-new", args=[row.pk]), {"amount_usd": "1", "working_group": roster.group.pk}),
        (reverse("trust-fund-contribution-new"), {"donor": row.donor.pk, "year": 2030, "source": "x"}),
        (reverse("trust-fund-contribution-edit", args=[row.pk]), {"pledged_usd": "1", "source": "x"}),
    ]:
        assert client_for(focal_point).post(url, data).status_code == 404
    assert not Earmark.objects.exists() and Contribution.objects.get().amount_usd == Decimal("100000")


def test_a_hidden_contribution_or_project_is_a_404_by_id(roster, oct_officer, client_for, api_for):
    officer = _low_officer(roster)
    secret = contribution(oct_officer, classification=Classification.CONFIDENTIAL)
    hidden_project = project(classification=Classification.CONFIDENTIAL)
    open_row = contribution(oct_officer, code="JP")
    assert client_for(officer).get(reverse("trust-fund-contribution", args=[secret.pk])).status_code == 404
    assert api_for(officer).get(f"/api/v1/trust-fund/contributions/{secret.pk}/").status_code == 404
    # Beyond the officer's clearance is refused exactly as a row that does not exist.
    for key, hidden, missing in [("contribution", secret.pk, 10**9), ("project", hidden_project.pk, 10**9)]:
        body = {"contribution": open_row.pk, "amount_usd": "1", "project": None, key: hidden}
        refused = api_for(officer).post(EARMARKS, body, format="json")
        absent = api_for(officer).post(EARMARKS, {**body, key: missing}, format="json")
        assert refused.status_code == absent.status_code == 400
        assert refused.json()[key] == [str(absent.json()[key][0]).replace(str(missing), str(hidden))]
    page = reverse("trust-fund-earmark-new", args=[open_row.pk])
    response = client_for(officer).post(page, {"amount_usd": "1", "project": hidden_project.pk})
    assert response.status_code == 400 and not Earmark.objects.exists()  # not a choice the officer has


def test_a_hidden_earmark_cannot_be_read_or_removed_by_id(roster, oct_officer, client_for, api_for):
    officer = _low_officer(roster)
    row = contribution(oct_officer)
    hidden = earmark_add(
        contribution=row,
        amount_usd=Decimal("5"),
        project=project(classification=Classification.CONFIDENTIAL),
        actor=oct_officer,
    )
    assert api_for(officer).get(f"{EARMARKS}{hidden.pk}/").status_code == 404
    assert api_for(officer).delete(f"{EARMARKS}{hidden.pk}/").status_code == 404
    assert client_for(officer).post(reverse("trust-fund-earmark-remove", args=[hidden.pk])).status_code == 404
    assert Earmark.objects.filter(pk=hidden.pk).exists()


@pytest.mark.parametrize("amount", ["-1", "0", "1e20", "999999999999999", "NaN", "Infinity", "1.001", "12abc", "", "٣"])
def test_amounts_that_do_not_fit_are_refused(roster, oct_officer, api_for, client_for, amount):
    row = contribution(oct_officer, pledged="1000")
    body = {"contribution": row.pk, "amount_usd": amount, "working_group": roster.group.pk}
    response = api_for(oct_officer).post(EARMARKS, body, format="json")
    page = client_for(oct_officer).post(
        reverse("trust-fund-earmark-new", args=[row.pk]), {"amount_usd": amount, "working_group": roster.group.pk}
    )
    if amount == "٣":  # Arabic-Indic digits are a number Django reads on the page (3)
        assert page.status_code == 302
        return
    assert response.status_code == 400 and page.status_code == 400
    assert not Earmark.objects.exists()


@pytest.mark.parametrize("field", ["pledged_usd", "received_usd"])
@pytest.mark.parametrize("amount", ["-5", "1e16", "NaN"])
def test_contribution_amounts_that_do_not_fit_are_refused(roster, oct_officer, api_for, field, amount):
    donor("JP", "Japan")
    body = {"donor": "JP", "year": 2026, "evidence": "public", "source": "x", field: amount}
    assert api_for(oct_officer).post("/api/v1/trust-fund/contributions/", body, format="json").status_code == 400
    assert not Contribution.objects.exists()


def test_fields_the_service_sets_cannot_be_sent(roster, oct_officer, chair, api_for):
    # A confidential contribution: its earmark is confidential whatever the request says.
    row = contribution(oct_officer, pledged="100", classification=Classification.CONFIDENTIAL)
    body = {
        "contribution": row.pk,
        "amount_usd": "10",
        "working_group": roster.group.pk,
        "classification": Classification.UNCLASSIFIED,
        "created_by": chair.pk,
        "id": 999,
    }
    created = api_for(oct_officer).post(EARMARKS, body, format="json")
    assert created.status_code == 201
    earmark = Earmark.objects.get()
    assert earmark.pk == created.json()["id"] != 999 and earmark.created_by == oct_officer
    assert earmark.classification == created.json()["classification"] == Classification.CONFIDENTIAL


def test_an_officer_cannot_mark_a_contribution_above_their_clearance(roster, api_for):
    officer = _low_officer(roster)
    donor("JP", "Japan")
    body = {"donor": "JP", "year": 2026, "evidence": "public", "source": "x", "classification": "confidential"}
    response = api_for(officer).post("/api/v1/trust-fund/contributions/", body, format="json")
    assert response.status_code == 400 and "classification" in response.json()
    assert not Contribution.objects.exists()


def test_hidden_amounts_never_reach_a_reader_through_a_total(roster, oct_officer, focal_point, client_for, api_for):
    """The donor page, its API, the project page and the list's export sum only readable rows."""
    target = project("Shared MK-SH")
    row = contribution(oct_officer, pledged="1000")
    earmark_add(contribution=row, amount_usd=Decimal("111"), project=target, actor=oct_officer)
    earmark_add(
        contribution=row,
        amount_usd=Decimal("222"),
        project=project("Hidden MK-HI", classification=Classification.CONFIDENTIAL),
        actor=oct_officer,
    )
    contribution(oct_officer, year=2027, pledged="444", classification=Classification.CONFIDENTIAL)
    donor_page = client_for(focal_point).get(reverse("trust-fund-donor", args=["NO"])).content.decode()
    # Amounts as the page writes them ("111.00"): a bare "333" could be part of an object's id.
    assert "111.00" in donor_page
    assert all(amount not in donor_page for amount in ("222.00", "333.00", "444.00", "1,444.00", "1444.00"))
    assert "Hidden MK-HI" not in donor_page and "1,444" not in donor_page
    detail = api_for(focal_point).get("/api/v1/trust-fund/donors/NO/").json()
    assert (detail["pledged_usd"], detail["earmarked_usd"]) == ("1000.00", "111.00")
    contribution_page = client_for(focal_point).get(reverse("trust-fund-contribution", args=[row.pk])).content
    assert b"222.00" not in contribution_page and b"Not yet earmarked" not in contribution_page
    officer_page = client_for(oct_officer).get(reverse("trust-fund-contribution", args=[row.pk])).content
    assert b"Not yet earmarked" in officer_page
    assert AuditEvent.objects.filter(verb="funding.earmark_added", classification="confidential").count() == 1


def test_texts_a_spreadsheet_would_run_are_neutralised_in_the_exports(roster, oct_officer, client_for):
    evil = donor("ZZ", '=HYPERLINK("http://evil.example","x")')
    target = project('=cmd|"/c calc"!A1', stage=Project.Stage.FINANCING, budget_usd=Decimal("10"))
    project_save(project=target, actor=oct_officer, fields={"donors": "+SUM(A1:A9)"}, funders=[evil])
    body = b"".join(client_for(oct_officer).get(reverse("project-export-csv")).streaming_content).decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert row["funder_names"].startswith("'=") and row["donors"].startswith("'+") and row["title"].startswith("'=")
    exported = client_for(oct_officer).get(reverse("resources-csv"), {"year": 2026}).content.decode("utf-8-sig")
    cells = [cell for line in csv.reader(io.StringIO(exported)) for cell in line]
    assert '\'=cmd|"/c calc"!A1' in cells and not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_a_bad_donor_code_or_year_is_a_clean_answer(roster, oct_officer, api_for, client_for):
    assert client_for(oct_officer).get("/trust-fund/donors/ZZZZ/").status_code == 404
    assert client_for(oct_officer).get("/trust-fund/donors/%00/").status_code == 404
    assert api_for(oct_officer).get("/api/v1/trust-fund/donors/Z1/").status_code == 404
    assert api_for(oct_officer).get(EARMARKS, {"project": "1" * 30}).status_code == 400
    assert api_for(oct_officer).get(EARMARKS, {"donor": "<script>"}).status_code == 400
    assert api_for(oct_officer).get("/api/v1/projects/", {"donor": "NOR"}).status_code == 400
    assert client_for(oct_officer).get(reverse("project-list"), {"donor": "XX' OR 1=1"}).status_code == 200
    assert client_for(oct_officer).get(f"/trust-fund/contributions/{2**70}/").status_code == 404
