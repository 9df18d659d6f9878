"""A reorganisation's life: OCT's draft is adopted by a Committee decision (recorded by an
officer who did not draft it), or withdrawn with a reason and possibly taken up again. An
adopted reorganisation is history: undoing it is another reorganisation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from compact.lib.workflow import Transition, TransitionTable
from reporting.reorganisation.models import Reorganisation

OCT = "oct"
State = Reorganisation.State

REORGANISATION_TRANSITIONS = TransitionTable(
    [
        Transition(
            "adopt",
            frozenset({State.DRAFT}),
            State.ADOPTED,
            by=OCT,
            label=gettext_lazy("Record the adoption"),
            four_eyes=True,
        ),
        Transition(
            "withdraw",
            frozenset({State.DRAFT}),
            State.WITHDRAWN,
            by=OCT,
            label=gettext_lazy("Withdraw the draft"),
            message="required",
        ),
        Transition(
            "redraft",
            frozenset({State.WITHDRAWN}),
            State.DRAFT,
            by=OCT,
            label=gettext_lazy("Take the draft up again"),
        ),
    ]
)
