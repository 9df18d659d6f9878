"""Reads for the briefings to Member States and the public page.

Two kinds of reads live here. OCT's reads of its briefings are scoped to the user (everyone
else gets nothing, and a 404 for one briefing). The public reads — the public page and the
facts the public summary is drafted from — take no user at all and touch **only unclassified
data**: they filter on ``classification = unclassified`` themselves and return plain values
(counts, names, acronyms), never model instances whose other fields a template could reach.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from compact.core.models import Classification
from compact.lib.languages import translated
from compact.matrix.models import Project
from compact.outreach.models import BriefingCadence, MemberStateBriefing
from compact.outreach.permissions import can_manage_briefings
from compact.registry.models import Membership
from compact.registry.selectors import entities_with_status
from reporting.submissions.models import ReportingPeriod, Submission
from workinggroups.models import RoleAssignment, WorkingGroup

AnyUser = AbstractBaseUser | AnonymousUser
UNCLASSIFIED = Classification.UNCLASSIFIED
# "The last 12 months" of accepted progress reports, counted back from the day of the draft.
REPORTS_LOOKBACK = datetime.timedelta(days=365)


# --- OCT's briefings --------------------------------------------------------------------------


def briefings_visible_to(user: AnyUser) -> QuerySet[MemberStateBriefing]:
    """Every briefing, newest first, for OCT; nothing for anyone else."""
    if not can_manage_briefings(user):
        return MemberStateBriefing.objects.none()
    return MemberStateBriefing.objects.select_related("created_by", "published_by").order_by("-date", "-id")


def get_briefing_for_user_or_404(user: AnyUser, pk: int) -> MemberStateBriefing:
    """One briefing; the same 404 whether it is missing or the user is not OCT."""
    briefing = briefings_visible_to(user).filter(pk=pk).first()
    if briefing is None:
        raise Http404("No such briefing.")
    return briefing


# --- The cadence of briefings ----------------------------------------------------------------


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or that month's last day when it has no such day
    (31 January + 1 month is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class BriefingSchedule:
    """Where the USG's briefings stand against their cadence on ``today``."""

    today: datetime.date
    every_months: int
    reminder_days: tuple[int, ...]
    active: bool
    last_held: datetime.date | None  # the latest briefing dated today or before
    planned: datetime.date | None  # the earliest briefing dated after today
    due_on: datetime.date  # the last one held plus the cadence, or the first due date

    @property
    def days_left(self) -> int:
        return (self.due_on - self.today).days

    @property
    def overdue(self) -> bool:
        return self.planned is None and self.days_left < 0

    @property
    def planned_late(self) -> bool:
        return self.planned is not None and self.planned > self.due_on


def briefing_cadence() -> BriefingCadence | None:
    return BriefingCadence.objects.filter(pk=BriefingCadence.SINGLE_ROW).first()


def briefing_schedule(*, today: datetime.date) -> BriefingSchedule | None:
    """The cadence and where the briefings stand against it, whoever asks (the scheduler's
    read: dates only, nothing of the briefings' notes); None while no cadence is set."""
    cadence = briefing_cadence()
    if cadence is None:
        return None
    last_held = MemberStateBriefing.objects.filter(date__lte=today).order_by("-date").values_list("date", flat=True)
    planned = MemberStateBriefing.objects.filter(date__gt=today).order_by("date").values_list("date", flat=True)
    held = last_held.first()
    return BriefingSchedule(
        today=today,
        every_months=cadence.every_months,
        reminder_days=tuple(sorted(cadence.reminder_days, reverse=True)),
        active=cadence.active,
        last_held=held,
        planned=planned.first(),
        due_on=months_after(held, cadence.every_months) if held else cadence.first_due_on,
    )


def briefing_schedule_for(user: AnyUser, *, today: datetime.date | None = None) -> BriefingSchedule | None:
    """``briefing_schedule`` for those who record briefings (the USG and OCT); None for others."""
    if not can_manage_briefings(user):
        return None
    return briefing_schedule(today=today or timezone.localdate())


# --- Public, unclassified reads -------------------------------------------------------------


@dataclass(frozen=True)
class PublicEntity:
    acronym: str
    name: str


@dataclass(frozen=True)
class PublicGroup:
    number: int
    name: str
    chairs: tuple[str, ...] = ()
    vice_chairs: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicSummary:
    """A published summary, with nothing of its briefing but what the public may read."""

    date: datetime.date
    audience: str
    title: str
    text: str


