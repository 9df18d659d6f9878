"""The programme-of-work API: every endpoint for every persona, OCT's edits with the
optimistic lock (409), outputs validated by biennium, adoption and the comparison of versions."""

from __future__ import annotations

import datetime

import pytest

from reporting.committee.services import decision_add, meeting_act, meeting_create
from reporting.programme.models import ExpectedResult, Priority, ProgrammeOfWork, ProgrammeVersion
from reporting.programme.services import priority_add, programme_adopt, programme_create, result_add
from workinggroups.models import WorkPlan, WorkPlanOutput

pytestmark = pytest.mark.django_db
D = datetime.date
API = "/api/v1"

PERSONAS = ["anonymous", "outsider", "focal_point", "chair", "committee_member", "oct_officer", "usg"]
READERS = {"chair", "committee_member", "oct_officer", "usg"}


@pytest.fixture
def programme(oct_officer, work_plan) -> ProgrammeOfWork:
    programme = programme_create(actor=oct_officer, biennium_start=2026, title="Programme 2026–2027")
    priority = priority_add(programme=programme, actor=oct_officer, code="1", title="Human rights", pillars=["IV"])
    result_add(priority=priority, actor=oct_officer, text="Guidance used.", outputs=list(work_plan.outputs.all()))
    programme.refresh_from_db()
    return programme


def held_decision(oct_officer, day: datetime.date, text: str = "The Committee adopts the programme."):
    meeting = meeting_create(
        start_time=datetime.time(10), end_time=datetime.time(12), actor=oct_officer, date=day, place="New York"
    )
    meeting_act(meeting=meeting, action="hold", actor=oct_officer)
    return decision_add(meeting=meeting, actor=oct_officer, text=text)


@pytest.fixture
def decision(oct_officer, usg):
    return held_decision(oct_officer, D(2026, 1, 20))


@pytest.fixture
def version(oct_colleague, programme, decision, oct_officer) -> ProgrammeVersion:
    return programme_adopt(programme=programme, decision=decision, change_note="First.", actor=oct_colleague)


def client(request, api_for, persona):
    return api_for(None if persona == "anonymous" else request.getfixturevalue(persona))


def expect_read(persona: str, response, *, listing: bool = False) -> None:
    if persona == "anonymous":
        assert response.status_code == 401
    elif persona in READERS:
        assert response.status_code == 200
    elif listing:
        assert response.status_code == 200
        body = response.json()
        assert (body["results"] if isinstance(body, dict) else body) == []
    else:
        assert response.status_code == 404


