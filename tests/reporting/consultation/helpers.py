"""What the consultation tests build: a programme draft with sections, and rounds on it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from compact.registry.services import focal_point_appoint, person_create
from reporting.consultation.models import ConsultationRound
from reporting.consultation.services import consultation_act, consultation_create
from reporting.monitoring.services import indicator_create
from reporting.programme.services import priority_add, programme_create, result_add

D = datetime.date
NOW = datetime.datetime(2026, 10, 1, 15, tzinfo=datetime.UTC)  # 11:00 in New York
DUE = D(2026, 10, 20)


def programme_draft(officer, *, biennium: int = 2027):
    """A programme with an introduction, one priority with a result and one indicator."""
    programme = programme_create(
        actor=officer,
        biennium_start=biennium,
        title=f"Programme of work {biennium}–{biennium + 1}",
        introduction="MK-INTRO The Committee's priorities.",
    )
    priority = priority_add(
        programme=programme, actor=officer, code="1", title="Coordination", description="MK-PRIORITY", pillars=["I"]
    )
    result_add(priority=priority, actor=officer, text="MK-RESULT Joint plans adopted.")
    indicator_create(
        programme=programme,
        actor=officer,
        code="1.1",
        name="Joint plans",
        definition="MK-INDICATOR Plans adopted jointly.",
        unit="plans",
        target=Decimal(5),
        direction="increase",
        aggregation="sum",
        disaggregation=[],
        frequency="end-of-year",
        pillars=["I"],
    )
    return programme, priority


def round_on(officer, programme, entities, *, due=DUE, state: str = "open") -> ConsultationRound:
    """A round on ``programme`` consulting ``entities``, taken to ``state``."""
    round_ = consultation_create(
        actor=officer, subject_kind="programme", subject_id=programme.pk, comments_due_on=due, entities=entities
    )
    path = {
        "draft": [],
        "open": ["open"],
        "closed": ["open", "close"],
        "responded": ["open", "close", "respond"],
        "cancelled": ["cancel"],
    }[state]
    for action in path:
        round_ = consultation_act(round=round_, action=action, actor=officer, reason="Not needed.")
    return round_


def focal(username: str, entity, clearance: str = "unclassified"):
    user = person_create(
        username=username,
        email=f"{username}@example.org",
        first_name=username.title(),
        last_name="Tester",
        entity=entity,
        clearance=clearance,
        password="pw",
        actor=None,
    )
    focal_point_appoint(user=user, entity=entity, actor=None)
    return user
