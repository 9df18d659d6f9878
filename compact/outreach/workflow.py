"""A briefing to Member States' life cycle: OCT publishes its public summary on the public page
(confirming it holds only unclassified information) or withdraws it, with a reason."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from compact.lib.workflow import Transition, TransitionTable
from compact.outreach.models import MemberStateBriefing

OCT = "oct"
State = MemberStateBriefing.State

BRIEFING_TRANSITIONS = TransitionTable(
    [
        Transition(
            "publish",
            frozenset({State.DRAFT}),
            State.PUBLISHED,
            by=OCT,
            label=gettext_lazy("Publish the public summary"),
        ),
        Transition(
            "unpublish",
            frozenset({State.PUBLISHED}),
            State.DRAFT,
            by=OCT,
            label=gettext_lazy("Withdraw from the public page"),
            message="required",
        ),
    ]
)
