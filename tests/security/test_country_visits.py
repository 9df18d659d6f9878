"""Attacks on CTED's country visits (issue 22, Annex IV, C.2): a confidential assessment must
never reach OCT — not on a page, in the API, the audit log, the search or the matrix's country
page — whatever the visit's state; nobody reads a visit above their clearance; moves and fields
that are not the caller's are refused, on the pages and in the API; another visit's id opens
nothing more than the caller may see."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from compact.core.models import AuditEvent, Classification
from compact.core.roles import Role
from compact.matrix.services import project_save
from compact.registry.services import person_create
from compact.visits.models import CountryVisit, CountryVisitStep
from compact.visits.services import visit_act, visit_create

pytestmark = pytest.mark.django_db

D = datetime.date
SECRET = "MK-VISIT-CONFIDENTIAL-ASSESSMENT: weak screening at Carthage port"
SEARCHED = "Carthage"  # a word of the assessment (the marker itself would come back in the search box)
SHARED = "MK-VISIT-SHARED-ASSESSMENT"
State = CountryVisit.State


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False)


def _visit(cted, *, confidential: bool, assessment: str, classification=Classification.CONFIDENTIAL, country="TN"):
    visit = visit_create(
        actor=cted,
        country=country,
        starts_on=D(2026, 6, 1),
        ends_on=D(2026, 6, 5),
        confidentiality_requested=confidential,
        classification=classification,
    )
    visit_act(visit=visit, action="inform-oct", actor=cted, oct_informed_on=D(2026, 5, 20))
    visit_act(visit=visit, action="carry-out", actor=cted)
    visit_act(visit=visit, action="withhold" if confidential else "share", actor=cted, assessment=assessment)
    visit.refresh_from_db()
    return visit


def _follow_up(visit, officer):
    visit_act(visit=visit, action="follow-up", actor=officer, followup_on=D(2026, 6, 12), followup_support="Training.")
    visit.refresh_from_db()
    return visit


def _everything_oct_can_open(client, api, visit) -> list[str]:
    """Every page and API answer through which the visit's text could reach an OCT reader."""
    answers = [
        client.get(reverse("visit-list")),
        client.get(reverse("visit-detail", args=[visit.pk])),
        client.get(reverse("project-country", args=[visit.country])),
        client.get(reverse("audit-log")),
        client.get(reverse("audit-log"), {"q": SEARCHED}),
        client.get(reverse("search"), {"q": SEARCHED}),
        api.get("/api/v1/country-visits/"),
        api.get(f"/api/v1/country-visits/{visit.pk}/"),
        api.get(f"/api/v1/country-visits/?country={visit.country}"),
    ]
    return [answer.content.decode() for answer in answers]


@pytest.mark.parametrize("followed_up", [False, True])
def test_oct_never_reads_a_confidential_assessment_anywhere(
    roster, committee_member, oct_officer, client_for, api_for, followed_up
):
    visit = _visit(committee_member, confidential=True, assessment=SECRET)
    if followed_up:
        visit = _follow_up(visit, oct_officer)
    bodies = _everything_oct_can_open(client_for(oct_officer), api_for(oct_officer), visit)
    assert [n for n, body in enumerate(bodies) if "MK-VISIT" in body or "Carthage port" in body] == []
    # The officer does see that the visit took place, and that CTED keeps its assessment.
    assert "The Member State asked for confidentiality: CTED keeps its assessment." in bodies[1]
    assert api_for(oct_officer).get(f"/api/v1/country-visits/{visit.pk}/").json()["assessment"] is None
    # CTED reads its own text.
    assert SECRET in client_for(committee_member).get(reverse("visit-detail", args=[visit.pk])).content.decode()


