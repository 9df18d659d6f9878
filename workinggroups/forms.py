"""Forms for a working group's work plans. They parse input; the work-plan services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from compact.lib import integers
from compact.registry.models import Entity, Pillar
from workinggroups.models import WorkPlan, WorkPlanActivity, WorkPlanOutput
from workinggroups.workplans import BIENNIUM_FIRST_YEARS

SUMMARY_MAX_LENGTH = 10_000


class WorkPlanCreateForm(forms.Form):
    biennium_start = integers.IntegerField(
        label=_("First year of the biennium"),
        min_value=BIENNIUM_FIRST_YEARS[0],
        max_value=BIENNIUM_FIRST_YEARS[-1],
        help_text=_("2026 for the 2026–2027 work plan."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class WorkPlanSummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, plan: WorkPlan, **kwargs: Any) -> None:
        super().__init__(*args, initial={"summary": plan.summary}, **kwargs)


class WorkPlanOutputForm(forms.Form):
    title = forms.CharField(
        label=_("Output"),
        max_length=WorkPlanOutput._meta.get_field("title").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the output.")},
    )

    def __init__(self, *args: Any, output: WorkPlanOutput | None = None, **kwargs: Any) -> None:
        initial = {"title": output.title} if output is not None else None
        super().__init__(*args, initial=initial, **kwargs)


class EntityChoiceField(integers.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Entity) -> str:
        return f"{obj.acronym} — {obj.local_name}"


def _lead_entity_choices(activity: WorkPlanActivity | None) -> QuerySet[Entity]:
    """Active entities, and any entity the activity already names (so an edit never drops a
    lead entity that has since become inactive)."""
    chosen = Q(led_activities=activity) if activity is not None else Q(pk__in=[])
    return Entity.objects.filter(Q(is_active=True) | chosen).distinct().order_by("acronym")


class WorkPlanActivityForm(forms.Form):
    title = forms.CharField(
        label=_("Activity"),
        max_length=WorkPlanActivity._meta.get_field("title").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the activity.")},
    )
    lead_entities = EntityChoiceField(
        label=_("Lead entities"),
        queryset=Entity.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose more than one."),
    )
    target_date = forms.DateField(
        label=_("Target date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    pillars = forms.MultipleChoiceField(
        label=_("Pillars of the Strategy"),
        choices=Pillar.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(label=_("Status"), choices=WorkPlanActivity.Status.choices)

    def __init__(self, *args: Any, plan: WorkPlan, activity: WorkPlanActivity | None = None, **kwargs: Any) -> None:
        super().__init__(*args, initial=self._initial(activity), **kwargs)
        self.fields["lead_entities"].queryset = _lead_entity_choices(activity)
        self.fields["target_date"].help_text = _("Within the %(biennium)s biennium.") % {
            "biennium": plan.biennium_label
        }

    @staticmethod
    def _initial(activity: WorkPlanActivity | None) -> dict[str, Any]:
        if activity is None:
            return {"status": WorkPlanActivity.Status.PLANNED}
        return {
            "title": activity.title,
            "lead_entities": list(activity.lead_entities.all()),
            "target_date": activity.target_date,
            "pillars": activity.pillars,
            "status": activity.status,
        }
