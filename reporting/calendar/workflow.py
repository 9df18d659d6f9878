"""An extension request's life cycle: the chair asks, OCT approves or declines, the chair may withdraw."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from compact.lib.workflow import Transition, TransitionTable
from reporting.calendar.models import ExtensionRequest

EXT = ExtensionRequest.Status
CHAIR, OCT = "chair", "oct"

EXTENSION_TRANSITIONS = TransitionTable(
    [
        Transition(
            "approve",
            frozenset({EXT.REQUESTED}),
            EXT.APPROVED,
            by=OCT,
            label=gettext_lazy("Approve"),
            message="optional",
            message_shared=True,
            four_eyes=True,
        ),
        Transition(
            "decline",
            frozenset({EXT.REQUESTED}),
            EXT.DECLINED,
            by=OCT,
            label=gettext_lazy("Decline"),
            message="required",
            message_shared=True,
            four_eyes=True,
        ),
        Transition("withdraw", frozenset({EXT.REQUESTED}), EXT.WITHDRAWN, by=CHAIR, label=gettext_lazy("Withdraw")),
    ]
)
