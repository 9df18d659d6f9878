"""The one way an entity's comment on a document is changed (a review's comment, a consultation
round's): the new text and marking are written only if nobody saved the comment since the
editor loaded ``base_revision`` (a compare-and-swap on ``revision``), and its audit row keeps the
marking and the text's length, never the text."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_record, snapshot
from compact.lib.workflow import EditConflictError

C = TypeVar("C", bound=Model)


def comment_text_swap(
    *, comment: C, text: str, classification: str, actor: AbstractBaseUser, base_revision: int, verb: str
) -> C:
    """Write ``text`` and ``classification`` on ``comment`` (checked by the caller, inside its
    transaction) from ``base_revision``; ``EditConflictError`` with the stored comment if it
    changed since. Returns the comment as saved."""
    model: Any = type(comment)
    before = snapshot(comment, ("classification",))
    updated = model.objects.filter(pk=comment.pk, revision=base_revision).update(
        text=text,
        classification=classification,
        updated_at=timezone.now(),
        updated_by=actor,
        revision=F("revision") + 1,
    )
    if not updated:
        raise EditConflictError(
            comment, _("This was changed by someone else while you were editing it. Reload it and try again.")
        )
    comment.refresh_from_db()
    audit_record(
        actor=actor,
        verb=verb,
        obj=comment,
        before=before,
        after={**snapshot(comment, ("classification",)), "length": len(text), "revision": comment.revision},
    )
    return comment
