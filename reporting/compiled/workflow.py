"""The compiled reports' life cycles: a consolidated report is final once OCT makes one of its
editions final; the annual report goes from OCT to the USG, who approves or returns it (four
eyes: not the person who submitted it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from compact.lib.workflow import Transition, TransitionTable
from reporting.compiled.models import AnnualReport, ConsolidatedReport, ReportEdition

OCT, USG = "oct", "usg"
AR = AnnualReport.State

ANNUAL_TRANSITIONS = TransitionTable(
    [
        Transition(
            "submit",
            frozenset({AR.IN_PREPARATION}),
            AR.AWAITING_APPROVAL,
            by=OCT,
            label=gettext_lazy("Submit to the USG for approval"),
        ),
        # Four eyes: whoever submitted the report (someone may hold both roles) does not decide on it.
        Transition(
            "return",
            frozenset({AR.AWAITING_APPROVAL}),
            AR.IN_PREPARATION,
            by=USG,
            label=gettext_lazy("Return to OCT"),
            message="required",
            message_shared=True,
            four_eyes=True,
        ),
        Transition(
            "approve",
            frozenset({AR.AWAITING_APPROVAL}),
            AR.FINAL,
            by=USG,
            label=gettext_lazy("Approve"),
            four_eyes=True,
        ),
    ]
)

CR = ConsolidatedReport.State

CONSOLIDATED_TRANSITIONS = TransitionTable(
    [Transition("make_final", frozenset({CR.IN_PREPARATION}), CR.FINAL, by=OCT, label=gettext_lazy("Make final"))]
)

# An edition's life cycle, run by the workers and the minute sweep: a worker claims a queued
# edition and renders it under a lease (its attempt number); the file is stored, or the
# failure recorded; the sweep queues again an edition whose worker died, and gives up on one
# whose workers died MAX_ATTEMPTS times.
WORKER, SWEEP = "worker", "sweep"
ED = ReportEdition.Status

EDITION_TRANSITIONS = TransitionTable(
    [
        Transition("claim", frozenset({ED.QUEUED}), ED.RENDERING, by=WORKER, label=gettext_lazy("Generate")),
        Transition("store", frozenset({ED.RENDERING}), ED.DONE, by=WORKER, label=gettext_lazy("Store the file")),
        Transition("fail", frozenset({ED.RENDERING}), ED.FAILED, by=WORKER, label=gettext_lazy("Record the failure")),
        Transition("requeue", frozenset({ED.RENDERING}), ED.QUEUED, by=SWEEP, label=gettext_lazy("Queue again")),
        Transition("give_up", frozenset({ED.RENDERING}), ED.FAILED, by=SWEEP, label=gettext_lazy("Give up")),
    ]
)
