"""The common monitoring and evaluation framework (Annex III, V.21), in pure Python.

Two things live here, with no database access so they can be tested on their own:

* the **disaggregation dimensions** an indicator may be broken down by, and their categories,
  declared once (``DIMENSIONS``), with translatable labels;
* the **actual-against-target computation** (``indicator_result``): from the values the groups
  reported in *accepted* progress reports, each group's value, the combined actual (the sum or
  the average of the groups' values, per the indicator's ``aggregation``), the progress from
  baseline to target in per cent (respecting ``direction``), the disaggregated totals, and the
  expected groups that have not reported.

A value is the position at the end of the period a report covers (a count is cumulative since
the start of the biennium), so it compares with the baseline and the target. Over a year or
the whole biennium, each group's latest accepted value counts: an end-of-year figure replaces
the same group's mid-year figure.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# --- Dimensions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    key: str
    label: Promise | str


@dataclass(frozen=True)
class Dimension:
    """A way of breaking an indicator's value down. ``categories`` together cover every case
    (each has a "not known" or "global" category), so for a count the breakdown can never
    exceed the total."""

    key: str
    label: Promise | str
    categories: tuple[Category, ...]

    def category(self, key: str) -> Category | None:
        return next((category for category in self.categories if category.key == key), None)

    @property
    def category_keys(self) -> tuple[str, ...]:
        return tuple(category.key for category in self.categories)


# The five UN M49 regions use their codes in data/reference/regions.csv (the matrix's regions);
# "global" takes what no single region can (global and multi-regional work).
DIMENSIONS: dict[str, Dimension] = {
    dimension.key: dimension
    for dimension in (
        Dimension(
            "sex",
            _("Sex"),
            (Category("female", _("Female")), Category("male", _("Male")), Category("other", _("Other or not known"))),
        ),
        Dimension(
            "age",
            _("Age"),
            (
                Category("youth", _("Youth (under 30)")),
                Category("adult", _("Adults (30 and over)")),
                Category("unknown", _("Age not known")),
            ),
        ),
        Dimension(
            "region",
            _("Region"),
            (
                Category("m49-africa", _("Africa")),
                Category("m49-americas", _("Americas")),
                Category("m49-asia", _("Asia")),
                Category("m49-europe", _("Europe")),
                Category("m49-oceania", _("Oceania")),
                Category("global", _("Global or several regions")),
            ),
        ),
        Dimension(
            "pillar",
            _("Pillar of the Strategy"),
            (
                Category("I", _("Pillar I")),
                Category("II", _("Pillar II")),
                Category("III", _("Pillar III")),
                Category("IV", _("Pillar IV")),
            ),
        ),
    )
}


def dimension_choices() -> list[tuple[str, Promise | str]]:
    return [(dimension.key, dimension.label) for dimension in DIMENSIONS.values()]


def category_label(dimension: str, category: str) -> str:
    """A category named for people (the key itself if it is no longer declared)."""
    found = DIMENSIONS.get(dimension)
    item = found.category(category) if found else None
    return str(item.label) if item else category


# --- Which reports an indicator is reported in -------------------------------------------------

MID_YEAR, END_OF_YEAR, BIENNIAL = "mid-year", "end-of-year", "biennial"
SUM, AVERAGE = "sum", "average"
INCREASE, DECREASE = "increase", "decrease"


def applies_to_period(frequency: str, biennium_start: int, kind: str, covers_until: datetime.date) -> bool:
    """Whether an indicator of ``frequency`` in the programme starting ``biennium_start`` is
    reported in a progress report of ``kind`` covering up to ``covers_until``: every progress
    report of the biennium (mid-year), its end-of-year reports, or only the second year's."""
    if covers_until.year not in (biennium_start, biennium_start + 1):
        return False
    if frequency == MID_YEAR:
        return kind in (MID_YEAR, END_OF_YEAR)
    if frequency == END_OF_YEAR:
        return kind == END_OF_YEAR
    return kind == END_OF_YEAR and covers_until.year == biennium_start + 1


