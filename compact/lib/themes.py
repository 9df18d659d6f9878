"""Suggesting a project's themes (working groups) with transparent rules.

Pure Python, no database. The rules are data (``data/reference/working_group_themes.csv``,
beside the roster): a keyword or phrase (English, and French for the report's French rows),
an entity acronym, or a pillar fallback, each with a weight and a sentence saying why. A
suggestion keeps every rule that fired as a reason, so OCT can see why before confirming —
no model, no training, nothing that cannot be read and corrected in the CSV.

Scoring: a keyword in the title counts its weight, in the main activities half of it
(rounded up); the lead entity counts its weight, a partner 1. Groups scoring at least
``THRESHOLD`` are suggested (at most ``MAX_SUGGESTIONS``, and only those within half of the
best score); when none does, the pillar's fallback group is suggested with that reason, so
every project has at least one suggestion.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

RULES_FILE = Path(__file__).resolve().parents[2] / "data" / "reference" / "working_group_themes.csv"
THRESHOLD = 2
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Rule:
    working_group: str  # the group's code in the roster (data/reference/working_groups.csv)
    kind: str  # "keyword", "entity" or "pillar"
    value: str
    weight: int
    why: str

    @cached_property
    def needle(self) -> str:
        """What any match of ``pattern`` contains."""
        return self.value.rstrip("*").lower()

    @cached_property  # compiled once per rule, not once per rule and project
    def pattern(self) -> re.Pattern[str]:
        """A keyword matches at a word start; ``stem*`` also matches longer words
        (radicali* → radicalization), other keywords take only a plural ending."""
        stem = self.value.endswith("*")
        body = re.escape(self.value.rstrip("*").lower())
        return re.compile(rf"(?<![\w]){body}" + ("" if stem else r"(?:s|es)?(?![\w])"))


@dataclass(frozen=True)
class Reason:
    kind: str  # "keyword-title", "keyword-activities", "lead-entity", "partner-entity", "pillar"
    value: str
    why: str
    points: int

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "value": self.value, "why": self.why, "points": self.points}


@dataclass
class Suggestion:
    working_group: str
    score: int = 0
    reasons: list[Reason] = field(default_factory=list)
    fallback: bool = False


def rules_read(path: Path = RULES_FILE) -> list[Rule]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Rule(
                row["working_group"].strip(), row["kind"].strip(), row["value"].strip(), int(row["weight"]), row["why"]
            )
            for row in csv.DictReader(handle)
            if row.get("working_group", "").strip()
        ]


def _normal(text: str) -> str:
    # Curly apostrophes and dashes as the report prints them, so "droits de l’homme" matches.
    return " ".join(text.lower().replace("’", "'").replace("–", "-").split())


def _keyword_reasons(rule: Rule, title: str, activities: str) -> list[Reason]:
    # The keyword as plain text first: most rules do not occur at all, and ``in`` is far
    # cheaper than the pattern (an import of 10,000 projects asks 150 rules each).
    pattern, needle = rule.pattern, rule.needle
    if needle in title and pattern.search(title):
        return [Reason("keyword-title", rule.value.rstrip("*"), rule.why, rule.weight)]
    if needle in activities and pattern.search(activities):
        return [Reason("keyword-activities", rule.value.rstrip("*"), rule.why, (rule.weight + 1) // 2)]
    return []


def _entity_reasons(rule: Rule, lead: str, partners: set[str]) -> list[Reason]:
    if rule.value.lower() == lead.lower():
        return [Reason("lead-entity", rule.value, rule.why, rule.weight)]
    if rule.value.lower() in {p.lower() for p in partners}:
        return [Reason("partner-entity", rule.value, rule.why, 1)]
    return []


def themes_suggest(
    rules: Iterable[Rule],
    *,
    title: str,
    activities: str = "",
    lead: str = "",
    partners: Iterable[str] = (),
    pillars: Iterable[str] = (),
) -> list[Suggestion]:
    """The suggested working groups for one project, best first; never empty when a pillar
    (or any rule) gives a fallback."""
    rules = list(rules)
    title_text, activities_text, partner_set = _normal(title), _normal(activities), set(partners)
    scores: dict[str, Suggestion] = {}
    for rule in rules:
        if rule.kind == "keyword":
            reasons = _keyword_reasons(rule, title_text, activities_text)
        elif rule.kind == "entity":
            reasons = _entity_reasons(rule, lead, partner_set)
        else:
            continue
        for reason in reasons:
            suggestion = scores.setdefault(rule.working_group, Suggestion(rule.working_group))
            suggestion.score += reason.points
            suggestion.reasons.append(reason)
    ranked = sorted(scores.values(), key=lambda s: (-s.score, s.working_group))
    best = ranked[0].score if ranked else 0
    chosen = [s for s in ranked if s.score >= max(THRESHOLD, (best + 1) // 2)][:MAX_SUGGESTIONS]
    return chosen or _fallback(rules, list(pillars), ranked)


def _fallback(rules: list[Rule], pillars: list[str], ranked: list[Suggestion]) -> list[Suggestion]:
    """No group scored enough: the weak signal if there was one, else the pillar's group."""
    if ranked:
        weak = ranked[0]
        return [Suggestion(weak.working_group, weak.score, weak.reasons, fallback=True)]
    for pillar in pillars:
        for rule in rules:
            if rule.kind == "pillar" and rule.value == pillar:
                reason = Reason("pillar", pillar, rule.why, 0)
                return [Suggestion(rule.working_group, 0, [reason], fallback=True)]
    return []
