"""A theme suggestion's reasons, in the reader's language (the rules' own "why" column is
the reference data's English, shown after it as it is written)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from compact.lib.themes import Suggestion
from compact.matrix.models import ThemeSuggestion
from workinggroups.models import WorkingGroup


@dataclass(frozen=True)
class ShownSuggestion:
    working_group: WorkingGroup
    score: int
    fallback: bool
    reasons: list[str]


def reason_sentence(reason: dict[str, Any]) -> str:
    kind, value = reason.get("kind"), reason.get("value", "")
    if kind == "keyword-title":
        text = _("keyword “%(value)s” in the title") % {"value": value}
    elif kind == "keyword-activities":
        text = _("keyword “%(value)s” in the main activities") % {"value": value}
    elif kind == "lead-entity":
        text = _("lead entity %(value)s") % {"value": value}
    elif kind == "partner-entity":
        text = _("partner entity %(value)s") % {"value": value}
    elif kind == "pillar":
        text = _("no rule fired; the group most projects of pillar %(value)s serve") % {"value": value}
    else:
        return ""
    why = reason.get("why", "")
    return _("%(reason)s (%(why)s)") % {"reason": text, "why": why} if why else text


def shown_stored(suggestions: list[ThemeSuggestion]) -> list[ShownSuggestion]:
    return [
        ShownSuggestion(s.working_group, s.score, s.fallback, [reason_sentence(r) for r in s.reasons])
        for s in suggestions
    ]


def shown_computed(pairs: list[tuple[WorkingGroup, Suggestion]]) -> list[ShownSuggestion]:
    return [
        ShownSuggestion(group, s.score, s.fallback, [reason_sentence(r.as_dict()) for r in s.reasons])
        for group, s in pairs
    ]
