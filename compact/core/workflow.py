"""The workflow machine: every move of every workflow's transition table is taken here.

A move is taken in two steps, so that a service can check what the move itself needs in
between (a required comment, a date, a clearance) before anything is written:

* ``Move.start`` looks the move up in the table (the action, from the object's current state,
  by the actor's party) and applies four eyes (whoever put the object forward does not decide
  it) -- ``TransitionNotAllowedError`` or ``SeparationOfDutiesError`` otherwise;
* ``move.swap`` writes it: a compare-and-swap of the state column, with the move's other
  columns, from the state ``start`` read (Healthchecks' way: zero rows updated means someone
  else moved the object first, ``StaleStateError``); the object is then read again.

* ``move.record`` writes, in the same transaction, the workflow's step row (its step model
  names the states ``from_<state field>`` and ``to_<state field>``) and the audit row (the
  state before and after, with what else the service adds).

The service then queues its e-mails on commit (each workflow tells different people).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q
from django.utils.functional import Promise

from compact.core.audit import audit_record
from compact.core.models import AuditEvent
from compact.lib.workflow import StaleStateError, Transition, TransitionTable


@dataclass
class Move:
    obj: Model
    transition: Transition
    source: str
    state_field: str

    @classmethod
    def start(
        cls,
        *,
        table: TransitionTable,
        obj: Model,
        action: str,
        by: str,
        actor: object | None = None,
        proposer: object | None = None,
        state_field: str = "status",
    ) -> Move:
        """The move ``action`` of ``obj`` by party ``by``, if the table allows it from the
        object's state and ``actor`` did not put the object forward (for a four-eyes move)."""
        source = getattr(obj, state_field)
        transition = table.find(action, source, by=by)
        table.separation_check(transition, actor=actor, proposer=proposer)
        return cls(obj=obj, transition=transition, source=source, state_field=state_field)

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def target(self) -> str:
        return self.transition.target

    def try_swap(self, *, condition: Q | None = None, **values: Any) -> bool:
        """Write the move: the state from ``source`` to the target, with ``values``, only if
        nobody moved the object since ``start`` (and ``condition`` holds, e.g. a worker's
        lease); whether it was written. The object is read again when it was."""
        rows = type(self.obj)._default_manager.filter(pk=self.obj.pk, **{self.state_field: self.source})
        if condition is not None:
            rows = rows.filter(condition)
        if not rows.update(**{self.state_field: self.target}, **values):
            return False
        self.obj.refresh_from_db()
        return True

    def swap(self, *, stale: str | Promise, condition: Q | None = None, **values: Any) -> Model:
        """``try_swap``, for a move someone else's must not silently beat: ``StaleStateError``
        with the ``stale`` message when it was not written."""
        if not self.try_swap(condition=condition, **values):
            raise StaleStateError(stale)
        return self.obj

    def record(
        self,
        *,
        actor: Any,
        verb: str,
        step: type[Model] | None = None,
        step_fields: Mapping[str, Any] | None = None,
        audit_obj: Model | None = None,
        after: Mapping[str, Any] | None = None,
        note: str = "",
        actor_label: str | None = None,
    ) -> tuple[Model | None, AuditEvent]:
        """Write the move's step row (when the workflow keeps one: ``step`` with its
        ``step_fields``) and its audit row (on ``audit_obj``, the object by default: the state
        before and after, and ``after``'s other facts). Returns both."""
        row = None
        if step is not None:
            row = step._default_manager.create(
                action=self.action,
                **{f"from_{self.state_field}": self.source, f"to_{self.state_field}": self.target},
                actor=actor,
                **(step_fields or {}),
            )
        event = audit_record(
            actor=actor,
            actor_label=actor_label,
            verb=verb,
            obj=audit_obj if audit_obj is not None else self.obj,
            before={self.state_field: self.source},
            after={self.state_field: self.target, **(after or {})},
            note=note,
        )
        return row, event