def test_the_assessment_never_enters_an_audit_row_or_a_step(roster, committee_member, oct_officer):
    visit = _follow_up(_visit(committee_member, confidential=True, assessment=SECRET), oct_officer)
    _visit(committee_member, confidential=False, assessment=SHARED)
    for event in AuditEvent.objects.filter(verb__startswith="visit."):
        text = f"{event.before} {event.after} {event.note} {event.object_repr}"
        assert SECRET not in text and SHARED not in text
        assert event.classification == Classification.CONFIDENTIAL
    assert not CountryVisitStep.objects.filter(message__contains="MK-VISIT").exists()
    assert visit.assessment == SECRET


def test_a_shared_assessment_is_for_oct_and_cted_only(
    roster, committee_member, oct_officer, usg, chair, client_for, api_for
):
    visit = _visit(committee_member, confidential=False, assessment=SHARED)
    url = reverse("visit-detail", args=[visit.pk])
    assert SHARED in client_for(oct_officer).get(url).content.decode()
    assert api_for(oct_officer).get(f"/api/v1/country-visits/{visit.pk}/").json()["assessment"] == SHARED
    # The USG (cleared strictly confidential, but not the OCT secretariat) sees that it was shared.
    assert SHARED not in client_for(usg).get(url).content.decode()
    assert api_for(usg).get(f"/api/v1/country-visits/{visit.pk}/").json()["assessment"] is None


def test_oct_below_the_visit_s_classification_sees_nothing_of_it(roster, committee_member, client_for, api_for):
    visit = _visit(committee_member, confidential=False, assessment=SHARED)
    low = person_create(
        username="oct.junior",
        email="junior@example.org",
        first_name="Junior",
        last_name="Officer",
        entity=roster.unoct,
        roles=(Role.OCT,),
        clearance=Classification.UNCLASSIFIED,
        password="pw",
        actor=None,
    )
    client, api = client_for(low), api_for(low)
    assert client.get(reverse("visit-detail", args=[visit.pk])).status_code == 404
    assert api.get(f"/api/v1/country-visits/{visit.pk}/").status_code == 404
    assert api.get("/api/v1/country-visits/").json()["results"] == []
    assert all(SHARED not in body for body in _everything_oct_can_open(client, api, visit)[:3])
    follow = {"action": "follow-up", "followup_on": "2026-06-12", "followup_support": "x"}
    assert client.post(reverse("visit-act", args=[visit.pk]), follow).status_code == 404
    assert api.post(f"/api/v1/country-visits/{visit.pk}/transitions/", follow, format="json").status_code == 404
    visit.refresh_from_db()
    assert visit.state == State.SHARED


def test_a_focal_point_sees_nothing_above_clearance(roster, committee_member, focal_point, client_for, api_for):
    hidden = _visit(committee_member, confidential=False, assessment=SHARED)
    open_one = visit_create(
        actor=committee_member,
        country="TN",
        starts_on=D(2026, 7, 1),
        ends_on=D(2026, 7, 2),
        classification=Classification.UNCLASSIFIED,
    )
    client, api = client_for(focal_point), api_for(focal_point)
    listed = client.get(reverse("visit-list")).content.decode()
    assert reverse("visit-detail", args=[open_one.pk]) in listed
    assert reverse("visit-detail", args=[hidden.pk]) not in listed
    assert client.get(reverse("visit-detail", args=[hidden.pk])).status_code == 404
    assert [row["id"] for row in api.get("/api/v1/country-visits/").json()["results"]] == [open_one.pk]
    assert api.get(f"/api/v1/country-visits/{hidden.pk}/").status_code == 404
    country = client.get(reverse("project-country", args=["TN"])).content.decode()
    assert reverse("visit-detail", args=[hidden.pk]) not in country
    assert reverse("visit-detail", args=[open_one.pk]) in country