# --- Reading, every persona ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_programmes_versions_priorities_and_results(request, api_for, persona, programme, version):
    api = client(request, api_for, persona)
    priority = programme.priorities.get()
    result = priority.results.get()
    for url in (
        f"{API}/programmes/",
        f"{API}/programme-versions/",
        f"{API}/programme-priorities/",
        f"{API}/programme-results/",
    ):
        expect_read(persona, api.get(url), listing=True)
    for url in (
        f"{API}/programmes/{programme.pk}/",
        f"{API}/programmes/{programme.pk}/versions/",
        f"{API}/programmes/{programme.pk}/outputs/",
        f"{API}/programmes/{programme.pk}/compare/?old=1",
        f"{API}/programme-versions/{version.pk}/",
        f"{API}/programme-priorities/{priority.pk}/",
        f"{API}/programme-results/{result.pk}/",
    ):
        expect_read(persona, api.get(url))


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_oct_writes(request, api_for, persona, programme, work_plan, decision):
    api = client(request, api_for, persona)
    priority = programme.priorities.get()
    result = priority.results.get()
    # (method, url, body, what a signed-in non-reader gets: the parent or object does not exist)
    calls = [
        ("post", f"{API}/programmes/", {"biennium_start": 2030, "title": "Later"}, 403),
        ("patch", f"{API}/programmes/{programme.pk}/", {"base_revision": programme.revision, "title": "New"}, 404),
        ("post", f"{API}/programme-priorities/", {"programme": programme.pk, "code": "2", "title": "Financing"}, 400),
        ("patch", f"{API}/programme-priorities/{priority.pk}/", {"title": "Rights"}, 404),
        ("post", f"{API}/programme-priorities/{priority.pk}/move/", {"direction": "down"}, 404),
        ("post", f"{API}/programme-results/", {"priority": priority.pk, "text": "Another"}, 400),
        ("patch", f"{API}/programme-results/{result.pk}/", {"text": "Changed"}, 404),
        ("post", f"{API}/programme-results/{result.pk}/move/", {"direction": "up"}, 404),
        # Four eyes: OCT's officer made the last change, so another officer records the adoption.
        ("post", f"{API}/programmes/{programme.pk}/adopt/", {"decision": decision.pk}, 404, {403}),
        ("delete", f"{API}/programme-results/{result.pk}/", None, 404),
        ("delete", f"{API}/programme-priorities/{priority.pk}/", None, 404),
    ]
    for method, url, data, hidden, *for_oct in calls:
        response = getattr(api, method)(url, data, format="json")
        if persona == "anonymous":
            expected = {401}
        elif persona == "oct_officer":
            expected = for_oct[0] if for_oct else {200, 201, 204}
        elif persona in READERS:
            expected = {403}
        else:
            expected = {hidden}
        assert response.status_code in expected, (method, url, response.status_code)
    if persona != "oct_officer":
        programme.refresh_from_db()
        assert programme.title == "Programme 2026–2027" and not ProgrammeVersion.objects.exists()
        assert Priority.objects.count() == 1 and ExpectedResult.objects.count() == 1
    else:
        assert not ProgrammeVersion.objects.exists()
        assert list(Priority.objects.values_list("code", flat=True)) == ["2"]  # "1" deleted, "2" added


# --- OCT's edits -------------------------------------------------------------------------------------


def test_retrieve_nests_priorities_results_and_outputs_with_the_status(api_for, committee_member, programme, roster):
    body = api_for(committee_member).get(f"{API}/programmes/{programme.pk}/").json()
    assert body["status"] == "not-adopted" and body["changes_since_version"] is None
    [priority] = body["priorities"]
    assert priority["pillars"] == ["IV"]
    [output] = priority["results"][0]["outputs"]
    assert output["working_group"]["number"] == 7 and output["title"].startswith("Guidance")


