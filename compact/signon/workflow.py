"""A sign-on request's life cycle: who moves it (the applicant, OCT) from submitted to approved,
and how. Imports only its models, so that permissions and services both read it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from compact.lib.workflow import Transition, TransitionTable
from compact.signon.models import SignOnRequest

State = SignOnRequest.State

APPLICANT = "applicant"

OCT = "oct"

TRANSITIONS = TransitionTable(
    [
        Transition(
            "confirm_email",
            frozenset({State.AWAITING_CONFIRMATION}),
            State.NEW,
            by=APPLICANT,
            label=gettext_lazy("Confirm the e-mail address"),
        ),
        Transition(
            "start_consultation",
            frozenset({State.NEW}),
            State.IN_CONSULTATION,
            by=OCT,
            label=gettext_lazy("Start consultation"),
            message="optional",
        ),
        Transition(
            "add_note",
            frozenset({State.IN_CONSULTATION}),
            State.IN_CONSULTATION,
            by=OCT,
            label=gettext_lazy("Record a consultation note"),
            message="required",
        ),
        Transition(
            "request_information",
            frozenset({State.NEW, State.IN_CONSULTATION}),
            State.INFORMATION_REQUESTED,
            by=OCT,
            label=gettext_lazy("Request more information"),
            message="required",
            message_shared=True,
        ),
        Transition(
            "provide_information",
            frozenset({State.INFORMATION_REQUESTED}),
            State.IN_CONSULTATION,
            by=APPLICANT,
            label=gettext_lazy("Send the updated request"),
            message="optional",
            message_shared=True,
        ),
        Transition(
            "approve",
            frozenset({State.IN_CONSULTATION}),
            State.APPROVED,
            by=OCT,
            label=gettext_lazy("Approve"),
            message="optional",
            message_shared=True,
            four_eyes=True,
        ),
        Transition(
            "decline",
            frozenset({State.NEW, State.IN_CONSULTATION, State.INFORMATION_REQUESTED}),
            State.DECLINED,
            by=OCT,
            label=gettext_lazy("Decline"),
            message="required",
            message_shared=True,
            four_eyes=True,
        ),
        Transition(
            "withdraw",
            frozenset(SignOnRequest.OPEN),
            State.WITHDRAWN,
            by=APPLICANT,
            label=gettext_lazy("Withdraw the request"),
            message="optional",
            message_shared=True,
        ),
    ]
)
