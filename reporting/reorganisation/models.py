"""A reorganisation of the working groups as one decision of the Coordination Committee.

OCT drafts the new structure (``ReorganisationTarget``: a group that carries on as it is, or a
new group) and the mapping from each old group to its successors (``ReorganisationMapping``:
to which new groups its work goes, and what goes with it: roles, work-plan outputs, matrix
themes, programme priorities and indicators, open reports). Adoption, recorded against a
decision of a held meeting, applies the mapping on the day it takes effect and keeps what it
did (``ReorganisationEffect``), so that both structures stay readable on either side of the day:
the groups, their roles and their successors are all dated.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification
from compact.lib.text import validate_free_text, validate_name
from compact.registry.models import Evidence
from workinggroups.models import RoleAssignment


class Reorganisation(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200, validators=[validate_name])
    rationale = models.TextField(_("rationale"), blank=True, validators=[validate_free_text])
    effective_on = models.DateField(
        _("takes effect on"), help_text=_("The first day of the new structure; the old groups end the day before.")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    decision = models.OneToOneField(
        "reporting.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reorganisation",
        verbose_name=_("adopted by decision"),
    )
    evidence = models.CharField(_("evidence"), max_length=16, choices=Evidence.choices, default=Evidence.SECRETARIAT)
    source = models.CharField(_("source"), max_length=500, blank=True, help_text=_("Where a loaded fact is stated."))
    # The reference file's key of a reorganisation loaded from it (load_reference finds it again
    # by this, whatever OCT corrected since); empty for one drafted in the product.
    reference_key = models.SlugField(max_length=64, unique=True, null=True, blank=True, editable=False)
    revision = models.PositiveIntegerField(default=0)
    # Whoever changed the draft does not record its adoption (four eyes).
    drafters = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField(_("adoption recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("reorganisation of the working groups")
        verbose_name_plural = _("reorganisations of the working groups")
        ordering = ["-effective_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class ReorganisationTarget(models.Model):
    """A group of the new structure: one that carries on unchanged (``continues``), or a new one
    (number, names, mandate), created on adoption as ``group``. A group is never renamed or
    renumbered in place: a new number or name is a new group, so that the old one still reads
    as it was before the day."""

    reorganisation = models.ForeignKey(Reorganisation, on_delete=models.CASCADE, related_name="targets")
    continues = models.ForeignKey(
        "workinggroups.WorkingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carries on"),
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True, validators=[validate_name])
    short_name = models.CharField(_("short name"), max_length=64, blank=True, validators=[validate_name])
    mandate = models.TextField(_("mandate"), blank=True, validators=[validate_free_text])
    group = models.ForeignKey(
        "workinggroups.WorkingGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # How sure we are of a loaded fact (a name found on a public page, or not confirmed).
    evidence = models.CharField(_("evidence"), max_length=16, choices=Evidence.choices, default=Evidence.SECRETARIAT)

    class Meta:
        verbose_name = _("group of the new structure")
        verbose_name_plural = _("groups of the new structure")
        ordering = ["reorganisation", "number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(continues__isnull=False) | models.Q(number__isnull=False),
                name="reorganisationtarget_continues_or_new",
            ),
            models.UniqueConstraint(
                fields=["reorganisation", "continues"],
                condition=models.Q(continues__isnull=False),
                name="reorganisationtarget_continues_once",
            ),
            models.UniqueConstraint(
                fields=["reorganisation", "number"],
                condition=models.Q(continues__isnull=True),
                name="reorganisationtarget_number_once",
            ),
        ]

    def __str__(self) -> str:
        if self.continues_id:
            return str(self.continues)
        return str(_("WG %(number)s: %(name)s") % {"number": self.number, "name": self.short_name})

    @property
    def is_new(self) -> bool:
        return self.continues_id is None

    @property
    def shown_number(self) -> int:
        return self.continues.number if self.continues_id else self.number


class ReorganisationMapping(models.Model):
    """Where one old group's work goes. With no target, the group ends and its work with it."""

    reorganisation = models.ForeignKey(Reorganisation, on_delete=models.CASCADE, related_name="mappings")
    source = models.ForeignKey(
        "workinggroups.WorkingGroup", on_delete=models.PROTECT, related_name="+", verbose_name=_("old group")
    )
    targets = models.ManyToManyField(ReorganisationTarget, blank=True, related_name="mappings")
    carry_roles = models.BooleanField(_("chairs, vice-chairs and members"), default=True)
    carry_outputs = models.BooleanField(_("work-plan outputs"), default=True)
    carry_themes = models.BooleanField(_("matrix themes"), default=True)
    carry_indicators = models.BooleanField(_("programme priorities and indicators"), default=True)
    # What a line of the mapping may carry to its successors, each said yes or no.
    CARRY_FLAGS = ("carry_roles", "carry_outputs", "carry_themes", "carry_indicators")
    reports_to = models.ForeignKey(
        ReorganisationTarget,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("open reports carried to"),
        help_text=_("Empty: the old group's open reports are closed with the note."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True, validators=[validate_free_text])
    evidence = models.CharField(_("evidence"), max_length=16, choices=Evidence.choices, default=Evidence.SECRETARIAT)

    class Meta:
        verbose_name = _("line of the mapping")
        verbose_name_plural = _("lines of the mapping")
        ordering = ["reorganisation", "source__number"]
        constraints = [
            models.UniqueConstraint(fields=["reorganisation", "source"], name="reorganisationmapping_source_once"),
        ]

    def __str__(self) -> str:
        return str(self.source)


class ReorganisationEffect(models.Model):
    """One thing an adoption did (or, unsaved, one thing the preview says it will do)."""

    class Kind(models.TextChoices):
        GROUP_CREATED = "group_created", _("Group established")
        GROUP_CONTINUES = "group_continues", _("Group carries on")
        GROUP_RETIRED = "group_retired", _("Group ends")
        ROLE_CARRIED = "role_carried", _("Role carried")
        OUTPUT_CARRIED = "output_carried", _("Work-plan output carried")
        THEME_CARRIED = "theme_carried", _("Matrix theme carried")
        PRIORITY_MOVED = "priority_moved", _("Programme priority moved")
        INDICATOR_MOVED = "indicator_moved", _("Programme indicator moved")
        REPORT_CARRIED = "report_carried", _("Open report carried")
        REPORT_CLOSED = "report_closed", _("Open report closed")

    reorganisation = models.ForeignKey(Reorganisation, on_delete=models.CASCADE, related_name="effects")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    source = models.ForeignKey(
        "workinggroups.WorkingGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target = models.ForeignKey(
        "workinggroups.WorkingGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What moved, named as it was (an entity's acronym and role, an output's title, a project's
    # or an indicator's reference, a report's period): the thing itself may change later.
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    submission = models.ForeignKey(
        "reporting.Submission", on_delete=models.SET_NULL, null=True, blank=True, related_name="reorganisation_effects"
    )
    role = models.CharField(_("role"), max_length=16, blank=True, choices=RoleAssignment.Role.choices)
    project = models.ForeignKey("compact.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The classification of what the row names (a project's title, a report): readers see the
    # rows their clearance reaches, as everywhere else.
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("effect of a reorganisation")
        verbose_name_plural = _("effects of a reorganisation")
        ordering = ["reorganisation", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def kind_label(self) -> str:
        return self.get_kind_display()

    @property
    def role_label(self) -> str:
        return self.get_role_display() if self.role else ""
