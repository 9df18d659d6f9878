"""A project's lifecycle (A/72/840, Annex IV, para. 9) as a transition table: Idea, Analysis,
Planning, Financing, Initiation, Implementation, Evaluation.

A project moves one step forward at a time, or one step back with a reason. A project the
matrix already holds without a stage (the 2018 report gave none) is placed at the stage it has
reached, with the day and a note of how that is known. CTED contributes at planning, financing
and initiation (Annex IV): the moves into those stages carry its contribution. Moving into
implementation is where the Human Rights Due Diligence Policy bites (``HRDDP_GATE``): a project
that supports non-UN security forces needs an assessment that allows the support first.
"""

from __future__ import annotations

import itertools

from django.utils.translation import gettext_lazy as _

from compact.lib.workflow import Transition, TransitionTable
from compact.matrix.models import Project

Stage = Project.Stage
EDITOR = "editor"  # OCT, or a focal point of the project's lead or partner entity
STAGES = list(Stage)
# Where Annex IV asks for CTED's contribution.
CTED_STAGES = frozenset({Stage.PLANNING, Stage.FINANCING, Stage.INITIATION})
HRDDP_GATE = Stage.IMPLEMENTATION
NOT_STAGED = ""

FORWARD_LABELS = {
    Stage.ANALYSIS: _("Move to analysis"),
    Stage.PLANNING: _("Move to planning"),
    Stage.FINANCING: _("Move to financing"),
    Stage.INITIATION: _("Move to initiation"),
    Stage.IMPLEMENTATION: _("Move to implementation"),
    Stage.EVALUATION: _("Move to evaluation"),
}
BACK_LABELS = {
    Stage.IDEA: _("Back to idea"),
    Stage.ANALYSIS: _("Back to analysis"),
    Stage.PLANNING: _("Back to planning"),
    Stage.FINANCING: _("Back to financing"),
    Stage.INITIATION: _("Back to initiation"),
    Stage.IMPLEMENTATION: _("Back to implementation"),
}
PLACE_LABELS = {
    Stage.IDEA: _("Record it at idea"),
    Stage.ANALYSIS: _("Record it at analysis"),
    Stage.PLANNING: _("Record it at planning"),
    Stage.FINANCING: _("Record it at financing"),
    Stage.INITIATION: _("Record it at initiation"),
    Stage.IMPLEMENTATION: _("Record it at implementation"),
    Stage.EVALUATION: _("Record it at evaluation"),
}


def _transitions() -> list[Transition]:
    moves = [
        Transition(f"place-{stage}", frozenset({NOT_STAGED}), stage, by=EDITOR, label=PLACE_LABELS[stage])
        for stage in STAGES
    ]
    for before, after in itertools.pairwise(STAGES):
        moves.append(Transition(f"to-{after}", frozenset({before}), after, by=EDITOR, label=FORWARD_LABELS[after]))
    for after, before in itertools.pairwise(STAGES):  # one step back: from ``before`` to ``after``
        label = BACK_LABELS[after]
        moves.append(
            Transition(f"back-{after}", frozenset({before}), after, by=EDITOR, label=label, message="required")
        )
    return moves


LIFECYCLE_TRANSITIONS = TransitionTable(_transitions())
