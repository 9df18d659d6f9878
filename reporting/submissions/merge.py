"""The three-way merge of a draft's content, field by field (no database: easy to test).

A draft's editable content is a flat mapping from a stable name to its text: each text
section, the classification, each activity line's status and narrative
(``activity-<line>-status``), each indicator value and note (``indicator-<id>-…``). Keying
lines and values by their identity is what lets two people who changed different lines both
keep their work. A missing name and an empty text are the same thing (an empty box, a value
not given).

``base`` is what the editor was loaded from, ``theirs`` the draft as stored now, ``mine``
what the editor sends. For each name: changed only by me, mine is taken; changed only by
them (or by nobody), theirs is kept; changed by both to the same text, that text; changed by
both to different texts, a conflict — the caller saves nothing for it and asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Content = Mapping[str, str]


@dataclass(frozen=True)
class FieldConflict:
    """One name both sides changed, to different texts."""

    name: str
    base: str
    theirs: str
    mine: str


@dataclass(frozen=True)
class MergeResult:
    """The merged content (theirs where the name is in conflict), what was taken from mine,
    and the conflicts in the order ``mine`` gave its names."""

    merged: dict[str, str]
    taken_from_mine: tuple[str, ...] = ()
    conflicts: tuple[FieldConflict, ...] = field(default_factory=tuple)

    @property
    def has_conflicts(self) -> bool:
        return bool(self.conflicts)


def three_way_merge(base: Content | None, theirs: Content, mine: Content) -> MergeResult:
    """Merge ``mine`` into ``theirs`` with ``base`` as the common ancestor.

    ``base`` None means the ancestor is not known (a revision saved before revisions were
    kept, or pruned): then no change can be told from another, so every name where mine
    differs from theirs is a conflict, never a silent overwrite."""
    merged = {name: text for name, text in theirs.items() if text}
    taken: list[str] = []
    conflicts: list[FieldConflict] = []
    for name, my_text in mine.items():
        their_text = theirs.get(name, "")
        if my_text == their_text:
            continue  # nothing to do, or both made the same change
        base_text = base.get(name, "") if base is not None else None
        if my_text == base_text:
            continue  # only they changed it: keep theirs
        if their_text == base_text:
            taken.append(name)
            _put(merged, name, my_text)
        else:
            conflicts.append(FieldConflict(name, base_text or "", their_text, my_text))
    return MergeResult(merged, tuple(taken), tuple(conflicts))


def _put(content: dict[str, str], name: str, text: str) -> None:
    if text:
        content[name] = text
    else:
        content.pop(name, None)


def with_mine_preferred(result: MergeResult, mine: Content) -> MergeResult:
    """``result`` with every conflict settled in favour of ``mine``: for when "theirs" is only
    the same person's earlier save (an automatic save still on its way when they pressed
    "Save draft", or a second tab), where asking them to choose against themselves makes no
    sense."""
    merged = dict(result.merged)
    for conflict in result.conflicts:
        _put(merged, conflict.name, mine.get(conflict.name, ""))
    taken = (*result.taken_from_mine, *(conflict.name for conflict in result.conflicts))
    return MergeResult(merged, taken, ())