@dataclass(frozen=True)
class UnclassifiedFacts:
    """What the public summary may be drafted from: all of it unclassified."""

    day: datetime.date
    members: int
    observers: int
    groups: tuple[PublicGroup, ...]
    accepted_reports: int
    accepted_report_groups: tuple[str, ...]
    projects_by_status: dict[str, int] = field(default_factory=dict)


def parties_on(day: datetime.date, status: str) -> list[PublicEntity]:
    """The entities holding membership ``status`` on ``day``: acronym and name only."""
    rows = (
        entities_with_status(on=day)
        .filter(status=status)
        .order_by("acronym")
        .values_list("acronym", "name", "name_translations")
    )
    # Names in the reader's language where the entity has an official one.
    return [PublicEntity(acronym=acronym, name=translated(names, "name", name)) for acronym, name, names in rows]


def groups_with_leads_on(day: datetime.date) -> list[PublicGroup]:
    """The working groups active on ``day`` with the entities (acronyms, never people) that
    chair and vice-chair them that day. Two queries."""

    groups = [
        (pk, number, translated(names, "name", name))
        for pk, number, name, names in WorkingGroup.objects.active_on(day)
        .order_by("number")
        .values_list("pk", "number", "name", "name_translations")
    ]
    leads: dict[int, dict[str, list[str]]] = {pk: {"chair": [], "vice-chair": []} for pk, _n, _name in groups}
    roles = (
        RoleAssignment.objects.in_force_on(day)
        .leading()
        .filter(working_group__in=list(leads))
        .order_by("entity__acronym")
        .values_list("working_group_id", "role", "entity__acronym")
    )
    for group_id, role, acronym in roles:
        leads[group_id][role].append(acronym)
    return [
        PublicGroup(
            number=number,
            name=name,
            chairs=tuple(leads[pk]["chair"]),
            vice_chairs=tuple(leads[pk]["vice-chair"]),
        )
        for pk, number, name in groups
    ]


def published_summaries() -> list[PublicSummary]:
    """Published summaries, newest briefing first. Only the public columns are read."""
    rows = (
        MemberStateBriefing.objects.filter(state=MemberStateBriefing.State.PUBLISHED)
        .order_by("-date", "-published_at", "-id")
        .values_list("date", "audience", "title", "public_summary")
    )
    return [PublicSummary(date=date, audience=audience, title=title, text=text) for date, audience, title, text in rows]


def accepted_unclassified_reports(day: datetime.date) -> tuple[int, tuple[str, ...]]:
    """How many unclassified progress reports (mid-year, end-of-year) were accepted in the 12
    months up to ``day``, and the names of their groups."""

    since = timezone.make_aware(datetime.datetime.combine(day - REPORTS_LOOKBACK, datetime.time.min))
    reports = Submission.objects.filter(
        status=Submission.Status.ACCEPTED,
        classification=UNCLASSIFIED,
        period__kind__in=(ReportingPeriod.Kind.MID_YEAR, ReportingPeriod.Kind.END_OF_YEAR),
        status_changed_at__gte=since,
    )
    names = reports.order_by("working_group__number").values_list("working_group__name", flat=True).distinct()
    return reports.count(), tuple(names)


def unclassified_project_counts() -> dict[str, int]:
    """Unclassified projects of the matrix, by status (only statuses that have some)."""
    rows = (
        Project.objects.filter(classification=UNCLASSIFIED)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: n for status, n in rows if n}


def unclassified_facts(*, on: datetime.date | None = None) -> UnclassifiedFacts:
    """Everything the automatic draft of a public summary is built from."""
    day = on or timezone.localdate()
    count, names = accepted_unclassified_reports(day)
    return UnclassifiedFacts(
        day=day,
        members=len(parties_on(day, Membership.Status.MEMBER)),
        observers=len(parties_on(day, Membership.Status.OBSERVER)),
        groups=tuple(groups_with_leads_on(day)),
        accepted_reports=count,
        accepted_report_groups=names,
        projects_by_status=unclassified_project_counts(),
    )


@dataclass(frozen=True)
class PublicCompact:
    day: datetime.date
    members: list[PublicEntity]
    observers: list[PublicEntity]
    groups: list[PublicGroup]
    summaries: list[PublicSummary]


def public_compact(*, on: datetime.date | None = None) -> PublicCompact:
    """The public page: signatories and observers, the active groups and their leading
    entities, and the published summaries. Takes no user: it is the same for everyone."""
    day = on or timezone.localdate()
    return PublicCompact(
        day=day,
        members=parties_on(day, Membership.Status.MEMBER),
        observers=parties_on(day, Membership.Status.OBSERVER),
        groups=groups_with_leads_on(day),
        summaries=published_summaries(),
    )
