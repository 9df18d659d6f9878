"""The reporting dashboard (issue 20) under attack: who may open it, and what a reader whose
clearance is below a submission's classification learns of it — nothing: not its link, not its
outcome, not its time to acceptance, not even that it exists (its group reads as one that did
not report, as for a group with no input)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from compact.core.models import Classification
from tests.reporting.dashboard.world import TODAY, Rounds, at, build_rounds

pytestmark = pytest.mark.django_db
URL = "/reporting/dashboard/"


@pytest.fixture
def rounds(roster, time_machine) -> Rounds:
    return build_rounds(roster, time_machine)


@pytest.mark.parametrize("persona", ["focal_point", "outsider"])
@pytest.mark.parametrize("query", ["", "?year=2026"])
def test_a_focal_point_or_outsider_gets_the_same_404_as_for_a_missing_page(persona, query, rounds, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    response = client.get(URL + query)
    assert response.status_code == 404
    page = response.content.decode()
    assert "data-chart" not in page and "Prevention" not in page and "Reporting dashboard" not in page


def test_a_deactivated_committee_member_is_refused(rounds, client_for, committee_member):
    committee_member.is_active = False
    committee_member.save()
    assert client_for(committee_member).get(URL).status_code in (302, 404)


def _cells(page: str) -> dict[tuple[str, str], str]:
    """(row, column) → category of every heatmap cell on the page."""
    import re

    found = {}
    for match in re.finditer(r'<rect [^>]*class="chart-mark"[^>]*>', page):
        tag = match.group(0)
        row, column = re.search(r'data-row="([^"]*)"', tag), re.search(r'data-column="([^"]*)"', tag)
        if row and column:
            found[(row.group(1), column.group(1))] = re.search(r'data-category="([^"]*)"', tag).group(1)
    return found


def test_a_strictly_confidential_input_is_not_there_for_a_confidential_reader(rounds, client_for, committee_member):
    page = client_for(committee_member).get(URL).content.decode()
    secret_url = reverse("reporting-submission", args=[rounds.secret.pk])
    assert secret_url not in page
    # WG 5 reads exactly as a group that sent nothing (WG 2's Q2 cell): missing.
    cells = _cells(page)
    assert cells[("WG 5: Prevention", "Q1 2026")] == "missing" == cells[("WG 2: Financing", "Q2 2026")]
    # The acceptance figures count the two inputs the reader may read, not three.
    assert 'data-count="2"' in page and 'data-count="3"' not in page
    assert "Inputs classified above your clearance are counted as if the group had none." in page


def test_the_same_input_shows_for_a_reader_cleared_for_it(rounds, client_for, usg):
    page = client_for(usg).get(URL).content.decode()
    assert _cells(page)[("WG 5: Prevention", "Q1 2026")] == "on-time"
    assert 'data-count="3"' in page
    assert "counted as if the group had none" not in page


def test_an_unreadable_input_of_a_group_no_longer_expected_does_not_add_a_row(rounds, client_for, committee_member):
    # WG 5 retired on the last day of Q1, before the later rounds opened: only its strictly
    # confidential Q1 input makes it expected anywhere.
    rounds.wg5.retired_on = rounds.q1.covers_until
    rounds.wg5.save()
    rounds.wg5.submissions.exclude(pk=rounds.secret.pk).delete()
    page = client_for(committee_member).get(URL).content.decode()
    assert "WG 5" not in page
    officer_page = client_for(_officer()).get(URL).content.decode()
    assert "WG 5: Prevention" in officer_page  # OCT, cleared, still sees it


def _officer():
    from tests.helpers import oct_person

    return oct_person("sc-officer", Classification.STRICTLY_CONFIDENTIAL)


def test_a_chair_opens_only_their_own_inputs_and_accepted_ones(rounds, client_for, chair):
    """WG 7's chair (unclassified clearance) reads the Committee's dashboard; links go to
    what they may open: WG 7's inputs (unclassified) and accepted ones."""
    page = client_for(chair).get(URL).content.decode()
    own = {reverse("reporting-submission", args=[s.pk]) for s in rounds.wg7.submissions.all()}
    wg2_q1 = reverse("reporting-submission", args=[rounds.submission(rounds.q1, rounds.wg2).pk])
    wg2_q2 = reverse("reporting-submission", args=[rounds.submission(rounds.q2, rounds.wg2).pk])
    assert all(url in page for url in own)
    assert wg2_q1 in page  # accepted
    assert wg2_q2 not in page  # a draft of another group


def test_a_confidential_input_is_hidden_from_an_unclassified_chair_but_not_from_the_committee(
    rounds, client_for, chair, committee_member
):
    q2 = rounds.submission(rounds.q2, rounds.wg2)
    q2.classification, q2.status, q2.submitted_at, q2.on_time = (
        Classification.CONFIDENTIAL,
        "accepted",
        at(TODAY),
        False,
    )
    q2.save()
    assert _cells(client_for(chair).get(URL).content.decode())[("WG 2: Financing", "Q2 2026")] == "missing"
    assert _cells(client_for(committee_member).get(URL).content.decode())[("WG 2: Financing", "Q2 2026")] == "late"


def test_labels_are_escaped_in_the_svg(rounds, client_for, oct_officer):
    rounds.wg2.short_name = '"><script>alert(1)</script>'
    rounds.wg2.save()
    page = client_for(oct_officer).get(URL).content.decode()
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_no_method_but_get(method, rounds, client_for, oct_officer):
    assert getattr(client_for(oct_officer), method)(URL).status_code == 405
