"""Declared vs found, in words: the report's own counts (its introduction's, its pillar
headings') beside the rows an import found, each difference explained
(``compact.lib.matrix.matrix_reconcile`` finds them; this module says them in the reader's
language). Shown on the import preview and, for the latest import, on the matrix page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compact.matrix.models import MatrixImport
from compact.registry.models import Pillar


@dataclass(frozen=True)
class ReconciliationRow:
    label: str
    intro: int | None
    heading: int | None
    found: int
    explanations: list[str]
    is_total: bool

    @property
    def differs(self) -> bool:
        return any(declared is not None and declared != self.found for declared in (self.intro, self.heading))


def _sentence(note: dict[str, Any]) -> str:
    code = note.get("code")
    if code == "matches":
        return _("The declared count and the rows found agree.")
    if code == "repeated-serial":
        extra = note["times"] - 1  # a serial is repeated when two rows or more carry it
        return ngettext(
            "Serial %(serial)s is used by %(times)s different rows: %(extra)s row more than the numbering shows.",
            "Serial %(serial)s is used by %(times)s different rows: %(extra)s rows more than the numbering shows.",
            extra,
        ) % {"serial": note["serial"], "times": note["times"], "extra": extra}
    if code == "missing-serial":
        return _(
            "Serial %(serial)s is missing: the numbering runs to %(highest)s but no row carries %(serial)s, "
            "so there is one row fewer than the numbering suggests."
        ) % {"serial": note["serial"], "highest": note["highest"]}
    if code == "intro-differs":
        return _(
            "The report's introduction says %(intro)s, its heading %(heading)s: the report's own figures disagree."
        ) % {"intro": note["intro"], "heading": note["heading"]}
    if code == "intro-sum-differs":
        return _("The introduction's total (%(intro)s) is not the sum of its per-pillar figures (%(sum)s).") % {
            "intro": note["intro"],
            "sum": note["sum"],
        }
    if code == "total-matches-headings":
        return _("The headings add up to the %(found)s rows found; the notes on each pillar explain its gap.") % {
            "found": note["found"]
        }
    if code == "unexplained":
        return _(
            "%(declared)s declared, %(found)s found, and the numbering does not explain the difference: "
            "compare the file with the report."
        ) % {"declared": note["declared"], "found": note["found"]}
    return ""


def reconciliation_rows(lines: Iterable[dict[str, Any]]) -> list[ReconciliationRow]:
    """The stored or previewed reconciliation (``PillarReconciliation.as_dict()``) as table rows."""
    labels = dict(Pillar.choices)
    rows = []
    for line in lines:
        is_total = line["pillar"] == "total"
        label = _("All pillars") if is_total else str(labels.get(line["pillar"], line["pillar"]))
        sentences = [s for s in (_sentence(note) for note in line.get("notes", [])) if s]
        rows.append(
            ReconciliationRow(label, line.get("intro"), line.get("heading"), line["found"], sentences, is_total)
        )
    return rows


def found_only(pillar_lists: Iterable[Iterable[str]]) -> list[dict[str, Any]]:
    """For a file that declares nothing (our template): only the rows found per pillar."""
    counts: dict[str, int] = {}
    for pillars in pillar_lists:
        for pillar in pillars:
            counts[pillar] = counts.get(pillar, 0) + 1
    return [
        {"pillar": p, "intro": None, "heading": None, "found": counts[p], "notes": []}
        for p in Pillar.values
        if p in counts
    ]


def latest_reconciliation() -> list[ReconciliationRow]:
    """The reconciliation of the latest import of the report's matrix, for the matrix page."""
    latest = MatrixImport.objects.filter(file_format="report").exclude(reconciliation=[]).first()
    return reconciliation_rows(latest.reconciliation) if latest else []
