"""A country visit's life (A/72/840, Annex IV, C.2) as a transition table.

CTED plans a visit and records that OCT was told in advance (C.2(c)); a visit carried out
without that step stays visible as such. After the visit CTED either shares its
recommendations and assessment with OCT (C.2(a)) or, when the Member State asked for
confidentiality, keeps them: OCT then sees only that the visit took place. Either way OCT
records the follow-up consultation on the support it could give (C.2(d)) and the projects it
led to. A visit not yet carried out may be cancelled, with a reason.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from compact.lib.workflow import Transition, TransitionTable
from compact.visits.models import CountryVisit

CTED = "cted"
OCT = "oct"
State = CountryVisit.State

# The states in which CTED may still change the visit's facts (dates, country, confidentiality,
# classification): once the assessment is recorded, whether it was shared is settled.
EDITABLE_STATES = frozenset({State.PLANNED, State.OCT_INFORMED, State.CARRIED_OUT})

VISIT_TRANSITIONS = TransitionTable(
    [
        Transition(
            "inform-oct",
            frozenset({State.PLANNED}),
            State.OCT_INFORMED,
            by=CTED,
            label=_("Record that OCT was informed"),
        ),
        Transition(
            "carry-out",
            frozenset({State.PLANNED, State.OCT_INFORMED}),
            State.CARRIED_OUT,
            by=CTED,
            label=_("Record the visit as carried out"),
        ),
        Transition(
            "share",
            frozenset({State.CARRIED_OUT}),
            State.SHARED,
            by=CTED,
            label=_("Share the assessment with OCT"),
        ),
        Transition(
            "withhold",
            frozenset({State.CARRIED_OUT}),
            State.WITHHELD,
            by=CTED,
            label=_("Keep the assessment confidential"),
        ),
        Transition(
            "follow-up",
            frozenset({State.SHARED, State.WITHHELD}),
            State.FOLLOWED_UP,
            by=OCT,
            label=_("Record the follow-up consultation"),
        ),
        Transition(
            "cancel",
            frozenset({State.PLANNED, State.OCT_INFORMED}),
            State.CANCELLED,
            by=CTED,
            label=_("Cancel the visit"),
            message="required",
        ),
    ]
)
