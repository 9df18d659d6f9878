"""Whoever puts something forward does not decide on it (issue 14, hole 5).

One person may hold two roles: an OCT officer who also represents a group's vice-chair, an OCT
officer who filed their own organisation's sign-on request. Such a person could submit and then
accept their own group's report. Every approval in the product is a four-eyes move of its
transition table: the service refuses it to the proposer, the pages and the API do not offer it.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from compact.core.models import Classification
from compact.core.roles import Role
from compact.lib.workflow import SeparationOfDutiesError
from compact.registry.services import person_create
from compact.signon.models import SignOnRequest
from compact.signon.services import signon_act
from reporting.calendar.models import ExtensionRequest
from reporting.calendar.services import extension_act, extension_request_create
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_act
from tests.helpers import fresh, signon_in_consultation
from workinggroups.services import role_representative_set

pytestmark = pytest.mark.django_db

SUBMISSIONS = "/api/v1/submissions/"
FOUR_EYES = "someone else must decide on it"


@pytest.fixture
def oct_vice_chair(roster):
    """A UNODC officer seconded to the OCT secretariat who also represents UNODC as WG 7's
    vice-chair."""
    user = person_create(
        username="two.hats",
        email="two.hats@example.org",
        first_name="Two",
        last_name="Hats",
        entity=roster.unodc,
        roles=(Role.OCT,),
        clearance=Classification.STRICTLY_CONFIDENTIAL,
        password="pw",
        actor=None,
    )
    role_representative_set(assignment=roster.vice_chair_role, person=user, actor=None)
    return fresh(user)


def wg7(period) -> Submission:
    return Submission.objects.get(period=period, working_group__number=7)


# --- Reports: whoever submitted a version does not accept or return it ---------------------------


@pytest.mark.parametrize("action", ["accept", "return"])
def test_the_submitter_of_a_version_cannot_decide_on_it_in_the_service(report_period, oct_vice_chair, action):
    report = submission_act(submission=wg7(report_period), action="submit", actor=oct_vice_chair)
    with pytest.raises(SeparationOfDutiesError):
        submission_act(submission=report, action=action, actor=oct_vice_chair, comment="Fine by me.")
    report.refresh_from_db()
    assert report.status == Submission.Status.SUBMITTED
    assert list(report.steps.values_list("action", flat=True)) == ["submit"]


def test_the_api_refuses_the_submitters_acceptance_with_a_reason_and_offers_it_to_nobody_else(
    report_period, oct_vice_chair, oct_officer, api_for
):
    report = wg7(report_period)
    api = api_for(oct_vice_chair)
    assert api.post(f"{SUBMISSIONS}{report.pk}/transitions/", {"action": "submit"}, format="json").status_code == 200
    assert api.get(f"{SUBMISSIONS}{report.pk}/").json()["available_actions"] == []
    refused = api.post(f"{SUBMISSIONS}{report.pk}/transitions/", {"action": "accept"}, format="json")
    assert refused.status_code == 403 and FOUR_EYES in refused.json()["detail"]
    report.refresh_from_db()
    assert report.status == Submission.Status.SUBMITTED
    other = api_for(oct_officer)
    offered = [move["action"] for move in other.get(f"{SUBMISSIONS}{report.pk}/").json()["available_actions"]]
    assert offered == ["return", "accept"]
    assert other.post(f"{SUBMISSIONS}{report.pk}/transitions/", {"action": "accept"}, format="json").status_code == 200
    report.refresh_from_db()
    assert report.status == Submission.Status.ACCEPTED


def test_the_page_tells_the_submitter_why_and_refuses_a_forged_acceptance(report_period, oct_vice_chair, client_for):
    report = submission_act(submission=wg7(report_period), action="submit", actor=oct_vice_chair)
    client = client_for(oct_vice_chair)
    page = client.get(reverse("reporting-submission", args=[report.pk])).content.decode()
    assert 'id="four-eyes"' in page and 'value="accept"' not in page
    forged = client.post(reverse("reporting-submission-act", args=[report.pk]), {"action": "accept"})
    assert forged.status_code == 400 and FOUR_EYES in forged.content.decode()
    report.refresh_from_db()
    assert report.status == Submission.Status.SUBMITTED


def test_a_leader_of_the_group_never_decides_on_its_input_whoever_clicked_submit(
    report_period, oct_vice_chair, oct_officer, chair
):
    # The OCT officer who is vice-chair writes the draft; the chair clicks Submit.
    report = submission_act(submission=wg7(report_period), action="submit", actor=chair)
    for action in ("accept", "return"):
        with pytest.raises(SeparationOfDutiesError):
            submission_act(submission=report, action=action, actor=oct_vice_chair, comment="Fine by me.")
    report.refresh_from_db()
    assert report.status == Submission.Status.SUBMITTED
    assert submission_act(submission=report, action="accept", actor=oct_officer).status == Submission.Status.ACCEPTED


def test_a_former_leader_may_review_once_the_role_has_moved_on(
    report_period, roster, oct_vice_chair, oct_officer, chair
):
    from workinggroups.services import role_representative_set

    report = submission_act(submission=wg7(report_period), action="submit", actor=chair)
    role_representative_set(assignment=roster.vice_chair_role, person=None, actor=None)
    assert submission_act(submission=report, action="accept", actor=oct_vice_chair).status == Submission.Status.ACCEPTED


# --- Extensions: whoever asked does not grant -------------------------------------------------------


def _extension(period, leader) -> ExtensionRequest:
    return extension_request_create(
        submission=wg7(period), actor=leader, until=datetime.date(2026, 7, 25), reason="Waiting for field data."
    )


@pytest.mark.parametrize("action", ["approve", "decline"])
def test_the_leader_who_asked_for_more_time_cannot_decide_on_it(report_period, oct_vice_chair, time_machine, action):
    time_machine.move_to("2026-07-01 12:00Z")
    request = _extension(report_period, oct_vice_chair)
    with pytest.raises(SeparationOfDutiesError):
        extension_act(request=request, action=action, actor=oct_vice_chair, comment="Granted.")
    request.refresh_from_db()
    report = wg7(report_period)
    assert request.status == ExtensionRequest.Status.REQUESTED and report.extended_until is None


def test_the_extension_queue_offers_the_decision_to_another_officer_only(
    report_period, oct_vice_chair, oct_officer, client_for, api_for, time_machine
):
    time_machine.move_to("2026-07-01 12:00Z")
    request = _extension(report_period, oct_vice_chair)
    own = client_for(oct_vice_chair).get(reverse("reporting-extensions")).content.decode()
    assert "You asked for this extension yourself" in own and 'value="approve"' not in own
    api_moves = api_for(oct_vice_chair).get(f"/api/v1/extension-requests/{request.pk}/").json()["available_actions"]
    assert [move["action"] for move in api_moves] == ["withdraw"]
    forged = client_for(oct_vice_chair).post(
        reverse("reporting-extension-act", args=[request.pk]), {"action": "approve", "until": "2026-07-25"}
    )
    assert forged.status_code == 302
    request.refresh_from_db()
    assert request.status == ExtensionRequest.Status.REQUESTED
    other = client_for(oct_officer).get(reverse("reporting-extensions")).content.decode()
    assert 'value="approve"' in other
    extension_act(request=request, action="approve", actor=oct_officer)
    request.refresh_from_db()
    assert request.status == ExtensionRequest.Status.APPROVED


# --- Sign-on: the applicant does not admit their own organisation ------------------------------------


@pytest.mark.parametrize("action", ["approve", "decline"])
def test_an_officer_who_applied_for_their_organisation_cannot_decide_on_it(roster, oct_officer, action):
    # The address as the applicant typed it: compared without regard to case.
    request = signon_in_consultation(oct_officer, focal_email=oct_officer.email.upper())
    with pytest.raises(SeparationOfDutiesError):
        signon_act(request=request, action=action, actor=oct_officer, message="Fine.", status="member")
    request.refresh_from_db()
    assert request.state == SignOnRequest.State.IN_CONSULTATION and request.entity_id is None


def test_the_signon_pages_and_api_offer_the_decision_to_other_officers_only(
    roster, oct_officer, oct_vice_chair, client_for, api_for
):
    request = signon_in_consultation(oct_vice_chair, focal_email=oct_officer.email)
    own = api_for(oct_officer).get(f"/api/v1/sign-on-requests/{request.pk}/").json()["available_actions"]
    assert {move["action"] for move in own} & {"approve", "decline"} == set()
    forged = client_for(oct_officer).post(
        reverse("signon-review-act", args=[request.pk]), {"action": "approve", "status": "member"}
    )
    assert forged.status_code == 400 and FOUR_EYES in forged.content.decode()
    refused = api_for(oct_officer).post(
        f"/api/v1/sign-on-requests/{request.pk}/transitions/", {"action": "approve", "status": "member"}, format="json"
    )
    assert refused.status_code == 403
    request.refresh_from_db()
    assert request.state == SignOnRequest.State.IN_CONSULTATION
    theirs = api_for(oct_vice_chair).get(f"/api/v1/sign-on-requests/{request.pk}/").json()["available_actions"]
    assert {"approve", "decline"} <= {move["action"] for move in theirs}
    signon_act(request=request, action="decline", actor=oct_vice_chair, message="Not an organisation.")
    request.refresh_from_db()
    assert request.state == SignOnRequest.State.DECLINED


# --- The programme of work: whoever last changed the working copy does not record its adoption -------


def _adoptable_programme(officer):
    from reporting.committee.services import decision_add, meeting_act, meeting_create
    from reporting.programme.services import priority_add, programme_create

    programme = programme_create(actor=officer, biennium_start=2026, title="Programme 2026–2027")
    priority_add(programme=programme, actor=officer, code="1", title="Human rights", pillars=["IV"])
    meeting = meeting_act(
        meeting=meeting_create(
            start_time=datetime.time(10),
            end_time=datetime.time(12),
            actor=officer,
            date=datetime.date(2026, 1, 20),
            place="New York",
        ),
        action="hold",
        actor=officer,
    )
    decision = decision_add(meeting=meeting, actor=officer, text="The Committee adopts its programme of work.")
    programme.refresh_from_db()
    return programme, decision


def test_the_officer_who_drafted_the_programme_does_not_record_its_adoption(roster, oct_officer, oct_colleague):
    from reporting.programme.models import ProgrammeVersion
    from reporting.programme.services import programme_adopt

    programme, decision = _adoptable_programme(oct_officer)
    with pytest.raises(SeparationOfDutiesError):
        programme_adopt(programme=programme, decision=decision, change_note="", actor=oct_officer)
    assert not ProgrammeVersion.objects.exists()
    version = programme_adopt(programme=programme, decision=decision, change_note="", actor=oct_colleague)
    assert (version.number, version.recorded_by) == (1, oct_colleague)


# --- The biennial review: whoever wrote the outcome does not conclude with it ---------------------------


def test_the_officer_who_wrote_the_outcome_does_not_conclude_the_review(
    roster, oct_officer, oct_colleague, client_for, time_machine
):
    from reporting.review.models import BiennialReview
    from reporting.review.services import review_act, review_create, review_update

    time_machine.move_to("2026-11-20 15:00Z")
    review = review_create(
        actor=oct_officer,
        biennium=2027,
        title="Review of the Compact 2027–2028",
        resolution_symbol="A/RES/77/298",
        opens_on=datetime.date(2026, 10, 20),
        comments_due_on=datetime.date(2026, 11, 10),
    )
    review_act(review=review, action="open", actor=oct_officer)
    review_act(review=review, action="close", actor=oct_officer)
    review_update(review=review, actor=oct_colleague, outcome="The Compact stands.")
    with pytest.raises(SeparationOfDutiesError):
        review_act(review=review, action="conclude", actor=oct_colleague)
    page = client_for(oct_colleague).get(reverse("review-detail", args=[review.pk])).content.decode()
    assert 'id="four-eyes"' in page and 'value="conclude"' not in page
    forged = client_for(oct_colleague).post(reverse("review-act", args=[review.pk]), {"action": "conclude"})
    assert forged.status_code == 400 and FOUR_EYES in forged.content.decode()
    assert BiennialReview.objects.get(pk=review.pk).state == BiennialReview.State.CLOSED
    assert review_act(review=review, action="conclude", actor=oct_officer).state == BiennialReview.State.CONCLUDED