# --- Actual against target -----------------------------------------------------------------------


class IndicatorLike(Protocol):
    baseline: Decimal | None
    target: Decimal
    direction: str
    aggregation: str
    disaggregation: list[str]


@dataclass(frozen=True)
class GroupRef:
    id: int
    number: int
    label: str


@dataclass(frozen=True)
class ReportedValue:
    """One accepted value: a group's total (``dimension == ""``) or one category's value."""

    group: GroupRef
    period_end: datetime.date
    value: Decimal
    dimension: str = ""
    category: str = ""
    submission_id: int | None = None


@dataclass(frozen=True)
class CategoryResult:
    key: str
    label: str
    value: Decimal | None  # combined across the groups that reported the category
    groups: int


@dataclass(frozen=True)
class DimensionResult:
    key: str
    label: str
    categories: list[CategoryResult]
    unallocated: Decimal | None  # sum indicators: the part of the total not broken down


@dataclass(frozen=True)
class GroupResult:
    group: GroupRef
    period_end: datetime.date
    total: Decimal | None
    breakdown: dict[tuple[str, str], Decimal]
    submission_id: int | None

    @property
    def labelled_breakdown(self) -> list[tuple[str, Decimal]]:
        return [(category_label(d, c), value) for (d, c), value in self.breakdown.items()]


@dataclass
class IndicatorResult:
    actual: Decimal | None
    progress: Decimal | None  # per cent of the way from baseline to target; may be < 0 or > 100
    target_met: bool | None
    groups: list[GroupResult]
    not_reported: list[GroupRef]
    dimensions: list[DimensionResult] = field(default_factory=list)
    withheld: int = 0  # groups whose accepted values are above the reader's clearance

    @property
    def bar_percent(self) -> int:
        """The progress clamped to 0–100, for a bar's width."""
        if self.progress is None:
            return 0
        return int(min(max(self.progress, Decimal(0)), Decimal(100)))


# What describes an indicator (its links aside): edited by OCT, audited, and frozen with the
# programme's versions.
INDICATOR_FIELDS = (
    "code",
    "name",
    "definition",
    "unit",
    "baseline",
    "baseline_year",
    "target",
    "direction",
    "aggregation",
    "disaggregation",
    "frequency",
    "pillars",
)
HUNDRED = Decimal(100)


