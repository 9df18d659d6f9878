"""Reads of OCT's compiled reports and their editions, scoped to what the asking user may see.

OCT reads every consolidated and annual report; the Committee (members, the USG, chairs and
vice-chairs) reads the consolidated reports whose final edition their clearance reaches; the
USG reads the annual reports it approves. Editions are filtered one by one with
``can_read_edition``, the single rule the download also applies.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from compact.core.models import AuditEvent
from compact.core.permissions import readable_levels
from compact.core.selectors import within_clearance
from reporting.calendar.models import CalendarRule, period_span
from reporting.compiled.models import AnnualReport, ConsolidatedReport, ReportEdition
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.permissions import (
    can_approve_annual_report,
    can_compile_reports,
    can_read_edition,
    reads_for_committee,
)
from workinggroups.models import WorkingGroup

AnyUser = AbstractBaseUser | AnonymousUser
CompiledReport = ConsolidatedReport | AnnualReport
ANNUAL_STEP_VERBS = ("reporting.annual_submit", "reporting.annual_return", "reporting.annual_approve")


def _with_editions(reports: QuerySet) -> QuerySet:
    # Newest first, so the templates' "latest" is the first one.
    editions = ReportEdition.objects.select_related("requested_by").order_by("-number")
    return reports.prefetch_related(Prefetch("editions", queryset=editions))


def consolidated_reports_visible_to(user: AnyUser) -> QuerySet[ConsolidatedReport]:
    """OCT: every consolidated report. The Committee: those with a final edition within the
    reader's clearance (the same test as ``can_read_edition``). Others: none."""
    reports = _with_editions(ConsolidatedReport.objects.select_related("period"))
    if can_compile_reports(user):
        return reports
    if reads_for_committee(user):
        final = Q(editions__is_final=True, editions__classification__in=readable_levels(user))
        return reports.filter(final).distinct()
    return reports.none()


def annual_reports_visible_to(user: AnyUser) -> QuerySet[AnnualReport]:
    """OCT drafts the annual reports and the USG approves them: both read all of them."""
    reports = _with_editions(AnnualReport.objects.select_related("approved_by", "updated_by"))
    if can_compile_reports(user) or can_approve_annual_report(user):
        return reports
    return reports.none()


def get_consolidated_report_for_user_or_404(user: AnyUser, pk: int) -> ConsolidatedReport:
    """One consolidated report; the same 404 whether it is missing or hidden from ``user``."""
    report = consolidated_reports_visible_to(user).select_related("updated_by").filter(pk=pk).first()
    if report is None:
        raise Http404("No such report.")
    return report


def get_annual_report_for_user_or_404(user: AnyUser, pk: int) -> AnnualReport:
    report = annual_reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404("No such report.")
    return report


def editions_visible_to(user: AnyUser, report: CompiledReport) -> list[ReportEdition]:
    """The report's editions ``user`` may read, newest first (a Committee reader: the final one)."""
    return [edition for edition in report.editions.all() if can_read_edition(user, edition)]


def get_edition_for_user_or_404(user: AnyUser, pk: int) -> ReportEdition:
    """One edition the user may read; the same 404 for a missing one and a hidden one."""
    edition = (
        ReportEdition.objects.select_related("consolidated_report__period", "annual_report", "meeting", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if edition is None or not can_read_edition(user, edition):
        raise Http404("No such edition.")
    return edition


def periods_without_consolidated_report() -> QuerySet[ReportingPeriod]:
    """The open or closed rounds OCT may start a consolidated report for (newest first)."""
    return ReportingPeriod.objects.filter(
        state__in=(ReportingPeriod.State.OPEN, ReportingPeriod.State.CLOSED), consolidated_report__isnull=True
    ).order_by("-due_on", "kind")


@dataclass(frozen=True)
class ConsolidatedRow:
    """One line of OCT's list: the report, its inputs in figures and its editions."""

    report: ConsolidatedReport
    accepted: int
    expected: int
    latest: ReportEdition | None
    final: ReportEdition | None


def consolidated_rows(user: AnyUser) -> list[ConsolidatedRow]:
    """The consolidated reports ``user`` may read, with accepted/expected inputs (OCT's list)."""
    accepted = Count(
        "period__submissions", filter=Q(period__submissions__status=Submission.Status.ACCEPTED), distinct=True
    )
    rows = []
    for report in consolidated_reports_visible_to(user).annotate(accepted=accepted):
        editions = editions_visible_to(user, report)
        # The groups a round expects are those active at its end (as the report counts them).
        expected = WorkingGroup.objects.active_on(report.period.covers_until).count()
        final = next((edition for edition in editions if edition.is_final), None)
        rows.append(ConsolidatedRow(report, report.accepted, expected, editions[0] if editions else None, final))
    return rows


def annual_report_steps(report: AnnualReport, user: AnyUser) -> QuerySet[AuditEvent]:
    """The annual report's approval steps (submit, return with the USG's comment, approve), in
    order: read from the audit trail, where ``annual_report_act`` records them. For the
    report's readers only (OCT and the USG), and only the rows within ``user``'s clearance."""
    return (
        within_clearance(AuditEvent.objects.all(), user)
        .filter(
            content_type=ContentType.objects.get_for_model(AnnualReport),
            object_id=str(report.pk),
            verb__in=ANNUAL_STEP_VERBS,
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


# --- The year's rounds, which the annual report's approval waits for ----------------------------


@dataclass(frozen=True)
class YearRound:
    """One reporting round of the year: created (with its state) or still to come."""

    kind: str
    covers_from: datetime.date
    covers_until: datetime.date
    period: ReportingPeriod | None

    @property
    def label(self) -> str:
        return str(ReportingPeriod.Kind(self.kind).label)

    @property
    def is_closed(self) -> bool:
        return self.period is not None and self.period.state == ReportingPeriod.State.CLOSED


@dataclass(frozen=True)
class YearRounds:
    year: int
    rounds: list[YearRound]

    @property
    def outstanding(self) -> list[YearRound]:
        return [one for one in self.rounds if not one.is_closed]

    @property
    def all_closed(self) -> bool:
        return not self.outstanding


def year_rounds(year: int) -> YearRounds:
    """Every reporting round that covers ``year``: the periods created for it, and those the
    calendar schedules (an active rule) but has not created yet, in the order they end.

    The annual report of the year is approved once they are all closed (or on OCT's recorded
    reason to go ahead): before that, inputs can still arrive, be returned or be accepted."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    created = {
        (period.kind, period.covers_from): period
        for period in ReportingPeriod.objects.filter(covers_from__gte=first, covers_until__lte=last)
    }
    planned = {
        (kind, period_span(kind, year)[0])
        for kind in CalendarRule.objects.filter(active=True).values_list("kind", flat=True)
    }
    rounds = []
    for kind, covers_from in created.keys() | planned:
        period = created.get((kind, covers_from))
        covers_until = period.covers_until if period else period_span(kind, year)[1]
        rounds.append(YearRound(kind, covers_from, covers_until, period))
    order = list(ReportingPeriod.Kind.values)
    rounds.sort(key=lambda one: (one.covers_until, order.index(one.kind), one.covers_from))
    return YearRounds(year, rounds)
