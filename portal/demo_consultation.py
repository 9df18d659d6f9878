"""Demonstration data for consultation rounds: the entities consulted on the programme of work's
working copy (the draft of its next version), with a couple of comments. Called from
``portal.demo.demo_load``; running it again changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from compact.core.models import Classification
from compact.registry.selectors import entity_resolve
from reporting.consultation.models import ConsultationRound
from reporting.consultation.permissions import can_write_comment
from reporting.consultation.services import consultation_act, consultation_comment_create, consultation_create
from reporting.programme.models import ProgrammeOfWork

DEMO_NOTE = (
    "Demonstration: the Committee will adopt the revised programme at its next meeting. Please comment on "
    "the priorities and the indicators, on behalf of your entity, by the deadline."
)


@transaction.atomic
def demo_consultation(people: dict[str, object]) -> None:
    """An open round on the latest programme's working copy, due in two weeks, consulting every
    member entity, with UNESCO's comment (its focal point's) and OHCHR's (WG 7's chair's)."""
    officer = people["oct.officer"]
    programme = ProgrammeOfWork.objects.order_by("-biennium_start").first()
    if programme is None:
        return
    if ConsultationRound.objects.filter(subject_kind="programme", subject_id=programme.pk).exists():
        return
    round_ = consultation_create(
        actor=officer,
        subject_kind="programme",
        subject_id=programme.pk,
        comments_due_on=timezone.localdate() + datetime.timedelta(days=14),
        note=DEMO_NOTE,
    )
    round_ = consultation_act(round=round_, action="open", actor=officer)
    priorities = [section["key"] for section in round_.sections if section["key"].startswith("priority-")]
    comments = [
        (
            "UNESCO",
            people.get("unesco.focal"),
            "introduction",
            "Demonstration: UNESCO asks that the introduction name education and youth as cross-cutting, as "
            "paragraph 11 of the Compact's terms of reference does for gender.",
        ),
        (
            "OHCHR",
            people.get("ohchr.chair"),
            priorities[0] if priorities else "introduction",
            "Demonstration: OHCHR proposes an expected result on human-rights due diligence for projects "
            "supporting non-UN security forces.",
        ),
    ]
    for acronym, writer, section, text in comments:
        entity = entity_resolve(acronym)
        if entity is None or writer is None or not can_write_comment(writer, round_, entity):
            continue
        consultation_comment_create(
            round=round_,
            entity=entity,
            section_key=section,
            actor=writer,
            text=text,
            classification=Classification.UNCLASSIFIED,
        )
