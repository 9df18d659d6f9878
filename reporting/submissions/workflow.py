"""The submission's life cycle: who moves a group's report from draft to accepted, and how.

The table names its parties (``CHAIR``: the group's chair or vice-chair; ``OCT``) and imports
only its model, so that permissions and services both read it without importing each other."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy

from compact.lib.workflow import Transition, TransitionTable
from reporting.submissions.models import ReportingPeriod, Submission

Status = Submission.Status
CHAIR = "chair"
OCT = "oct"
# A reorganisation's adoption closes the open inputs of the groups it ends (never a button).
REORGANISATION = "reorganisation"

TRANSITIONS = TransitionTable(
    [
        Transition("submit", frozenset({Status.DRAFT}), Status.SUBMITTED, by=CHAIR, label=gettext_lazy("Submit")),
        Transition(
            "return",
            frozenset({Status.SUBMITTED, Status.RESUBMITTED}),
            Status.RETURNED,
            by=OCT,
            label=gettext_lazy("Return for revision"),
            message="required",
            message_shared=True,
            four_eyes=True,
        ),
        Transition(
            "resubmit", frozenset({Status.RETURNED}), Status.RESUBMITTED, by=CHAIR, label=gettext_lazy("Resubmit")
        ),
        Transition(
            "accept",
            frozenset({Status.SUBMITTED, Status.RESUBMITTED}),
            Status.ACCEPTED,
            by=OCT,
            label=gettext_lazy("Accept"),
            message="optional",
            message_shared=True,
            four_eyes=True,
        ),
        Transition(
            "reopen",
            frozenset({Status.ACCEPTED}),
            Status.RETURNED,
            by=OCT,
            label=gettext_lazy("Reopen"),
            message="required",
            message_shared=True,
        ),
        Transition(
            "close",
            frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.RESUBMITTED}),
            Status.CLOSED,
            by=REORGANISATION,
            label=gettext_lazy("Close with the group"),
            message="optional",
        ),
    ]
)

# A reporting period's life cycle, OCT's (or the scheduler's, on OCT's calendar): scheduled,
# open for the groups, closed; OCT may reopen a closed one, with a reason the groups are told.
Period = ReportingPeriod.State

PERIOD_TRANSITIONS = TransitionTable(
    [
        Transition("open", frozenset({Period.SCHEDULED}), Period.OPEN, by=OCT, label=pgettext_lazy("action", "Open")),
        Transition("close", frozenset({Period.OPEN}), Period.CLOSED, by=OCT, label=gettext_lazy("Close")),
        Transition(
            "reopen", frozenset({Period.CLOSED}), Period.OPEN, by=OCT, label=gettext_lazy("Reopen"), message="required"
        ),
    ]
)
