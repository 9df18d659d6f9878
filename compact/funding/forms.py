"""The forms OCT fills in for the Trust Fund: a contribution, an earmark."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification
from compact.core.permissions import can_read_classification, readable_levels
from compact.funding.models import Donor, Earmark
from compact.funding.services import MAX_AMOUNT
from compact.lib import integers
from compact.registry.models import Evidence


def _amount_field(label: str, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=14, decimal_places=2, min_value=0, max_value=MAX_AMOUNT
    )


def _classification_choices(user: AbstractBaseUser) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Classification.choices if can_read_classification(user, value)]


class ContributionForm(forms.Form):
    donor = integers.ModelChoiceField(label=_("Donor"), queryset=Donor.objects.order_by("name"))
    year = integers.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    pledged_usd = _amount_field(_("Pledged (USD)"))
    received_usd = _amount_field(_("Received (USD)"))
    classification = forms.ChoiceField(label=_("Classification"))
    evidence = forms.ChoiceField(label=_("Evidence"), choices=Evidence.choices, initial=Evidence.PUBLIC)
    source = forms.CharField(
        label=_("Source"), max_length=500, help_text=_("Where the contribution is stated: a document, a letter, a URL.")
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["classification"].choices = _classification_choices(user)
        if editing:  # a contribution stays its donor's and its year's
            del self.fields["donor"], self.fields["year"]


class EarmarkForm(forms.Form):
    """An earmark to one project (any the officer may read) or one working group."""

    amount_usd = _amount_field(_("Amount (USD)"), required=True)
    project = integers.ModelChoiceField(label=_("Project"), queryset=Earmark.objects.none(), required=False)
    working_group = integers.ModelChoiceField(label=_("Working group"), queryset=Earmark.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The matrix and the working groups sit above the Trust Fund's layer: their models are
        # reached through the earmark's own foreign keys.
        projects = Earmark.project.field.related_model.objects.filter(classification__in=readable_levels(user))
        self.fields["project"].queryset = projects.order_by("title")
        groups = Earmark.working_group.field.related_model.objects.filter(retired_on__isnull=True)
        self.fields["working_group"].queryset = groups.order_by("number")
        self.fields["project"].label_from_instance = lambda project: project.title[:120]
