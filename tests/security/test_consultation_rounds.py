"""Attacks on consultation rounds (issue 22): commenting after the deadline, on a section that
does not exist, for an entity one does not speak for or that is not consulted, on a round one
cannot see (IDOR); editing, withdrawing or responding to another's comment; oversized and
forged input; moving a round without being OCT; classified text kept out of e-mails."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from compact.core.models import OutboundEmail
from reporting.consultation.models import ConsultationComment, ConsultationRound
from reporting.consultation.services import consultation_comment_create
from tests.reporting.consultation.helpers import NOW, focal, programme_draft, round_on

pytestmark = pytest.mark.django_db
COMMENTS = "/api/v1/consultation-comments/"


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.fixture
def world(roster, oct_officer, focal_point, chair, time_machine):
    """An open round (due 20 October 2026) consulting UNESCO and OHCHR; OHCHR's chair has
    commented on the introduction; a second round consults OHCHR only."""
    time_machine.move_to(NOW, tick=False)
    programme, priority = programme_draft(oct_officer)
    round_ = round_on(oct_officer, programme, [roster.unesco, roster.ohchr])
    other = round_on(oct_officer, programme, [roster.ohchr])
    ohchr = consultation_comment_create(
        round=round_,
        entity=roster.ohchr,
        section_key="introduction",
        actor=chair,
        text="MK-OHCHR",
        classification="unclassified",
    )
    return {"round": round_, "other": other, "ohchr": ohchr, "priority": priority}


def body(round_, **changes):
    return {
        "round": round_.pk,
        "entity": "UNESCO",
        "section": "introduction",
        "text": "Ours.",
        "classification": "unclassified",
        **changes,
    }


def test_commenting_after_the_deadline_day_is_refused_before_the_round_closes(
    world, focal_point, api_for, client_for, time_machine
):
    time_machine.move_to(utc(2026, 10, 21, 5), tick=False)  # the 21st in New York; the tick has not run
    assert ConsultationRound.objects.get(pk=world["round"].pk).state == "open"
    answer = api_for(focal_point).post(COMMENTS, body(world["round"]), format="json")
    assert answer.status_code == 400
    page = reverse("consultation-comment", args=[world["round"].pk, "UNESCO", "introduction"])
    assert client_for(focal_point).post(page, {"text": "Late.", "classification": "unclassified"}).status_code == 404
    assert not ConsultationComment.objects.filter(entity__acronym="UNESCO").exists()


@pytest.mark.parametrize("section", ["nonexistent", "priority-999999", "", "../introduction", "x" * 500, "outcome"])
def test_a_section_that_does_not_exist(world, focal_point, api_for, section):
    answer = api_for(focal_point).post(COMMENTS, body(world["round"], section=section), format="json")
    assert answer.status_code == 400
    assert not ConsultationComment.objects.filter(entity__acronym="UNESCO").exists()


def test_commenting_for_another_entity(world, focal_point, api_for, client_for):
    answer = api_for(focal_point).post(
        COMMENTS, body(world["round"], entity="OHCHR", section=f"priority-{world['priority'].pk}"), format="json"
    )
    assert answer.status_code == 403
    url = reverse("consultation-comment", args=[world["round"].pk, "OHCHR", f"priority-{world['priority'].pk}"])
    assert client_for(focal_point).post(url, {"text": "X", "classification": "unclassified"}).status_code == 404
    assert ConsultationComment.objects.filter(entity__acronym="OHCHR").count() == 1


def test_commenting_for_an_entity_not_consulted(world, roster, oct_officer, api_for):
    cted = focal("cted.focal", roster.cted)
    assert api_for(cted).post(COMMENTS, body(world["round"], entity="CTED"), format="json").status_code == 400
    # Not even OCT records a comment for an entity the round does not consult.
    assert api_for(oct_officer).post(COMMENTS, body(world["round"], entity="CTED"), format="json").status_code == 400
    assert not ConsultationComment.objects.filter(entity=roster.cted).exists()


def test_a_round_the_caller_cannot_see_is_no_such_round(world, focal_point, api_for):
    answer = api_for(focal_point).post(COMMENTS, body(world["other"]), format="json")
    assert answer.status_code == 400 and "round" in answer.json()
    assert api_for(focal_point).get(f"/api/v1/consultation-rounds/{world['other'].pk}/").status_code == 404


def test_editing_withdrawing_or_reading_another_entitys_comment(world, focal_point, api_for, client_for):
    comment = world["ohchr"]
    url = f"{COMMENTS}{comment.pk}/"
    assert api_for(focal_point).get(url).status_code == 404
    changed = api_for(focal_point).patch(
        url, {"text": "Hijacked.", "classification": "unclassified", "revision": 1}, format="json"
    )
    assert changed.status_code == 404
    assert api_for(focal_point).delete(url).status_code == 404
    assert client_for(focal_point).post(reverse("consultation-withdraw", args=[comment.pk])).status_code == 404
    comment.refresh_from_db()
    assert comment.text == "MK-OHCHR"


def test_the_usg_reads_but_cannot_change_a_comment(world, usg, api_for):
    url = f"{COMMENTS}{world['ohchr'].pk}/"
    assert api_for(usg).get(url).status_code == 200
    assert (
        api_for(usg)
        .patch(url, {"text": "No.", "classification": "unclassified", "revision": 1}, format="json")
        .status_code
        == 403
    )
    assert api_for(usg).delete(url).status_code == 403


def test_ids_out_of_range_and_forged_fields(world, focal_point, oct_officer, api_for):
    # An id beyond the column's range is refused with its bounds, never looked up (nor a 500).
    assert api_for(focal_point).get(f"/api/v1/consultation-rounds/{2**70}/").status_code == 400
    assert api_for(focal_point).post(COMMENTS, body(world["round"], round=2**70), format="json").status_code == 400
    forged = body(world["round"], author=oct_officer.pk, response="accepted", id=999, revision=50)
    created = api_for(focal_point).post(COMMENTS, forged, format="json")
    assert created.status_code == 201
    comment = ConsultationComment.objects.get(pk=created.json()["id"])
    assert (comment.author, comment.response, comment.revision) == (focal_point, "", 1)


@pytest.mark.parametrize(
    "change", [{"text": "x" * 10_001}, {"text": "   "}, {"classification": "top-secret"}, {"entity": "U" * 5000}]
)
def test_oversized_or_malformed_text(world, focal_point, api_for, client_for, change):
    assert api_for(focal_point).post(COMMENTS, body(world["round"], **change), format="json").status_code == 400
    assert not ConsultationComment.objects.filter(entity__acronym="UNESCO").exists()


def test_an_oversized_page_comment_is_refused_with_its_limit(world, focal_point, client_for):
    url = reverse("consultation-comment", args=[world["round"].pk, "UNESCO", "introduction"])
    page = client_for(focal_point).post(url, {"text": "x" * 200_000, "classification": "unclassified"})
    assert page.status_code == 400 and "10000" in page.content.decode().replace(",", "").replace("\u00a0", "")
    assert not ConsultationComment.objects.filter(entity__acronym="UNESCO").exists()


def test_a_comment_above_the_writers_clearance(world, focal_point, api_for):
    answer = api_for(focal_point).post(COMMENTS, body(world["round"], classification="confidential"), format="json")
    assert answer.status_code == 400 and "classification" in answer.json()


def test_only_oct_moves_responds_or_prepares(world, roster, chair, focal_point, usg, api_for):
    for user in (chair, focal_point, usg):
        moved = api_for(user).post(f"/api/v1/consultation-rounds/{world['round'].pk}/transitions/", {"action": "close"})
        assert moved.status_code == 403
        created = api_for(user).post(
            "/api/v1/consultation-rounds/",
            {"subject_kind": "programme", "subject_id": world["round"].subject_id, "comments_due_on": "2026-12-01"},
            format="json",
        )
        assert created.status_code == 403
    responded = api_for(usg).post(f"{COMMENTS}{world['ohchr'].pk}/response/", {"response": "accepted"})
    assert responded.status_code == 403
    assert api_for(chair).post(f"{COMMENTS}{world['ohchr'].pk}/response/", {"response": "accepted"}).status_code == 403
    assert ConsultationRound.objects.get(pk=world["round"].pk).state == "open"


def test_the_scheduler_move_is_not_a_request(world, oct_officer, api_for):
    answer = api_for(oct_officer).post(
        f"/api/v1/consultation-rounds/{world['round'].pk}/transitions/", {"action": "expire"}
    )
    assert answer.status_code == 400
    assert ConsultationRound.objects.get(pk=world["round"].pk).state == "open"


def test_a_round_cannot_be_prepared_on_a_document_that_does_not_exist(world, oct_officer, api_for):
    for kind, pk in (("programme", 999999), ("auth.user", 1), ("review", world["round"].subject_id)):
        answer = api_for(oct_officer).post(
            "/api/v1/consultation-rounds/",
            {"subject_kind": kind, "subject_id": pk, "comments_due_on": "2026-12-01"},
            format="json",
        )
        assert answer.status_code == 400


def test_a_cancel_reason_reaches_the_email_but_no_document_text_does(world, roster, oct_officer, focal_point, api_for):
    sent = OutboundEmail.objects.filter(occasion__startswith="consultation-opened:")
    assert sent.exists() and not any("MK-INTRO" in email.body_text for email in sent)
    api_for(oct_officer).post(
        f"/api/v1/consultation-rounds/{world['round'].pk}/transitions/", {"action": "cancel", "reason": "Superseded."}
    )
    cancelled = OutboundEmail.objects.get(occasion__startswith="consultation-cancelled:", recipient=focal_point.email)
    assert "Superseded." in cancelled.body_text and "MK-" not in cancelled.body_text


def test_octs_draft_responses_stay_with_oct_until_published(world, roster, oct_officer, chair, api_for, client_for):
    from reporting.consultation.services import consultation_act, consultation_comment_respond

    round_ = consultation_act(round=world["round"], action="close", actor=oct_officer)
    consultation_comment_respond(comment=world["ohchr"], actor=oct_officer, response="not-taken", note="MK-DRAFT")
    (row,) = api_for(chair).get(COMMENTS).json()["results"]
    assert (row["text"], row["response"], row["response_note"], row["responded_at"]) == ("MK-OHCHR", "", "", None)
    assert api_for(chair).get(f"{COMMENTS}{world['ohchr'].pk}/").json()["response_note"] == ""
    page = client_for(chair).get(reverse("consultation-detail", args=[round_.pk])).content.decode()
    assert "MK-OHCHR" in page and "MK-DRAFT" not in page and "response-not-taken" not in page
    # OCT reads its draft; once published, so does the entity.
    assert api_for(oct_officer).get(f"{COMMENTS}{world['ohchr'].pk}/").json()["response_note"] == "MK-DRAFT"
    consultation_act(round=round_, action="respond", actor=oct_officer)
    (row,) = api_for(chair).get(COMMENTS).json()["results"]
    assert (row["response"], row["response_note"]) == ("not-taken", "MK-DRAFT") and row["responded_at"]
    assert "MK-DRAFT" in client_for(chair).get(reverse("consultation-detail", args=[round_.pk])).content.decode()


def test_comment_counts_leave_out_comments_above_the_readers_clearance(world, roster, oct_officer, usg, api_for):
    from compact.core.roles import Role
    from compact.registry.services import person_create
    from reporting.consultation.selectors import consultations_of, round_tracking

    round_ = world["round"]
    # A strictly confidential letter from UNESCO, recorded by OCT.
    consultation_comment_create(
        round=round_,
        entity=roster.unesco,
        section_key="introduction",
        actor=oct_officer,
        text="MK-SC",
        classification="strictly-confidential",
    )
    low_usg = person_create(
        username="usg.low",
        email="usg.low@example.org",
        first_name="Low",
        last_name="Usg",
        entity=roster.unoct,
        roles=(Role.USG,),
        clearance="unclassified",
        password="pw",
        actor=None,
    )
    counts = {row.entity.acronym: row.comments for row in round_tracking(low_usg, round_)}
    assert counts == {"OHCHR": 1, "UNESCO": 0}
    assert {row.entity.acronym: row.comments for row in round_tracking(usg, round_)} == {"OHCHR": 1, "UNESCO": 1}
    tracking = api_for(low_usg).get(f"/api/v1/consultation-rounds/{round_.pk}/").json()["tracking"]
    assert [(row["entity"]["acronym"], row["comments"]) for row in tracking] == [("OHCHR", 1), ("UNESCO", 0)]
    until = utc(2026, 12, 1)
    (seen,) = [
        s
        for s in consultations_of(low_usg, "programme", round_.subject_id, after=None, until=until)
        if s.round == round_
    ]
    assert (seen.comments, seen.entities) == (1, 1)
    (full,) = [
        s for s in consultations_of(usg, "programme", round_.subject_id, after=None, until=until) if s.round == round_
    ]
    assert (full.comments, full.entities) == (2, 2)


def test_the_round_filter_answers_the_same_for_a_hidden_and_a_missing_round(world, focal_point, api_for):
    hidden = api_for(focal_point).get(f"{COMMENTS}?round={world['other'].pk}")
    missing = api_for(focal_point).get(f"{COMMENTS}?round=999999")
    assert (
        (hidden.status_code, hidden.json()["results"])
        == (missing.status_code, missing.json()["results"])
        == (
            200,
            [],
        )
    )
    assert api_for(focal_point).get(f"{COMMENTS}?round={2**70}").status_code == 400  # out of the column's range
    mine = api_for(focal_point).get(f"{COMMENTS}?round={world['round'].pk}")
    assert mine.status_code == 200


def test_oct_neither_rewrites_nor_withdraws_an_entitys_own_comment(world, roster, oct_officer, api_for, client_for):
    from django.core.exceptions import PermissionDenied

    from reporting.consultation.services import consultation_comment_update, consultation_comment_withdraw

    comment = world["ohchr"]  # written by OHCHR's chair
    url = f"{COMMENTS}{comment.pk}/"
    assert api_for(oct_officer).get(url).json()["editable"] is False
    changed = api_for(oct_officer).patch(url, {"text": "Rewritten.", "classification": "unclassified", "revision": 1})
    assert changed.status_code == 403
    assert api_for(oct_officer).delete(url).status_code == 403
    assert client_for(oct_officer).post(reverse("consultation-withdraw", args=[comment.pk])).status_code == 404
    page = reverse("consultation-comment", args=[world["round"].pk, "OHCHR", "introduction"])
    assert client_for(oct_officer).get(page).status_code == 404
    assert (
        client_for(oct_officer).post(page, {"text": "Rewritten.", "classification": "unclassified"}).status_code == 404
    )
    with pytest.raises(PermissionDenied):
        consultation_comment_withdraw(comment=comment, actor=oct_officer)
    comment.refresh_from_db()
    assert (comment.text, comment.revision) == ("MK-OHCHR", 1)
    detail = client_for(oct_officer).get(reverse("consultation-detail", args=[world["round"].pk])).content.decode()
    assert reverse("consultation-withdraw", args=[comment.pk]) not in detail
    # A comment OCT recorded from UNESCO's letter stays OCT's to correct or withdraw.
    letter = consultation_comment_create(
        round=world["round"],
        entity=roster.unesco,
        section_key="introduction",
        actor=oct_officer,
        text="MK-LETTER",
        classification="unclassified",
    )
    assert api_for(oct_officer).get(f"{COMMENTS}{letter.pk}/").json()["editable"] is True
    corrected = consultation_comment_update(
        comment=letter, actor=oct_officer, base_revision=1, text="MK-LETTER2", classification="unclassified"
    )
    assert corrected.text == "MK-LETTER2"
    assert api_for(oct_officer).delete(f"{COMMENTS}{letter.pk}/").status_code == 204
