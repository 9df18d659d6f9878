"""What goes into OCT's compiled documents, read from the groups' inputs (pure reads).

``consolidated_contents`` gathers one round: each accepted input under its group with the
chair named, the groups that did not report, a compliance table and the issues raised for the
Committee. ``annual_contents`` gathers a calendar year for the USG's report: membership
changes, the Committee, each group's progress through the year's briefings and reports,
reporting compliance, and the project matrix's figures. Both show the M&E framework's
indicators, actual against target, from the accepted progress reports. Both work out the highest
classification of what they include, which the PDF prints on every page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from compact.core.models import Classification
from compact.matrix.maps import project_map_chart
from compact.matrix.models import Project, ProjectCountry
from compact.matrix.selectors import projects_per_country_with_regions
from compact.registry.models import Membership, Pillar
from reporting.compiled.models import AnnualReport, ConsolidatedReport
from reporting.monitoring.selectors import (
    IndicatorRow,
    classifications_of,
    indicator_rows_for_period,
    indicator_rows_for_year,
)
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.selectors import content_labels
from workinggroups.composition import Committee, committee_on
from workinggroups.models import RoleAssignment, WorkingGroup

Status = Submission.Status
# Where the issues raised for the Committee are, by kind of input.
ISSUE_FIELDS = {True: ("issues_of_concern",), False: ("requests_to_committee", "challenges")}


def highest(levels: list[str]) -> str:
    return max(levels, key=Classification.rank, default=Classification.UNCLASSIFIED)


@dataclass(frozen=True)
class Section:
    """One accepted input, as the document shows it under its group's heading."""

    group: WorkingGroup
    chairs: list[str]
    submission: Submission
    fields: list[tuple[str, str]]  # (heading, text), empty ones left out
    activities: list[dict[str, str]]

    @property
    def anchor(self) -> str:
        return f"group-{self.group.number}-{self.submission.period_id}"


@dataclass(frozen=True)
class ComplianceRow:
    group: WorkingGroup
    period: ReportingPeriod
    submission: Submission | None
    status: str
    due_on: datetime.date

    @property
    def submitted_at(self) -> datetime.datetime | None:
        return self.submission.submitted_at if self.submission else None

    @property
    def on_time(self) -> bool | None:
        return self.submission.on_time if self.submission else None


@dataclass(frozen=True)
class Issue:
    group: WorkingGroup
    heading: str
    text: str


@dataclass
class ConsolidatedContents:
    report: ConsolidatedReport
    period: ReportingPeriod
    sections: list[Section]
    not_reported: list[ComplianceRow]  # never submitted
    not_accepted: list[ComplianceRow]  # submitted, not (yet) accepted
    compliance: list[ComplianceRow]
    issues: list[Issue]
    classification: str
    indicators: list[IndicatorRow] = field(default_factory=list)  # actual against target

    @property
    def figures(self) -> dict[str, int]:
        submitted = [row for row in self.compliance if row.submitted_at]
        return {
            "expected": len(self.compliance),
            "submitted": len(submitted),
            "accepted": len(self.sections),
            "on_time": sum(1 for row in submitted if row.on_time),
        }


def _chairs(period_end: datetime.date, groups: list[WorkingGroup]) -> dict[int, list[str]]:
    """'Chair: OHCHR (Jane Doe)' lines per group, as the roles stood at the period's end."""
    lines: dict[int, list[str]] = {group.pk: [] for group in groups}
    roles = (
        RoleAssignment.objects.in_force_on(period_end)
        .leading()
        .filter(working_group__in=groups)
        .select_related("entity", "person")
        .order_by("role", "entity__acronym")
    )
    for role in roles:
        who = role.entity.acronym
        if role.person is not None:
            who += f" ({role.person.get_full_name() or role.person.get_username()})"
        lines[role.working_group_id].append(f"{role.get_role_display()}: {who}")
    return lines


