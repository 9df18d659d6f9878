"""The compiled reports' life cycles: a consolidated report is final once OCT makes one of its
editions final; the annual report goes from OCT to the USG, who approves or returns it (four
eyes: not the person who submitted it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from compact.lib.workflow import Transition, TransitionTable
from reporting.compiled.models import AnnualReport, ConsolidatedReport

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
