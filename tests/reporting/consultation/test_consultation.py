"""Consultation rounds through the pages and the API: who reads and writes what (every
persona), classification, the inbox, the menu and the adopted version's link."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from compact.core.models import AuditEvent, OutboundEmail
from portal.inbox import tasks_for
from reporting.committee.services import decision_add, meeting_act, meeting_create
from reporting.consultation.models import ConsultationComment, ConsultationRound
from reporting.consultation.services import (
    consultation_act,
    consultation_comment_create,
    consultation_comment_respond,
    consultation_create,
)
from reporting.review.services import review_act, review_create, review_update
from tests.reporting.consultation.helpers import DUE, NOW, D, focal, programme_draft, round_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roster, oct_officer, usg, chair, vice_chair, focal_point, committee_member, time_machine):
    """An open round on a programme draft consulting UNESCO (its focal point) and OHCHR (WG 7's
    chair represents it); UNODC (the vice-chair's), CTED (the Committee member's) are not
    consulted. UNESCO has commented on the introduction."""
    time_machine.move_to(NOW, tick=False)
    programme, priority = programme_draft(oct_officer)
    round_ = round_on(oct_officer, programme, [roster.unesco, roster.ohchr])
    comment = consultation_comment_create(
        round=round_,
        entity=roster.unesco,
        section_key="introduction",
        actor=focal_point,
        text="MK-UNESCO-COMMENT",
        classification="unclassified",
    )
    return {"round": round_, "programme": programme, "priority": priority, "comment": comment}


READERS = ["oct_officer", "usg", "chair", "focal_point"]
NOT_CONSULTED = ["vice_chair", "committee_member", "outsider"]


@pytest.mark.parametrize("who", READERS)
def test_the_round_is_read_by_oct_the_usg_and_the_consulted(request, who, world, client_for, api_for):
    user = request.getfixturevalue(who)
    page = client_for(user).get(reverse("consultation-detail", args=[world["round"].pk]))
    assert page.status_code == 200
    assert "MK-INTRO" in page.content.decode()
    api = api_for(user).get(f"/api/v1/consultation-rounds/{world['round'].pk}/")
    assert api.status_code == 200 and api.json()["sections"][0]["text"].startswith("MK-INTRO")
    assert api.json()["sections"][1]["title"] == "Priority 1. Coordination"
    assert world["round"].pk in [
        row["id"] for row in api_for(user).get("/api/v1/consultation-rounds/").json()["results"]
    ]


@pytest.mark.parametrize("who", NOT_CONSULTED)
def test_whoever_is_not_consulted_sees_nothing(request, who, world, client_for, api_for):
    user = request.getfixturevalue(who)
    assert client_for(user).get(reverse("consultation-detail", args=[world["round"].pk])).status_code == 404
    assert api_for(user).get(f"/api/v1/consultation-rounds/{world['round'].pk}/").status_code == 404
    assert api_for(user).get("/api/v1/consultation-rounds/").json()["results"] == []
    assert api_for(user).get(f"/api/v1/consultation-comments/{world['comment'].pk}/").status_code == 404


def test_a_focal_point_of_an_entity_not_consulted_sees_nothing(world, roster, client_for, api_for):
    cted_focal = focal("cted.focal", roster.cted)
    assert client_for(cted_focal).get(reverse("consultation-detail", args=[world["round"].pk])).status_code == 404
    assert api_for(cted_focal).get("/api/v1/consultation-rounds/").json()["results"] == []
    assert "consultation" not in [task.kind for task in tasks_for(cted_focal, today=D(2026, 10, 1))]


def test_anonymous_is_sent_to_sign_in(world, client, api_for):
    page = client.get(reverse("consultation-detail", args=[world["round"].pk]))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert api_for(None).get("/api/v1/consultation-rounds/").status_code == 401


def test_a_draft_is_octs_alone(roster, oct_officer, usg, focal_point, client_for, time_machine):
    time_machine.move_to(NOW, tick=False)
    programme, _priority = programme_draft(oct_officer)
    draft = round_on(oct_officer, programme, [roster.unesco], state="draft")
    assert client_for(oct_officer).get(reverse("consultation-detail", args=[draft.pk])).status_code == 200
    for user in (usg, focal_point):
        assert client_for(user).get(reverse("consultation-detail", args=[draft.pk])).status_code == 404


def test_a_consulted_entity_reads_its_own_comments_until_the_responses_are_published(
    world, roster, oct_officer, chair, focal_point, api_for
):
    assert [c["id"] for c in api_for(chair).get("/api/v1/consultation-comments/").json()["results"]] == []
    assert len(api_for(focal_point).get("/api/v1/consultation-comments/").json()["results"]) == 1
    round_ = consultation_act(round=world["round"], action="close", actor=oct_officer)
    consultation_comment_respond(comment=world["comment"], actor=oct_officer, response="accepted")
    consultation_act(round=round_, action="respond", actor=oct_officer)
    rows = api_for(chair).get("/api/v1/consultation-comments/").json()["results"]
    assert [(row["text"], row["response"]) for row in rows] == [("MK-UNESCO-COMMENT", "accepted")]


def test_the_focal_point_and_the_chair_comment_for_their_entity(world, roster, chair, focal_point, client_for, api_for):
    priority_key = f"priority-{world['priority'].pk}"
    url = reverse("consultation-comment", args=[world["round"].pk, "OHCHR", priority_key])
    response = client_for(chair).post(url, {"text": "OHCHR's view.", "classification": "unclassified"})
    assert response.status_code == 302
    assert ConsultationComment.objects.get(entity=roster.ohchr).text == "OHCHR's view."
    created = api_for(focal_point).post(
        "/api/v1/consultation-comments/",
        {
            "round": world["round"].pk,
            "entity": "UNESCO",
            "section": priority_key,
            "text": "Ours.",
            "classification": "unclassified",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["editable"] is True


def test_the_usg_reads_but_does_not_comment(world, usg, api_for):
    answer = api_for(usg).post(
        "/api/v1/consultation-comments/",
        {
            "round": world["round"].pk,
            "entity": "UNESCO",
            "section": "introduction",
            "text": "No.",
            "classification": "unclassified",
        },
        format="json",
    )
    assert answer.status_code == 403
    assert (
        api_for(usg)
        .post(f"/api/v1/consultation-rounds/{world['round'].pk}/transitions/", {"action": "close"})
        .status_code
        == 403
    )


def test_a_focal_point_edits_and_withdraws_its_own_comment(world, focal_point, client_for, api_for):
    comment = world["comment"]
    changed = api_for(focal_point).patch(
        f"/api/v1/consultation-comments/{comment.pk}/",
        {"text": "Changed.", "classification": "unclassified", "revision": comment.revision},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["text"] == "Changed."
    stale = api_for(focal_point).patch(
        f"/api/v1/consultation-comments/{comment.pk}/",
        {"text": "Stale.", "classification": "unclassified", "revision": comment.revision},
        format="json",
    )
    assert stale.status_code == 409
    response = client_for(focal_point).post(reverse("consultation-withdraw", args=[comment.pk]))
    assert response.status_code == 302 and not ConsultationComment.objects.filter(pk=comment.pk).exists()
    assert AuditEvent.objects.filter(verb="consultation.comment_withdrawn").exists()


def test_oct_opens_a_round_and_the_consulted_focal_points_are_emailed(
    roster, oct_officer, focal_point, client_for, time_machine
):
    time_machine.move_to(NOW, tick=False)
    programme, _priority = programme_draft(oct_officer)
    page = client_for(oct_officer).post(
        reverse("consultation-create"),
        {"document": f"programme:{programme.pk}", "comments_due_on": "2026-10-20", "entities": [roster.unesco.pk]},
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    round_ = ConsultationRound.objects.get()
    assert list(round_.entities.all()) == [roster.unesco]
    client_for(oct_officer).post(reverse("consultation-act", args=[round_.pk]), {"action": "open"})
    round_.refresh_from_db()
    assert round_.state == "open"
    assert OutboundEmail.objects.filter(
        occasion__startswith="consultation-opened:", recipient=focal_point.email
    ).exists()


def test_by_default_every_member_entity_is_consulted(roster, oct_officer, time_machine):
    time_machine.move_to(NOW, tick=False)
    programme, _priority = programme_draft(oct_officer)
    round_ = consultation_create(
        actor=oct_officer, subject_kind="programme", subject_id=programme.pk, comments_due_on=DUE
    )
    assert set(round_.entities.values_list("acronym", flat=True)) == {"UNOCT", "CTED", "OHCHR", "UNODC", "UNESCO"}


def test_what_waits_on_a_focal_point_is_in_the_inbox_until_it_comments(world, roster, chair, focal_point):
    today = D(2026, 10, 1)
    assert [t.title for t in tasks_for(chair, today=today) if t.kind == "consultation"] == [
        "Comment for OHCHR on “Programme of work 2027–2028”"
    ]
    assert [t for t in tasks_for(focal_point, today=today) if t.kind == "consultation"] == []  # UNESCO commented


def test_the_menu_shows_consultations_to_those_who_may_read_them(world, client_for, focal_point, committee_member):
    assert reverse("consultation-list") in client_for(focal_point).get("/").content.decode()
    assert reverse("consultation-list") not in client_for(committee_member).get("/").content.decode()
    assert client_for(committee_member).get(reverse("consultation-list")).status_code == 404


# --- Classification ------------------------------------------------------------------------------------


@pytest.fixture
def outcome_round(roster, oct_officer, time_machine):
    """A round on a closed review's confidential outcome, consulting UNESCO and OHCHR."""
    time_machine.move_to(NOW, tick=False)
    review = review_create(
        actor=oct_officer,
        biennium=2027,
        title="Review 2027",
        resolution_symbol="A/RES/77/298",
        opens_on=D(2026, 9, 1),
        comments_due_on=D(2026, 9, 20),
    )
    review = review_act(
        review=review_act(review=review, action="open", actor=oct_officer), action="close", actor=oct_officer
    )
    review = review_update(
        review=review,
        actor=oct_officer,
        base_revision=review.revision,
        outcome="MK-OUTCOME-C",
        outcome_classification="confidential",
    )
    round_ = consultation_create(
        actor=oct_officer,
        subject_kind="review",
        subject_id=review.pk,
        comments_due_on=DUE,
        entities=[roster.unesco, roster.ohchr],
    )
    return consultation_act(round=round_, action="open", actor=oct_officer)


