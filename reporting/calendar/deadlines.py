"""The deadlines a user's calendar feed carries, by role (issue 5).

Chairs and vice-chairs get their groups' due dates (extensions included) and the dates the
calendar expects for periods not created yet; OCT gets every period's opening and due date,
extended due dates and the planned periods; everyone else signed in gets the due dates of open
periods, for information. Everyone also gets the due dates of the Committee's open action
points they own, and focal points the deadline of an open biennial review their entity has
not commented on yet (OCT: every open review's deadline).

The Committee's meetings (for OCT and the Committee, who read them) come as timed events
with the UID of their e-mailed invitation (``meetings_in_feed``), so a calendar that has the
invitation holds one event, not two; their link to join is in them, as on the meeting's page.

Clearance: a deadline names only a working group, an entity, a period, a meeting's date or a
review's biennium, which are unclassified. No text of a submission, an extension request, an
action point or a review comment ever goes into a title or a description: whoever has a feed's
address reads it, without signing in.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.core.permissions import is_oct
from compact.lib.emails import absolute_url
from compact.registry.permissions import can_read_registry
from reporting.calendar.services import PlannedPeriod, calendar_upcoming
from reporting.committee.invitations import MeetingEntry, meeting_entry
from reporting.committee.models import Meeting
from reporting.committee.selectors import meetings_visible_to, open_action_points_for
from reporting.lib.ical import UID_DOMAIN
from reporting.review.models import BiennialReview
from reporting.review.selectors import comments_awaited_from
from reporting.submissions.models import ReportingPeriod, Submission
from workinggroups.models import WorkingGroup
from workinggroups.selectors import workinggroups_led_by

NOT_CLOSED = (ReportingPeriod.State.SCHEDULED, ReportingPeriod.State.OPEN)
# Past meetings stay in the feed this long, then drop out (a calendar keeps what it had).
MEETINGS_KEPT_FOR = datetime.timedelta(days=90)


class DeadlineKind(models.TextChoices):
    DUE = "due", gettext_lazy("Due")
    EXTENDED = "extended", gettext_lazy("Extended due date")
    EXPECTED = "expected", gettext_lazy("Expected due date")
    OPENS = "opens", gettext_lazy("Opens")
    INFO = "info", gettext_lazy("For information")


# Deadlines someone has to act on get a reminder the day before; an opening or a date given
# for information does not.
ALARMED = frozenset({DeadlineKind.DUE, DeadlineKind.EXTENDED, DeadlineKind.EXPECTED})


@dataclass(frozen=True)
class Deadline:
    """One all-day event of a feed. ``uid`` stays the same while the thing it names exists,
    so that a calendar moves the event (e.g. after an extension) instead of adding one."""

    uid: str
    title: str
    date: datetime.date
    description: str
    url: str
    kind: str

    @property
    def alarm(self) -> bool:
        return self.kind in ALARMED

    @property
    def kind_label(self) -> str:
        return str(DeadlineKind(self.kind).label)


def deadlines_for(user: AbstractBaseUser | AnonymousUser, *, today: datetime.date) -> list[Deadline]:
    """The deadlines in ``user``'s feed on ``today``, soonest first."""
    if not can_read_registry(user):
        return []
    found: list[Deadline] = []
    groups, oct = _groups_led(user, today), is_oct(user)
    if oct:
        found += _oct_deadlines(today)
    if groups:
        found += _leader_deadlines(groups, today)
    if not oct and not groups:
        found += _open_period_deadlines()
    found += _action_point_deadlines(user) + _review_deadlines(user, oct=oct)
    unique = {deadline.uid: deadline for deadline in found}
    return sorted(unique.values(), key=lambda d: (d.date, d.title, d.uid))


def meetings_in_feed(user: AbstractBaseUser | AnonymousUser, *, today: datetime.date) -> list[MeetingEntry]:
    """The Committee meetings ``user`` reads, from ``MEETINGS_KEPT_FOR`` ago on, soonest
    first, as timed events (all-day for a meeting recorded without times)."""
    meetings = (
        meetings_visible_to(user)
        .filter(date__gte=today - MEETINGS_KEPT_FOR)
        .exclude(state=Meeting.State.CANCELLED)  # a calendar drops an event the feed no longer has
        .order_by("date", "pk")
    )
    return [meeting_entry(meeting) for meeting in meetings]


# --- Pieces -----------------------------------------------------------------------------------------


def _uid(*parts: object) -> str:
    return "-".join(str(part) for part in parts) + f"@{UID_DOMAIN}"


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _period_name(kind: str, covers_from: datetime.date) -> str:
    """How a title names a period: its kind and the year it covers (unclassified)."""
    return f"{ReportingPeriod.Kind(kind).label} {covers_from.year}"


def _period_line(kind: str, covers_from: datetime.date, covers_until: datetime.date) -> str:
    return f"{_period_name(kind, covers_from)} ({_day(covers_from)} – {_day(covers_until)})"


def _group_line(group: WorkingGroup) -> str:
    return _("Working group: %(group)s") % {"group": group}


