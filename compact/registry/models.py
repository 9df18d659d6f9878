"""The registry of the Compact's entities: their names and aliases, their membership history, and
the profiles of their people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compact.core.models import Classification
from compact.lib.languages import has_translation, translated
from compact.lib.text import validate_free_text, validate_name


class Evidence(models.TextChoices):
    """How sure we are of a fact in the registry (shown to users next to the fact)."""

    SEED = "seed", _("Stated in the 2018 report (A/72/840)")
    PUBLIC = "public", _("Stated on a public page")
    UNVERIFIED = "unverified", _("Unverified")
    SECRETARIAT = "secretariat", _("Recorded by the secretariat")
    DEMO = "demo", _("Demonstration data")


class Pillar(models.TextChoices):
    """The four pillars of the UN Global Counter-Terrorism Strategy (A/RES/60/288)."""

    CONDITIONS = "I", _("I. Addressing the conditions conducive to the spread of terrorism")
    PREVENTING = "II", _("II. Preventing and combating terrorism")
    CAPACITY = "III", _("III. Building States' capacity and strengthening the role of the UN")
    HUMAN_RIGHTS = "IV", _("IV. Human rights and the rule of law")


class Entity(models.Model):
    """A UN or partner organisation that is, was, or asks to be party to the Compact."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat department or office")
        FUND_PROGRAMME = "fund-programme", _("Fund or programme")
        SPECIALIZED_AGENCY = "specialized-agency", _("Specialized agency")
        RELATED_ORGANIZATION = "related-organization", _("Related organization")
        NON_UN = "non-un", _("Non-UN organization")
        SPECIAL_PROCEDURE = "special-procedure", _("Special procedure")

    acronym = models.CharField(_("acronym"), max_length=32, validators=[validate_name])
    name = models.CharField(_("full name"), max_length=255, validators=[validate_name])
    # Official names in the other UN languages ({"fr": {"name": "…"}}); where a language has
    # none, its pages show the English name, marked as English.
    name_translations = models.JSONField(_("official names in other languages"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    evidence = models.CharField(_("evidence"), max_length=16, choices=Evidence.choices, default=Evidence.SECRETARIAT)
    note = models.TextField(_("note"), blank=True, validators=[validate_free_text])
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["acronym"]
        constraints = [
            models.UniqueConstraint(Lower("acronym"), name="entity_acronym_ci_unique"),
            models.CheckConstraint(condition=~models.Q(acronym=""), name="entity_acronym_not_empty"),
        ]
        permissions = [("manage_entity_profile", _("Can manage the entity's profile and focal points"))]

    def __str__(self) -> str:
        return self.acronym

    @property
    def local_name(self) -> str:
        """The official name in the reader's language, else the English name."""
        return translated(self.name_translations, "name", self.name)

    @property
    def local_name_is_english(self) -> bool:
        """Whether ``local_name`` falls back to English in a page of another language."""
        return not has_translation(self.name_translations, "name")

    @property
    def is_unverified(self) -> bool:
        return self.evidence == Evidence.UNVERIFIED


class EntityAlias(models.Model):
    """Another name an entity is known by, so imports and forms resolve it."""

    class Kind(models.TextChoices):
        FORMER_NAME = "former-name", _("Former name")
        UNIT = "unit", _("Unit or office of the entity")
        ALIAS = "alias", _("Other name or spelling")

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=255, validators=[validate_name])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ALIAS)
    used_until = models.DateField(
        _("used until"), null=True, blank=True, help_text=_("Last day a former name was in use.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True, validators=[validate_free_text])

    class Meta:
        verbose_name = _("entity alias")
        verbose_name_plural = _("entity aliases")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="entityalias_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.entity.acronym}"


class Membership(models.Model):
    """One entry in an entity's membership history; the latest entry in force is its status."""

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")
        WITHDRAWN = "withdrawn", pgettext_lazy("membership", "Withdrawn")

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    effective_from = models.DateField(_("effective from"))
    signed_on = models.DateField(_("Compact signed on"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=16, choices=Evidence.choices, default=Evidence.SECRETARIAT)
    source_note = models.TextField(_("source or evidence note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership entry")
        verbose_name_plural = _("membership history")
        ordering = ["entity", "effective_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "effective_from"], name="membership_one_entry_per_entity_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(signed_on__isnull=True) | models.Q(status__in=["member", "observer"]),
                name="membership_signature_only_for_parties",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity.acronym}: {self.get_status_display()} from {self.effective_from}"


PARTY_STATUSES = (Membership.Status.MEMBER, Membership.Status.OBSERVER)


class Profile(models.Model):
    """What the Compact knows of a user: the entity they work for, their title, clearance."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="people")
    title = models.CharField(_("title"), max_length=255, blank=True, validators=[validate_name])
    clearance = models.CharField(
        _("clearance"),
        max_length=32,
        choices=Classification.choices,
        default=Classification.UNCLASSIFIED,
        help_text=_("Highest information classification this person may read."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()}"


class Organization(models.Model):
    """A body the matrix names that is not party to the Compact: a UN entity outside it (UNFPA,
    ILO …) or an intergovernmental or other partner (EU, AU, GCTF …). Kept apart from
    ``Entity`` on purpose: these rows never hold a membership, a seat or a focal point, so no
    roster page, seat choice or membership count can pick them up by mistake."""

    class Kind(models.TextChoices):
        UN_NOT_PARTY = "un-not-party", _("UN entity not party to the Compact")
        PARTNER = "partner", _("Partner organization")

    acronym = models.CharField(_("acronym"), max_length=32, validators=[validate_name])
    name = models.CharField(_("full name"), max_length=255, validators=[validate_name])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=500, blank=True, validators=[validate_free_text])

    class Meta:
        verbose_name = _("organization not party to the Compact")
        verbose_name_plural = _("organizations not party to the Compact")
        ordering = ["acronym"]
        constraints = [
            models.UniqueConstraint(Lower("acronym"), name="organization_acronym_ci_unique"),
            models.CheckConstraint(condition=~models.Q(acronym=""), name="organization_acronym_not_empty"),
        ]

    def __str__(self) -> str:
        return self.acronym


class OrganizationAlias(models.Model):
    """Another name or spelling of an organization ("PAM" for WFP), so imports resolve it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=255, validators=[validate_name])

    class Meta:
        verbose_name = _("organization alias")
        verbose_name_plural = _("organization aliases")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="organizationalias_name_ci_unique")]

    def __str__(self) -> str:
        return f"{self.name} → {self.organization.acronym}"
