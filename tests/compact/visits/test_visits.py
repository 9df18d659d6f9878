"""CTED's country visits (A/72/840, Annex IV, C.2): the transition table walked whole, who may do
what, the checks on each move, the pages, the country page of the matrix and the API."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from compact.core.models import AuditEvent, Classification
from compact.lib.workflow import TransitionNotAllowedError
from compact.matrix.services import project_save
from compact.visits.models import CountryVisit, CountryVisitStep
from compact.visits.services import visit_act, visit_create, visit_moves_for, visit_update
from compact.visits.workflow import CTED, OCT, VISIT_TRANSITIONS
from tests.helpers import html_tree

pytestmark = pytest.mark.django_db

State = CountryVisit.State
TODAY = datetime.date(2026, 6, 15)
D = datetime.date
ASSESSMENT = "Gaps in border screening; recommend training of customs officers."
PERSONAS = ["oct_officer", "usg", "committee_member", "chair", "vice_chair", "focal_point", "outsider"]


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False)


def _visit(cted, *, state: str = State.PLANNED, **extra) -> CountryVisit:
    values = {"country": "TN", "starts_on": D(2026, 6, 1), "ends_on": D(2026, 6, 5)} | extra
    visit = visit_create(actor=cted, **values)
    columns = {"state": state}
    if state in (State.SHARED, State.WITHHELD, State.FOLLOWED_UP):
        columns |= {"assessment": ASSESSMENT, "assessment_on": D(2026, 6, 10)}
        columns["assessment_shared"] = state == State.SHARED and not visit.confidentiality_requested
    CountryVisit.objects.filter(pk=visit.pk).update(**columns)
    visit.refresh_from_db()
    return visit


def _project(roster, *, country: str = "TN", classification: str = Classification.UNCLASSIFIED):
    fields = {
        "title": f"Border security in {country}",
        "lead_entity": roster.unodc,
        "status": "ongoing",
        "classification": classification,
    }
    return project_save(project=None, actor=None, fields=fields, countries=[country])


def _move_data(action: str) -> dict:
    return {
        "inform-oct": {"oct_informed_on": D(2026, 5, 20)},
        "carry-out": {},
        "share": {"assessment": ASSESSMENT},
        "withhold": {"assessment": ASSESSMENT},
        "follow-up": {"followup_on": D(2026, 6, 12), "followup_support": "Training of customs officers."},
        "cancel": {"reason": "The Member State asked to postpone."},
    }[action]


# --- The table, walked whole ------------------------------------------------------------------


def test_the_table_says_who_moves_what():
    table = {t.action: (set(t.sources), t.target, t.by) for t in VISIT_TRANSITIONS}
    assert table == {
        "inform-oct": ({State.PLANNED}, State.OCT_INFORMED, CTED),
        "carry-out": ({State.PLANNED, State.OCT_INFORMED}, State.CARRIED_OUT, CTED),
        "share": ({State.CARRIED_OUT}, State.SHARED, CTED),
        "withhold": ({State.CARRIED_OUT}, State.WITHHELD, CTED),
        "follow-up": ({State.SHARED, State.WITHHELD}, State.FOLLOWED_UP, OCT),
        "cancel": ({State.PLANNED, State.OCT_INFORMED}, State.CANCELLED, CTED),
    }


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("action", VISIT_TRANSITIONS.actions())
def test_every_action_from_every_state_moves_exactly_as_the_table_says(committee_member, oct_officer, state, action):
    transition = VISIT_TRANSITIONS.get(action)
    # "withhold" is for a Member State that asked for confidentiality, "share" for one that did not.
    confidential = action == "withhold" and state != State.SHARED  # a shared one was not confidential
    visit = _visit(committee_member, state=state, confidentiality_requested=confidential)
    actor = committee_member if transition.by == CTED else oct_officer
    if state in transition.sources:
        visit_act(visit=visit, action=action, actor=actor, **_move_data(action))
        visit.refresh_from_db()
        assert visit.state == transition.target
        step = CountryVisitStep.objects.get(visit=visit)
        assert (step.action, step.from_state, step.to_state, step.actor) == (action, state, transition.target, actor)
        event = AuditEvent.objects.filter(object_id=str(visit.pk)).latest("id")
        assert event.before == {"state": state}
        assert event.after["state"] == transition.target
    else:
        with pytest.raises(TransitionNotAllowedError):
            visit_act(visit=visit, action=action, actor=actor, **_move_data(action))
        visit.refresh_from_db()
        assert visit.state == state
        assert not CountryVisitStep.objects.exists()


def test_the_moves_of_the_whole_life_write_their_own_facts(roster, committee_member, oct_officer):
    project = _project(roster)
    visit = _visit(committee_member, starts_on=D(2026, 6, 1))
    visit_act(visit=visit, action="inform-oct", actor=committee_member, oct_informed_on=D(2026, 5, 20))
    visit_act(visit=visit, action="carry-out", actor=committee_member)
    visit_act(visit=visit, action="share", actor=committee_member, assessment=f"  {ASSESSMENT}  ")
    visit_act(
        visit=visit,
        action="follow-up",
        actor=oct_officer,
        followup_on=D(2026, 6, 12),
        followup_support="Training.",
        projects=[project],
    )
    visit.refresh_from_db()
    assert visit.state == State.FOLLOWED_UP
    assert (visit.oct_informed_on, visit.carried_out_on, visit.assessment_on) == (D(2026, 5, 20), TODAY, TODAY)
    assert visit.assessment == ASSESSMENT and visit.assessment_shared
    assert (visit.followup_on, visit.followup_support) == (D(2026, 6, 12), "Training.")
    assert list(visit.projects.all()) == [project]
    assert visit.informed_in_advance and not visit.started_without_oct(TODAY)


# --- OCT told in advance ----------------------------------------------------------------------


def test_a_visit_that_began_without_oct_being_told_shows_as_such(committee_member):
    planned = _visit(committee_member, starts_on=D(2026, 6, 14), ends_on=D(2026, 6, 20))
    assert planned.started_without_oct(TODAY)
    later = _visit(committee_member, starts_on=D(2026, 7, 1), ends_on=D(2026, 7, 3))
    assert not later.started_without_oct(TODAY)
    visit_act(visit=planned, action="inform-oct", actor=committee_member, oct_informed_on=D(2026, 6, 15))
    planned.refresh_from_db()
    assert not planned.informed_in_advance and planned.started_without_oct(TODAY)
    visit_act(visit=later, action="inform-oct", actor=committee_member, oct_informed_on=D(2026, 6, 15))
    later.refresh_from_db()
    assert later.informed_in_advance and not later.started_without_oct(D(2026, 7, 2))


def test_the_list_and_the_detail_say_oct_was_not_informed(client_for, committee_member):
    visit = _visit(committee_member, starts_on=D(2026, 6, 10), ends_on=D(2026, 6, 12))
    client = client_for(committee_member)
    for url in (reverse("visit-list"), reverse("visit-detail", args=[visit.pk])):
        assert "OCT not informed in advance" in client.get(url).content.decode()


# --- The checks on each move ------------------------------------------------------------------


def test_share_is_refused_when_the_member_state_asked_for_confidentiality(committee_member):
    visit = _visit(committee_member, state=State.CARRIED_OUT, confidentiality_requested=True)
    with pytest.raises(ValidationError) as error:
        visit_act(visit=visit, action="share", actor=committee_member, assessment=ASSESSMENT)
    assert "action" in error.value.message_dict
    visit.refresh_from_db()
    assert visit.state == State.CARRIED_OUT and visit.assessment == ""


def test_withhold_is_refused_when_the_member_state_did_not_ask(committee_member):
    visit = _visit(committee_member, state=State.CARRIED_OUT)
    with pytest.raises(ValidationError) as error:
        visit_act(visit=visit, action="withhold", actor=committee_member, assessment=ASSESSMENT)
    assert "action" in error.value.message_dict


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("inform-oct", {}, "oct_informed_on"),
        ("inform-oct", {"oct_informed_on": D(2026, 6, 16)}, "oct_informed_on"),
        ("share", {"assessment": "   "}, "assessment"),
        ("share", {"assessment": "x" * 20_001}, "assessment"),
        ("cancel", {"reason": ""}, "reason"),
    ],
)
def test_a_move_without_what_it_needs_is_refused_field_by_field(committee_member, action, data, field):
    state = State.CARRIED_OUT if action == "share" else State.PLANNED
    visit = _visit(committee_member, state=state)
    with pytest.raises(ValidationError) as error:
        visit_act(visit=visit, action=action, actor=committee_member, **data)
    assert field in error.value.message_dict
    visit.refresh_from_db()
    assert visit.state == state


def test_a_visit_is_carried_out_only_from_its_first_day(committee_member):
    visit = _visit(committee_member, starts_on=D(2026, 7, 1), ends_on=D(2026, 7, 3))
    with pytest.raises(ValidationError):
        visit_act(visit=visit, action="carry-out", actor=committee_member)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "followup_on"),
        ({"followup_on": D(2026, 5, 1), "followup_support": "Training."}, "followup_on"),
        ({"followup_on": D(2026, 6, 16), "followup_support": "Training."}, "followup_on"),
        ({"followup_on": D(2026, 6, 12), "followup_support": ""}, "followup_support"),
    ],
)
def test_the_follow_up_needs_its_day_and_the_support(committee_member, oct_officer, data, field):
    visit = _visit(committee_member, state=State.SHARED)
    with pytest.raises(ValidationError) as error:
        visit_act(visit=visit, action="follow-up", actor=oct_officer, **data)
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": ""}, "country"),
        ({"starts_on": D(2026, 6, 5), "ends_on": D(2026, 6, 1)}, "ends_on"),
        ({"starts_on": D(2026, 6, 1), "ends_on": D(2026, 9, 1)}, "ends_on"),
        ({"starts_on": D(2040, 6, 1), "ends_on": D(2040, 6, 2)}, "starts_on"),
        ({"classification": "secret"}, "classification"),
        ({"classification": Classification.STRICTLY_CONFIDENTIAL}, "classification"),
    ],
)
def test_a_visit_with_wrong_facts_is_refused_and_nothing_is_saved(committee_member, values, field):
    base = {"country": "TN", "starts_on": D(2026, 6, 1), "ends_on": D(2026, 6, 5)}
    with pytest.raises(ValidationError) as error:
        visit_create(actor=committee_member, **(base | values))
    assert field in error.value.message_dict
    assert not CountryVisit.objects.exists()


def test_cted_corrects_the_facts_until_the_assessment_is_recorded(committee_member):
    visit = _visit(committee_member, state=State.CARRIED_OUT)
    visit_update(visit=visit, actor=committee_member, confidentiality_requested=True, country="ml")
    visit.refresh_from_db()
    assert visit.confidentiality_requested and visit.country == "ML"
    event = AuditEvent.objects.filter(verb="visit.updated").get()
    assert event.after == {"country": "ML", "confidentiality_requested": True}
    CountryVisit.objects.filter(pk=visit.pk).update(state=State.WITHHELD, assessment=ASSESSMENT)
    with pytest.raises(ValidationError):
        visit_update(visit=visit, actor=committee_member, confidentiality_requested=False)
    visit.refresh_from_db()
    assert visit.confidentiality_requested


def test_the_database_refuses_a_shared_assessment_of_a_confidential_visit(committee_member):
    from django.db import IntegrityError, transaction

    visit = _visit(committee_member, state=State.CARRIED_OUT, confidentiality_requested=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CountryVisit.objects.filter(pk=visit.pk).update(assessment_shared=True, assessment="x")


# --- Who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_cted_records_a_visit(request, persona):
    user = request.getfixturevalue(persona)
    values = {"country": "TN", "starts_on": D(2026, 6, 1), "ends_on": D(2026, 6, 5)}
    if persona == "committee_member":
        assert visit_create(actor=user, **values).created_by == user
    else:
        with pytest.raises(PermissionDenied):
            visit_create(actor=user, **values)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("state", "action"), [("planned", "inform-oct"), ("shared", "follow-up")])
def test_each_move_is_its_party_s_alone(request, committee_member, persona, state, action):
    user = request.getfixturevalue(persona)
    visit = _visit(committee_member, state=state)
    allowed = {"inform-oct": "committee_member", "follow-up": "oct_officer"}[action]
    moves = [t.action for t in visit_moves_for(user, visit)]
    if persona == allowed:
        assert action in moves
        visit_act(visit=visit, action=action, actor=user, **_move_data(action))
    else:
        assert action not in moves
        with pytest.raises(PermissionDenied):
            visit_act(visit=visit, action=action, actor=user, **_move_data(action))


def test_cted_without_the_clearance_cannot_move_a_visit_marked_above_it(committee_member):
    visit = _visit(committee_member)
    CountryVisit.objects.filter(pk=visit.pk).update(classification=Classification.STRICTLY_CONFIDENTIAL)
    visit.refresh_from_db()
    assert visit_moves_for(committee_member, visit) == []
    with pytest.raises(PermissionDenied):
        visit_act(visit=visit, action="cancel", actor=committee_member, reason="No.")


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*PERSONAS, None])
def test_the_pages_by_persona(request, client_for, committee_member, persona):
    user = request.getfixturevalue(persona) if persona else None
    visit = _visit(committee_member, state=State.CARRIED_OUT)
    client = client_for(user)
    pages = {
        "list": client.get(reverse("visit-list")).status_code,
        "detail": client.get(reverse("visit-detail", args=[visit.pk])).status_code,
        "new": client.get(reverse("visit-new")).status_code,
        "edit": client.get(reverse("visit-edit", args=[visit.pk])).status_code,
    }
    if persona is None:
        assert set(pages.values()) == {302}
    elif persona == "committee_member":
        assert pages == {"list": 200, "detail": 200, "new": 200, "edit": 200}
    else:
        # The visit is confidential: the UNESCO focal point and the outsider are not cleared.
        readable = persona not in ("focal_point", "outsider", "chair", "vice_chair")
        assert pages == {"list": 200, "detail": 200 if readable else 404, "new": 404, "edit": 404}


def test_cted_records_and_moves_a_visit_through_the_pages(client_for, committee_member, oct_officer, roster):
    project = _project(roster)
    client = client_for(committee_member)
    response = client.post(
        reverse("visit-new"),
        {"country": "TN", "starts_on": "2026-06-01", "ends_on": "2026-06-05", "classification": "confidential"},
    )
    visit = CountryVisit.objects.get()
    assert response.status_code == 302 and response.url == reverse("visit-detail", args=[visit.pk])
    act = reverse("visit-act", args=[visit.pk])
    assert client.post(act, {"action": "inform-oct", "oct_informed_on": "2026-05-20"}).status_code == 302
    assert client.post(act, {"action": "carry-out"}).status_code == 302
    page = html_tree(client.get(reverse("visit-detail", args=[visit.pk])))
    share = [f for f in page.find_all("form", action=act) if f.find_all("input", name="action", value="share")]
    assert share[0].attrs["data-confirm"].startswith("Share the assessment with OCT?")
    assert client.post(act, {"action": "share", "assessment": ASSESSMENT}).status_code == 302
    officer = client_for(oct_officer)
    response = officer.post(
        act,
        {"action": "follow-up", "followup_on": "2026-06-12", "followup_support": "Training.", "projects": [project.pk]},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.state == State.FOLLOWED_UP and list(visit.projects.all()) == [project]
    body = officer.get(reverse("visit-detail", args=[visit.pk])).content.decode()
    assert ASSESSMENT in body and project.title in body
    history = html_tree(officer.get(reverse("visit-detail", args=[visit.pk]))).find_all("ul", class_="events")[0]
    assert "Record that OCT was informed" in history.text and "inform-oct" not in history.text


def test_a_refused_move_comes_back_with_its_message(client_for, committee_member):
    visit = _visit(committee_member)
    response = client_for(committee_member).post(reverse("visit-act", args=[visit.pk]), {"action": "cancel"})
    assert response.status_code == 400
    assert "Say why the visit is cancelled." in response.content.decode()


def test_the_country_page_shows_the_visits_next_to_the_projects(client_for, committee_member, focal_point, roster):
    _project(roster)
    visit = _visit(committee_member, classification=Classification.UNCLASSIFIED)
    hidden = _visit(committee_member, starts_on=D(2026, 3, 1), ends_on=D(2026, 3, 2))  # confidential
    url = reverse("project-country", args=["TN"])
    body = client_for(focal_point).get(url).content.decode()
    assert reverse("visit-detail", args=[visit.pk]) in body
    assert reverse("visit-detail", args=[hidden.pk]) not in body
    body = client_for(committee_member).get(url).content.decode()
    assert reverse("visit-detail", args=[hidden.pk]) in body
    assert "CTED&#x27;s country visits" in body or "CTED's country visits" in body


# --- API --------------------------------------------------------------------------------------


def test_the_api_records_and_moves_a_visit(api_for, committee_member, oct_officer, roster):
    project = _project(roster)
    cted = api_for(committee_member)
    response = cted.post(
        "/api/v1/country-visits/",
        {"country": "tn", "starts_on": "2026-06-01", "ends_on": "2026-06-05", "confidentiality_requested": False},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["classification"] == "confidential"
    assert response.json()["started_without_oct"] is True
    url = f"/api/v1/country-visits/{pk}/transitions/"
    assert cted.post(url, {"action": "carry-out"}, format="json").status_code == 200
    response = cted.post(url, {"action": "share", "assessment": ASSESSMENT}, format="json")
    assert response.json()["assessment"] == ASSESSMENT
    response = cted.post(url, {"action": "share", "assessment": ASSESSMENT}, format="json")
    assert response.status_code == 409 and response.json()["state"] == "shared"
    officer = api_for(oct_officer)
    body = {
        "action": "follow-up",
        "followup_on": "2026-06-12",
        "followup_support": "Training.",
        "projects": [project.pk],
    }
    response = officer.post(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["projects"] == [{"id": project.pk, "title": project.title}]
    assert response.json()["assessment"] == ASSESSMENT
    listed = officer.get("/api/v1/country-visits/?country=tn").json()
    assert [row["id"] for row in listed["results"]] == [pk]
    assert "assessment" not in listed["results"][0]


def test_the_api_refuses_bad_facts_field_by_field(api_for, committee_member):
    response = api_for(committee_member).post(
        "/api/v1/country-visits/", {"country": "XX", "starts_on": "2026-06-05", "ends_on": "2026-06-01"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"country", "ends_on"}


def test_the_api_is_in_the_schema_with_its_enums_and_bounds(api_for, outsider):
    schema = api_for(outsider).get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/country-visits/"])
    assert {"get", "patch"} <= set(paths["/api/v1/country-visits/{id}/"])
    assert "post" in paths["/api/v1/country-visits/{id}/transitions/"]
    enums = schema["components"]["schemas"]
    assert set(enums["CountryVisitActionEnum"]["enum"]) == set(VISIT_TRANSITIONS.actions())
    assert set(enums["CountryVisitStateEnum"]["enum"]) == set(State.values)
    country = next(p for p in paths["/api/v1/country-visits/"]["get"]["parameters"] if p["name"] == "country")
    assert country["schema"]["pattern"] == "^[A-Za-z]{2}$"
    responses = paths["/api/v1/country-visits/{id}/transitions/"]["post"]["responses"]
    assert {"200", "400", "404", "409"} <= set(responses)


# --- What waits on CTED and OCT -------------------------------------------------------------------


def test_the_visits_waiting_on_cted_and_on_oct_are_tasks(committee_member, oct_officer, focal_point):
    from portal.inbox import tasks_for

    _visit(committee_member, starts_on=D(2026, 7, 1), ends_on=D(2026, 7, 3))  # in 16 days, OCT not told
    _visit(committee_member, starts_on=D(2026, 9, 1), ends_on=D(2026, 9, 3))  # far off: not yet
    _visit(committee_member, state=State.CARRIED_OUT)
    _visit(committee_member, state=State.WITHHELD, confidentiality_requested=True)
    _visit(committee_member, state=State.FOLLOWED_UP)

    def visits(user):
        return [task.title for task in tasks_for(user, today=TODAY) if task.kind == "visit"]

    assert visits(committee_member) == ["2 country visits to bring up to date (OCT to tell, assessments to record)"]
    assert visits(oct_officer) == ["1 country visit awaiting OCT's follow-up consultation"]
    assert visits(focal_point) == []
