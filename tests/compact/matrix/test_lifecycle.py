"""A project's lifecycle (A/72/840, Annex IV, para. 9) as a transition table, with the day, the
entity and the person at each step and CTED's contribution where Annex IV asks for it; and the
human rights due diligence (Annex III, IV(j)) that gates implementation for a project that
supports non-UN security forces."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from compact.core.models import AuditEvent, Classification
from compact.lib.workflow import TransitionNotAllowedError
from compact.matrix.lifecycle import project_hrddp_record, project_security_forces_set, project_stage_move
from compact.matrix.models import HrddpAssessment, Project, ProjectStageStep
from compact.matrix.services import project_save
from compact.matrix.workflow import CTED_STAGES, LIFECYCLE_TRANSITIONS, NOT_STAGED, STAGES
from tests.helpers import html_tree

pytestmark = pytest.mark.django_db

Stage = Project.Stage
Outcome = HrddpAssessment.Outcome
TODAY = datetime.date(2026, 6, 15)
DAY = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False)


def _project(roster, **extra) -> Project:
    fields = {
        "title": "Media literacy against violent extremism",
        "lead_entity": roster.unesco,
        "status": "ongoing",
        "classification": extra.pop("classification", Classification.UNCLASSIFIED),
    }
    return project_save(project=None, actor=None, fields=fields, **extra)


def _at(project: Project, stage: str, *, forces: bool | None = False) -> Project:
    Project.objects.filter(pk=project.pk).update(stage=stage, supports_security_forces=forces)
    project.refresh_from_db()
    return project


# --- The table, walked whole ------------------------------------------------------------------


def test_the_table_is_seven_steps_forward_one_back_and_a_placing_for_each_stage():
    assert [stage.value for stage in STAGES] == [
        "idea",
        "analysis",
        "planning",
        "financing",
        "initiation",
        "implementation",
        "evaluation",
    ]
    by_action = {t.action: (set(t.sources), t.target, t.message) for t in LIFECYCLE_TRANSITIONS}
    assert len(by_action) == 7 + 6 + 6
    assert by_action["to-planning"] == ({"analysis"}, "planning", "none")
    assert by_action["back-planning"] == ({"financing"}, "planning", "required")
    assert by_action["place-implementation"] == ({NOT_STAGED}, "implementation", "none")
    assert {Stage.PLANNING, Stage.FINANCING, Stage.INITIATION} == CTED_STAGES


@pytest.mark.parametrize("state", [NOT_STAGED, *[stage.value for stage in STAGES]])
@pytest.mark.parametrize("action", LIFECYCLE_TRANSITIONS.actions())
def test_every_action_from_every_stage_moves_exactly_as_the_table_says(roster, oct_officer, state, action):
    project = _at(_project(roster), state)
    transition = LIFECYCLE_TRANSITIONS.get(action)
    allowed = state in transition.sources
    kwargs = {"reason": "Funding fell through."} if transition.message == "required" else {}
    if allowed:
        project_stage_move(project=project, action=action, actor=oct_officer, reached_on=DAY, **kwargs)
        project.refresh_from_db()
        assert project.stage == transition.target
        step = ProjectStageStep.objects.get(project=project)
        assert (step.action, step.from_stage, step.to_stage, step.reached_on, step.actor) == (
            action,
            state,
            transition.target,
            DAY,
            oct_officer,
        )
        assert AuditEvent.objects.filter(verb="project.stage_moved", object_id=str(project.pk)).count() == 1
    else:
        with pytest.raises(TransitionNotAllowedError):
            project_stage_move(project=project, action=action, actor=oct_officer, reached_on=DAY, **kwargs)
        project.refresh_from_db()
        assert project.stage == state and not ProjectStageStep.objects.exists()


# --- What each step records ------------------------------------------------------------------


def test_a_project_walks_from_idea_to_evaluation_with_the_day_entity_and_ctEDs_contribution(
    roster, oct_officer, focal_point
):
    project = _project(roster)
    project_security_forces_set(project=project, actor=focal_point, supports=False)
    days = iter(datetime.date(2026, 1, d) for d in range(1, 8))
    project_stage_move(project=project, action="place-idea", actor=focal_point, reached_on=next(days))
    for stage in STAGES[1:]:
        cted = f"CTED's assessment for {stage.label}." if stage in CTED_STAGES else ""
        project_stage_move(
            project=project,
            action=f"to-{stage}",
            actor=oct_officer,
            reached_on=next(days),
            entity=roster.cted if cted else roster.unesco,
            cted_input=cted,
        )
    project.refresh_from_db()
    assert project.stage == Stage.EVALUATION
    steps = list(project.stage_steps.all())
    assert [s.to_stage for s in steps] == [stage.value for stage in STAGES]
    assert [s.cted_input != "" for s in steps] == [stage in CTED_STAGES for stage in STAGES]
    assert steps[2].entity == roster.cted and steps[0].actor == focal_point


@pytest.mark.parametrize(
    ("state", "action", "kwargs", "field"),
    [
        ("financing", "back-planning", {}, "reason"),
        ("idea", "to-analysis", {"reached_on": datetime.date(2026, 6, 16)}, "reached_on"),
        ("idea", "to-analysis", {"cted_input": "CTED's view."}, "cted_input"),
        ("idea", "to-analysis", {"reason": "x" * 5001}, "reason"),
    ],
)
def test_a_bad_step_names_the_field_and_saves_nothing(roster, oct_officer, state, action, kwargs, field):
    project = _at(_project(roster), state)
    with pytest.raises(ValidationError) as refused:
        project_stage_move(project=project, action=action, actor=oct_officer, **{"reached_on": DAY, **kwargs})
    assert field in refused.value.message_dict
    project.refresh_from_db()
    assert project.stage == state and not ProjectStageStep.objects.exists()
    assert not AuditEvent.objects.filter(verb="project.stage_moved").exists()


def test_a_step_cannot_be_dated_before_the_previous_one(roster, oct_officer):
    project = _project(roster)
    project_stage_move(project=project, action="place-idea", actor=oct_officer, reached_on=DAY)
    with pytest.raises(ValidationError) as refused:
        project_stage_move(
            project=project,
            action="to-analysis",
            actor=oct_officer,
            reached_on=DAY.replace(day=1) - datetime.timedelta(days=1),
        )
    assert "reached_on" in refused.value.message_dict
    assert Project.objects.get(pk=project.pk).stage == Stage.IDEA


# --- Human rights due diligence -----------------------------------------------------------------


def _to_implementation(project, actor, day=DAY):
    return project_stage_move(project=project, action="to-implementation", actor=actor, reached_on=day)


def test_implementation_waits_until_someone_says_whether_security_forces_are_supported(roster, oct_officer):
    project = _at(_project(roster), Stage.INITIATION, forces=None)
    with pytest.raises(ValidationError) as refused:
        _to_implementation(project, oct_officer)
    assert "non-UN security forces" in str(refused.value.message_dict["action"])
    project_security_forces_set(project=project, actor=oct_officer, supports=False)
    _to_implementation(project, oct_officer)
    assert Project.objects.get(pk=project.pk).stage == Stage.IMPLEMENTATION


def test_support_to_security_forces_needs_an_assessment_that_allows_it_first(roster, oct_officer, focal_point):
    project = _at(_project(roster), Stage.INITIATION, forces=True)
    with pytest.raises(ValidationError):
        _to_implementation(project, oct_officer)
    project_hrddp_record(
        project=project, actor=focal_point, assessed_on=datetime.date(2026, 5, 1), outcome=Outcome.HIGH, summary="x"
    )
    with pytest.raises(ValidationError) as high:
        _to_implementation(project, oct_officer)
    assert "substantial risk" in str(high.value.message_dict["action"])
    # A later assessment allows it, but only from the day it was made.
    project_hrddp_record(
        project=project,
        actor=focal_point,
        assessed_on=datetime.date(2026, 6, 10),
        outcome=Outcome.MITIGATED,
        summary="Vetting of the units; human rights training; monitoring by OHCHR.",
        entity=roster.ohchr,
    )
    with pytest.raises(ValidationError):
        _to_implementation(project, oct_officer, day=datetime.date(2026, 6, 1))
    _to_implementation(project, oct_officer, day=datetime.date(2026, 6, 12))
    assert Project.objects.get(pk=project.pk).stage == Stage.IMPLEMENTATION
    assessments = list(project.hrddp_assessments.values_list("outcome", "entity__acronym", "recorded_by__username"))
    assert assessments == [("mitigated", "OHCHR", "focal"), ("high", None, "focal")]


def test_an_assessment_says_the_project_supports_security_forces_and_is_audited_without_its_text(roster, oct_officer):
    project = _project(roster, classification=Classification.CONFIDENTIAL)
    project_hrddp_record(
        project=project, actor=oct_officer, assessed_on=DAY, outcome=Outcome.LOW, summary="MK-HRDDP-SECRET"
    )
    project.refresh_from_db()
    assert project.supports_security_forces is True
    event = AuditEvent.objects.get(verb="project.hrddp_recorded")
    assert "MK-HRDDP-SECRET" not in str(event.after) and event.classification == Classification.CONFIDENTIAL


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"outcome": Outcome.MITIGATED, "summary": ""}, "summary"),
        ({"assessed_on": datetime.date(2027, 1, 1)}, "assessed_on"),
    ],
)
def test_a_bad_assessment_names_the_field_and_saves_nothing(roster, oct_officer, kwargs, field):
    project = _project(roster)
    values = {"assessed_on": DAY, "outcome": Outcome.LOW, **kwargs}
    with pytest.raises(ValidationError) as refused:
        project_hrddp_record(project=project, actor=oct_officer, **values)
    assert field in refused.value.message_dict
    assert not HrddpAssessment.objects.exists()
    assert Project.objects.get(pk=project.pk).supports_security_forces is None


# --- Who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["usg", "committee_member", "chair", "outsider"])
def test_only_oct_and_the_projects_focal_points_change_its_lifecycle(roster, request, persona):
    project = _project(roster)
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        project_stage_move(project=project, action="place-idea", actor=actor, reached_on=DAY)
    with pytest.raises(PermissionDenied):
        project_hrddp_record(project=project, actor=actor, assessed_on=DAY, outcome=Outcome.LOW)
    with pytest.raises(PermissionDenied):
        project_security_forces_set(project=project, actor=actor, supports=True)
    project.refresh_from_db()
    assert (project.stage, project.supports_security_forces) == ("", None)
    assert not ProjectStageStep.objects.exists() and not HrddpAssessment.objects.exists()


# --- The page and the API --------------------------------------------------------------------------


def test_the_page_shows_the_steps_and_records_a_move(roster, focal_point, client_for):
    project = _project(roster)
    client = client_for(focal_point)
    page = client.get(reverse("project-detail", args=[project.pk])).content.decode()
    assert "Not known: nobody has recorded where this project stands." in page
    response = client.post(
        reverse("project-stage-move", args=[project.pk]),
        {"action": "place-planning", "reached_on": "2026-05-20", "entity": roster.cted.pk, "cted_input": "Advice."},
    )
    assert response.status_code == 302
    tree = html_tree(client.get(reverse("project-detail", args=[project.pk])))
    current = tree.find("ol", class_="lifecycle-stages").find("li", class_="current")
    assert current.text.startswith("Planning")
    row = " ".join(tree.find("table", class_="lifecycle-steps").find("tbody").text.split())
    assert "Planning" in row and "CTED" in row and "Advice." in row


def test_a_mistake_on_the_page_comes_back_with_its_message(roster, oct_officer, client_for):
    project = _at(_project(roster), Stage.INITIATION, forces=True)
    response = client_for(oct_officer).post(
        reverse("project-stage-move", args=[project.pk]), {"action": "to-implementation", "reached_on": "2026-06-01"}
    )
    assert response.status_code == 400
    assert "record a human rights due diligence assessment" in response.content.decode()
    assert Project.objects.get(pk=project.pk).stage == Stage.INITIATION


@pytest.mark.parametrize("persona", ["usg", "committee_member", "chair", "outsider"])
def test_the_forms_are_not_found_for_those_who_cannot_edit(roster, request, client_for, persona):
    project = _project(roster)
    client = client_for(request.getfixturevalue(persona))
    page = client.get(reverse("project-detail", args=[project.pk])).content.decode()
    assert 'action="/projects/' not in page.split('id="lifecycle-heading"')[1].split("</section>")[0]
    for name, body in [
        ("project-stage-move", {"action": "place-idea", "reached_on": "2026-06-01"}),
        ("project-security-forces", {"supports": "yes"}),
        ("project-hrddp-add", {"assessed_on": "2026-06-01", "outcome": "low"}),
    ]:
        assert client.post(reverse(name, args=[project.pk]), body).status_code == 404
    project.refresh_from_db()
    assert (project.stage, project.supports_security_forces) == ("", None)


def test_the_api_moves_a_project_and_answers_409_for_a_move_not_allowed_now(roster, oct_officer, api_for):
    project = _project(roster)
    api = api_for(oct_officer)
    url = f"/api/v1/projects/{project.pk}/"
    assert [m["action"] for m in api.get(url).json()["lifecycle_moves"]][:2] == ["place-idea", "place-analysis"]
    moved = api.post(
        f"{url}lifecycle/",
        {"action": "place-financing", "reached_on": "2026-06-01", "entity": "CTED", "cted_input": "Pledges."},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    body = moved.json()
    assert body["stage"] == "financing" and body["lifecycle"][0]["entity"] == "CTED"
    assert [m["action"] for m in body["lifecycle_moves"]] == ["to-initiation", "back-planning"]
    conflict = api.post(f"{url}lifecycle/", {"action": "to-analysis", "reached_on": "2026-06-01"}, format="json")
    assert conflict.status_code == 409 and conflict.json()["stage"] == "financing"
    recorded = api.post(
        f"{url}hrddp/", {"assessed_on": "2026-06-02", "outcome": "low", "entity": "OHCHR"}, format="json"
    )
    assert recorded.status_code == 201 and recorded.json()["supports_security_forces"] is True
    assert recorded.json()["hrddp_assessments"][0]["entity"] == "OHCHR"


def test_the_schema_documents_the_lifecycle(roster, outsider, api_for):
    paths = api_for(outsider).get("/api/v1/schema/?format=json").json()["paths"]
    assert set(paths["/api/v1/projects/{id}/lifecycle/"]["post"]["responses"]) >= {"200", "400", "403", "404", "409"}
    # An assessment recorded is a 201; "supports no security forces" alone records none: a 200.
    assert set(paths["/api/v1/projects/{id}/hrddp/"]["post"]["responses"]) >= {"200", "201", "400", "403", "404"}


def test_the_list_the_api_and_the_exports_filter_by_stage(roster, oct_officer, client_for, api_for):
    planned = _at(_project(roster), Stage.PLANNING)
    Project.objects.filter(pk=planned.pk).update(title="Planned project")
    unknown = project_save(
        project=None,
        actor=None,
        fields={"title": "Stage not known", "lead_entity": roster.unesco, "status": "ongoing"},
    )
    client = client_for(oct_officer)
    page = client.get(reverse("project-list"), {"stage": "planning"}).content.decode()
    assert "Planned project" in page and "Stage not known" not in page
    none = client.get(reverse("project-list"), {"stage": "none"}).content.decode()
    assert "Stage not known" in none and "Planned project" not in none
    api = api_for(oct_officer).get("/api/v1/projects/", {"stage": "planning"}).json()
    assert [row["id"] for row in api["results"]] == [planned.pk]
    assert api_for(oct_officer).get("/api/v1/projects/", {"stage": "nonsense"}).status_code == 400
    export = client.get(reverse("project-export-csv"), {"stage": "none"})
    exported = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Stage not known" in exported and "Planned project" not in exported
    assert unknown.stage == ""


def test_the_api_says_a_project_supports_no_security_forces_or_names_what_an_assessment_lacks(
    roster, oct_officer, api_for
):
    project = _project(roster)
    api = api_for(oct_officer)
    url = f"/api/v1/projects/{project.pk}/hrddp/"
    said = api.post(url, {"supports_security_forces": False}, format="json")
    assert said.status_code == 200 and said.json()["supports_security_forces"] is False
    incomplete = api.post(url, {"entity": "OHCHR"}, format="json")
    assert incomplete.status_code == 400 and {"assessed_on", "outcome"} <= set(incomplete.json())
    assert not HrddpAssessment.objects.exists()
    assert Project.objects.get(pk=project.pk).supports_security_forces is False
