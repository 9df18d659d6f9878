"""A readable diff between two versions of a submission's content (pure Python).

Texts are compared word by word, so a changed sentence shows the words that changed, not a
whole replaced paragraph. Templates render the operations with <del>/<ins>; nothing here
produces HTML, so user text is escaped where it is shown.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class SectionDiff:
    key: str
    label: str
    changed: bool
    pieces: tuple[Piece, ...]


def text_diff(old: str, new: str) -> tuple[Piece, ...]:
    old_tokens, new_tokens = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(old_tokens[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(old_tokens[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(new_tokens[j1:j2])))
    return tuple(pieces)


def _activity_text(line: dict[str, Any]) -> str:
    return f"[{line.get('status') or '—'}] {line.get('narrative', '')}".strip()


def content_diff(old: dict[str, Any], new: dict[str, Any], labels: dict[str, str]) -> list[SectionDiff]:
    """Section by section: each text field, then each activity (matched by title), then the
    classification and attachments. ``labels`` names the fields for people."""
    sections = []
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    for key in dict.fromkeys([*old_fields, *new_fields]):
        a, b = old_fields.get(key, ""), new_fields.get(key, "")
        sections.append(SectionDiff(key, labels.get(key, key), a != b, text_diff(a, b)))
    old_lines = {line["title"]: _activity_text(line) for line in old.get("activities", [])}
    new_lines = {line["title"]: _activity_text(line) for line in new.get("activities", [])}
    for title in dict.fromkeys([*old_lines, *new_lines]):
        a, b = old_lines.get(title, ""), new_lines.get(title, "")
        sections.append(SectionDiff(f"activity:{title}", title, a != b, text_diff(a, b)))
    for key in ("classification", "attachments"):
        a, b = old.get(key), new.get(key)
        a_text = ", ".join(a) if isinstance(a, list) else (a or "")
        b_text = ", ".join(b) if isinstance(b, list) else (b or "")
        sections.append(SectionDiff(key, labels.get(key, key), a_text != b_text, text_diff(a_text, b_text)))
    return sections
