"""The Trust Fund for Counter-Terrorism (objective IV(h) of the Compact: resource mobilisation):
its donors and their contributions.

A/72/840, Annex V lists the Member States and Permanent Observers contributing to the Trust Fund
in descending order of their contributions, without amounts: the rank is the only figure the
report gives. Each row keeps its source and how sure we are of it (``Evidence``), like the
registry's facts; a contribution carries a classification, as everything else does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification
from compact.registry.models import Evidence


class Donor(models.Model):
    """A Member State or Permanent Observer (the European Union among them) that gives to the
    Trust Fund, by its ISO 3166-1 alpha-2 code ("EU", reserved for the Union, for the EU)."""

    class Kind(models.TextChoices):
        MEMBER_STATE = "member-state", _("Member State")
        OBSERVER = "observer", _("Permanent Observer")

    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2; EU for the Union."))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    evidence = models.CharField(_("evidence"), max_length=16, choices=Evidence.choices)
    source = models.CharField(_("source"), max_length=500)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contribution(models.Model):
    """What a donor gave to the Trust Fund for a year, as far as a source says: its rank among
    that year's contributors (largest first), its amount when a source gives one."""

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="contributions")
    year = models.PositiveSmallIntegerField(_("year"))
    rank = models.PositiveSmallIntegerField(
        _("rank"), null=True, blank=True, help_text=_("Its place among the year's contributors, largest first.")
    )
    amount_usd = models.DecimalField(
        _("pledged (USD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The amount pledged for the year; earmarks never add up to more."),
    )
    received_usd = models.DecimalField(_("received (USD)"), max_digits=14, decimal_places=2, null=True, blank=True)
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    evidence = models.CharField(_("evidence"), max_length=16, choices=Evidence.choices)
    source = models.CharField(_("source"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contribution to the Trust Fund")
        verbose_name_plural = _("contributions to the Trust Fund")
        ordering = ["-year", "rank", "donor__name"]
        constraints = [
            models.UniqueConstraint(fields=["donor", "year"], name="contribution_one_per_donor_and_year"),
            models.UniqueConstraint(
                fields=["year", "rank"], condition=models.Q(rank__isnull=False), name="contribution_rank_unique"
            ),
            models.CheckConstraint(condition=models.Q(amount_usd__gte=0), name="contribution_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(received_usd__gte=0), name="contribution_received_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.year}"


class Earmark(models.Model):
    """Part of a contribution set aside for one project of the matrix or one working group.

    The earmarks of a contribution never add up to more than its pledged amount (checked by
    ``earmark_add`` under a lock on the contribution). Its classification is the strictest of
    the contribution's and the project's when it was made; readers are also checked against
    both of those as they stand now."""

    contribution = models.ForeignKey(Contribution, on_delete=models.PROTECT, related_name="earmarks")
    project = models.ForeignKey(
        "compact.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="earmarks"
    )
    working_group = models.ForeignKey(
        "workinggroups.WorkingGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="earmarks"
    )
    amount_usd = models.DecimalField(_("amount (USD)"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("earmark")
        verbose_name_plural = _("earmarks")
        ordering = ["-contribution__year", "contribution__donor__name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_usd__gt=0), name="earmark_amount_positive"),
            models.CheckConstraint(
                condition=(models.Q(project__isnull=False) & models.Q(working_group__isnull=True))
                | (models.Q(project__isnull=True) & models.Q(working_group__isnull=False)),
                name="earmark_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contribution}: {self.amount_usd}"
