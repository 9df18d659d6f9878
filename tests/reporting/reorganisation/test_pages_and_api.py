"""A reorganisation's workflow walked exhaustively, its pages and API for every persona, and
what each reader sees of the preview and of what an adoption did within their clearance."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from compact.lib.workflow import TransitionNotAllowedError
from reporting.reorganisation.models import Reorganisation, ReorganisationMapping, ReorganisationTarget
from reporting.reorganisation.services import (
    reorganisation_act,
    reorganisation_create,
    reorganisation_mapping_set,
    reorganisation_target_add,
)
from reporting.reorganisation.workflow import REORGANISATION_TRANSITIONS
from tests.helpers import html_tree
from tests.reporting.programme.test_api import held_decision
from workinggroups.models import WorkingGroup

pytestmark = pytest.mark.django_db


def time_machine_at(day: datetime.date):
    """The clock on ``day``, at noon in New York (adoption is recorded from the first day)."""
    import time_machine

    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 17, tzinfo=datetime.UTC), tick=False)


D = datetime.date
DAY = D(2026, 7, 1)
API = "/api/v1/reorganisations"
State = Reorganisation.State

PERSONAS = [
    "anonymous",
    "outsider",
    "focal_point",
    "chair",
    "vice_chair",
    "committee_member",
    "usg",
    "oct_officer",
    "oct_colleague",
]
DRAFT_READERS = {"chair", "vice_chair", "committee_member", "usg", "oct_officer", "oct_colleague"}
OCT = {"oct_officer", "oct_colleague"}


@pytest.fixture
def draft(roster, oct_officer) -> Reorganisation:
    """WG 2 merges into a new WG 1 on 1 July 2026 (OCT's draft)."""
    reorganisation = reorganisation_create(title="MK-DRAFT fewer groups", effective_on=DAY, actor=oct_officer)
    new = reorganisation_target_add(
        reorganisation=reorganisation, actor=oct_officer, number=1, name="Finance and borders", short_name="Finance"
    )
    reorganisation_mapping_set(
        reorganisation=reorganisation, source=roster.other_group, targets=[new], actor=oct_officer
    )
    reorganisation.refresh_from_db()
    return reorganisation


def _user(request, persona):
    return None if persona == "anonymous" else request.getfixturevalue(persona)


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("action", REORGANISATION_TRANSITIONS.actions())
def test_every_action_from_every_state(draft, oct_officer, oct_colleague, state, action):
    """The table decides: an allowed move lands in its target state, any other is refused and
    changes nothing."""
    Reorganisation.objects.filter(pk=draft.pk).update(state=state)
    draft.refresh_from_db()
    decision = held_decision(oct_officer, D(2026, 6, 20))
    allowed = {t.action for t in REORGANISATION_TRANSITIONS.available(state, by="oct")}
    kwargs = {"decision": decision, "today": DAY, "message": "Because."}
    if action in allowed:
        moved = reorganisation_act(reorganisation=draft, action=action, actor=oct_colleague, **kwargs)
        assert moved.state == REORGANISATION_TRANSITIONS.get(action).target
    else:
        with pytest.raises(TransitionNotAllowedError):
            reorganisation_act(reorganisation=draft, action=action, actor=oct_colleague, **kwargs)
        draft.refresh_from_db()
        assert draft.state == state and not draft.effects.exists()
    assert WorkingGroup.objects.filter(number=1).exists() == (action == "adopt" and state == State.DRAFT)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_a_draft_and_an_adopted_reorganisation(request, client_for, api_for, draft, oct_colleague, persona):
    user = _user(request, persona)
    page = client_for(user).get(reverse("reorganisation-detail", args=[draft.pk]))
    api = api_for(user).get(f"{API}/{draft.pk}/")
    listed = api_for(user).get(f"{API}/")
    if persona == "anonymous":
        assert page.status_code == 302 and api.status_code == 401
        return
    readers = DRAFT_READERS
    assert page.status_code == (200 if persona in readers else 404)
    assert api.status_code == (200 if persona in readers else 404)
    assert [row["id"] for row in listed.json()["results"]] == ([draft.pk] if persona in readers else [])

    # Adopted, it is everyone's structure.
    decision = held_decision(request.getfixturevalue("oct_officer"), D(2026, 6, 20))
    reorganisation_act(reorganisation=draft, action="adopt", actor=oct_colleague, decision=decision, today=DAY)
    assert client_for(user).get(reverse("reorganisation-detail", args=[draft.pk])).status_code == 200
    body = api_for(user).get(f"{API}/{draft.pk}/").json()
    assert body["state"] == "adopted" and body["preview"] is None
    assert {effect["kind"] for effect in body["effects"]} >= {"group_created", "group_retired", "role_carried"}


@pytest.mark.parametrize("persona", ["chair", "committee_member", "usg", "oct_officer"])
def test_only_oct_officers_who_did_not_draft_adopt_through_the_api(request, api_for, draft, persona):
    decision = held_decision(request.getfixturevalue("oct_colleague"), D(2026, 6, 20))
    response = api_for(request.getfixturevalue(persona)).post(
        f"{API}/{draft.pk}/transitions/", {"action": "adopt", "decision": decision.pk}, format="json"
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and not WorkingGroup.objects.filter(number=1).exists()


def test_a_stale_preview_is_not_adopted(api_for, draft, oct_officer, oct_colleague, time_machine):
    time_machine.move_to(datetime.datetime(2026, 7, 1, 15, tzinfo=datetime.UTC), tick=False)
    decision = held_decision(oct_officer, D(2026, 6, 20))
    seen = draft.revision
    reorganisation_target_add(
        reorganisation=draft, actor=oct_officer, continues=None, number=3, name="X", short_name="X"
    )
    response = api_for(oct_colleague).post(
        f"{API}/{draft.pk}/transitions/", {"action": "adopt", "decision": decision.pk, "revision": seen}, format="json"
    )
    assert response.status_code == 409 and response.json()["state"] == "draft"
    assert not WorkingGroup.objects.filter(number__in=(1, 3)).exists()
    response = api_for(oct_colleague).post(
        f"{API}/{draft.pk}/transitions/",
        {"action": "adopt", "decision": decision.pk, "revision": seen + 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert set(WorkingGroup.objects.filter(retired_on__isnull=True).values_list("number", flat=True)) == {7, 1, 3}


def test_the_draft_is_built_through_the_page(client_for, roster, draft, oct_officer):
    client = client_for(oct_officer)
    url = reverse("reorganisation-target-add", args=[draft.pk])
    refused = client.post(url, {"number": "", "name": "", "short_name": ""})
    assert refused.status_code == 400
    assert "Give the new group a number from 1 to 99." in html_tree(refused).find(id="add-target").text
    kept = client.post(url, {"continues": roster.group.pk})
    assert kept.status_code == 302
    target = ReorganisationTarget.objects.get(reorganisation=draft, continues=roster.group)
    mapping_url = reverse("reorganisation-mapping", args=[draft.pk, roster.other_group.pk])
    prefix = f"map-{roster.other_group.pk}"
    saved = client.post(
        mapping_url, {f"{prefix}-targets": [target.pk], f"{prefix}-carry_roles": "on", f"{prefix}-reports_to": ""}
    )
    assert saved.status_code == 302
    mapping = ReorganisationMapping.objects.get(reorganisation=draft, source=roster.other_group)
    assert list(mapping.targets.all()) == [target]
    assert (mapping.carry_roles, mapping.carry_outputs, mapping.reports_to) == (True, False, None)
    page = html_tree(client.get(reverse("reorganisation-detail", args=[draft.pk])))
    preview = page.find(id="preview")
    assert "Neither mapped nor kept" not in preview.text  # WG 7 carries on, WG 2 is mapped
    assert [row.attrs["data-kind"] for row in preview.find_all("tr") if "data-kind" in row.attrs].count(
        "group_continues"
    ) == 1


def test_an_open_report_says_it_was_carried_or_closed(client_for, roster, report_period, oct_officer, oct_colleague):
    """WG 7 and WG 2 merge into WG 1: WG 7's open mid-year report goes to WG 1 and says so; WG 2's
    is closed with the note OCT wrote."""
    reorganisation = reorganisation_create(title="Merger", effective_on=DAY, actor=oct_officer)
    new = reorganisation_target_add(
        reorganisation=reorganisation, actor=oct_officer, number=1, name="N", short_name="N"
    )
    reorganisation_mapping_set(
        reorganisation=reorganisation, source=roster.group, targets=[new], reports_to=new, actor=oct_officer
    )
    reorganisation_mapping_set(
        reorganisation=reorganisation, source=roster.other_group, targets=[new], actor=oct_officer, note="MK-NOTE"
    )
    decision = held_decision(oct_officer, D(2026, 6, 20))
    reorganisation_act(reorganisation=reorganisation, action="adopt", actor=oct_colleague, decision=decision, today=DAY)
    carried, closed = (report_period.submissions.get(working_group__number=n) for n in (1, 2))
    client = client_for(oct_officer)
    carried_page = html_tree(client.get(reverse("reporting-submission", args=[carried.pk])))
    closed_page = html_tree(client.get(reverse("reporting-submission", args=[closed.pk])))
    assert "Carried over from WG 7: Human rights by the reorganisation" in carried_page.find(class_="reorganised").text
    notice = closed_page.find(class_="reorganised").text
    assert "Closed by the reorganisation" in notice and "MK-NOTE" in notice
    # Closed with its group: not among what reopening the period would reopen (and e-mail).
    closed.refresh_from_db()
    assert closed.status == "closed" and closed not in report_period.unfinished_submissions()
    assert carried in report_period.unfinished_submissions()


def test_a_draft_is_built_and_adopted_through_the_api(api_for, roster, oct_officer, oct_colleague, chair):
    officer = api_for(oct_officer)
    made = officer.post(f"{API}/", {"title": "Through the API", "effective_on": "2026-07-01"}, format="json")
    assert made.status_code == 201, made.json()
    pk, revision = made.json()["id"], made.json()["revision"]
    assert (
        api_for(chair).post(f"{API}/", {"title": "Mine", "effective_on": "2026-07-01"}, format="json").status_code
        == 403
    )

    stale = officer.put(
        f"{API}/{pk}/", {"title": "Renamed", "effective_on": "2026-07-01", "revision": revision + 5}, format="json"
    )
    assert stale.status_code == 409 and Reorganisation.objects.get(pk=pk).title == "Through the API"
    added = officer.post(f"{API}/{pk}/targets/", {"number": 1, "name": "One", "short_name": "One"}, format="json")
    assert added.status_code == 201
    target = added.json()["targets"][0]["id"]
    assert api_for(chair).post(f"{API}/{pk}/targets/", {"number": 3, "name": "X", "short_name": "X"}).status_code == 403

    line = {"targets": [target], "reports_to": target, "carry_outputs": False}
    for group in (roster.group, roster.other_group):
        assert officer.put(f"{API}/{pk}/mappings/{group.pk}/", line, format="json").status_code == 200
    other = reorganisation_create(title="Other", effective_on=DAY, actor=oct_officer)
    foreign = reorganisation_target_add(reorganisation=other, actor=oct_officer, number=5, name="F", short_name="F")
    refused = officer.put(f"{API}/{pk}/mappings/{roster.group.pk}/", {"targets": [foreign.pk]}, format="json")
    assert refused.status_code == 400 and "targets" in refused.json()
    retired = WorkingGroup.objects.create(number=9, name="Old", short_name="Old", retired_on=D(2025, 1, 1))
    assert officer.put(f"{API}/{pk}/mappings/{retired.pk}/", line, format="json").status_code == 404
    body = officer.get(f"{API}/{pk}/").json()
    assert body["preview"]["adoptable"] and len(body["mappings"]) == 2
    assert {m["carry_outputs"] for m in body["mappings"]} == {False}

    decision = held_decision(oct_officer, D(2026, 6, 20))
    with time_machine_at(DAY):
        adopted = api_for(oct_colleague).post(
            f"{API}/{pk}/transitions/",
            {"action": "adopt", "decision": decision.pk, "revision": body["revision"]},
            format="json",
        )
    assert adopted.status_code == 200, adopted.json()
    assert adopted.json()["state"] == "adopted" and adopted.json()["targets"][0]["group"]["number"] == 1
    assert officer.delete(f"{API}/{pk}/targets/{target}/").status_code == 400  # no longer a draft
