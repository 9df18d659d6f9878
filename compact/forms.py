"""Forms that parse query strings for the registry pages."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.models import Entity, Membership


class EntityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Membership.Status.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *Entity.Kind.choices])


class OnDateForm(forms.Form):
    """An "as of" date; defaults to today, refuses dates before the Compact existed."""

    EARLIEST = datetime.date(2018, 1, 1)

    on = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_on(self) -> datetime.date:
        day = self.cleaned_data.get("on") or timezone.localdate()
        if day < self.EARLIEST:
            raise forms.ValidationError(_("The Compact dates from 2018; choose a later date."))
        return day

    def day(self) -> datetime.date:
        """The chosen day, or today when the input is missing or invalid."""
        if self.is_valid():
            return self.cleaned_data["on"]
        return timezone.localdate()
