"""Attacks on the confirmations (issue 17): a name typed by someone else cannot break out of the
data-confirm attribute, and the count of people a step e-mails is shown only to whoever may take
the step."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from compact.matrix.services import project_save
from reporting.review.services import review_act, review_create
from tests.helpers import html_tree

pytestmark = pytest.mark.django_db

HOSTILE = 'Border" onmouseover="alert(1)" data-x="<script>alert(2)</script>'


def test_a_hostile_project_title_stays_inside_the_question(client_for, roster, oct_officer):
    fields = {"title": HOSTILE, "status": "ongoing", "lead_entity": roster.unodc, "pillars": ["I"]}
    project = project_save(project=None, actor=None, fields=fields)
    response = client_for(oct_officer).get(reverse("project-detail", args=[project.pk]))
    assert 'onmouseover="alert(1)"' not in response.text and "<script>alert(2)" not in response.text
    (form,) = html_tree(response).find_all("form", action=reverse("project-delete", args=[project.pk]))
    assert "onmouseover" not in form.attrs and "data-x" not in form.attrs
    assert form.attrs["data-confirm"] == (
        f"Delete the project “{HOSTILE}”? It leaves the matrix for good; only the audit log keeps what it was."
    )


@pytest.mark.parametrize("persona", ["focal_point", "committee_member"])
def test_only_oct_is_asked_and_told_how_many_focal_points_a_review_emails(
    request, client_for, oct_officer, focal_point, persona, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 10, 25, 15, tzinfo=datetime.UTC), tick=False)
    review = review_create(
        actor=oct_officer,
        biennium=2027,
        title="Review of the Compact 2027–2028",
        resolution_symbol="A/RES/77/298",
        resolution_url="https://docs.un.org/en/A/RES/77/298",
        opens_on=datetime.date(2026, 10, 20),
        comments_due_on=datetime.date(2026, 11, 10),
    )
    for action in ("open", "close"):  # closed: concluding and reopening both e-mail the focal points
        review = review_act(review=review, action=action, actor=oct_officer)
    oct_page = client_for(oct_officer).get(reverse("review-detail", args=[review.pk]))
    assert "1 focal point is e-mailed your reason at once." in oct_page.text
    reader = request.getfixturevalue(persona)
    response = client_for(reader).get(reverse("review-detail", args=[review.pk]))
    assert response.status_code == 200  # they read the review, but may not move it
    page = html_tree(response)
    assert page.find_all("form", action=reverse("review-act", args=[review.pk])) == []
    assert "is e-mailed" not in response.text and "are e-mailed" not in response.text