def test_a_section_above_clearance_is_hidden_and_not_commentable(
    outcome_round, roster, focal_point, client_for, api_for
):
    assert outcome_round.classification == "confidential"
    page = client_for(focal_point).get(reverse("consultation-detail", args=[outcome_round.pk]))
    assert page.status_code == 200 and "MK-OUTCOME-C" not in page.content.decode()
    section = api_for(focal_point).get(f"/api/v1/consultation-rounds/{outcome_round.pk}/").json()["sections"][0]
    assert section == {"key": "outcome", "title": "", "text": None, "classification": "confidential"}
    assert "Synthesis and outcome" not in page.content.decode().split("sections-heading")[1]
    url = reverse("consultation-comment", args=[outcome_round.pk, "UNESCO", "outcome"])
    assert client_for(focal_point).get(url).status_code == 404
    answer = api_for(focal_point).post(
        "/api/v1/consultation-comments/",
        {
            "round": outcome_round.pk,
            "entity": "UNESCO",
            "section": "outcome",
            "text": "X",
            "classification": "unclassified",
        },
        format="json",
    )
    assert answer.status_code == 400 and not ConsultationComment.objects.exists()


def test_a_comment_is_marked_at_least_like_its_section_and_read_within_clearance(
    outcome_round, roster, usg, focal_point, api_for
):
    cleared = focal("unesco.cleared", roster.unesco, clearance="confidential")
    low = api_for(cleared).post(
        "/api/v1/consultation-comments/",
        {
            "round": outcome_round.pk,
            "entity": "UNESCO",
            "section": "outcome",
            "text": "MK-C",
            "classification": "unclassified",
        },
        format="json",
    )
    assert low.status_code == 400 and "classification" in low.json()
    ok = api_for(cleared).post(
        "/api/v1/consultation-comments/",
        {
            "round": outcome_round.pk,
            "entity": "UNESCO",
            "section": "outcome",
            "text": "MK-C",
            "classification": "confidential",
        },
        format="json",
    )
    assert ok.status_code == 201
    assert api_for(focal_point).get("/api/v1/consultation-comments/").json()["results"] == []
    assert [row["text"] for row in api_for(usg).get("/api/v1/consultation-comments/").json()["results"]] == ["MK-C"]
    event = AuditEvent.objects.get(verb="consultation.comment_created")
    assert event.classification == "confidential"


