"""The Committee's programme of work (V.12): the working copy and its optimistic lock, outputs
validated by biennium, adopted versions frozen and compared, and who may see every page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from compact.core.models import AuditEvent
from compact.lib.workflow import EditConflictError
from reporting.committee.services import decision_add, meeting_act, meeting_create
from reporting.programme.models import Indicator, ProgrammeOfWork, ProgrammeVersion
from reporting.programme.services import (
    priority_add,
    priority_move,
    priority_remove,
    priority_update,
    programme_adopt,
    programme_create,
    programme_snapshot,
    programme_update,
    programme_version_diff,
    result_add,
    result_move,
    result_remove,
    result_update,
)
from tests.helpers import html_tree
from workinggroups.models import WorkingGroup, WorkPlan, WorkPlanOutput

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def programme(oct_officer, work_plan) -> ProgrammeOfWork:
    """The 2026–2027 programme (WG 7's 2026 work plan has one output)."""
    return programme_create(
        actor=oct_officer,
        biennium_start=2026,
        title="Programme of work 2026–2027",
        strategy_review_resolution="A/RES/77/298",
        introduction="Tied to the eighth review of the Strategy.",
    )


@pytest.fixture
def output(work_plan) -> WorkPlanOutput:
    return work_plan.outputs.get()


@pytest.fixture
def other_output(roster) -> WorkPlanOutput:
    """An output of WG 2's 2026 work plan."""
    plan = WorkPlan.objects.create(working_group=roster.other_group, biennium_start=2026)
    return WorkPlanOutput.objects.create(work_plan=plan, title="Typologies of terrorist financing")


@pytest.fixture
def filled(programme, oct_officer, roster, output):
    """One priority with one result linked to WG 7's output, and one indicator."""
    priority = priority_add(
        programme=programme,
        actor=oct_officer,
        code="1",
        title="Human rights in counter-terrorism",
        pillars=["IV", "I"],
        working_groups=[roster.group],
    )
    result = result_add(priority=priority, actor=oct_officer, text="Guidance used by entities.", outputs=[output])
    indicator = Indicator.objects.create(
        programme=programme,
        code="1.1",
        name="Entities using the guidance",
        definition="Count.",
        unit="entities",
        target=Decimal("10"),
    )
    indicator.priorities.set([priority])
    programme.refresh_from_db()
    return priority, result, indicator


def held_decision(oct_officer, day: datetime.date, text: str = "The Committee adopts its programme of work."):
    meeting = meeting_create(
        start_time=datetime.time(10), end_time=datetime.time(12), actor=oct_officer, date=day, place="New York"
    )
    meeting_act(meeting=meeting, action="hold", actor=oct_officer)
    return decision_add(meeting=meeting, actor=oct_officer, text=text)


@pytest.fixture
def decision(oct_officer, usg):
    return held_decision(oct_officer, D(2026, 1, 20))


def audited(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


# --- The working copy ---------------------------------------------------------------------------


def test_oct_starts_one_programme_per_biennium_and_it_is_audited(programme, oct_officer):
    assert programme.biennium_label == "2026–2027" and programme.revision == 0
    assert audited("programme.created") == 1
    with pytest.raises(ValidationError) as error:
        programme_create(actor=oct_officer, biennium_start=2026, title="Again")
    assert "already" in str(error.value)


@pytest.mark.parametrize("persona", ["usg", "committee_member", "chair", "focal_point", "outsider"])
def test_only_oct_drafts_the_programme(request, persona, programme):
    person = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        programme_create(actor=person, biennium_start=2030, title="X")
    with pytest.raises(PermissionDenied):
        programme_update(programme=programme, actor=person, base_revision=programme.revision, title="X")
    with pytest.raises(PermissionDenied):
        priority_add(programme=programme, actor=person, code="9", title="X")


def test_a_stale_save_is_refused_with_who_saved_and_nothing_is_overwritten(programme, oct_officer):
    from tests.helpers import oct_person

    colleague = oct_person("colleague", "unclassified")
    loaded = programme.revision
    programme_update(programme=programme, actor=colleague, base_revision=loaded, title="Colleague's title")
    with pytest.raises(EditConflictError) as conflict:
        programme_update(programme=programme, actor=oct_officer, base_revision=loaded, title="My title")
    assert conflict.value.current.updated_by == colleague
    programme.refresh_from_db()
    assert programme.title == "Colleague's title" and programme.revision == loaded + 1
    assert audited("programme.updated") == 1


def test_a_priority_saved_against_an_old_revision_is_refused(filled, programme, oct_officer):
    priority, _, _ = filled
    stale = programme.revision - 1
    with pytest.raises(EditConflictError):
        priority_update(priority=priority, actor=oct_officer, code="1", title="Changed", base_revision=stale)
    priority.refresh_from_db()
    assert priority.title == "Human rights in counter-terrorism"


def test_priorities_validate_pillars_and_numbers(programme, oct_officer, filled):
    with pytest.raises(ValidationError) as error:
        priority_add(programme=programme, actor=oct_officer, code="2", title="X", pillars=["V"])
    assert "pillars" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        priority_add(programme=programme, actor=oct_officer, code="1", title="Duplicate")
    assert "code" in error.value.message_dict
    assert programme.priorities.count() == 1
    assert filled[0].pillars == ["I", "IV"]  # in the Strategy's order


def test_outputs_must_belong_to_the_programmes_biennium(filled, oct_officer, roster, output):
    priority, result, _ = filled
    later_plan = WorkPlan.objects.create(working_group=roster.other_group, biennium_start=2028)
    later = WorkPlanOutput.objects.create(work_plan=later_plan, title="Next biennium's output")
    with pytest.raises(ValidationError) as error:
        result_add(priority=priority, actor=oct_officer, text="Wrong biennium", outputs=[later])
    assert "outputs" in error.value.message_dict
    with pytest.raises(ValidationError):
        result_update(result=result, actor=oct_officer, text="Changed", outputs=[output, later])
    result.refresh_from_db()
    assert result.text == "Guidance used by entities." and list(result.outputs.all()) == [output]
    assert priority.results.count() == 1


def test_moves_keep_positions_one_two_three_and_removal_renumbers(programme, oct_officer, filled):
    first, _, _ = filled
    second = priority_add(programme=programme, actor=oct_officer, code="2", title="Financing")
    priority_move(priority=second, actor=oct_officer, direction="up")
    assert list(programme.priorities.values_list("code", "position")) == [("2", 1), ("1", 2)]
    another = result_add(priority=first, actor=oct_officer, text="Second result")
    result_move(result=another, actor=oct_officer, direction="up")
    assert list(first.results.values_list("text", flat=True)) == ["Second result", "Guidance used by entities."]
    result_remove(result=another, actor=oct_officer)
    priority_remove(priority=second, actor=oct_officer)
    assert list(programme.priorities.values_list("code", "position")) == [("1", 1)]
    assert audited("programme.priority_removed") == 1 and audited("programme.result_removed") == 1


def test_the_snapshot_holds_priorities_results_outputs_and_indicators(filled, programme, output, roster):
    content = programme_snapshot(programme)
    assert content["programme"]["title"] == "Programme of work 2026–2027"
    [priority] = content["priorities"]
    assert priority["pillars"] == ["I", "IV"] and priority["working_groups"][0]["number"] == 7
    assert priority["results"][0]["outputs"] == [
        {
            "id": output.pk,
            "group": {"id": roster.group.pk, "number": 7, "short_name": "Human rights"},
            "title": output.title,
        }
    ]
    [indicator] = content["indicators"]
    assert indicator["target"] == "10.00" and indicator["priorities"] == ["1"]


# --- Versions -------------------------------------------------------------------------------------


def test_versions_adopt_change_diff_adopt_again_and_v1_never_changes(
    oct_colleague, filled, programme, oct_officer, decision, other_output, roster
):
    priority, result, indicator = filled
    v1 = programme_adopt(programme=programme, decision=decision, change_note="First adoption.", actor=oct_colleague)
    assert (v1.number, v1.adopted_on, v1.decision) == (1, D(2026, 1, 20), decision)
    assert audited("programme.adopted") == 1
    frozen = dict(v1.content)

    # One change of each kind.
    priority_update(
        priority=priority,
        actor=oct_officer,
        code="1",
        title="Human rights and the rule of law",
        pillars=["IV"],
        working_groups=[roster.group],
    )
    result_update(result=result, actor=oct_officer, text=result.text, outputs=[*result.outputs.all(), other_output])
    Indicator.objects.filter(pk=indicator.pk).update(target=Decimal("12"))
    diff = programme_version_diff(v1.content, programme_snapshot(programme))
    assert diff["changed"]
    assert diff["programme"] == [] and diff["priorities"]["added"] == [] and diff["priorities"]["removed"] == []
    [changed] = diff["priorities"]["changed"]
    assert changed["changes"] == [
        {"field": "title", "old": "Human rights in counter-terrorism", "new": "Human rights and the rule of law"},
        {"field": "pillars", "old": ["I", "IV"], "new": ["IV"]},
    ]
    assert diff["results"]["changed"] == [] and diff["results"]["added"] == []
    assert [o["output"]["id"] for o in diff["outputs"]["added"]] == [other_output.pk]
    assert diff["outputs"]["removed"] == []
    assert diff["indicators"]["changed"][0]["changes"] == [{"field": "target", "old": "10.00", "new": "12.00"}]

    second = held_decision(oct_officer, D(2026, 6, 1), "The Committee adopts the revised programme.")
    v2 = programme_adopt(programme=programme, decision=second, change_note="Revised.", actor=oct_colleague)
    assert v2.number == 2
    v1.refresh_from_db()
    assert v1.content == frozen  # version 1 unchanged
    v1.change_note = "Rewritten"
    with pytest.raises(PermissionError):
        v1.save()
    with pytest.raises(PermissionError):
        v1.delete()
    between = programme_version_diff(v1.content, v2.content)
    assert [c["code"] for c in between["priorities"]["changed"]] == ["1"]


def test_adoption_is_refused_for_a_planned_meetings_decision(oct_colleague, filled, programme, oct_officer, usg):
    meeting = meeting_create(
        start_time=datetime.time(10), end_time=datetime.time(12), actor=oct_officer, date=D(2026, 2, 1), place="Geneva"
    )
    meeting_act(meeting=meeting, action="hold", actor=oct_officer)
    decision = decision_add(meeting=meeting, actor=oct_officer, text="Adopted.")
    type(meeting).objects.filter(pk=meeting.pk).update(state="planned")  # as if never held
    with pytest.raises(ValidationError) as error:
        programme_adopt(programme=programme, decision=decision, change_note="", actor=oct_colleague)
    assert "held" in str(error.value)
    assert not ProgrammeVersion.objects.exists()


def test_adoption_is_refused_for_a_decision_already_used(
    oct_colleague, filled, programme, oct_officer, decision, roster
):
    programme_adopt(programme=programme, decision=decision, change_note="", actor=oct_colleague)
    other = programme_create(actor=oct_officer, biennium_start=2028, title="Next programme")
    priority_add(programme=other, actor=oct_officer, code="1", title="X")
    with pytest.raises(ValidationError) as error:
        programme_adopt(programme=other, decision=decision, change_note="", actor=oct_colleague)
    assert "already" in str(error.value)
    priority_update(priority=filled[0], actor=oct_officer, code="1", title="Changed")
    with pytest.raises(ValidationError):
        programme_adopt(programme=programme, decision=decision, change_note="", actor=oct_colleague)
    assert ProgrammeVersion.objects.count() == 1


def test_adoption_is_refused_when_nothing_changed(oct_colleague, filled, programme, oct_officer, decision):
    programme_adopt(programme=programme, decision=decision, change_note="", actor=oct_colleague)
    # A save that changes nothing still raises the revision: the content decides.
    programme_update(
        programme=programme,
        actor=oct_officer,
        base_revision=_rev(programme),
        title=programme.title,
        strategy_review_resolution=programme.strategy_review_resolution,
        introduction=programme.introduction,
    )
    again = held_decision(oct_officer, D(2026, 3, 1))
    with pytest.raises(ValidationError) as error:
        programme_adopt(programme=programme, decision=again, change_note="", actor=oct_colleague)
    assert "Nothing changed since version 1" in str(error.value)
    assert ProgrammeVersion.objects.count() == 1


def test_a_change_of_the_resources_a_priority_needs_is_a_change_to_adopt(
    oct_colleague, filled, programme, oct_officer, decision, roster, client_for
):
    priority = filled[0]
    programme_adopt(programme=programme, decision=decision, change_note="", actor=oct_colleague)
    priority_update(
        priority=priority,
        actor=oct_officer,
        code="1",
        title=priority.title,
        pillars=["IV", "I"],
        working_groups=[roster.group],
        resources_needed_usd=Decimal("2500"),
    )
    diff = programme_version_diff(ProgrammeVersion.objects.get().content, programme_snapshot(programme))
    assert diff["changed"]
    [changed] = diff["priorities"]["changed"]
    assert changed["changes"] == [{"field": "resources_needed_usd", "old": None, "new": "2500.00"}]
    page = client_for(oct_officer).get(reverse("programme-compare", args=[programme.pk])).content.decode()
    assert "Resources needed each year (USD)" in page and "2500.00" in page
    again = held_decision(oct_officer, D(2026, 3, 1))
    version = programme_adopt(programme=programme, decision=again, change_note="Needs.", actor=oct_colleague)
    assert version.number == 2


def _rev(programme: ProgrammeOfWork) -> int:
    programme.refresh_from_db()
    return programme.revision


def test_an_empty_programme_cannot_be_adopted(oct_colleague, programme, oct_officer, decision):
    with pytest.raises(ValidationError):
        programme_adopt(programme=programme, decision=decision, change_note="", actor=oct_colleague)


def test_only_oct_records_an_adoption(filled, programme, decision, usg, committee_member):
    for person in (usg, committee_member):
        with pytest.raises(PermissionDenied):
            programme_adopt(programme=programme, decision=decision, change_note="", actor=person)


# --- Pages ------------------------------------------------------------------------------------------

PERSONAS = ["anonymous", "outsider", "focal_point", "chair", "committee_member", "oct_officer", "usg"]
READERS = {"chair", "committee_member", "oct_officer", "usg"}


def persona_client(request, client_for, persona):
    return client_for(None if persona == "anonymous" else request.getfixturevalue(persona))


@pytest.fixture
def adopted(oct_colleague, filled, programme, oct_officer, decision):
    return programme_adopt(programme=programme, decision=decision, change_note="First.", actor=oct_colleague)


def read_urls(programme, adopted):
    return [
        reverse("programme-list"),
        reverse("programme-detail", args=[programme.pk]),
        reverse("programme-version", args=[programme.pk, adopted.number]),
        reverse("programme-compare", args=[programme.pk]),
    ]


def oct_urls(programme, priority, result):
    return [
        reverse("programme-create"),
        reverse("programme-edit", args=[programme.pk]),
        reverse("programme-adopt", args=[programme.pk]),
        reverse("programme-priority-add", args=[programme.pk]),
        reverse("programme-priority-edit", args=[priority.pk]),
        reverse("programme-result-add", args=[priority.pk]),
        reverse("programme-result-edit", args=[result.pk]),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_the_programme_pages(request, client_for, persona, programme, adopted, filled):
    client = persona_client(request, client_for, persona)
    for url in read_urls(programme, adopted):
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif persona in READERS:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_oct_opens_the_editing_pages(request, client_for, persona, programme, adopted, filled):
    priority, result, _ = filled
    client = persona_client(request, client_for, persona)
    for url in oct_urls(programme, priority, result):
        response = client.get(url)
        expected = 302 if persona == "anonymous" else 200 if persona == "oct_officer" else 404
        assert response.status_code == expected, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_oct_posts_changes(request, client_for, persona, programme, filled):
    priority, result, _ = filled
    client = persona_client(request, client_for, persona)
    posts = [
        (reverse("programme-priority-move", args=[priority.pk]), {"direction": "down"}),
        (reverse("programme-result-move", args=[result.pk]), {"direction": "down"}),
        (reverse("programme-result-remove", args=[result.pk]), {}),
        (reverse("programme-priority-remove", args=[priority.pk]), {}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        if persona == "oct_officer":
            assert response.status_code == 302 and response["Location"].endswith(f"/programme/{programme.pk}/")
        else:
            assert response.status_code in (302, 404) if persona == "anonymous" else response.status_code == 404
    assert programme.priorities.exists() == (persona != "oct_officer")


def test_missing_programme_is_404_like_a_hidden_one(client_for, oct_officer, programme):
    assert client_for(oct_officer).get(reverse("programme-detail", args=[programme.pk + 99])).status_code == 404
    assert client_for(oct_officer).get(reverse("programme-version", args=[programme.pk, 7])).status_code == 404


def test_the_page_says_not_yet_adopted_then_adopted_then_changed_with_the_diff(
    oct_colleague, client_for, committee_member, oct_officer, programme, filled, decision
):
    url = reverse("programme-detail", args=[programme.pk])
    page = client_for(committee_member).get(url).content.decode()
    assert "Not yet adopted" in page and "Guidance used by entities." in page
    assert "Guidance on human rights in counter-terrorism" in page  # the linked output
    programme_adopt(programme=programme, decision=decision, change_note="", actor=oct_colleague)
    page = client_for(committee_member).get(url).content.decode()
    assert "Version 1 adopted on 20 January 2026 by decision 1" in page and "Changed since" not in page
    priority_update(priority=filled[0], actor=oct_officer, code="1", title="Human rights and the rule of law")
    page = client_for(committee_member).get(url).content.decode()
    assert "Changed since version 1" in page and "<ins>the rule of law</ins>" in page


def test_oct_builds_and_adopts_the_programme_through_the_pages(
    client_for, oct_officer, oct_colleague, roster, output, decision
):
    client = client_for(oct_officer)
    response = client.post(reverse("programme-create"), {"biennium_start": 2026, "title": "Programme 2026–2027"})
    programme = ProgrammeOfWork.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("programme-priority-add", args=[programme.pk]),
        {"code": "1", "title": "Rights", "pillars": ["IV"], "working_groups": [roster.group.pk], "base_revision": 0},
    )
    assert response.status_code == 302
    priority = programme.priorities.get()
    response = client.post(
        reverse("programme-result-add", args=[priority.pk]),
        {"text": "Guidance used.", "outputs": [output.pk], "base_revision": 1},
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    adopt = {"decision": decision.pk, "change_note": "First.", "base_revision": programme.revision}
    # Four eyes: the officer who drafted it is told why the form is not theirs; a colleague adopts.
    own = client.get(reverse("programme-adopt", args=[programme.pk])).content.decode()
    assert 'id="four-eyes"' in own and 'name="decision"' not in own
    refused = client.post(reverse("programme-adopt", args=[programme.pk]), adopt)
    assert refused.status_code == 400 and not programme.versions.exists()
    response = client_for(oct_colleague).post(reverse("programme-adopt", args=[programme.pk]), adopt)
    assert response.status_code == 302
    version = programme.versions.get()
    page = client.get(response["Location"]).content.decode()
    assert "Guidance used." in page and "The Committee adopts its programme of work." in page
    assert version.content["priorities"][0]["results"][0]["outputs"][0]["id"] == output.pk


def test_the_edit_page_refuses_a_stale_save_and_says_who_saved(client_for, oct_officer, programme):
    from tests.helpers import oct_person

    colleague = oct_person("colleague", "unclassified")
    programme_update(programme=programme, actor=colleague, base_revision=0, title="Colleague's title")
    response = client_for(oct_officer).post(
        reverse("programme-edit", args=[programme.pk]), {"title": "Mine", "base_revision": 0}
    )
    assert response.status_code == 409
    assert "Colleague Officer saved the programme" in html_tree(response).text
    programme.refresh_from_db()
    assert programme.title == "Colleague's title"
    # The form now carries the current revision: a deliberate second save wins.
    response = client_for(oct_officer).post(
        reverse("programme-edit", args=[programme.pk]), {"title": "Mine", "base_revision": programme.revision}
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.title == "Mine"


def test_a_result_form_with_an_output_of_another_biennium_is_refused(client_for, oct_officer, filled, roster):
    priority, _, _ = filled
    plan = WorkPlan.objects.create(working_group=roster.other_group, biennium_start=2028)
    later = WorkPlanOutput.objects.create(work_plan=plan, title="Later output")
    response = client_for(oct_officer).post(
        reverse("programme-result-add", args=[priority.pk]),
        {"text": "X", "outputs": [later.pk], "base_revision": priority.programme.revision},
    )
    assert response.status_code == 400
    assert priority.results.count() == 1


def test_the_adopt_form_offers_only_unused_decisions_of_held_meetings(
    client_for, oct_officer, oct_colleague, adopted, usg
):
    fresh = held_decision(oct_officer, D(2026, 5, 5), "Another decision.")
    planned = meeting_create(
        start_time=datetime.time(10), end_time=datetime.time(12), actor=oct_officer, date=D(2026, 9, 9), place="Vienna"
    )
    page = client_for(oct_colleague).get(reverse("programme-adopt", args=[adopted.programme_id])).content.decode()
    assert "Another decision." in page and "The Committee adopts its programme of work." not in page
    assert planned.decisions.count() == 0 and fresh.pk


def test_compare_any_two_versions_and_the_working_copy(
    oct_colleague, client_for, committee_member, oct_officer, adopted, filled
):
    programme = adopted.programme
    priority_add(programme=programme, actor=oct_officer, code="2", title="Financing of terrorism")
    second = held_decision(oct_officer, D(2026, 6, 1), "Revised.")
    programme_adopt(programme=programme, decision=second, change_note="", actor=oct_colleague)
    url = reverse("programme-compare", args=[programme.pk])
    page = client_for(committee_member).get(url, {"old": 1, "new": 2}).content.decode()
    assert "From version 1 to version 2" in page and "Financing of terrorism" in page
    page = client_for(committee_member).get(url, {"old": 2}).content.decode()
    assert "No differences." in page
    assert client_for(committee_member).get(url, {"old": 9}).status_code == 400


# --- Demo data --------------------------------------------------------------------------------------


def test_the_demo_programme_is_adopted_with_linked_outputs_and_loads_once(oct_officer, oct_colleague, usg, roster):
    from portal.demo_programme import _biennium, demo_programme

    people = {"oct.officer": oct_officer, "oct.colleague": oct_colleague}
    demo_programme(people)
    demo_programme(people)
    programme = ProgrammeOfWork.objects.get(biennium_start=_biennium())
    assert _biennium() % 2 == 0 and _biennium() <= timezone.localdate().year  # the demo work plans' biennium
    assert programme.priorities.count() == 3 and programme.versions.count() == 1
    version = programme.versions.get()
    assert version.decision.meeting.state == "held"
    assert (programme.updated_by, version.recorded_by) == (oct_officer, oct_colleague)  # four eyes
    linked = {
        output["group"]["number"]
        for priority in version.content["priorities"]
        for result in priority["results"]
        for output in result["outputs"]
    }
    assert linked == {2, 7}  # the roster's groups; the others are not in the test roster
    assert WorkPlan.objects.filter(biennium_start=_biennium()).count() == 2


def test_the_admin_shows_programmes_versions_and_indicators_read_only(client_for, adopted, filled):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client = client_for(admin_user)
    for name in ("programmeofwork", "priority", "programmeversion", "indicator", "indicatorvalue"):
        assert client.get(reverse(f"admin:reporting_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:reporting_programmeofwork_change", args=[adopted.programme_id])).status_code == 200
    assert client.get(reverse("admin:reporting_programmeversion_add")).status_code == 403
    indicator = filled[2]
    change = reverse("admin:reporting_indicator_change", args=[indicator.pk])
    page = html_tree(client.get(change))
    form = page.find("form", id="indicator_form")
    # Shown, not offered for editing: no field, no save button, no delete link; only the token.
    controls = [(c.tag, c.attrs.get("name")) for c in form.find_all() if c.tag in ("input", "select", "textarea")]
    assert controls == [("input", "csrfmiddlewaretoken")]
    assert not form.find_all("button") and not form.find_all("input", type="submit")
    for field, shown in (("code", "1.1"), ("name", "Entities using the guidance"), ("target", "10.00")):
        assert form.find("div", class_=f"field-{field}").find("div", class_="readonly").text == shown
    assert not page.find_all("a", class_="deletelink")

    def stored() -> tuple:
        row = Indicator.objects.filter(pk=indicator.pk).values().get()
        links = (
            indicator.priorities.values_list("pk", flat=True),
            indicator.working_groups.values_list("pk", flat=True),
        )
        return row, [sorted(pks) for pks in links]

    before = stored()
    # The whole change form, as the admin would post it were the indicator editable there.
    edit = {"programme": indicator.programme_id, "code": "9.9", "name": "Changed", "definition": "Changed."}
    edit |= {"unit": "States", "baseline": "", "baseline_year": "", "target": "99", "position": "0"}
    edit |= {"direction": indicator.direction, "aggregation": indicator.aggregation, "frequency": indicator.frequency}
    edit |= {"disaggregation": "[]", "pillars": "[]", "priorities": [], "working_groups": []}
    assert client.post(change, edit).status_code == 403
    delete = reverse("admin:reporting_indicator_delete", args=[indicator.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert stored() == before


def test_renumbering_a_priority_does_not_list_its_results_as_changed(filled, programme, oct_officer, roster):
    priority, _, _ = filled
    before = programme_snapshot(programme)
    priority_update(
        priority=priority,
        actor=oct_officer,
        code="1.a",
        title=priority.title,
        pillars=priority.pillars,
        working_groups=[roster.group],
    )
    diff = programme_version_diff(before, programme_snapshot(programme))
    assert [c["changes"] for c in diff["priorities"]["changed"]] == [[{"field": "code", "old": "1", "new": "1.a"}]]
    assert diff["results"]["changed"] == [] and diff["outputs"]["added"] == []
    assert diff["indicators"]["changed"][0]["changes"] == [{"field": "priorities", "old": ["1"], "new": ["1.a"]}]


# --- Adoption freezes what OCT reviewed -----------------------------------------------------------


def test_adoption_refuses_a_working_copy_changed_since_it_was_reviewed(
    oct_colleague, client_for, filled, programme, oct_officer, decision
):
    """OCT reviews the changes on the adopt page; an indicator changed meanwhile (indicators are
    part of the working copy and move its revision) means nothing is adopted."""
    from compact.lib.workflow import EditConflictError
    from reporting.monitoring.services import indicator_update

    reviewed = programme.revision
    indicator_update(indicator=filled[2], actor=oct_officer, target=Decimal("12"))
    programme.refresh_from_db()
    assert programme.revision == reviewed + 1
    with pytest.raises(EditConflictError):
        programme_adopt(
            programme=programme, decision=decision, change_note="", actor=oct_colleague, base_revision=reviewed
        )
    url = reverse("programme-adopt", args=[programme.pk])
    response = client_for(oct_colleague).post(url, {"decision": decision.pk, "base_revision": reviewed})
    assert response.status_code == 400 and "nothing was adopted" in response.content.decode()
    assert not ProgrammeVersion.objects.exists()
    # The form now carries the current revision: a second, deliberate post adopts.
    response = client_for(oct_colleague).post(url, {"decision": decision.pk, "base_revision": programme.revision})
    assert response.status_code == 302
    assert ProgrammeVersion.objects.get().content["indicators"][0]["target"] == "12.00"


def test_editing_a_priority_keeps_its_retired_working_group(client_for, filled, programme, oct_officer, roster):
    roster.group.retired_on = D(2026, 6, 30)
    roster.group.save()
    page = client_for(oct_officer).get(reverse("programme-priority-edit", args=[filled[0].pk])).content.decode()
    assert f'value="{roster.group.pk}" checked' in page or f'value="{roster.group.pk}"' in page
    from reporting.programme.forms import PriorityForm

    priority = filled[0]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    WorkingGroup.objects.filter(pk__in=[roster.group.pk, roster.other_group.pk]).update(retired_on=yesterday)
    url = reverse("programme-priority-edit", args=[priority.pk])
    client = client_for(oct_officer)
    boxes = html_tree(client.get(url)).find_all("input", name="working_groups")
    # The priority's group is offered, ticked; the other retired group, not linked, is not offered.
    assert [(box.attrs["value"], "checked" in box.attrs) for box in boxes] == [(str(roster.group.pk), True)]
    form = PriorityForm(programme=programme, priority=priority)
    assert list(form.fields["working_groups"].queryset) == [roster.group]
    # Saved as the page sends it back, the priority keeps the group.
    data = {
        "code": priority.code,
        "title": "Human rights in counter-terrorism, revised",
        "description": "",
        "pillars": priority.pillars,
        "working_groups": [str(roster.group.pk)],
        "base_revision": programme.revision,
    }
    assert client.post(url, data).status_code == 302
    priority.refresh_from_db()
    assert priority.title == "Human rights in counter-terrorism, revised"
    assert list(priority.working_groups.all()) == [roster.group]
