"""The consultation round's transition table, walked exhaustively through the service: every
OCT action from every state does what the table says and nothing else; the scheduler's
``expire`` is never OCT's; each move leaves a step and an audit row."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.core.models import AuditEvent
from compact.lib.workflow import TransitionNotAllowedError
from reporting.consultation.models import ConsultationRound
from reporting.consultation.services import (
    consultation_act,
    consultation_comment_create,
    consultation_comment_respond,
    consultation_expire,
)
from reporting.consultation.workflow import CONSULTATION_TRANSITIONS, OCT, SCHEDULER
from tests.reporting.consultation.helpers import DUE, NOW, programme_draft, round_on

pytestmark = pytest.mark.django_db
State = ConsultationRound.State
STATES = list(State.values)
EXPECTED = {
    ("open", "draft"): "open",
    ("close", "open"): "closed",
    ("respond", "closed"): "responded",
    ("cancel", "draft"): "cancelled",
    ("cancel", "open"): "cancelled",
}


def test_the_table_is_what_the_docs_say():
    table = {(t.action, source): t.target for t in CONSULTATION_TRANSITIONS if t.by == OCT for source in t.sources}
    assert table == EXPECTED
    (expire,) = [t for t in CONSULTATION_TRANSITIONS if t.by == SCHEDULER]
    assert (expire.action, set(expire.sources), expire.target) == ("expire", {"open"}, "closed")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", [t.action for t in CONSULTATION_TRANSITIONS])
def test_every_action_from_every_state(action, state, roster, oct_officer, focal_point, time_machine):
    time_machine.move_to(NOW, tick=False)
    programme, _priority = programme_draft(oct_officer)
    round_ = round_on(oct_officer, programme, [roster.unesco], state=state)
    steps, events = round_.steps.count(), AuditEvent.objects.count()
    target = EXPECTED.get((action, state))
    if target is None:
        with pytest.raises(TransitionNotAllowedError):
            consultation_act(round=round_, action=action, actor=oct_officer, reason="A reason.")
        round_.refresh_from_db()
        assert round_.state == state
        assert round_.steps.count() == steps and AuditEvent.objects.count() == events
        return
    moved = consultation_act(round=round_, action=action, actor=oct_officer, reason="A reason.")
    assert moved.state == target
    step = moved.steps.latest("pk")
    assert (step.action, step.from_state, step.to_state, step.actor) == (action, state, target, oct_officer)
    assert AuditEvent.objects.filter(verb=f"consultation.{action}", object_id=str(round_.pk)).exists()


def test_opening_freezes_the_sections_and_later_changes_do_not_reach_them(roster, oct_officer, time_machine):
    from reporting.programme.services import programme_update

    time_machine.move_to(NOW, tick=False)
    programme, priority = programme_draft(oct_officer)
    round_ = round_on(oct_officer, programme, [roster.unesco])
    keys = [section["key"] for section in round_.sections]
    assert keys[0] == "introduction" and f"priority-{priority.pk}" in keys
    assert any(key.startswith("indicator-") for key in keys)
    assert round_.opened_at == NOW and round_.classification == "unclassified"
    programme.refresh_from_db()
    programme_update(
        programme=programme, actor=oct_officer, base_revision=programme.revision, title="T", introduction="Changed."
    )
    round_.refresh_from_db()
    assert round_.section("introduction")["text"] == "MK-INTRO The Committee's priorities."


def test_responding_needs_a_response_to_every_comment(roster, oct_officer, focal_point, time_machine):
    time_machine.move_to(NOW, tick=False)
    programme, _priority = programme_draft(oct_officer)
    round_ = round_on(oct_officer, programme, [roster.unesco])
    comment = consultation_comment_create(
        round=round_,
        entity=roster.unesco,
        section_key="introduction",
        actor=focal_point,
        text="Add X.",
        classification="unclassified",
    )
    round_ = consultation_act(round=round_, action="close", actor=oct_officer)
    with pytest.raises(ValidationError):
        consultation_act(round=round_, action="respond", actor=oct_officer)
    with pytest.raises(ValidationError):  # a note is owed unless accepted
        consultation_comment_respond(comment=comment, actor=oct_officer, response="not-taken")
    consultation_comment_respond(comment=comment, actor=oct_officer, response="partly", note="Added in part.")
    assert consultation_act(round=round_, action="respond", actor=oct_officer).state == "responded"


def test_cancelling_needs_a_reason(roster, oct_officer, time_machine):
    time_machine.move_to(NOW, tick=False)
    programme, _priority = programme_draft(oct_officer)
    round_ = round_on(oct_officer, programme, [roster.unesco], state="draft")
    with pytest.raises(ValidationError):
        consultation_act(round=round_, action="cancel", actor=oct_officer, reason="  ")


@pytest.mark.parametrize("who", ["usg", "chair", "focal_point", "committee_member"])
def test_only_oct_moves_a_round(request, who, roster, oct_officer, time_machine):
    time_machine.move_to(NOW, tick=False)
    programme, _priority = programme_draft(oct_officer)
    round_ = round_on(oct_officer, programme, [roster.unesco, roster.ohchr], state="draft")
    with pytest.raises(PermissionDenied):
        consultation_act(round=round_, action="open", actor=request.getfixturevalue(who))


def test_the_scheduler_closes_only_after_the_deadline_day(roster, oct_officer, time_machine):
    time_machine.move_to(NOW, tick=False)
    programme, _priority = programme_draft(oct_officer)
    round_ = round_on(oct_officer, programme, [roster.unesco])
    last_minute = datetime.datetime(2026, 10, 21, 3, 59, tzinfo=datetime.UTC)  # 23:59 on the 20th, New York
    assert consultation_expire(round=round_, now=last_minute) is False
    after = datetime.datetime(2026, 10, 21, 4, 1, tzinfo=datetime.UTC)
    assert consultation_expire(round=round_, now=after) is True
    assert consultation_expire(round=round_, now=after) is False  # idempotent
    round_.refresh_from_db()
    assert round_.state == "closed" and round_.closed_at == after
    assert round_.steps.get(action="expire").actor is None
    assert last_minute.astimezone(zoneinfo.ZoneInfo("America/New_York")).date() == DUE  # the deadline's last minute


# --- The deadline's day is the site's (New York), whatever the officer's time zone -----------------


def test_a_round_is_not_opened_once_its_deadline_day_is_over_in_new_york(roster, oct_officer, client_for, time_machine):
    from django.urls import reverse

    from reporting.consultation.services import consultation_create

    time_machine.move_to(NOW, tick=False)
    programme, _priority = programme_draft(oct_officer)
    oct_officer.time_zone = "Pacific/Honolulu"
    oct_officer.save(update_fields=["time_zone"])
    draft = consultation_create(
        actor=oct_officer,
        subject_kind="programme",
        subject_id=programme.pk,
        comments_due_on=DUE,
        entities=[roster.unesco],
    )
    # 02:00 on 21 October in New York, 20:00 on the 20th in Honolulu: the deadline day is over.
    time_machine.move_to(datetime.datetime(2026, 10, 21, 6, tzinfo=datetime.UTC), tick=False)
    page = client_for(oct_officer).post(reverse("consultation-act", args=[draft.pk]), {"action": "open"})
    assert page.status_code == 400 and "The deadline has passed" in page.content.decode()
    draft.refresh_from_db()
    assert draft.state == "draft"
    with pytest.raises(ValidationError):
        consultation_act(round=draft, action="open", actor=oct_officer)


@pytest.mark.parametrize(
    ("zone", "moment", "accepted"),
    [
        # 20:00 on 20 October in New York, 09:00 on the 21st in Tokyo: the 20th is still a deadline.
        ("Asia/Tokyo", datetime.datetime(2026, 10, 21, 0, tzinfo=datetime.UTC), True),
        # 02:00 on 21 October in New York, 20:00 on the 20th in Honolulu: the 20th is over.
        ("Pacific/Honolulu", datetime.datetime(2026, 10, 21, 6, tzinfo=datetime.UTC), False),
    ],
)
def test_a_deadline_is_given_from_the_sites_today_on(
    zone, moment, accepted, roster, oct_officer, client_for, time_machine
):
    from django.urls import reverse

    time_machine.move_to(NOW, tick=False)
    programme, _priority = programme_draft(oct_officer)
    oct_officer.time_zone = zone
    oct_officer.save(update_fields=["time_zone"])
    time_machine.move_to(moment, tick=False)
    page = client_for(oct_officer).post(
        reverse("consultation-create"),
        {"document": f"programme:{programme.pk}", "comments_due_on": "2026-10-20", "entities": [roster.unesco.pk]},
    )
    assert page.status_code == (302 if accepted else 400)
    assert ConsultationRound.objects.exists() is accepted