def _section(submission: Submission, chairs: list[str], labels: dict[str, str]) -> Section:
    fields = [
        (labels[name], getattr(submission, name).strip())
        for name in submission.content_fields
        if getattr(submission, name).strip()
    ]
    activities = [
        {"title": line.title, "status": line.get_status_display() if line.status else "", "narrative": line.narrative}
        for line in submission.activity_progress.all()
    ]
    return Section(submission.working_group, chairs, submission, fields, activities)


def _status_label(submission: Submission | None, day: datetime.date) -> str:
    if submission is None or submission.submitted_at is None:
        late = submission is not None and day > submission.due_on
        return str(capfirst(_("late — not submitted") if late else _("not submitted")))
    return str(submission.get_status_display())


def _issues(section: Section, labels: dict[str, str]) -> list[Issue]:
    found = []
    for name in ISSUE_FIELDS[section.submission.period.is_briefing]:
        text = getattr(section.submission, name).strip()
        if text:
            found.append(Issue(section.group, labels[name], text))
    return found


def consolidated_contents(report: ConsolidatedReport, *, today: datetime.date) -> ConsolidatedContents:
    """Everything one round's consolidated report says, from the inputs as they are now."""
    period = report.period
    groups = list(WorkingGroup.objects.active_on(period.covers_until).order_by("number"))
    submissions = {
        s.working_group_id: s
        for s in period.submissions.select_related("working_group", "period").prefetch_related("activity_progress")
    }
    chairs, labels = _chairs(period.covers_until, groups), content_labels()
    sections, compliance, not_reported, not_accepted = [], [], [], []
    for group in groups:
        submission = submissions.get(group.pk)
        row = ComplianceRow(
            group,
            period,
            submission,
            _status_label(submission, today),
            submission.due_on if submission else period.due_on,
        )
        compliance.append(row)
        if submission is not None and submission.status == Status.ACCEPTED:
            sections.append(_section(submission, chairs[group.pk], labels))
        elif submission is None or submission.submitted_at is None:
            not_reported.append(row)
        else:
            not_accepted.append(row)
    issues = [issue for section in sections for issue in _issues(section, labels)]
    indicators = [] if period.is_briefing else indicator_rows_for_period(period)
    levels = [
        report.text_classification,
        *(section.submission.classification for section in sections),
        *classifications_of(indicators),
    ]
    return ConsolidatedContents(
        report, period, sections, not_reported, not_accepted, compliance, issues, highest(levels), indicators
    )


# --- The annual report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupYear:
    """One group's year: its accepted inputs, in order, and its reporting record."""

    group: WorkingGroup
    chairs: list[str]
    sections: list[Section]
    record: list[ComplianceRow]

    @property
    def anchor(self) -> str:
        return f"group-{self.group.number}"


@dataclass(frozen=True)
class Signature:
    """Who did something to the report and when, as the cover prints it: "Name, Title"."""

    who: str
    on: datetime.datetime

    @classmethod
    def of(cls, user: Any, on: datetime.datetime | None) -> Signature | None:
        if user is None or on is None:
            return None
        name = user.get_full_name() or user.get_username()
        title = getattr(getattr(user, "profile", None), "title", "")
        return cls(f"{name}, {title}" if title else name, on)


@dataclass
class AnnualContents:
    report: AnnualReport
    year: int
    joined: list[Membership]
    observers: list[Membership]
    withdrew: list[Membership]
    committee: Committee
    groups: list[GroupYear]
    periods: list[ReportingPeriod]
    matrix: dict[str, Any] = field(default_factory=dict)
    classification: str = Classification.UNCLASSIFIED
    indicators: list[IndicatorRow] = field(default_factory=list)  # actual against target
    approved: Signature | None = None  # the USG's approval (the final edition's cover)
    early_reason: Signature | None = None  # OCT went ahead before the year's rounds closed

    @property
    def compliance_figures(self) -> dict[str, int]:
        rows = [row for group in self.groups for row in group.record]
        submitted = [row for row in rows if row.submitted_at]
        return {
            "expected": len(rows),
            "submitted": len(submitted),
            "on_time": sum(1 for row in submitted if row.on_time),
        }


