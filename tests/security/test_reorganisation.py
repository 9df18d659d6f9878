"""Attacks on a reorganisation: forged moves and edits by people who may read a draft but not
change it, ids of another draft's groups, groups that are not live, a decision already used,
a draft changed under the adopter, oversized input, and the classification of what a preview
and an adoption name (a confidential project's title, its audit row)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from compact.core.models import AuditEvent, Classification
from compact.matrix.services import project_save
from reporting.programme.services import priority_add, programme_adopt, programme_create
from reporting.reorganisation.models import Reorganisation, ReorganisationMapping, ReorganisationTarget
from reporting.reorganisation.services import (
    reorganisation_act,
    reorganisation_create,
    reorganisation_mapping_set,
    reorganisation_target_add,
)
from tests.helpers import html_tree
from tests.reporting.programme.test_api import held_decision
from workinggroups.models import WorkingGroup
from workinggroups.services import workinggroup_retire

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2026, 7, 1)
SECRET = "MK-CONFIDENTIAL-PROJECT-TITLE"


@pytest.fixture
def draft(roster, oct_officer) -> Reorganisation:
    reorganisation = reorganisation_create(title="Fewer groups", effective_on=DAY, actor=oct_officer)
    new = reorganisation_target_add(
        reorganisation=reorganisation, actor=oct_officer, number=1, name="Rights", short_name="Rights"
    )
    reorganisation_mapping_set(reorganisation=reorganisation, source=roster.group, targets=[new], actor=oct_officer)
    reorganisation.refresh_from_db()
    return reorganisation


def _state(reorganisation: Reorganisation) -> tuple:
    reorganisation.refresh_from_db()
    return (
        reorganisation.state,
        reorganisation.title,
        reorganisation.revision,
        sorted(reorganisation.targets.values_list("pk", flat=True)),
        sorted(reorganisation.mappings.values_list("source_id", flat=True)),
        WorkingGroup.objects.count(),
    )


@pytest.mark.parametrize("persona", ["chair", "vice_chair", "committee_member", "usg", "focal_point", "outsider"])
def test_readers_cannot_change_or_adopt_a_draft_through_the_pages(request, client_for, draft, roster, persona):
    """Every write answers 404 to a non-OCT persona (as for a draft they may not see), and the
    draft, its lines and the groups are exactly as they were."""
    client = client_for(request.getfixturevalue(persona))
    decision = held_decision(request.getfixturevalue("oct_colleague"), D(2026, 6, 20))
    before = _state(draft)
    target = draft.targets.get()
    posts = [
        ("reorganisation-edit", [draft.pk], {"title": "Hijacked", "effective_on": "2026-07-01"}),
        ("reorganisation-target-add", [draft.pk], {"number": "5", "name": "X", "short_name": "X"}),
        ("reorganisation-target-remove", [draft.pk, target.pk], {}),
        (
            "reorganisation-mapping",
            [draft.pk, roster.other_group.pk],
            {f"map-{roster.other_group.pk}-targets": [target.pk]},
        ),
        ("reorganisation-act", [draft.pk], {"action": "adopt", "decision": decision.pk}),
        ("reorganisation-act", [draft.pk], {"action": "withdraw", "message": "No."}),
    ]
    for name, args, data in posts:
        assert client.post(reverse(name, args=args), data).status_code == 404, name
    assert client.get(reverse("reorganisation-create")).status_code == 404
    assert _state(draft) == before


def test_another_drafts_group_cannot_be_mapped_or_removed(client_for, roster, draft, oct_officer):
    other = reorganisation_create(title="Another", effective_on=DAY, actor=oct_officer)
    foreign = reorganisation_target_add(reorganisation=other, actor=oct_officer, number=4, name="F", short_name="F")
    client = client_for(oct_officer)
    before = _state(draft)
    prefix = f"map-{roster.other_group.pk}"
    answer = client.post(
        reverse("reorganisation-mapping", args=[draft.pk, roster.other_group.pk]),
        {f"{prefix}-targets": [foreign.pk], f"{prefix}-reports_to": foreign.pk},
    )
    assert answer.status_code == 400
    assert not ReorganisationMapping.objects.filter(reorganisation=draft, source=roster.other_group).exists()
    assert client.post(reverse("reorganisation-target-remove", args=[draft.pk, foreign.pk])).status_code == 404
    assert ReorganisationTarget.objects.filter(pk=foreign.pk).exists()
    assert _state(draft) == before


def test_a_group_that_is_not_live_cannot_be_mapped_and_a_retired_source_stops_adoption(
    client_for, roster, draft, oct_officer, oct_colleague
):
    retired = WorkingGroup.objects.create(number=9, name="Old", short_name="Old", retired_on=D(2025, 1, 1))
    assert (
        client_for(oct_officer).post(reverse("reorganisation-mapping", args=[draft.pk, retired.pk]), {}).status_code
        == 404
    )
    # WG 7 ends by another route before the adoption: the plan refuses, and nothing is applied.
    workinggroup_retire(group=roster.group, retired_on=D(2026, 6, 1), actor=oct_officer)
    decision = held_decision(oct_officer, D(2026, 6, 20))
    with pytest.raises(Exception, match="not a live group"):
        reorganisation_act(reorganisation=draft, action="adopt", actor=oct_colleague, decision=decision, today=DAY)
    assert not WorkingGroup.objects.filter(number=1).exists()
    draft.refresh_from_db()
    assert draft.state == Reorganisation.State.DRAFT


def test_a_decision_that_adopted_something_else_is_refused(api_for, roster, draft, oct_officer, oct_colleague):
    programme = programme_create(actor=oct_officer, biennium_start=2026, title="Programme")
    priority_add(programme=programme, actor=oct_officer, code="1", title="P")
    decision = held_decision(oct_officer, D(2026, 6, 20))
    programme_adopt(programme=programme, decision=decision, change_note="", actor=oct_colleague)
    response = api_for(oct_colleague).post(
        f"/api/v1/reorganisations/{draft.pk}/transitions/", {"action": "adopt", "decision": decision.pk}, format="json"
    )
    assert response.status_code == 400
    assert "adopted something else already" in str(response.json())
    assert not WorkingGroup.objects.filter(number=1).exists()


def test_oversized_and_malformed_input_is_refused_with_its_reason(client_for, draft, oct_officer):
    client = client_for(oct_officer)
    before = _state(draft)
    answer = client.post(
        reverse("reorganisation-edit", args=[draft.pk]),
        {"title": "x" * 5000, "effective_on": "not a date", "base_revision": draft.revision},
    )
    assert answer.status_code == 400
    text = html_tree(answer).text
    assert "Ensure this value has at most 200 characters" in text and "Enter a valid date." in text
    answer = client.post(
        reverse("reorganisation-target-add", args=[draft.pk]), {"number": "99999999999999999999", "name": "N"}
    )
    assert answer.status_code == 400
    assert _state(draft) == before


def test_a_confidential_project_is_named_only_to_readers_cleared_for_it(
    api_for, client_for, roster, draft, chair, committee_member, oct_officer, oct_colleague
):
    """The chair (unclassified) reads the draft and its preview, but not the confidential
    project's title, there or after adoption; the audit row of the themes carried is marked
    confidential; CTED's member (confidential) reads the title."""
    project = project_save(
        project=None,
        actor=None,
        fields={"title": SECRET, "lead_entity": roster.unodc, "status": "ongoing", "classification": "confidential"},
        themes=[roster.group],
    )
    page = client_for(chair).get(reverse("reorganisation-detail", args=[draft.pk]))
    assert page.status_code == 200 and SECRET not in page.content.decode()
    assert "1 more line concerns what your clearance does not reach." in html_tree(page).find(id="preview").text
    assert SECRET not in api_for(chair).get(f"/api/v1/reorganisations/{draft.pk}/").content.decode()
    assert (
        SECRET in client_for(committee_member).get(reverse("reorganisation-detail", args=[draft.pk])).content.decode()
    )

    decision = held_decision(oct_officer, D(2026, 6, 20))
    reorganisation_act(reorganisation=draft, action="adopt", actor=oct_colleague, decision=decision, today=DAY)
    assert SECRET not in client_for(chair).get(reverse("reorganisation-detail", args=[draft.pk])).content.decode()
    assert SECRET not in api_for(chair).get(f"/api/v1/reorganisations/{draft.pk}/").content.decode()
    carried = AuditEvent.objects.get(verb="project.themes_carried")
    assert carried.classification == Classification.CONFIDENTIAL and str(project.pk) == carried.object_id
    assert SECRET in api_for(committee_member).get(f"/api/v1/reorganisations/{draft.pk}/").content.decode()


def test_an_effect_is_hidden_once_its_project_is_raised_above_the_reader(
    api_for, client_for, roster, draft, chair, oct_officer, oct_colleague
):
    """A project unclassified at adoption, later marked confidential: the chair no longer reads
    its title among what the adoption did."""
    project = project_save(
        project=None,
        actor=None,
        fields={"title": SECRET, "lead_entity": roster.unodc, "status": "ongoing", "classification": "unclassified"},
        themes=[roster.group],
    )
    decision = held_decision(oct_officer, D(2026, 6, 20))
    reorganisation_act(reorganisation=draft, action="adopt", actor=oct_colleague, decision=decision, today=DAY)
    assert SECRET in client_for(chair).get(reverse("reorganisation-detail", args=[draft.pk])).content.decode()
    project_save(project=project, actor=oct_officer, fields={"classification": "confidential"})
    assert SECRET not in client_for(chair).get(reverse("reorganisation-detail", args=[draft.pk])).content.decode()
    assert SECRET not in api_for(chair).get(f"/api/v1/reorganisations/{draft.pk}/").content.decode()