# --- The adopted version links its consultation ------------------------------------------------------


def test_the_adopted_version_says_when_it_was_consulted(
    world, roster, oct_officer, oct_colleague, usg, client_for, time_machine
):
    from reporting.programme.services import programme_adopt

    round_ = consultation_act(round=world["round"], action="close", actor=oct_officer)
    consultation_comment_respond(comment=world["comment"], actor=oct_officer, response="accepted")
    time_machine.move_to(datetime.datetime(2026, 11, 5, 15, tzinfo=datetime.UTC), tick=False)
    meeting = meeting_create(
        start_time=datetime.time(10), end_time=datetime.time(12), actor=oct_officer, date=D(2026, 11, 5), place="NY"
    )
    meeting_act(meeting=meeting, action="hold", actor=oct_officer)
    decision = decision_add(meeting=meeting, actor=oct_officer, text="Adopts the programme.")
    programme = world["programme"]
    programme.refresh_from_db()
    programme_adopt(programme=programme, decision=decision, change_note="", actor=oct_colleague)
    page = client_for(usg).get(reverse("programme-version", args=[programme.pk, 1])).content.decode()
    assert "Consulted from" in page and "1 comment from 1 entity" in page
    assert reverse("consultation-detail", args=[round_.pk]) in page


def test_the_demo_consultation_is_created_once(roster, oct_officer, focal_point, chair, time_machine):
    from portal.demo_consultation import demo_consultation

    time_machine.move_to(NOW, tick=False)
    programme_draft(oct_officer)
    people = {"oct.officer": oct_officer, "unesco.focal": focal_point, "ohchr.chair": chair}
    demo_consultation(people)
    demo_consultation(people)
    round_ = ConsultationRound.objects.get()
    assert round_.state == "open" and round_.entities.count() == 5
    assert set(round_.comments.values_list("entity__acronym", flat=True)) == {"UNESCO", "OHCHR"}