@pytest.mark.parametrize(
    ("persona", "action", "body"),
    [
        ("focal_point", "cancel", {"reason": "forged"}),
        ("oct_officer", "cancel", {"reason": "forged"}),
        ("oct_officer", "inform-oct", {"oct_informed_on": "2026-05-01"}),
        ("usg", "cancel", {"reason": "forged"}),
        ("committee_member", "follow-up", {"followup_on": "2026-06-12", "followup_support": "forged"}),
        ("outsider", "cancel", {"reason": "forged"}),
    ],
)
def test_forged_moves_are_refused_and_change_nothing(
    request, roster, committee_member, client_for, api_for, persona, action, body
):
    user = request.getfixturevalue(persona)
    visit = visit_create(
        actor=committee_member,
        country="TN",
        starts_on=D(2026, 7, 1),
        ends_on=D(2026, 7, 2),
        classification=Classification.UNCLASSIFIED,
    )
    page = client_for(user).post(reverse("visit-act", args=[visit.pk]), {"action": action, **body})
    api = api_for(user).post(
        f"/api/v1/country-visits/{visit.pk}/transitions/", {"action": action, **body}, format="json"
    )
    assert page.status_code in (400, 404) and api.status_code in (404, 409)
    visit.refresh_from_db()
    assert visit.state == State.PLANNED and not CountryVisitStep.objects.exists()


def test_oct_cannot_share_a_confidential_assessment_nor_cted_force_it(
    roster, committee_member, oct_officer, client_for, api_for
):
    visit = visit_create(
        actor=committee_member,
        country="TN",
        starts_on=D(2026, 6, 1),
        ends_on=D(2026, 6, 5),
        confidentiality_requested=True,
    )
    visit_act(visit=visit, action="carry-out", actor=committee_member)
    url = f"/api/v1/country-visits/{visit.pk}/transitions/"
    forged = {"action": "share", "assessment": SECRET, "assessment_shared": True, "confidentiality_requested": False}
    assert api_for(committee_member).post(url, forged, format="json").status_code == 400
    page = client_for(committee_member).post(reverse("visit-act", args=[visit.pk]), forged)
    assert page.status_code == 400
    visit.refresh_from_db()
    assert (visit.state, visit.assessment, visit.assessment_shared) == (State.CARRIED_OUT, "", False)


def test_forged_fields_on_a_move_write_nothing_but_the_move_s(roster, committee_member, oct_officer, api_for):
    visit = _visit(committee_member, confidential=True, assessment=SECRET)
    forged = {
        "action": "follow-up",
        "followup_on": "2026-06-12",
        "followup_support": "Training.",
        "assessment": "overwritten by OCT",
        "oct_informed_on": "2026-01-01",
        "assessment_shared": True,
        "state": "shared",
    }
    response = api_for(oct_officer).post(f"/api/v1/country-visits/{visit.pk}/transitions/", forged, format="json")
    assert response.status_code == 200
    visit.refresh_from_db()
    assert (visit.assessment, visit.oct_informed_on, visit.assessment_shared) == (SECRET, D(2026, 5, 20), False)
    assert response.json()["assessment"] is None


def test_read_only_fields_of_a_new_visit_cannot_be_sent(roster, committee_member, oct_officer, api_for):
    body = {
        "country": "TN",
        "starts_on": "2026-06-01",
        "ends_on": "2026-06-05",
        "state": "shared",
        "assessment": SECRET,
        "assessment_shared": True,
        "created_by": oct_officer.pk,
    }
    response = api_for(committee_member).post("/api/v1/country-visits/", body, format="json")
    assert response.status_code == 201
    visit = CountryVisit.objects.get()
    assert (visit.state, visit.assessment, visit.assessment_shared) == (State.PLANNED, "", False)
    assert visit.created_by == committee_member


