"""The matrix of the parties' projects and activities, by country and theme (Annex III, V.19)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification
from compact.registry.models import Entity, Organization, Pillar


class MatrixImport(models.Model):
    """One committed import of a matrix file: what it was, who loaded it, what it did."""

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    file_format = models.CharField(_("format"), max_length=8)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    # Declared vs found per pillar, as ``compact.lib.matrix.matrix_reconcile`` explains it.
    reconciliation = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("matrix import")
        verbose_name_plural = _("matrix imports")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d})"


class Project(models.Model):
    """A project or activity of one or more parties, where it happens and what it serves."""

    class Status(models.TextChoices):
        IN_DEVELOPMENT = "in-development", _("In development")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    class Stage(models.TextChoices):
        """The UNOCT project lifecycle (A/72/840, Annex IV, para. 9)."""

        IDEA = "idea", _("Idea")
        ANALYSIS = "analysis", _("Analysis")
        PLANNING = "planning", _("Planning")
        FINANCING = "financing", _("Financing")
        INITIATION = "initiation", _("Initiation")
        IMPLEMENTATION = "implementation", _("Implementation")
        EVALUATION = "evaluation", _("Evaluation")

    class Scope(models.TextChoices):
        GLOBAL = "global", _("Global")
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")

    title = models.CharField(_("title"), max_length=1000)
    main_activities = models.TextField(_("main activities"), blank=True)
    lead_entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name=_("lead entity"),
    )
    partner_entities = models.ManyToManyField(
        Entity, blank=True, related_name="partner_projects", verbose_name=_("partner entities")
    )
    partner_organizations = models.JSONField(
        _("partner organizations"),
        default=list,
        blank=True,
        help_text=_("Organizations that are not parties (EU, LAS …)."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    stage = models.CharField(_("lifecycle stage"), max_length=16, choices=Stage.choices, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    start_month = models.PositiveSmallIntegerField(_("start month"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    end_month = models.PositiveSmallIntegerField(_("end month"), null=True, blank=True)
    duration_text = models.CharField(_("duration as written"), max_length=100, blank=True)
    recurring = models.BooleanField(
        _("recurring event"),
        default=False,
        help_text=_("Held again each year (the report's “Annual event”), not one long project."),
    )
    pillars = models.JSONField(_("pillars"), default=list, blank=True)
    themes = models.ManyToManyField(
        "workinggroups.WorkingGroup", blank=True, related_name="projects", verbose_name=_("themes (working groups)")
    )
    # When OCT confirmed ``themes`` (None: only suggested so far); an import never overwrites a
    # confirmation, and refreshes the suggestions of unconfirmed projects.
    themes_confirmed_at = models.DateTimeField(_("themes confirmed"), null=True, blank=True)
    themes_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scope = models.CharField(_("geographic scope"), max_length=16, choices=Scope.choices, blank=True)
    scope_text = models.CharField(_("scope as written"), max_length=500, blank=True)
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    gender_marker = models.BooleanField(_("gender equality considered"), null=True, blank=True)
    supports_security_forces = models.BooleanField(
        _("supports non-UN security forces"),
        null=True,
        blank=True,
        help_text=_(
            "Support to non-UN security forces falls under the Human Rights Due Diligence Policy: an "
            "assessment must be recorded before the project moves to implementation."
        ),
    )
    hrdd_assessed = models.BooleanField(
        _("human-rights due diligence assessed"),
        null=True,
        blank=True,
        help_text=_("A risk assessment under the HRDDP where the project supports non-UN security forces."),
    )
    budget_usd = models.DecimalField(_("budget (USD)"), max_digits=14, decimal_places=2, null=True, blank=True)
    donors = models.CharField(
        _("donors not matched (note)"),
        max_length=500,
        blank=True,
        help_text=_("Donors as written where no donor of the Trust Fund matches; the linked donors are kept apart."),
    )
    funders = models.ManyToManyField(
        "compact.Donor", blank=True, related_name="funded_projects", verbose_name=_("donors")
    )
    source_key = models.CharField(
        _("source key"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Where an import found the row (e.g. a72-840:I:18), so a re-import updates it."),
    )
    source_import = models.ForeignKey(
        MatrixImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last update"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_month__isnull=True) | models.Q(start_month__gte=1, start_month__lte=12),
                name="project_start_month_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(end_month__isnull=True) | models.Q(end_month__gte=1, end_month__lte=12),
                name="project_end_month_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="project_status_idx"),
            models.Index(fields=["start_year", "end_year"], name="project_years_idx"),
        ]

    def __str__(self) -> str:
        return self.title[:120]

    def get_pillars_display(self) -> list[str]:
        labels = dict(Pillar.choices)
        return [str(labels.get(value, value)) for value in self.pillars]


class ProjectStageStep(models.Model):
    """One move of a project through the lifecycle (A/72/840, Annex IV, para. 9): the stage it
    left and reached, the day it reached it, the entity responsible at that step and the person
    who recorded it, and CTED's contribution where Annex IV asks for it (planning, financing,
    initiation)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_steps")
    action = models.CharField(_("action"), max_length=32)
    from_stage = models.CharField(_("from"), max_length=16, choices=Project.Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=16, choices=Project.Stage.choices)
    reached_on = models.DateField(_("reached on"))
    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("responsible entity")
    )
    cted_input = models.TextField(_("CTED's contribution"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("lifecycle step")
        verbose_name_plural = _("lifecycle steps")
        ordering = ["reached_on", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_stage or '-'} -> {self.to_stage}"


class HrddpAssessment(models.Model):
    """A risk assessment under the UN Human Rights Due Diligence Policy (A/72/840, Annex III,
    IV(j)) for a project that supports non-UN security forces: when, by which entity, with what
    outcome. Its text carries the project's classification."""

    class Outcome(models.TextChoices):
        LOW = "low", _("Low risk: support may proceed")
        MITIGATED = "mitigated", _("Risk mitigated: support may proceed with the measures recorded")
        HIGH = "high", _("Substantial risk that cannot be mitigated: no support")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="hrddp_assessments")
    assessed_on = models.DateField(_("assessed on"))
    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("assessed by")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    summary = models.TextField(_("summary and mitigating measures"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("HRDDP assessment")
        verbose_name_plural = _("HRDDP assessments")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.assessed_on} {self.outcome}"

    @property
    def allows_support(self) -> bool:
        return self.outcome != self.Outcome.HIGH


class ProjectCountry(models.Model):
    """A country (ISO 3166-1 alpha-2) where a project works: a row each, to filter and count."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="country_rows")
    country = models.CharField(_("country"), max_length=2, db_index=True)

    class Meta:
        verbose_name = _("project country")
        verbose_name_plural = _("project countries")
        constraints = [models.UniqueConstraint(fields=["project", "country"], name="projectcountry_unique")]

    def __str__(self) -> str:
        return self.country


class ProjectRegion(models.Model):
    """A region or grouping (UN M49, Sahel, Lake Chad Basin …) a project covers."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="region_rows")
    region = models.CharField(_("region"), max_length=48, db_index=True)

    class Meta:
        verbose_name = _("project region")
        verbose_name_plural = _("project regions")
        constraints = [models.UniqueConstraint(fields=["project", "region"], name="projectregion_unique")]

    def __str__(self) -> str:
        return self.region


class ProjectPillar(models.Model):
    """A Strategy pillar a project serves, as a row (mirrors ``Project.pillars``) to count by."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="pillar_rows")
    pillar = models.CharField(_("pillar"), max_length=3, choices=Pillar.choices, db_index=True)

    class Meta:
        verbose_name = _("project pillar")
        verbose_name_plural = _("project pillars")
        constraints = [models.UniqueConstraint(fields=["project", "pillar"], name="projectpillar_unique")]

    def __str__(self) -> str:
        return self.pillar


class OverlapReview(models.Model):
    """OCT looked at two projects flagged as overlapping and recorded what it concluded."""

    first = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), default=timezone.now)

    class Meta:
        verbose_name = _("overlap review")
        verbose_name_plural = _("overlap reviews")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="overlapreview_unique_pair"),
            # One order per pair, so (A, B) and (B, A) are the same review.
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="overlapreview_ordered_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} × {self.second_id}"


class ProjectMention(models.Model):
    """A name the source gives for a project's implementer, as written ("MINUSMA", "PAM"), in
    the order written, with what it resolved to: a Compact entity (through one of its units or
    aliases), an organization not party to the Compact, or nothing yet (OCT maps it)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="mentions")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name as written"), max_length=255)
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    not_an_entity = models.BooleanField(_("not an entity"), default=False)

    class Meta:
        verbose_name = _("entity mention")
        verbose_name_plural = _("entity mentions")
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(fields=["project", "position"], name="projectmention_unique_position"),
            models.CheckConstraint(
                condition=~(models.Q(entity__isnull=False) & models.Q(organization__isnull=False)),
                name="projectmention_one_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_linked(self) -> bool:
        return self.entity_id is not None or self.organization_id is not None


class NonEntityName(models.Model):
    """A name OCT decided is no entity or organization at all (a typo, a programme's name), so
    the next import counts it as settled instead of listing it again."""

    name = models.CharField(_("name"), max_length=255)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("name that is not an entity")
        verbose_name_plural = _("names that are not entities")
        constraints = [models.UniqueConstraint(Lower("name"), name="nonentityname_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class ThemeSuggestion(models.Model):
    """A working group the rule-based classifier suggests for a project, with the reasons it
    gives (``compact.matrix.themes``), for OCT to confirm or change."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="theme_suggestions")
    working_group = models.ForeignKey("workinggroups.WorkingGroup", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    fallback = models.BooleanField(
        default=False, help_text=_("No rule scored enough: the weak signal or the pillar's group.")
    )

    class Meta:
        verbose_name = _("theme suggestion")
        verbose_name_plural = _("theme suggestions")
        ordering = ["-score", "working_group__number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "working_group"], name="themesuggestion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} → {self.working_group_id}"