def test_a_stale_patch_is_a_409_saying_who_saved_and_nothing_is_written(api_for, oct_officer, programme):
    from tests.helpers import oct_person

    colleague = oct_person("colleague", "unclassified")
    loaded = programme.revision
    assert (
        api_for(colleague)
        .patch(f"{API}/programmes/{programme.pk}/", {"base_revision": loaded, "title": "Theirs"}, format="json")
        .status_code
        == 200
    )
    response = api_for(oct_officer).patch(
        f"{API}/programmes/{programme.pk}/", {"base_revision": loaded, "title": "Mine"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["updated_by"] == "Colleague Officer"
    assert response.json()["current_revision"] == loaded + 1
    programme.refresh_from_db()
    assert programme.title == "Theirs"
    priority = programme.priorities.get()
    before = Priority.objects.filter(pk=priority.pk).values().get()
    stale_priority = api_for(oct_officer).patch(
        f"{API}/programme-priorities/{priority.pk}/",
        {"title": "Mine", "base_revision": loaded},
        format="json",
    )
    assert stale_priority.status_code == 409
    assert Priority.objects.filter(pk=priority.pk).values().get() == before
    programme.refresh_from_db()
    assert (programme.title, programme.revision) == ("Theirs", loaded + 1)


def test_outputs_of_another_biennium_are_refused(api_for, oct_officer, programme, roster):
    later = WorkPlanOutput.objects.create(
        work_plan=WorkPlan.objects.create(working_group=roster.other_group, biennium_start=2028), title="Later"
    )
    priority = programme.priorities.get()
    response = api_for(oct_officer).post(
        f"{API}/programme-results/", {"priority": priority.pk, "text": "X", "outputs": [later.pk]}, format="json"
    )
    assert response.status_code == 400 and "outputs" in response.json()
    assert priority.results.count() == 1
    listed = api_for(oct_officer).get(f"{API}/programmes/{programme.pk}/outputs/").json()
    assert later.pk not in [o["id"] for o in listed] and len(listed) == 1


def test_bad_pillars_are_a_400(api_for, oct_officer, programme):
    response = api_for(oct_officer).post(
        f"{API}/programme-priorities/",
        {"programme": programme.pk, "code": "2", "title": "X", "pillars": ["V"]},
        format="json",
    )
    assert response.status_code == 400 and "pillars" in response.json()


# --- Adoption and comparison ----------------------------------------------------------------------------


def test_adopt_change_compare_and_adopt_again(
    api_for, oct_officer, oct_colleague, committee_member, programme, decision
):
    drafter, api = api_for(oct_officer), api_for(oct_colleague)
    refused = drafter.post(f"{API}/programmes/{programme.pk}/adopt/", {"decision": decision.pk}, format="json")
    assert refused.status_code == 403 and "someone else must decide" in refused.json()["detail"]
    response = api.post(f"{API}/programmes/{programme.pk}/adopt/", {"decision": decision.pk}, format="json")
    assert response.status_code == 201
    v1 = response.json()
    assert v1["number"] == 1 and v1["adopted_on"] == "2026-01-20" and v1["decision"]["id"] == decision.pk
    again = api.post(f"{API}/programmes/{programme.pk}/adopt/", {"decision": decision.pk}, format="json")
    assert again.status_code == 400 and "decision" in again.json()

    priority = programme.priorities.get()
    drafter.patch(
        f"{API}/programme-priorities/{priority.pk}/", {"title": "Human rights and the rule of law"}, format="json"
    )
    detail = api_for(committee_member).get(f"{API}/programmes/{programme.pk}/").json()
    assert detail["status"] == "changed"
    [changed] = detail["changes_since_version"]["priorities"]["changed"]
    assert changed["changes"] == [{"field": "title", "old": "Human rights", "new": "Human rights and the rule of law"}]

    second = held_decision(oct_officer, D(2026, 6, 1), "Revised programme adopted.")
    assert (
        api.post(f"{API}/programmes/{programme.pk}/adopt/", {"decision": second.pk}, format="json").status_code == 201
    )
    diff = api_for(committee_member).get(f"{API}/programmes/{programme.pk}/compare/?old=1&new=2").json()
    assert diff["changed"] and diff["priorities"]["changed"][0]["code"] == "1"
    assert api_for(committee_member).get(f"{API}/programmes/{programme.pk}/compare/?old=2").json()["changed"] is False
    assert api_for(committee_member).get(f"{API}/programmes/{programme.pk}/compare/?old=5").status_code == 400
    versions = api_for(committee_member).get(f"{API}/programmes/{programme.pk}/versions/").json()
    assert [v["number"] for v in versions] == [2, 1]
    nothing = api.post(
        f"{API}/programmes/{programme.pk}/adopt/",
        {"decision": held_decision(oct_officer, D(2026, 7, 1)).pk},
        format="json",
    )
    assert nothing.status_code == 400 and "Nothing changed" in str(nothing.json())


def test_a_planned_meetings_decision_cannot_adopt(api_for, oct_colleague, programme, decision):
    type(decision.meeting).objects.filter(pk=decision.meeting_id).update(state="planned")
    response = api_for(oct_colleague).post(
        f"{API}/programmes/{programme.pk}/adopt/", {"decision": decision.pk}, format="json"
    )
    assert response.status_code == 400 and "held" in str(response.json())
    assert not ProgrammeVersion.objects.exists()


def test_a_version_carries_its_frozen_content(api_for, usg, version):
    body = api_for(usg).get(f"{API}/programme-versions/{version.pk}/").json()
    assert body["content"]["priorities"][0]["results"][0]["text"] == "Guidance used."
    listed = api_for(usg).get(f"{API}/programme-versions/", {"programme": version.programme_id}).json()
    assert [v["number"] for v in listed["results"]] == [1]
