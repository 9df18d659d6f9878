"""Two versions of a submission compared for people: the text of each section word by word
(``reporting.lib.diff``), and the indicators' values as rows of before → after — a run-on line
of numbers cannot be read."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from compact.core.models import Classification
from reporting.lib.diff import SectionDiff, content_diff
from reporting.monitoring.framework import category_label
from reporting.submissions.selectors import content_labels
from workinggroups.models import WorkPlanActivity


def _readable(content: dict[str, Any]) -> dict[str, Any]:
    """A version's content with codes replaced by what people read (labels), for diffs."""
    statuses = dict(WorkPlanActivity.Status.choices)
    levels = dict(Classification.choices)
    return {
        **content,
        "classification": str(levels.get(content.get("classification"), content.get("classification") or "")),
        "activities": [
            {**line, "status": str(statuses.get(line.get("status"), line.get("status") or ""))}
            for line in content.get("activities", [])
        ],
    }


@dataclass(frozen=True)
class IndicatorChange:
    """One indicator value of two versions: its total or one category, before and after
    (None: not given)."""

    indicator: str
    part: str
    old: Decimal | None
    new: Decimal | None

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _value_rows(content: dict[str, Any]) -> dict[tuple[Any, str, str], dict[str, Any]]:
    return {
        (row.get("indicator_id") or row["indicator"], row["dimension"], row["category"]): row
        for row in content.get("indicators", [])
    }


def indicator_changes(old: dict[str, Any], new: dict[str, Any]) -> list[IndicatorChange]:
    """The indicators' values of two frozen versions side by side, a row per indicator and
    category (the total first), in the newer version's order."""
    before, after = _value_rows(old), _value_rows(new)
    rows = []
    for key in dict.fromkeys([*after, *before]):
        row = after.get(key) or before[key]
        part = category_label(row["dimension"], row["category"]) if row["dimension"] else _("Total")
        rows.append(
            IndicatorChange(
                indicator=f"{row['indicator']} {row['name']}",
                part=str(part),
                old=Decimal(before[key]["value"]) if key in before else None,
                new=Decimal(after[key]["value"]) if key in after else None,
            )
        )
    return rows


@dataclass(frozen=True)
class Comparison:
    sections: list[SectionDiff]
    indicators: list[IndicatorChange] = field(default_factory=list)

    @property
    def changed(self) -> list[SectionDiff]:
        return [section for section in self.sections if section.changed]

    @property
    def unchanged(self) -> list[SectionDiff]:
        return [section for section in self.sections if not section.changed]

    @property
    def changed_indicators(self) -> list[IndicatorChange]:
        return [row for row in self.indicators if row.changed]

    @property
    def unchanged_indicator_count(self) -> int:
        return len(self.indicators) - len(self.changed_indicators)


def compare_contents(old: dict[str, Any], new: dict[str, Any]) -> Comparison:
    """Two frozen contents compared for people: the text by section, word by word, and the
    indicators' values row by row."""
    sections = content_diff(_readable(old), _readable(new), content_labels())
    return Comparison(sections, indicator_changes(old, new))
