"""Saving a draft from the editor: every save (by the button or automatic) is a merge.

The editor sends what it shows and the revision it was loaded from (its *base*). The draft
as stored now is *theirs*. ``three_way_merge`` keeps every change nobody else touched and
stops at a name both sides changed differently; then nothing is written and the editor is
shown both texts. A save that merges cleanly writes the draft (through
``progress_report_save``: the text and a progress report's indicator values, one revision)
and records a ``DraftRevision`` of the result, all in one transaction. Submitting never
happens here and no e-mail is sent: saving a draft is the group's own business.

Which revisions are kept: every save by the button (the draft's history, and the base of any
editor opened on it); an automatic save only while it can still be an editor's base — once a
later save by the button exists and it is older than ``AUTOSAVE_KEPT_FOR``, it is deleted.
An editor whose base has gone (or a draft saved before revisions were kept) still merges
safely: with no known base, every difference is treated as a conflict.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.permissions import can_read_classification
from compact.lib.workflow import StaleStateError
from reporting.monitoring.framework import DIMENSIONS, EnteredValue
from reporting.monitoring.selectors import submission_indicators
from reporting.monitoring.services import plain_number, progress_report_save, value_key, values_by_key
from reporting.submissions.merge import MergeResult, three_way_merge, with_mine_preferred
from reporting.submissions.models import DraftRevision, Submission
from reporting.submissions.services import ActivityLine, submission_editor_check

AUTOSAVE_KEPT_FOR = datetime.timedelta(hours=24)

CLASSIFICATION = "classification"


def activity_key(line_id: int, part: str) -> str:
    """The content's (and the editor's) name of one part of an activity line."""
    return f"activity-{line_id}-{part}"


def note_key(indicator_id: int) -> str:
    """The content's (and the editor's) name of the note on an indicator's total."""
    return f"indicator-{indicator_id}-note"


def number_text(value: Decimal) -> str:
    """A value as the content keeps it: to the cent, without needless zeros (12, 12.50)."""
    return plain_number(value.quantize(Decimal("0.01")))


def draft_content(submission: Submission) -> dict[str, str]:
    """The draft's editable content as stored now, by name (empty texts left out)."""
    content = {name: getattr(submission, name) for name in submission.content_fields}
    content[CLASSIFICATION] = submission.classification
    for line in submission.activity_progress.all():
        content[activity_key(line.pk, "status")] = line.status
        content[activity_key(line.pk, "narrative")] = line.narrative
    content.update(values_by_key(submission))
    for value in submission.indicator_values.filter(dimension=""):
        content[note_key(value.indicator_id)] = value.note
    return {name: text for name, text in content.items() if text}


@dataclass(frozen=True)
class SavedBy:
    user: AbstractBaseUser | None
    at: datetime.datetime | None


@dataclass(frozen=True)
class DraftSave:
    """What a save did. ``saved`` False with conflicts: nothing was written, the editor must
    ask; ``declined``: an automatic save found the draft saved by someone else since its
    base and left it to a save by the button. ``revision`` is the editor's new base;
    ``theirs`` says who saved the draft last before this save, and when, if that was after the
    editor's base (None: nobody did)."""

    submission: Submission
    merge: MergeResult
    revision: int
    saved: bool = False
    declined: bool = False
    theirs: SavedBy | None = None

    @property
    def conflicts(self) -> tuple:
        return self.merge.conflicts


@transaction.atomic
def draft_save(
    *,
    submission: Submission,
    actor: AbstractBaseUser,
    base_revision: int,
    mine: dict[str, str],
    keep_theirs: Iterable[str] = (),
    autosave: bool = False,
) -> DraftSave:
    """Merge ``mine`` (the editor's content, based on ``base_revision``) into the draft.

    Raises PermissionDenied for anyone who may not edit it, ValidationError once its period
    is closed or for content the draft refuses, StaleStateError once it is no longer a draft.
    An automatic save (``autosave``) only goes ahead if nobody saved since its base, and
    never changes the status, submits or sends anything. ``keep_theirs`` names where the
    editor, shown a conflict, chose the other person's text: mine is the base's there, so
    whatever is stored now stays."""
    submission_editor_check(actor, submission)
    locked = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("period", "last_edited_by")
        .get(pk=submission.pk)
    )
    if locked.status not in Submission.EDITABLE:
        raise StaleStateError(
            _("This submission is no longer a draft (it is “%(status)s”).") % {"status": locked.get_status_display()}
        )
    submission_editor_check(actor, locked)  # on the draft as it is now, not as it was read
    theirs = draft_content(locked)
    others = SavedBy(locked.last_edited_by, locked.last_edited_at) if base_revision != locked.revision else None
    if autosave and others is not None:
        return DraftSave(locked, MergeResult(theirs), base_revision, declined=True, theirs=others)
    base = theirs if base_revision == locked.revision else stored_base(locked, base_revision, actor)
    chosen = base if base is not None else theirs
    mine = {**mine, **{name: chosen.get(name, "") for name in keep_theirs if name in mine}}
    merge = three_way_merge(base, theirs, mine)
    if merge.has_conflicts and _only_own_saves_since(locked, base_revision, actor):
        merge = with_mine_preferred(merge, mine)
    if merge.has_conflicts or merge.merged == theirs:
        return DraftSave(locked, merge, locked.revision, theirs=others)
    saved = _write(locked, actor, merge.merged, autosave)
    _record(saved, actor, autosave)
    return DraftSave(saved, merge, saved.revision, saved=True, theirs=others)


