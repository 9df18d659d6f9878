"""The reporting dashboard's numbers, scoped to what the asking user may read.

One rule decides what each working group's input for a round came to (``outcome_of``); the
rates per round, the heatmap and the PDFs' charts all count those outcomes, so that they agree.

What a reader cannot read does not exist for them: a submission classified above the reader's
clearance is counted exactly as if the group had none (missing, or not yet due), so that no
figure, cell or link tells its existence, its status or its dates. A reader whose clearance
does not reach every level is told so beside the figures (``ReportingGrid.partial``).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.models import Classification
from compact.core.permissions import readable_levels
from reporting.committee.models import ActionPoint
from reporting.committee.selectors import action_points_visible_to
from reporting.dashboard.permissions import can_read_dashboard
from reporting.submissions.models import ReportingPeriod, Submission, SubmissionStep
from reporting.submissions.selectors import CONTENT_FIELDS, submissions_visible_to
from workinggroups.models import WorkingGroup

AnyUser = AbstractBaseUser | AnonymousUser
# How many rounds the dashboard shows when no year is chosen: three years of quarterly
# briefings and progress reports.
LATEST_ROUNDS = 12
# Open action points by age since the meeting that asked for them, in days: (label, upper bound).
AGE_BUCKETS = (("recent", 29), ("weeks", 90), ("old", None))


class Outcome:
    """What a group's input for a round came to (the heatmap's categories), in display order."""

    ON_TIME = "on-time"
    EXTENDED = "extended"
    LATE = "late"
    RETURNED = "returned"
    MISSING = "missing"
    NOT_YET_DUE = "not-yet-due"

    ALL = (ON_TIME, EXTENDED, LATE, RETURNED, MISSING, NOT_YET_DUE)


def outcome_of(submission: Submission | None, period: ReportingPeriod, today: datetime.date) -> str:
    """What ``submission`` (a group's input for ``period``, None if it has none the reader may
    read) came to, on ``today``:

    - returned: it is back with the group for revision now (status "returned"), whatever its
      first submission's timing — the round is not done for this group;
    - on time: first submitted on or before the period's due date (in the period's time zone);
    - extended: first submitted after the period's due date but on or before the group's own
      due date from an approved extension request (``Submission.extended_until``);
    - late: first submitted after the due date that applied to the group;
    - not yet due: never submitted, and the group's due date (an extension included) is
      today or later — only an open (or reopened) round has these;
    - missing: never submitted, and the group's due date has passed.

    "First submitted" is ``Submission.submitted_at``: the submission service sets it and
    ``on_time`` once, on the first submission; a resubmission after a return does not move it.
    """
    if submission is not None and submission.status == Submission.Status.RETURNED:
        return Outcome.RETURNED
    if submission is None or submission.submitted_at is None:
        due_on = submission.due_on if submission is not None else period.due_on
        return Outcome.NOT_YET_DUE if today <= due_on else Outcome.MISSING
    if not submission.on_time:
        return Outcome.LATE
    submitted_on = timezone.localtime(submission.submitted_at, period.zone).date()
    return Outcome.EXTENDED if submitted_on > period.due_on else Outcome.ON_TIME


def round_label(period: ReportingPeriod) -> str:
    """A round's short name for a chart's axis: "Q1 2026", "Mid-year 2026"."""
    year = period.covers_until.year
    labels = {
        ReportingPeriod.Kind.Q1: _("Q1 %(year)s"),
        ReportingPeriod.Kind.Q2: _("Q2 %(year)s"),
        ReportingPeriod.Kind.Q3: _("Q3 %(year)s"),
        ReportingPeriod.Kind.Q4: _("Q4 %(year)s"),
        ReportingPeriod.Kind.MID_YEAR: _("Mid-year %(year)s"),
        ReportingPeriod.Kind.END_OF_YEAR: _("Year-end %(year)s"),
    }
    return labels[period.kind] % {"year": year}


def round_labels(periods: Sequence[ReportingPeriod]) -> dict[int, str]:
    """Each period's short name, by pk; two rounds that would share one (a second mid-year
    report in a year) are told apart by the span they cover."""
    short = {period.pk: round_label(period) for period in periods}
    seen = list(short.values())
    return {
        period.pk: short[period.pk]
        if seen.count(short[period.pk]) == 1
        else f"{short[period.pk]} ({period.span_label})"
        for period in periods
    }


# --- Which rounds ----------------------------------------------------------------------------------


def dashboard_rounds(user: AnyUser, *, year: int | None = None) -> list[ReportingPeriod]:
    """The rounds the dashboard shows, oldest first: the opened ones (scheduled rounds have
    asked nothing of anyone yet) of ``year`` (by the last day they cover), or the latest
    ``LATEST_ROUNDS``. None for a reader who may not see the dashboard."""
    if not can_read_dashboard(user):
        return []
    rounds = ReportingPeriod.objects.exclude(state=ReportingPeriod.State.SCHEDULED)
    if year is not None:
        return list(rounds.filter(covers_until__year=year).order_by("covers_until", "kind"))
    latest = list(rounds.order_by("-covers_until", "kind")[:LATEST_ROUNDS])
    return sorted(latest, key=lambda period: (period.covers_until, period.kind))


def dashboard_years(user: AnyUser) -> list[int]:
    """The years with an opened round, newest first (the year filter's choices)."""
    if not can_read_dashboard(user):
        return []
    days = ReportingPeriod.objects.exclude(state=ReportingPeriod.State.SCHEDULED).dates("covers_until", "year")
    return sorted({day.year for day in days}, reverse=True)


# --- Outcomes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRound:
    """One group in one round: its outcome, and its submission if the reader may open it."""

    group: WorkingGroup
    period: ReportingPeriod
    outcome: str
    submission: Submission | None  # readable by the reader (their clearance), else None
    openable: bool  # the reader may open the submission's page

    @property
    def reported(self) -> bool:
        return self.submission is not None and self.submission.submitted_at is not None

    @property
    def reported_on_time(self) -> bool:
        return self.reported and bool(self.submission.on_time)


@dataclass
class ReportingGrid:
    """Every group expected in each of ``periods``: ``cells[(group pk, period pk)]``."""

    periods: list[ReportingPeriod]
    groups: list[WorkingGroup]
    cells: dict[tuple[int, int], GroupRound] = field(default_factory=dict)
    partial: bool = False  # the reader's clearance (a document's marking) does not reach every level
    for_document: bool = False  # drawn for a compiled report, bounded by its marking

    def in_round(self, period: ReportingPeriod) -> list[GroupRound]:
        return [self.cells[(g.pk, period.pk)] for g in self.groups if (g.pk, period.pk) in self.cells]


def _submissions_at(levels: list[str], periods: Sequence[ReportingPeriod]) -> QuerySet[Submission]:
    """The rounds' submissions classified at one of ``levels`` (their content left behind)."""
    return (
        Submission.objects.filter(period__in=periods, classification__in=levels)
        .defer(*CONTENT_FIELDS)
        .select_related("period", "working_group")
    )


def _expected(
    periods: Sequence[ReportingPeriod], groups: Sequence[WorkingGroup], submissions: Iterable[Submission]
) -> dict[int, set[int]]:
    """Per period, the groups expected to report: those active at its end, and any other group
    with a submission for it the reader may read (as the period's own page counts them).
    Worked out from every group at once (the Compact has about forty), not a query a round."""
    expected = {period.pk: {g.pk for g in groups if g.is_active_on(period.covers_until)} for period in periods}
    for submission in submissions:
        # An input closed with its group (a reorganisation ended the group) is not owed.
        if submission.status != Submission.Status.CLOSED:
            expected[submission.period_id].add(submission.working_group_id)
    return expected


def reporting_grid(
    user: AnyUser, periods: Sequence[ReportingPeriod], *, today: datetime.date | None = None
) -> ReportingGrid:
    """Each expected group's outcome in each of ``periods``, as ``user`` may know it; a cell
    links to its submission when ``submissions_visible_to`` lets ``user`` open it."""
    if not can_read_dashboard(user):
        return ReportingGrid(periods=[], groups=[])
    openable = set(submissions_visible_to(user).filter(period__in=list(periods)).values_list("pk", flat=True))
    return _grid(periods, levels=readable_levels(user), openable=openable, today=today or timezone.localdate())


def document_grid(
    periods: Sequence[ReportingPeriod], *, classification: str, today: datetime.date | None = None
) -> ReportingGrid:
    """The grid a compiled report prints: the inputs at or below the document's own marking
    (``classification``), so that its chart says nothing its marking does not cover; no links
    (a PDF is read away from the site)."""
    levels = [
        level for level in Classification.values if Classification.rank(level) <= Classification.rank(classification)
    ]
    grid = _grid(periods, levels=levels, openable=set(), today=today or timezone.localdate())
    grid.for_document = True
    return grid


def _grid(
    periods: Sequence[ReportingPeriod], *, levels: list[str], openable: set[int], today: datetime.date
) -> ReportingGrid:
    """Three queries whatever the number of rounds and groups: the groups, the submissions
    within ``levels`` (``openable``: the ids the reader may open, from the caller)."""
    periods = list(periods)
    if not periods:
        return ReportingGrid(periods=[], groups=[])
    submissions = list(_submissions_at(levels, periods))
    every_group = list(WorkingGroup.objects.order_by("number"))
    expected = _expected(periods, every_group, submissions)
    in_grid = set().union(*expected.values())
    groups = [group for group in every_group if group.pk in in_grid]
    by_key = {(s.working_group_id, s.period_id): s for s in submissions}
    grid = ReportingGrid(periods=periods, groups=groups, partial=len(levels) < len(Classification.values))
    for period in periods:
        for group in groups:
            if group.pk not in expected[period.pk]:
                continue
            submission = by_key.get((group.pk, period.pk))
            can_open = submission is not None and submission.pk in openable
            grid.cells[(group.pk, period.pk)] = GroupRound(
                group, period, outcome_of(submission, period, today), submission, can_open
            )
    return grid


# --- Rates per round --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundRates:
    """A round's figures: groups expected, groups that submitted, and those that submitted by
    the due date that applied to them (an approved extension included)."""

    period: ReportingPeriod
    expected: int
    reported: int
    on_time: int

    @property
    def reporting_rate(self) -> float | None:
        return 100 * self.reported / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        """The share of the groups *expected* that reported on time (not of those that
        reported), so that the two rates share a denominator and the on-time rate can never
        look better than the reporting rate."""
        return 100 * self.on_time / self.expected if self.expected else None


def round_rates(grid: ReportingGrid) -> list[RoundRates]:
    rates = []
    for period in grid.periods:
        cells = grid.in_round(period)
        rates.append(
            RoundRates(
                period=period,
                expected=len(cells),
                reported=sum(1 for cell in cells if cell.reported),
                on_time=sum(1 for cell in cells if cell.reported_on_time),
            )
        )
    return rates


def outcome_counts(grid: ReportingGrid, period: ReportingPeriod) -> dict[str, int]:
    """How many groups came to each outcome in ``period`` (every outcome, zeros included)."""
    counts = dict.fromkeys(Outcome.ALL, 0)
    for cell in grid.in_round(period):
        counts[cell.outcome] += 1
    return counts


# --- Time to acceptance ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptanceTimes:
    """Days from first submission to acceptance of a round's accepted inputs."""

    period: ReportingPeriod
    days: list[float]

    @property
    def median(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def shortest(self) -> float | None:
        return min(self.days, default=None)

    @property
    def longest(self) -> float | None:
        return max(self.days, default=None)


def acceptance_times(grid: ReportingGrid) -> list[AcceptanceTimes]:
    """Per round, the days (to a tenth) between each accepted input's first submission and its
    latest acceptance (a report reopened and accepted again counts the whole time), for the
    inputs within the reader's clearance."""
    accepted = [
        cell.submission
        for cell in grid.cells.values()
        if cell.submission is not None
        and cell.submission.status == Submission.Status.ACCEPTED
        and cell.submission.submitted_at is not None
    ]
    accepted_at = dict(
        SubmissionStep.objects.filter(submission__in=[s.pk for s in accepted], action="accept")
        .values("submission")
        .annotate(at=Max("created_at"))
        .values_list("submission", "at")
    )
    days: dict[int, list[float]] = defaultdict(list)
    for submission in accepted:
        if submission.pk in accepted_at:
            seconds = (accepted_at[submission.pk] - submission.submitted_at).total_seconds()
            days[submission.period_id].append(round(max(seconds, 0) / 86400, 1))
    return [AcceptanceTimes(period, sorted(days[period.pk])) for period in grid.periods]


# --- Open action points -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerAges:
    """One owner's open action points, counted by age bucket (``AGE_BUCKETS`` order)."""

    owner: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


def age_bucket(age_in_days: int) -> int:
    for index, (_key, bound) in enumerate(AGE_BUCKETS):
        if bound is None or age_in_days <= bound:
            return index
    return len(AGE_BUCKETS) - 1


def _owner_label(point: ActionPoint) -> str:
    if point.owner_group is not None:
        return str(point.owner_group)
    return point.owner_entity.acronym


def open_action_points_by_owner(user: AnyUser, *, today: datetime.date | None = None) -> list[OwnerAges]:
    """The open action points ``user`` may read, by owner (group or entity) and age — days since
    the meeting that asked for them — most points first. Action points carry no
    classification of their own; only their counts are shown, never their text."""
    if not can_read_dashboard(user):
        return []
    today = today or timezone.localdate()
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(AGE_BUCKETS))
    points = action_points_visible_to(user).filter(status=ActionPoint.Status.OPEN)
    for point in points:
        counts[_owner_label(point)][age_bucket((today - point.meeting.date).days)] += 1
    rows = [OwnerAges(owner, tuple(values)) for owner, values in counts.items()]
    return sorted(rows, key=lambda row: (-row.total, row.owner))
