"""Reminders and escalations of the Committee's action points, run by the scheduler's tick: each
owed once (a claimed scheduler event), sent to the owner's focal points, then escalated to OCT."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.categories import EmailCategory
from compact.core.models import User
from compact.core.outbox import email_queue
from compact.lib.emails import absolute_url
from compact.registry.selectors import entity_focal_points
from reporting.calendar.claims import chase_reached
from reporting.calendar.claims import scheduler_claim as _claim
from reporting.calendar.models import SchedulerEvent
from reporting.committee.models import ActionPoint
from reporting.committee.workflow import Status
from workinggroups.models import RoleAssignment

# Days before the due date (reminders) and after it (escalations), as for late reports.
REMINDER_DAYS = (7, 1)

ESCALATION_DAYS = (1, 7)


def action_point_owner_emails(point: ActionPoint, day: datetime.date) -> list[str]:
    """The owners' addresses: the group's chair and vice-chairs in force, or the entity's focal points."""
    if point.owner_group_id is not None:
        people: Iterable[User] = [
            role.person
            for role in RoleAssignment.objects.in_force_on(day)
            .leading()
            .filter(working_group_id=point.owner_group_id, person__isnull=False)
            .select_related("person")
        ]
    else:
        people = entity_focal_points(point.owner_entity)
    return list(dict.fromkeys(p.email for p in people if p.is_active and p.email))


def _chase_of(point: ActionPoint, today: datetime.date) -> tuple[str, int] | None:
    """The latest reminder or escalation reached for ``point`` today."""
    reached = chase_reached(
        due_on=point.due_on, today=today, reminder_days=REMINDER_DAYS, escalation_days=ESCALATION_DAYS
    )
    return (f"action-{reached[0]}", reached[1]) if reached else None


def action_points_chase(*, now: datetime.datetime | None = None) -> int:
    """Remind the owners of open action points 7 and 1 days before they are due; escalate to
    them and OCT 1 and 7 days after. Exactly once per point, due date and offset; returns
    how many were sent. Called by the scheduler's tick; each one is its own transaction."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    points = ActionPoint.objects.filter(status=Status.OPEN).select_related("meeting", "owner_entity", "owner_group")
    for point in points:
        chase = _chase_of(point, today)
        if chase is None:
            continue
        kind, days = chase
        key = f"{kind}:{point.pk}:{point.due_on}:{days}"
        if SchedulerEvent.objects.filter(key=key).exists():
            continue
        sent += _chase_send(point, key=key, kind=kind, today=today)
    return sent


def _chase_send(point: ActionPoint, *, key: str, kind: str, today: datetime.date) -> int:
    owners = action_point_owner_emails(point, today)
    escalation = kind == "action-escalation"
    recipients = [*owners, settings.OCT_SECRETARIAT_EMAIL] if escalation or not owners else owners
    detail = "" if owners else _("The action point's owners have no e-mail address: OCT was told instead.")
    event_kind = SchedulerEvent.Kind.ESCALATION if escalation else SchedulerEvent.Kind.REMINDER
    with transaction.atomic():
        if _claim(key, event_kind, recipients=recipients, detail=detail or str(point)[:500]) is None:
            return 0
        days_left = (point.due_on - today).days
        email_queue(
            occasion=key,
            recipients=recipients,
            template="action-point-escalation" if escalation else "action-point-reminder",
            category=EmailCategory.DEADLINES,
            context={
                "point": point,
                "owner": point.owner,
                "meeting": point.meeting,
                "due_on": point.due_on,
                "days_left": days_left,
                "days_late": -days_left,
                "url": absolute_url(reverse("committee-meeting", args=[point.meeting_id])),
            },
        )
    return 1
