"""The life cycles of the Committee's meetings (planned, held, minutes approved; or cancelled
while planned) and of their
action points (open, done, dropped), with their parties: ``OCT`` and the point's ``OWNER``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from compact.lib.workflow import Transition, TransitionTable
from reporting.committee.models import ActionPoint, Meeting

OCT = "oct"
OWNER = "owner"
MeetingState = Meeting.State
Status = ActionPoint.Status

MEETING_TRANSITIONS = TransitionTable(
    [
        Transition("hold", frozenset({MeetingState.PLANNED}), MeetingState.HELD, OCT, gettext_lazy("Mark as held")),
        Transition(
            "approve_minutes",
            frozenset({MeetingState.HELD}),
            MeetingState.MINUTES_APPROVED,
            OCT,
            gettext_lazy("Approve the minutes"),
        ),
        Transition(
            "cancel",
            frozenset({MeetingState.PLANNED}),
            MeetingState.CANCELLED,
            OCT,
            gettext_lazy("Cancel the meeting"),
        ),
    ]
)

ACTION_TRANSITIONS = TransitionTable(
    [
        Transition("mark_done", frozenset({Status.OPEN}), Status.DONE, OWNER, gettext_lazy("Mark done")),
        Transition("drop", frozenset({Status.OPEN}), Status.DROPPED, OCT, gettext_lazy("Drop")),
        Transition("reopen", frozenset({Status.DONE, Status.DROPPED}), Status.OPEN, OCT, gettext_lazy("Reopen")),
    ]
)
