"""Forms of the M&E framework's pages: each parses input for one service call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from compact.lib import integers
from compact.registry.models import Pillar
from reporting.monitoring.framework import INDICATOR_FIELDS, dimension_choices
from reporting.programme.models import Indicator, ProgrammeOfWork
from workinggroups.models import WorkingGroup
from workinggroups.selectors import workinggroups_to_link

MAX_TEXT = 10_000


class IndicatorForm(forms.Form):
    """OCT adds or changes an indicator (``indicator_create`` / ``indicator_update``)."""

    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("E.g. 1.1 or OC-3."))
    name = forms.CharField(label=_("Indicator"), max_length=300)
    definition = forms.CharField(
        label=_("Definition"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is counted or measured, and how."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=60, help_text=_("E.g. number of States, %, events."))
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=14, decimal_places=2, required=False)
    baseline_year = integers.IntegerField(label=_("Baseline year"), min_value=2000, max_value=2100, required=False)
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices)
    aggregation = forms.ChoiceField(
        label=_("Combining the groups' values"),
        choices=Indicator.Aggregation.choices,
        help_text=_("Counts add up; rates and scores are averaged."),
    )
    frequency = forms.ChoiceField(label=_("Reported"), choices=Indicator.Frequency.choices)
    disaggregation = forms.MultipleChoiceField(
        label=_("Disaggregated by"), choices=dimension_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    pillars = forms.MultipleChoiceField(
        label=_("Pillars of the Strategy"), choices=Pillar.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    priorities = integers.ModelMultipleChoiceField(
        label=_("Priorities"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    working_groups = integers.ModelMultipleChoiceField(
        label=_("Reported by"),
        queryset=WorkingGroup.objects.filter(retired_on__isnull=True).order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The working groups that report values for this indicator in their progress reports."),
    )

    def __init__(self, *args: Any, programme: ProgrammeOfWork, indicator: Indicator | None = None, **kwargs: Any):
        if indicator is not None:
            kwargs.setdefault("initial", _initial(indicator))
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = programme.priorities.order_by("position", "id")
        if indicator is not None:
            # A group that retired keeps its place on an indicator it reported.
            self.fields["working_groups"].queryset = workinggroups_to_link(indicator.working_groups.all())


def _initial(indicator: Indicator) -> dict[str, Any]:
    initial = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    initial.update(priorities=list(indicator.priorities.all()), working_groups=list(indicator.working_groups.all()))
    return initial


class IndicatorMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