def test_cted_cannot_reach_or_mark_a_visit_above_its_clearance(roster, committee_member, client_for, api_for):
    """The CTED persona is cleared confidential: a strictly confidential visit is not theirs to
    open, edit or move (IDOR), and none may be created or marked at that level."""
    visit = visit_create(actor=committee_member, country="TN", starts_on=D(2026, 7, 1), ends_on=D(2026, 7, 2))
    CountryVisit.objects.filter(pk=visit.pk).update(classification=Classification.STRICTLY_CONFIDENTIAL)
    client, api = client_for(committee_member), api_for(committee_member)
    assert client.get(reverse("visit-detail", args=[visit.pk])).status_code == 404
    assert client.get(reverse("visit-edit", args=[visit.pk])).status_code == 404
    assert client.post(reverse("visit-act", args=[visit.pk]), {"action": "cancel", "reason": "x"}).status_code == 404
    assert api.patch(f"/api/v1/country-visits/{visit.pk}/", {"country": "ML"}, format="json").status_code == 404
    assert api.post(f"/api/v1/country-visits/{visit.pk}/transitions/", {"action": "carry-out"}).status_code == 404
    strictly = {"country": "TN", "starts_on": "2026-07-01", "ends_on": "2026-07-02"}
    strictly["classification"] = Classification.STRICTLY_CONFIDENTIAL
    assert api.post("/api/v1/country-visits/", strictly, format="json").status_code == 400
    visit.refresh_from_db()
    assert (visit.state, visit.country) == (State.PLANNED, "TN")


def test_follow_up_links_only_projects_oct_may_read(roster, committee_member, oct_officer, api_for):
    visit = _visit(committee_member, confidential=False, assessment=SHARED)
    fields = {"title": "Hidden", "lead_entity": roster.unodc, "status": "ongoing"}
    hidden = project_save(
        project=None, actor=None, fields=fields | {"classification": Classification.STRICTLY_CONFIDENTIAL}
    )
    low = person_create(
        username="oct.mid",
        email="mid@example.org",
        first_name="Mid",
        last_name="Officer",
        entity=roster.unoct,
        roles=(Role.OCT,),
        clearance=Classification.CONFIDENTIAL,
        password="pw",
        actor=None,
    )
    body = {"action": "follow-up", "followup_on": "2026-06-12", "followup_support": "x"}
    url = f"/api/v1/country-visits/{visit.pk}/transitions/"
    for projects in ([hidden.pk], [2**62], [-1], ["1; DROP TABLE"]):
        assert api_for(low).post(url, body | {"projects": projects}, format="json").status_code == 400
    visit.refresh_from_db()
    assert visit.state == State.SHARED and not visit.projects.exists()
    assert oct_officer  # the strictly cleared officer could link it: the refusal is the clearance


def test_a_person_who_leaves_cted_loses_its_rights(roster, committee_member, client_for):
    from compact.registry.models import Profile

    visit = visit_create(actor=committee_member, country="TN", starts_on=D(2026, 7, 1), ends_on=D(2026, 7, 2))
    Profile.objects.filter(user=committee_member).update(entity=roster.unesco)
    committee_member.refresh_from_db()
    client = client_for(committee_member)
    assert client.get(reverse("visit-new")).status_code == 404
    assert client.post(reverse("visit-act", args=[visit.pk]), {"action": "cancel", "reason": "x"}).status_code == 404


def test_a_move_that_takes_no_reason_carries_no_text(roster, committee_member, oct_officer, api_for):
    """The history OCT reads would otherwise carry whatever CTED typed with "withhold": a reason
    is refused on such a move (page and API alike), and nothing is written."""
    from django.core.exceptions import ValidationError

    visit = visit_create(
        actor=committee_member,
        country="TN",
        starts_on=D(2026, 6, 1),
        ends_on=D(2026, 6, 5),
        confidentiality_requested=True,
        classification=Classification.CONFIDENTIAL,
    )
    visit_act(visit=visit, action="inform-oct", actor=committee_member, oct_informed_on=D(2026, 5, 20))
    visit_act(visit=visit, action="carry-out", actor=committee_member)
    with pytest.raises(ValidationError, match="takes no reason"):
        visit_act(visit=visit, action="withhold", actor=committee_member, assessment=SECRET, reason=SECRET)
    answer = api_for(committee_member).post(
        f"/api/v1/country-visits/{visit.pk}/transitions/",
        {"action": "withhold", "assessment": SECRET, "reason": SECRET},
        format="json",
    )
    assert answer.status_code == 400 and "reason" in answer.json()
    visit.refresh_from_db()
    assert visit.state == State.CARRIED_OUT
    assert not CountryVisitStep.objects.filter(message__contains="MK-VISIT").exists()