def _deadline(*, uid: str, title: str, day: datetime.date, lines: list[str], path: str, kind: str) -> Deadline:
    url = absolute_url(path)
    # Some calendars (Google's) show the description but not the URL property: repeat it.
    return Deadline(uid=uid, title=title, date=day, description="\n".join([*lines, "", url]), url=url, kind=kind)


def _groups_led(user: AbstractBaseUser | AnonymousUser, today: datetime.date) -> list[WorkingGroup]:
    """The groups ``user`` chairs or vice-chairs on ``today``, once each."""
    groups = {role.working_group.pk: role.working_group for role in workinggroups_led_by(user, on=today)}
    return list(groups.values())


def _planned_not_created(today: datetime.date) -> list[PlannedPeriod]:
    """The calendar's next periods that the scheduler has not created yet and that are still
    to come (a created period is in the feed with its own dates)."""
    # The scheduler's day starts in the morning; noon in the site's time zone is ``today``
    # for it (give or take the rules' own time zones, which matters little here).
    noon = datetime.datetime.combine(today, datetime.time(12), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    plans = [plan for plan in calendar_upcoming(now=noon) if plan.due_on >= today]
    existing = set(
        ReportingPeriod.objects.filter(covers_from__in={plan.covers_from for plan in plans}).values_list(
            "kind", "covers_from"
        )
    )
    return [plan for plan in plans if (plan.kind, plan.covers_from) not in existing]


# --- Chairs and vice-chairs -------------------------------------------------------------------------


def _leader_deadlines(groups: list[WorkingGroup], today: datetime.date) -> list[Deadline]:
    submissions = list(
        Submission.objects.filter(working_group__in=groups, period__state__in=NOT_CLOSED)
        .exclude(status__in=(Submission.Status.ACCEPTED, Submission.Status.CLOSED))
        .select_related("period", "working_group")
    )
    found = [_submission_due(submission) for submission in submissions]
    found += _scheduled_expected(groups, {(s.period_id, s.working_group_id) for s in submissions})
    for plan in _planned_not_created(today):
        found += [_planned_expected(plan, group) for group in groups]
    return found


def _submission_due(submission: Submission) -> Deadline:
    period, group = submission.period, submission.working_group
    if submission.extended_until:
        due = _("Due: %(day)s (OCT extended it from %(before)s)") % {
            "day": _day(submission.due_on),
            "before": _day(period.due_on),
        }
    else:
        due = _("Due: %(day)s") % {"day": _day(submission.due_on)}
    return _deadline(
        uid=_uid("submission", submission.pk, "due"),
        title=_("%(period)s due — %(group)s")
        % {"period": _period_name(period.kind, period.covers_from), "group": group},
        day=submission.due_on,
        lines=[_period_line(period.kind, period.covers_from, period.covers_until), _group_line(group), due],
        path=reverse("reporting-submission", args=[submission.pk]),
        kind=DeadlineKind.DUE,
    )


def _expected(
    uid: str, kind: str, covers: tuple[datetime.date, datetime.date], due_on: datetime.date, group: WorkingGroup
) -> Deadline:
    note = _(
        "Expected due date by the reporting calendar: the period has not opened yet, and the date is final "
        "once it opens."
    )
    return _deadline(
        uid=uid,
        title=_("%(period)s due (expected) — %(group)s") % {"period": _period_name(kind, covers[0]), "group": group},
        day=due_on,
        lines=[_period_line(kind, *covers), _group_line(group), note],
        path=reverse("reporting-home"),
        kind=DeadlineKind.EXPECTED,
    )


def _scheduled_expected(groups: list[WorkingGroup], have: set[tuple[int, int]]) -> list[Deadline]:
    """A period the scheduler created but has not opened has no drafts yet: the groups'
    due dates are the period's."""
    found = []
    for period in ReportingPeriod.objects.filter(state=ReportingPeriod.State.SCHEDULED):
        for group in groups:
            if (period.pk, group.pk) not in have:
                covers = (period.covers_from, period.covers_until)
                uid = _uid("period", period.pk, "group", group.pk, "expected")
                found.append(_expected(uid, period.kind, covers, period.due_on, group))
    return found


def _planned_expected(plan: PlannedPeriod, group: WorkingGroup) -> Deadline:
    uid = _uid("planned", plan.kind, f"{plan.covers_from:%Y%m%d}", "group", group.pk, "expected")
    return _expected(uid, plan.kind, (plan.covers_from, plan.covers_until), plan.due_on, group)


# --- The Committee's action points and the biennial review -----------------------------------------


def _action_point_deadlines(user: AbstractBaseUser | AnonymousUser) -> list[Deadline]:

    return [
        _deadline(
            uid=_uid("action-point", point.pk, "due"),
            title=_("Committee action point due: %(owner)s") % {"owner": point.owner},
            day=point.due_on,
            lines=[
                _("An action point of the Coordination Committee's meeting of %(date)s, owned by %(owner)s.")
                % {"date": _day(point.meeting.date), "owner": point.owner},
                _("Mark it done on your home page once it is."),
            ],
            path=reverse("home"),
            kind=DeadlineKind.DUE,
        )
        for point in open_action_points_for(user)
    ]


def _review_deadlines(user: AbstractBaseUser | AnonymousUser, *, oct: bool) -> list[Deadline]:

    if oct:
        reviews = BiennialReview.objects.filter(state=BiennialReview.State.OPEN)
        return [_review_due(review, entity=None) for review in reviews]
    return [_review_due(awaited.review, entity=awaited.entity) for awaited in comments_awaited_from(user)]


def _review_due(review: object, *, entity: object | None) -> Deadline:
    biennium = f"{review.biennium}–{review.biennium + 1}"
    if entity is None:
        title = _("Comments on the biennial review %(biennium)s due") % {"biennium": biennium}
        line = _("The member entities' comments on the review of the Compact are due.")
    else:
        title = _("%(entity)s's comment on the biennial review %(biennium)s due") % {
            "entity": entity,
            "biennium": biennium,
        }
        line = _("Your entity has not commented on the review of the Compact yet.")
    return _deadline(
        uid=_uid("review", review.pk, "entity", getattr(entity, "pk", "all"), "due"),
        title=title,
        day=review.comments_due_on,
        lines=[line],
        path=reverse("review-detail", args=[review.pk]),
        kind=DeadlineKind.DUE,
    )


# --- OCT --------------------------------------------------------------------------------------------


def _oct_deadlines(today: datetime.date) -> list[Deadline]:
    found: list[Deadline] = []
    for period in ReportingPeriod.objects.filter(state__in=NOT_CLOSED):
        found += [_period_opens(period), _period_due(period, DeadlineKind.DUE)]
    extended = (
        Submission.objects.filter(period__state__in=NOT_CLOSED, extended_until__isnull=False)
        .exclude(status__in=(Submission.Status.ACCEPTED, Submission.Status.CLOSED))
        .select_related("period", "working_group")
    )
    found += [_extended_due(submission) for submission in extended]
    for plan in _planned_not_created(today):
        found += _planned_dates(plan)
    return found


def _period_opens(period: ReportingPeriod) -> Deadline:
    return _deadline(
        uid=_uid("period", period.pk, "opens"),
        title=_("%(period)s opens") % {"period": _period_name(period.kind, period.covers_from)},
        day=period.opens_on,
        lines=[
            _period_line(period.kind, period.covers_from, period.covers_until),
            _("The period opens: drafts appear for the working groups."),
        ],
        path=reverse("reporting-period", args=[period.pk]),
        kind=DeadlineKind.OPENS,
    )


def _period_due(period: ReportingPeriod, kind: str) -> Deadline:
    # Only OCT has the period's dashboard; others get the reports page.
    path = reverse("reporting-period", args=[period.pk]) if kind == DeadlineKind.DUE else reverse("reporting-home")
    return _deadline(
        uid=_uid("period", period.pk, "due"),
        title=_("%(period)s due") % {"period": _period_name(period.kind, period.covers_from)},
        day=period.due_on,
        lines=[
            _period_line(period.kind, period.covers_from, period.covers_until),
            _("The working groups' inputs are due (unless OCT gave a group more time)."),
        ],
        path=path,
        kind=kind,
    )


def _extended_due(submission: Submission) -> Deadline:
    period, group = submission.period, submission.working_group
    name = _period_name(period.kind, period.covers_from)
    return _deadline(
        uid=_uid("submission", submission.pk, "extended"),
        title=_("%(period)s due (extended) — %(group)s") % {"period": name, "group": group},
        day=submission.due_on,
        lines=[
            _period_line(period.kind, period.covers_from, period.covers_until),
            _group_line(group),
            _("Due: %(day)s (extended from %(before)s)")
            % {"day": _day(submission.due_on), "before": _day(period.due_on)},
        ],
        path=reverse("reporting-submission", args=[submission.pk]),
        kind=DeadlineKind.EXTENDED,
    )


def _planned_dates(plan: PlannedPeriod) -> list[Deadline]:
    """A period the scheduler will create: when it is to open and to be due."""
    name = _period_name(plan.kind, plan.covers_from)
    key = ("planned", plan.kind, f"{plan.covers_from:%Y%m%d}")
    line = _period_line(plan.kind, plan.covers_from, plan.covers_until)
    home = reverse("reporting-home")
    return [
        _deadline(
            uid=_uid(*key, "opens"),
            title=_("%(period)s opens (planned)") % {"period": name},
            day=plan.opens_on,
            lines=[line, _("By the reporting calendar, the scheduler opens the period on this day.")],
            path=home,
            kind=DeadlineKind.OPENS,
        ),
        _deadline(
            uid=_uid(*key, "due"),
            title=_("%(period)s due (planned)") % {"period": name},
            day=plan.due_on,
            lines=[line, _("By the reporting calendar, the working groups' inputs are due on this day.")],
            path=home,
            kind=DeadlineKind.EXPECTED,
        ),
    ]


# --- Everyone else signed in ------------------------------------------------------------------------


def _open_period_deadlines() -> list[Deadline]:
    """Committee members and focal points follow the rounds: the due dates of open periods."""
    periods = ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN)
    return [_period_due(period, DeadlineKind.INFO) for period in periods]
