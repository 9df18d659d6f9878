"""Workflows declared as transition tables (pure Python, no database).

A table lists every allowed move: the action's name, the states it may start from, the state
it leads to, and who may take it. Services look moves up here and nowhere else, so the table
is the whole truth about a workflow and tests can walk it exhaustively.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext as _


class TransitionNotAllowedError(Exception):
    """The action cannot be taken from the object's current state (or not by this party)."""


class StaleStateError(Exception):
    """Someone else moved the object between reading and writing it (compare-and-swap lost)."""


class EditConflictError(Exception):
    """Optimistic locking lost: someone saved the object since the editor loaded its revision,
    and nothing was written. ``current`` is the object as stored now, for the editor to show
    beside what was typed."""

    def __init__(self, current: object, message: str | Promise | None = None) -> None:
        super().__init__(message or _("This was changed by someone else while you were editing it."))
        self.current = current


def revision_check(current: object, base_revision: int | None, message: str | Promise | None = None) -> None:
    """Optimistic locking on a row the caller holds locked (``select_for_update``): refuse a save
    based on an older ``revision`` than ``current``'s (None: the caller did not say which
    revision it loaded, as the API allows) with ``EditConflictError``."""
    if base_revision is not None and current.revision != base_revision:
        raise EditConflictError(current, message)


class SeparationOfDutiesError(PermissionDenied):
    """The actor put forward what this move decides: someone else must decide it."""


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    by: str
    label: str | Promise
    # "required", "optional" or "none": whether the actor writes a message with the move.
    message: str = "none"
    # Whether the message is shown to the other party (else it is an internal note).
    message_shared: bool = False
    # Four eyes: whoever put the object forward (submitted the version, asked for the extension)
    # may not take this move, whatever roles they hold.
    four_eyes: bool = False
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.message not in ("required", "optional", "none"):
            raise ValueError(f"{self.action}: message must be required, optional or none")


def is_proposer(actor: object, proposer: object | None) -> bool:
    """Whether ``actor`` is ``proposer``: a user, a user's id, a collection of either (everyone
    who put the object forward), or None for nobody known."""
    if proposer is None:
        return False
    if isinstance(proposer, (set, frozenset, list, tuple)):
        return any(is_proposer(actor, one) for one in proposer)
    return getattr(actor, "pk", None) == getattr(proposer, "pk", proposer)


def duties_separate(*, actor: object, proposer: object | None, action: str | Promise) -> None:
    """Four eyes for a decision outside a transition table (recording an adoption): refuse it
    to whoever put the object forward."""
    if is_proposer(actor, proposer):
        raise SeparationOfDutiesError(
            _("You put this forward yourself; someone else must decide on it (“%(action)s”).") % {"action": action}
        )


class TransitionTable:
    def __init__(self, transitions: Iterable[Transition]) -> None:
        self.transitions = tuple(transitions)
        names = [t.action for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError("Each action appears once in a transition table.")
        self._by_action = {t.action: t for t in self.transitions}

    def __iter__(self):
        return iter(self.transitions)

    def get(self, action: str) -> Transition:
        try:
            return self._by_action[action]
        except KeyError:
            raise TransitionNotAllowedError(f"Unknown action {action!r}.") from None

    def find(self, action: str, state: str, *, by: str) -> Transition:
        """The transition for ``action`` from ``state`` by party ``by``, or TransitionNotAllowedError."""
        transition = self.get(action)
        if transition.by != by:
            raise TransitionNotAllowedError(f"{action!r} is not taken by {by!r}.")
        if state not in transition.sources:
            raise TransitionNotAllowedError(f"{action!r} is not possible from state {str(state)!r}.")
        return transition

    def available(
        self, state: str, *, by: str, actor: object | None = None, proposer: object | None = None
    ) -> list[Transition]:
        """The moves party ``by`` may make from ``state``, in table order; given the ``actor``
        and who put the object forward, without the four-eyes moves the actor may not take."""
        moves = [t for t in self.transitions if t.by == by and state in t.sources]
        return [t for t in moves if actor is None or self.separated(t, actor=actor, proposer=proposer)]

    def separation_check(self, transition: Transition, *, actor: object, proposer: object | None) -> None:
        """Refuse a four-eyes move to the person who put the object forward (``proposer``)."""
        if transition.four_eyes:
            duties_separate(actor=actor, proposer=proposer, action=transition.label)

    @staticmethod
    def separated(transition: Transition, *, actor: object, proposer: object | None) -> bool:
        """Whether ``actor`` may take ``transition`` given who put the object forward."""
        return not transition.four_eyes or not is_proposer(actor, proposer)

    def actions(self) -> list[str]:
        return [t.action for t in self.transitions]
