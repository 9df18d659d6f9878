"""The forms of a reorganisation's pages: the draft's heading, a group of the new structure, a
line of the mapping (one per old group), and the moves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from compact.lib import integers
from reporting.committee.models import Decision
from reporting.reorganisation.models import Reorganisation, ReorganisationMapping, ReorganisationTarget
from reporting.reorganisation.selectors import decisions_for_reorganisation, groups_to_continue
from reporting.reorganisation.workflow import REORGANISATION_TRANSITIONS
from workinggroups.models import WorkingGroup

MAX_TEXT = 20_000


class ReorganisationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    effective_on = forms.DateField(
        label=_("The new structure starts on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The old groups end the day before; their roles end with them."),
    )
    rationale = forms.CharField(
        label=_("Rationale"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)


class TargetForm(forms.Form):
    """A group of the new structure: an existing group that carries on, or a new one."""

    continues = integers.ModelChoiceField(
        label=_("Keep a group as it is"),
        queryset=WorkingGroup.objects.none(),
        required=False,
        empty_label=_("— a new group —"),
    )
    number = forms.IntegerField(label=_("Number of the new group"), required=False, min_value=1, max_value=99)
    name = forms.CharField(label=_("Name"), required=False, max_length=255)
    short_name = forms.CharField(label=_("Short name"), required=False, max_length=64)
    mandate = forms.CharField(
        label=_("Mandate"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, reorganisation: Reorganisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = reorganisation.targets.filter(continues__isnull=False).values("continues")
        self.fields["continues"].queryset = groups_to_continue(reorganisation).exclude(pk__in=taken)


class MappingForm(forms.Form):
    """Where one old group's work goes (its line of the mapping)."""

    targets = integers.ModelMultipleChoiceField(
        label=_("Its work goes to"),
        queryset=ReorganisationTarget.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: the group's work ends with it."),
    )
    carry_roles = forms.BooleanField(label=_("Chairs, vice-chairs and members"), required=False)
    carry_outputs = forms.BooleanField(label=_("Work-plan outputs still to deliver"), required=False)
    carry_themes = forms.BooleanField(label=_("Matrix themes of its projects"), required=False)
    carry_indicators = forms.BooleanField(label=_("Programme priorities and indicators"), required=False)
    reports_to = integers.ModelChoiceField(
        label=_("Its open reports go to"),
        queryset=ReorganisationTarget.objects.none(),
        required=False,
        empty_label=_("— closed with the note —"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(
        self,
        *args: Any,
        reorganisation: Reorganisation,
        targets: list[ReorganisationTarget] | None = None,
        **kwargs: Any,
    ) -> None:
        """``targets``: the new structure, read once by a page that draws a form for every old
        group; the choices are then drawn from it instead of a query for each field of each form
        (the queryset still checks what is posted)."""
        super().__init__(*args, **kwargs)
        queryset = reorganisation.targets.select_related("continues").order_by("number", "continues__number", "pk")
        self.fields["targets"].queryset = queryset
        self.fields["reports_to"].queryset = queryset
        if targets is not None:
            choices = [(target.pk, str(target)) for target in targets]
            self.fields["targets"].choices = choices
            self.fields["reports_to"].choices = [("", self.fields["reports_to"].empty_label), *choices]

    def flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ReorganisationMapping.CARRY_FLAGS]


class DecisionChoiceField(integers.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return str(
            _("%(date)s, decision %(number)s: %(text)s")
            % {"date": obj.meeting.date.isoformat(), "number": obj.number, "text": obj.text[:120]}
        )


class ActForm(forms.Form):
    action = forms.ChoiceField(choices=[(t.action, t.label) for t in REORGANISATION_TRANSITIONS])
    decision = DecisionChoiceField(
        label=_("Adopted by decision"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("— choose the Committee's decision —"),
        help_text=_("A decision of a meeting that was held, not used to adopt anything else."),
    )
    message = forms.CharField(
        label=_("Reason"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions_for_reorganisation()
