"""The Coordination Committee at work (Annex III, V.13–V.15): its meetings, their agenda,
attendance, minutes, decisions and action points, and the cascade of policy briefings from
Committee members to their working groups.

A meeting moves planned → held → minutes approved, or planned → cancelled
(``reporting.committee.services``). OCT
prepares the agenda: the working groups' quarterly briefings of a period (each linked to the
group's accepted ``Submission``), policy-development briefings by OCT or an entity, and other
items. Action points are owned by one entity or one working group, never both.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification
from reporting.committee.timing import meeting_when
from reporting.lib.ical import UID_DOMAIN
from reporting.submissions.models import Submission


def committee_time_zone() -> str:
    """The zone the Committee usually meets in (the site's, New York by default)."""
    return settings.TIME_ZONE


# What OCT sets on a meeting (the form and the service take the same fields).
MEETING_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "time_zone",
    "is_virtual",
    "place",
    "join_url",
    "join_details",
    "chair",
    "quorum_note",
)


class Meeting(models.Model):
    """One meeting of the Coordination Committee."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held (minutes being written)")
        MINUTES_APPROVED = "minutes-approved", _("Minutes approved")
        CANCELLED = "cancelled", _("Cancelled")

    date = models.DateField(_("date"))
    # Meetings recorded before times existed have none ("time not set"); a planned meeting
    # is given both (``reporting.committee.services``), end after start (a constraint).
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=committee_time_zone,
        help_text=_("The zone the times are in, e.g. America/New_York or Europe/Vienna."),
    )
    is_virtual = models.BooleanField(_("virtual meeting"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    join_url = models.URLField(_("link to join"), max_length=500, blank=True)
    join_details = models.CharField(
        _("how to join"),
        max_length=500,
        blank=True,
        help_text=_("Dial-in numbers or other ways to join, for those without the link."),
    )
    # The iCalendar SEQUENCE of the invitation sent: one more for every change announced.
    invitation_sequence = models.PositiveIntegerField(default=0, editable=False)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
        help_text=_("The Under-Secretary-General, unless someone else chairs."),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PLANNED)
    quorum_note = models.TextField(_("quorum"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_classification = models.CharField(
        _("classification of the minutes"),
        max_length=32,
        choices=Classification.choices,
        default=Classification.UNCLASSIFIED,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Committee meeting")
        verbose_name_plural = _("Committee meetings")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(is_virtual=True) | ~Q(place=""), name="meeting_has_place_or_is_virtual"),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__isnull=False, end_time__gt=F("start_time")),
                name="meeting_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Coordination Committee, %(date)s") % {"date": date_format(self.date)})

    @property
    def where(self) -> str:
        return str(_("Virtual")) if self.is_virtual and not self.place else self.place

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def starts_at(self) -> datetime.datetime | None:
        """The aware moment the meeting starts (None for a meeting without times)."""
        if self.start_time is None:
            return None
        return datetime.datetime.combine(self.date, self.start_time, tzinfo=self.zone)

    @property
    def ends_at(self) -> datetime.datetime | None:
        if self.end_time is None:
            return None
        return datetime.datetime.combine(self.date, self.end_time, tzinfo=self.zone)

    @property
    def when(self) -> str:
        """Date and times in the meeting's zone, e.g. "12 March 2027, 10:00–12:00 (New York
        time, UTC-4" with a true minus sign), in the active language."""
        return meeting_when(self.date, self.starts_at, self.ends_at).in_meeting_zone

    @property
    def when_for_viewer(self) -> str:
        """The same in the viewer's active time zone; empty when it is the meeting's own."""
        return meeting_when(self.date, self.starts_at, self.ends_at).in_viewer_zone

    @property
    def ical_uid(self) -> str:
        """The UID of the meeting's event in every invitation and feed: a calendar updates
        the event it has instead of adding another."""
        return f"committee-meeting-{self.pk}@{UID_DOMAIN}"


class Attendance(models.Model):
    """Who was present for an entity: a registered user or a name."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    entity = models.ForeignKey("compact.Entity", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person_name = models.CharField(_("person present"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["entity__acronym"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "entity"], name="attendance_one_per_entity"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(person_name=""), name="attendance_names_someone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity}: {self.present}"

    @property
    def present(self) -> str:
        if self.person_name:
            return self.person_name
        return self.person.get_full_name() or self.person.get_username() if self.person else ""


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        WG_BRIEFING = "wg-briefing", _("Working-group briefing")
        POLICY_BRIEFING = "policy-briefing", _("Policy-development briefing")
        OTHER = "other", _("Other item")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    presenter = models.ForeignKey(
        "compact.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presented by"),
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("briefing"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "submission"], name="agendaitem_briefing_once"),
            models.CheckConstraint(
                condition=Q(kind="wg-briefing", submission__isnull=False)
                | (~Q(kind="wg-briefing") & Q(submission__isnull=True)),
                name="agendaitem_briefing_has_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_in_meeting")]

    def __str__(self) -> str:
        return str(_("Decision %(number)s") % {"number": self.number})


class ActionPoint(models.Model):
    """Something the Committee asked an entity or a working group to do by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_points")
    text = models.TextField(_("action"))
    owner_entity = models.ForeignKey(
        "compact.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_points",
        verbose_name=_("owner entity"),
    )
    owner_group = models.ForeignKey(
        "workinggroups.WorkingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_points",
        verbose_name=_("owner working group"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(_("closed"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_entity__isnull=False, owner_group__isnull=True)
                | Q(owner_entity__isnull=True, owner_group__isnull=False),
                name="actionpoint_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def owner(self) -> models.Model:
        return self.owner_entity or self.owner_group


class CascadeBriefing(models.Model):
    """A Committee member briefed a working group on a policy item (V.15)."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="cascade")
    working_group = models.ForeignKey("workinggroups.WorkingGroup", on_delete=models.PROTECT, related_name="+")
    briefed_on = models.DateField(_("briefed on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("cascade briefing")
        verbose_name_plural = _("cascade briefings")
        ordering = ["briefed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "working_group"], name="cascade_once_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.agenda_item} → {self.working_group}"
