"""Working groups and the dated roles entities hold in them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.lib.languages import translated
from compact.lib.text import validate_free_text, validate_name
from compact.registry.models import Evidence


class WorkingGroupQuerySet(models.QuerySet["WorkingGroup"]):
    def active_on(self, day: datetime.date) -> WorkingGroupQuerySet:
        """Groups established by ``day`` and not yet retired on it."""
        established = models.Q(established_on__isnull=True) | models.Q(established_on__lte=day)
        not_retired = models.Q(retired_on__isnull=True) | models.Q(retired_on__gt=day)
        return self.filter(established & not_retired)


class WorkingGroup(models.Model):
    """A thematic working group. Retired groups are kept, with what they merged into."""

    code = models.SlugField(
        _("reference code"),
        max_length=32,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stable key that data imports use to find the group, whatever its name or number."),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=255, validators=[validate_name])
    short_name = models.CharField(_("short name"), max_length=64, validators=[validate_name])
    # The names in the other UN languages ({"fr": {"name": "…", "short_name": "…"}}).
    name_translations = models.JSONField(_("names in other languages"), default=dict, blank=True)
    mandate = models.TextField(_("mandate"), blank=True, validators=[validate_free_text])
    established_on = models.DateField(_("established on"), null=True, blank=True)
    retired_on = models.DateField(
        _("retired on"), null=True, blank=True, help_text=_("First day the group no longer exists.")
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    # The groups a reorganisation passed this group's work to (one or several: a split), set
    # when it is adopted; ``merged_into`` keeps the single successor of a plain merger.
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors", verbose_name=_("succeeded by")
    )
    evidence = models.CharField(_("evidence"), max_length=16, choices=Evidence.choices, default=Evidence.SECRETARIAT)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["number", "established_on"]
        constraints = [
            # Numbers are reused after a reorganisation, but never by two live groups.
            models.UniqueConstraint(
                fields=["number"],
                condition=models.Q(retired_on__isnull=True),
                name="workinggroup_number_unique_while_active",
            ),
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True) | models.Q(retired_on__isnull=False),
                name="workinggroup_only_retired_groups_merge",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="workinggroup_not_merged_into_itself",
            ),
        ]
        permissions = [
            ("lead_workinggroup", _("Can edit and submit the group's work plan and reports")),
        ]

    def __str__(self) -> str:
        return _("WG %(number)s: %(name)s") % {"number": self.number, "name": self.local_short_name}

    @property
    def local_name(self) -> str:
        """The name in the reader's language (English when it has none there)."""
        return translated(self.name_translations, "name", self.name)

    @property
    def local_short_name(self) -> str:
        return translated(self.name_translations, "short_name", self.short_name)

    def is_active_on(self, day: datetime.date) -> bool:
        if self.established_on and self.established_on > day:
            return False
        return self.retired_on is None or self.retired_on > day

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def in_force_on(self, day: datetime.date) -> RoleAssignmentQuerySet:
        ended_later = models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
        return self.filter(models.Q(starts_on__lte=day) & ended_later)

    def leading(self) -> RoleAssignmentQuerySet:
        return self.filter(role__in=RoleAssignment.LEADING_ROLES)


class RoleAssignment(models.Model):
    """An entity's role in a working group over a span of days, with the person representing it."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice-chair", _("Vice-chair")
        MEMBER = "member", _("Member")

    LEADING_ROLES = (Role.CHAIR, Role.VICE_CHAIR)

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="assignments")
    entity = models.ForeignKey("compact.Entity", on_delete=models.PROTECT, related_name="wg_roles")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wg_assignments",
        verbose_name=_("representative"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Last day, inclusive."))
    evidence = models.CharField(_("evidence"), max_length=16, choices=Evidence.choices, default=Evidence.SECRETARIAT)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["working_group__number", "role", "entity__acronym", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="roleassignment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["working_group", "entity", "role", "starts_on"],
                name="roleassignment_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.get_role_display()} of {self.working_group}"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    @property
    def is_leading(self) -> bool:
        return self.role in self.LEADING_ROLES


class WorkPlan(models.Model):
    """A working group's plan for a biennium (2018–2019 …): outputs, each with activities.

    The chair and vice-chairs maintain it; progress reports list its activities."""

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="work_plans")
    biennium_start = models.PositiveSmallIntegerField(
        _("first year of the biennium"), help_text=_("2018 for the 2018–2019 work plan.")
    )
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["working_group__number", "-biennium_start"]
        constraints = [
            models.UniqueConstraint(fields=["working_group", "biennium_start"], name="workplan_one_per_biennium"),
            models.CheckConstraint(
                condition=models.Q(biennium_start__gte=2000, biennium_start__lte=2100),
                name="workplan_biennium_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.working_group} — {self.biennium_label}"

    @property
    def biennium_label(self) -> str:
        return f"{self.biennium_start}–{self.biennium_start + 1}"

    def covers(self, day: datetime.date) -> bool:
        return self.biennium_start <= day.year <= self.biennium_start + 1


class WorkPlanOutput(models.Model):
    """An expected output of a work plan; activities deliver it."""

    work_plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="outputs")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("output"), max_length=500)

    class Meta:
        verbose_name = _("work-plan output")
        verbose_name_plural = _("work-plan outputs")
        ordering = ["work_plan", "position", "id"]

    def __str__(self) -> str:
        return self.title


class WorkPlanActivity(models.Model):
    """An activity of a work-plan output, with its lead entities, target date, pillars and status."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    output = models.ForeignKey(WorkPlanOutput, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("activity"), max_length=500)
    lead_entities = models.ManyToManyField(
        "compact.Entity", blank=True, related_name="led_activities", verbose_name=_("lead entities")
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    pillars = models.JSONField(_("pillars of the Strategy"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        verbose_name = _("work-plan activity")
        verbose_name_plural = _("work-plan activities")
        ordering = ["output__position", "output_id", "position", "id"]

    def __str__(self) -> str:
        return self.title