def _only_own_saves_since(submission: Submission, base_revision: int, actor: AbstractBaseUser) -> bool:
    """Whether every save after the editor's base was the actor's own, each recorded (a save
    not recorded — the API's — could be anyone's)."""
    since = DraftRevision.objects.filter(submission=submission, number__gt=base_revision)
    saved_by = list(since.values_list("saved_by", flat=True))
    return len(saved_by) == submission.revision - base_revision > 0 and set(saved_by) == {actor.pk}


def stored_base(submission: Submission, number: int, actor: AbstractBaseUser) -> dict[str, str] | None:
    """The content of revision ``number`` as the base of ``actor``'s merge, or None (unknown).
    A revision marked above the actor's clearance is unknown too: the number comes from the
    form, and a forged one must not reveal, even by how the merge turns out, text the actor
    could never have loaded."""
    revision = DraftRevision.objects.filter(submission=submission, number=number).first()
    if revision is None or not can_read_classification(actor, revision.content.get(CLASSIFICATION, "")):
        return None
    return revision.content


def _write(locked: Submission, actor: AbstractBaseUser, content: dict[str, str], autosave: bool) -> Submission:
    """The merged content into the draft: text, classification, activity lines and values, with
    one new revision."""
    return progress_report_save(
        submission=locked,
        actor=actor,
        base_revision=locked.revision,
        fields={name: content.get(name, "") for name in locked.content_fields},
        classification=content.get(CLASSIFICATION, ""),
        activities=[
            ActivityLine(
                line.pk,
                content.get(activity_key(line.pk, "status"), ""),
                content.get(activity_key(line.pk, "narrative"), ""),
            )
            for line in locked.activity_progress.all()
        ],
        values=_entered_values(locked, content),
        autosave=autosave,
    )


def _entered_values(submission: Submission, content: dict[str, str]) -> list[EnteredValue] | None:
    """The indicators' values of ``content`` (None: the report carries no indicators)."""
    indicators = [item.indicator for item in submission_indicators(submission)]
    if not indicators:
        return None
    entries = []
    for indicator in indicators:
        if total := content.get(value_key(indicator.pk)):
            entries.append(EnteredValue(indicator.pk, Decimal(total), note=content.get(note_key(indicator.pk), "")))
        for dimension_key in indicator.disaggregation:
            dimension = DIMENSIONS.get(dimension_key)
            for category in dimension.categories if dimension else ():
                if value := content.get(value_key(indicator.pk, dimension_key, category.key)):
                    entries.append(EnteredValue(indicator.pk, Decimal(value), dimension_key, category.key))
    return entries


def _record(submission: Submission, actor: AbstractBaseUser, autosave: bool) -> DraftRevision:
    revision = DraftRevision.objects.create(
        submission=submission,
        number=submission.revision,
        content=draft_content(submission),
        saved_by=actor,
        saved_at=submission.last_edited_at or timezone.now(),
        is_autosave=autosave,
    )
    _prune(submission)
    return revision


def _prune(submission: Submission) -> None:
    """Drop automatic saves that no open editor can still be based on (see the module's
    docstring)."""
    last_manual = DraftRevision.objects.filter(submission=submission, is_autosave=False).order_by("-number").first()
    if last_manual is None:
        return
    DraftRevision.objects.filter(
        submission=submission,
        is_autosave=True,
        number__lt=last_manual.number,
        saved_at__lt=timezone.now() - AUTOSAVE_KEPT_FOR,
    ).delete()


@transaction.atomic
def draft_base_ensure(*, submission: Submission) -> int:
    """The revision an editor opened now is based on, recorded if no save recorded it (a draft
    saved before revisions were kept, or through the API), so that its save can merge."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if DraftRevision.objects.filter(submission=locked, number=locked.revision).exists():
        return locked.revision
    try:
        with transaction.atomic():
            DraftRevision.objects.create(
                submission=locked,
                number=locked.revision,
                content=draft_content(locked),
                saved_by=locked.last_edited_by,
                saved_at=locked.last_edited_at or locked.created_at,
            )
    except IntegrityError:
        pass  # recorded meanwhile by another request: the same content
    return locked.revision