def _membership_changes(year: int) -> dict[str, list[Membership]]:
    entries = (
        Membership.objects.filter(effective_from__year=year)
        .select_related("entity")
        .order_by("effective_from", "entity__acronym")
    )
    changes: dict[str, list[Membership]] = {"joined": [], "observers": [], "withdrew": []}
    for entry in entries:
        if entry.status == Membership.Status.MEMBER:
            changes["joined"].append(entry)
        elif entry.status == Membership.Status.OBSERVER:
            changes["observers"].append(entry)
        elif entry.status == Membership.Status.WITHDRAWN:
            changes["withdrew"].append(entry)
    return changes


def matrix_figures() -> dict[str, Any]:
    """The project matrix in numbers: projects by pillar and status, countries reached, and
    the entities leading most projects (unclassified projects only: the report is public
    to the Secretary-General's office)."""
    projects = Project.objects.filter(classification=Classification.UNCLASSIFIED)
    by_pillar = dict(projects.values_list("pillar_rows__pillar").annotate(n=Count("id", distinct=True)).order_by())
    by_status = dict(projects.values_list("status").annotate(n=Count("id")).order_by())
    leads = projects.values("lead_entity__acronym").annotate(n=Count("id")).order_by("-n", "lead_entity__acronym")[:10]
    return {
        "total": projects.count(),
        "countries": ProjectCountry.objects.filter(project__in=projects).values("country").distinct().count(),
        "by_pillar": [(label, by_pillar.get(value, 0)) for value, label in Pillar.choices],
        "by_status": [(label, by_status.get(value, 0)) for value, label in Project.Status.choices],
        "leads": [(row["lead_entity__acronym"], row["n"]) for row in leads],
        # The same unclassified projects on the world map (regional ones in every country
        # they cover); no links: a PDF is read away from the site.
        "map": project_map_chart(projects_per_country_with_regions(projects), slug="annual-map", links=False),
    }


def annual_contents(report: AnnualReport, *, today: datetime.date) -> AnnualContents:
    """Everything the USG's annual report for ``report.year`` says."""
    year = report.year
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    periods = list(
        ReportingPeriod.objects.filter(covers_from__gte=first, covers_until__lte=last)
        .exclude(state=ReportingPeriod.State.SCHEDULED)
        .order_by("covers_until", "kind")
    )
    groups = list(
        WorkingGroup.objects.filter(
            Q(established_on__isnull=True) | Q(established_on__lte=last),
            Q(retired_on__isnull=True) | Q(retired_on__gt=first),
        ).order_by("number")
    )
    submissions = (
        Submission.objects.filter(period__in=periods)
        .select_related("working_group", "period")
        .prefetch_related("activity_progress")
    )
    by_key = {(s.working_group_id, s.period_id): s for s in submissions}
    chairs, labels = _chairs(min(last, today), groups), content_labels()
    years, levels = [], [report.text_classification]
    for group in groups:
        sections, record = [], []
        for period in periods:
            submission = by_key.get((group.pk, period.pk))
            if submission is None and not WorkingGroup.objects.active_on(period.covers_until).filter(pk=group.pk):
                continue  # the group did not exist then: nothing was expected of it
            record.append(
                ComplianceRow(
                    group,
                    period,
                    submission,
                    _status_label(submission, today),
                    submission.due_on if submission else period.due_on,
                )
            )
            if submission is not None and submission.status == Status.ACCEPTED:
                sections.append(_section(submission, chairs[group.pk], labels))
                levels.append(submission.classification)
        years.append(GroupYear(group, chairs[group.pk], sections, record))
    changes = _membership_changes(year)
    indicators = indicator_rows_for_year(year)
    levels += classifications_of(indicators)
    return AnnualContents(
        report=report,
        year=year,
        joined=changes["joined"],
        observers=changes["observers"],
        withdrew=changes["withdrew"],
        committee=committee_on(min(last, today)),
        groups=years,
        periods=periods,
        matrix=matrix_figures(),
        classification=highest(levels),
        indicators=indicators,
        approved=Signature.of(report.approved_by, report.approved_at),
        early_reason=Signature.of(report.early_recorded_by, report.early_recorded_at) if report.early_reason else None,
    )