def combine(values: Sequence[Decimal], aggregation: str) -> Decimal | None:
    """The groups' values combined: their sum, or their mean (to two decimals)."""
    if not values:
        return None
    total = sum(values, Decimal(0))
    if aggregation == AVERAGE:
        return (total / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return total


def progress_percent(
    actual: Decimal | None, baseline: Decimal | None, target: Decimal, direction: str
) -> Decimal | None:
    """How far ``actual`` has come from ``baseline`` towards ``target``, in per cent (one
    decimal). Without a baseline an increase starts from zero; a decrease cannot be measured.
    A target equal to the baseline is 100 once reached or passed in the right direction."""
    if actual is None:
        return None
    if baseline is None:
        if direction == DECREASE:
            return None
        baseline = Decimal(0)
    distance = target - baseline
    if distance == 0:
        return HUNDRED if is_met(actual, target, direction) else Decimal(0)
    return ((actual - baseline) / distance * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_met(actual: Decimal | None, target: Decimal, direction: str) -> bool | None:
    if actual is None:
        return None
    return actual <= target if direction == DECREASE else actual >= target


def latest_per_group(values: Iterable[ReportedValue]) -> dict[int, list[ReportedValue]]:
    """Each group's values from its latest period only (a later report replaces an earlier)."""
    latest: dict[int, datetime.date] = {}
    values = list(values)
    for item in values:
        if item.group.id not in latest or item.period_end > latest[item.group.id]:
            latest[item.group.id] = item.period_end
    grouped: dict[int, list[ReportedValue]] = {}
    for item in values:
        if item.period_end == latest[item.group.id]:
            grouped.setdefault(item.group.id, []).append(item)
    return grouped


def _group_result(items: list[ReportedValue]) -> GroupResult:
    total = next((item.value for item in items if not item.dimension), None)
    breakdown = {(item.dimension, item.category): item.value for item in items if item.dimension}
    first = items[0]
    return GroupResult(first.group, first.period_end, total, breakdown, first.submission_id)


def _dimension_result(key: str, groups: list[GroupResult], aggregation: str, actual: Decimal | None) -> DimensionResult:
    dimension = DIMENSIONS.get(key)
    keys = list(dimension.category_keys) if dimension else []
    # A category no longer declared still shows, after the declared ones.
    keys += sorted({c for g in groups for (d, c) in g.breakdown if d == key and c not in keys})
    categories = []
    for category in keys:
        found = [g.breakdown[(key, category)] for g in groups if (key, category) in g.breakdown]
        categories.append(
            CategoryResult(category, category_label(key, category), combine(found, aggregation), len(found))
        )
    unallocated = None
    if aggregation == SUM and actual is not None and any(c.groups for c in categories):
        # The groups that gave no breakdown for this dimension count as "not broken down".
        unallocated = actual - sum((c.value for c in categories if c.value is not None), Decimal(0))
    return DimensionResult(key, str(dimension.label) if dimension else key, categories, unallocated)


def indicator_result(
    indicator: IndicatorLike,
    values: Iterable[ReportedValue],
    expected: Iterable[GroupRef],
    *,
    withheld: Iterable[int] = (),
) -> IndicatorResult:
    """Actual against target for one indicator, from accepted ``values`` (the caller picks
    the period, year or biennium and the reports the reader may see). ``expected`` are the
    groups that should report; ``withheld`` the ids of those whose accepted values the reader
    may not see (they are neither counted nor called missing)."""
    withheld = set(withheld)
    by_group = latest_per_group(values)
    groups = sorted(
        (_group_result(items) for items in by_group.values()), key=lambda result: (result.group.number, result.group.id)
    )
    reported = [g for g in groups if g.total is not None]
    actual = combine([g.total for g in reported], indicator.aggregation)
    reported_ids = {g.group.id for g in reported}
    missing = [group for group in expected if group.id not in reported_ids and group.id not in withheld]
    return IndicatorResult(
        actual=actual,
        progress=progress_percent(actual, indicator.baseline, indicator.target, indicator.direction),
        target_met=is_met(actual, indicator.target, indicator.direction),
        groups=groups,
        not_reported=sorted(missing, key=lambda group: (group.number, group.id)),
        dimensions=[
            _dimension_result(key, reported, indicator.aggregation, actual) for key in indicator.disaggregation
        ],
        withheld=len(withheld - reported_ids),
    )


# --- Checking what a group enters ----------------------------------------------------------------


@dataclass(frozen=True)
class EnteredValue:
    """What a group enters for an indicator: a total or one category's value."""

    indicator_id: int
    value: Decimal
    dimension: str = ""
    category: str = ""
    note: str = ""


def breakdown_problems(
    *, total: Decimal | None, breakdown: dict[str, dict[str, Decimal]], aggregation: str
) -> list[tuple[str, Decimal]]:
    """The dimensions whose categories are inconsistent with the total: for a count (``sum``)
    the categories of one dimension cannot add up to more than the total. Returns (dimension,
    sum of its categories) for each one that does."""
    if aggregation != SUM or total is None:
        return []
    problems = []
    for dimension, categories in breakdown.items():
        added = sum(categories.values(), Decimal(0))
        if added > total:
            problems.append((dimension, added))
    return problems


# For the API's schema (config/api_enums/monitoring.py): the dimensions' keys.
DIMENSION_KEYS = [(key, dimension.label) for key, dimension in DIMENSIONS.items()]
