"""Forms of CTED's country visits: they parse what was typed; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification
from compact.lib import integers
from compact.matrix.forms import CountrySelect, country_choices
from compact.matrix.models import Project
from compact.visits.models import TEXT_LIMIT
from compact.visits.workflow import VISIT_TRANSITIONS

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _member_state_choices() -> list:
    """The countries, grouped, after an empty choice: nobody records a visit to the first by mistake."""
    return [("", "—"), *country_choices()]


class VisitForm(forms.Form):
    country = forms.ChoiceField(label=_("Member State"), choices=_member_state_choices, widget=CountrySelect)
    starts_on = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE_INPUT)
    confidentiality_requested = forms.BooleanField(
        label=_("The Member State asked CTED to keep its assessment confidential"),
        required=False,
        help_text=_("OCT then sees only that the visit took place, never the assessment."),
    )
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Classification.choices, initial=Classification.CONFIDENTIAL
    )


class VisitActionForm(forms.Form):
    """One move of a visit; each move reads only its own fields."""

    action = forms.ChoiceField(choices=[(t.action, t.label) for t in VISIT_TRANSITIONS])
    oct_informed_on = forms.DateField(label=_("Day OCT was informed"), required=False, widget=DATE_INPUT)
    assessment = forms.CharField(
        label=_("CTED's recommendations and assessment"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    followup_on = forms.DateField(label=_("Day of the consultation"), required=False, widget=DATE_INPUT)
    followup_support = forms.CharField(
        label=_("Support OCT could give"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Technical assistance, capacity building, advocacy or other support (Annex IV, C.2(d))."),
    )
    projects = integers.ModelMultipleChoiceField(
        label=_("Projects it led to"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6, "dir": "auto"}),
        help_text=_("Projects of the matrix in this country or a region covering it."),
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, projects: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["projects"].queryset = projects
