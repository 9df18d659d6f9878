"""A consultation round's life cycle: OCT opens it (the document's sections are frozen and the
consulted entities told), closes it (or the scheduler does, once the deadline day is over),
records its responses to every comment and marks the round responded; OCT may cancel a round
not yet closed, with a reason."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy

from compact.lib.workflow import Transition, TransitionTable
from reporting.consultation.models import ConsultationRound

OCT = "oct"
SCHEDULER = "scheduler"
State = ConsultationRound.State

CONSULTATION_TRANSITIONS = TransitionTable(
    [
        Transition("open", frozenset({State.DRAFT}), State.OPEN, OCT, pgettext_lazy("action", "Open for comments")),
        Transition("close", frozenset({State.OPEN}), State.CLOSED, OCT, gettext_lazy("Close the comments")),
        Transition("expire", frozenset({State.OPEN}), State.CLOSED, SCHEDULER, gettext_lazy("Closed at the deadline")),
        Transition(
            "respond",
            frozenset({State.CLOSED}),
            State.RESPONDED,
            OCT,
            gettext_lazy("Publish the responses"),
        ),
        Transition(
            "cancel",
            frozenset({State.DRAFT, State.OPEN}),
            State.CANCELLED,
            OCT,
            gettext_lazy("Cancel the consultation"),
            message="required",
            message_shared=True,
        ),
    ]
)
