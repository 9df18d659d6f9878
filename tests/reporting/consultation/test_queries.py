"""The number of queries of a round's page, its API and the inbox does not grow with the
entities consulted, the rounds or the comments (one read of who is consulted and whom the
reader speaks for per request)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compact.core.models import User
from compact.core.permissions import is_oct
from portal.inbox import tasks_for
from reporting.consultation.permissions import can_list_consultations
from reporting.consultation.services import consultation_comment_create
from tests.reporting.consultation.helpers import NOW, D, focal, programme_draft, round_on
from workinggroups.selectors import workinggroups_led_by

pytestmark = pytest.mark.django_db


def counted(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def build(roster, oct_officer, *, rounds: int, entities: int, biennium: int) -> list:
    """``rounds`` open rounds each consulting UNESCO and ``entities - 1`` more, each of which
    has commented on the introduction (UNESCO has not)."""
    programme, _priority = programme_draft(oct_officer, biennium=biennium)
    others = [roster.ohchr, roster.unodc, roster.cted, roster.unoct][: entities - 1]
    writers = {entity.pk: focal(f"focal.{entity.acronym.lower()}.{biennium}", entity) for entity in others}
    made = []
    for _i in range(rounds):
        round_ = round_on(oct_officer, programme, [roster.unesco, *others])
        for entity in others:
            consultation_comment_create(
                round=round_,
                entity=entity,
                section_key="introduction",
                actor=writers[entity.pk],
                text="Ours.",
                classification="unclassified",
            )
        made.append(round_)
    return made


def measure(client_for, api_for, users, made) -> dict:
    round_ = made[0]
    found = {}
    for user in users:
        found[(user.username, "page")] = counted(
            lambda u=user: client_for(u).get(reverse("consultation-detail", args=[round_.pk]))
        )
        found[(user.username, "api")] = counted(
            lambda u=user: api_for(u).get(f"/api/v1/consultation-rounds/{round_.pk}/")
        )
        found[(user.username, "rounds")] = counted(lambda u=user: api_for(u).get("/api/v1/consultation-rounds/"))
        found[(user.username, "comments")] = counted(lambda u=user: api_for(u).get("/api/v1/consultation-comments/"))
        found[(user.username, "inbox")] = counted(lambda u=user: tasks_for(u, today=D(2026, 10, 1)))
    return found


def test_the_queries_do_not_grow_with_entities_rounds_and_comments(
    roster, oct_officer, usg, focal_point, client_for, api_for, time_machine
):
    time_machine.move_to(NOW, tick=False)
    users = [oct_officer, usg, focal_point]
    few = build(roster, oct_officer, rounds=1, entities=2, biennium=2027)
    # Warm every client once (sessions, caches), then measure.
    measure(client_for, api_for, users, few)
    before = measure(client_for, api_for, users, few)
    many = build(roster, oct_officer, rounds=3, entities=5, biennium=2029)
    measure(client_for, api_for, users, many)
    after = measure(client_for, api_for, users, many)
    grown = {key: (before[key], after[key]) for key in before if after[key] != before[key]}
    assert grown == {}


def test_who_may_list_consultations_and_a_chair_is_answered_from_their_roles(
    roster, oct_officer, usg, chair, vice_chair, focal_point, committee_member, outsider
):
    for user in (oct_officer, usg, chair, vice_chair, focal_point):
        assert can_list_consultations(user), user.username
    for user in (committee_member, outsider):
        assert not can_list_consultations(user), user.username
    # A chair's leading roles, read once for the page (the menu needs them anyway), answer
    # without guardian's query of the entities they are a focal point of.
    page_user = User.objects.get(pk=chair.pk)  # as a request loads it
    is_oct(page_user), workinggroups_led_by(page_user)  # what the menu reads before it asks
    assert counted(lambda: can_list_consultations(page_user)) == 0
    page_user.is_active = False
    assert not can_list_consultations(page_user)
