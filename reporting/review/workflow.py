"""The biennial review's life cycle: OCT opens it for comments, closes the comments, concludes it
(four eyes: not the officer who wrote the outcome) and may reopen it, with a reason."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy

from compact.lib.workflow import Transition, TransitionTable
from reporting.review.models import BiennialReview

OCT = "oct"
State = BiennialReview.State

REVIEW_TRANSITIONS = TransitionTable(
    [
        Transition("open", frozenset({State.PREPARING}), State.OPEN, OCT, pgettext_lazy("action", "Open for comments")),
        Transition("close", frozenset({State.OPEN}), State.CLOSED, OCT, gettext_lazy("Close the comments")),
        Transition(
            "conclude",
            frozenset({State.CLOSED}),
            State.CONCLUDED,
            OCT,
            gettext_lazy("Conclude with the outcome"),
            four_eyes=True,
        ),
        Transition(
            "reopen",
            frozenset({State.CLOSED}),
            State.OPEN,
            OCT,
            gettext_lazy("Reopen for comments"),
            message="required",
            message_shared=True,
        ),
    ]
)