def test_a_frozen_sections_heading_is_read_in_the_readers_language(world, focal_point, client_for):
    client = client_for(focal_point)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("consultation-detail", args=[world["round"].pk]), HTTP_ACCEPT_LANGUAGE="fr")
    text = page.content.decode()
    assert "Priorité 1. Coordination" in text and "Indicateur 1.1. Joint plans" in text
    assert "Priority 1. Coordination" not in text


def test_a_round_opened_late_in_the_new_york_evening_is_dated_that_day(roster, oct_officer, usg, time_machine):
    from reporting.consultation.selectors import consultations_of

    # 21:30 on 7 October in New York is 01:30 on the 8th in UTC; closed at 22:00 on the 9th there.
    time_machine.move_to(datetime.datetime(2026, 10, 8, 1, 30, tzinfo=datetime.UTC), tick=False)
    programme, _priority = programme_draft(oct_officer)
    round_ = round_on(oct_officer, programme, [roster.unesco])
    time_machine.move_to(datetime.datetime(2026, 10, 10, 2, tzinfo=datetime.UTC), tick=False)
    consultation_act(round=round_, action="close", actor=oct_officer)
    until = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    (summary,) = consultations_of(usg, "programme", programme.pk, after=None, until=until)
    assert (summary.opened_on, summary.closed_on) == (D(2026, 10, 7), D(2026, 10, 9))
