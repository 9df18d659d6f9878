"""Forms of the calendar pages: OCT's calendar rules, the scheduler log's filters, and
extension requests. Each parses input for one service of ``reporting.calendar.services``."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from compact.lib import integers
from reporting.calendar.models import CalendarRule, SchedulerEvent, offsets_check, time_zone_check
from reporting.calendar.services import RULE_FIELDS
from reporting.calendar.workflow import EXTENSION_TRANSITIONS
from reporting.submissions.forms import DateInput
from reporting.submissions.models import ReportingPeriod

MAX_REASON = 5_000
DAY_SEPARATORS = re.compile("[,;\u060c\u061b\uff0c\uff1b\u3001\\s]+")


class DaysListField(forms.CharField):
    """Whole numbers of days typed as "14, 7, 1", cleaned to ``[14, 7, 1]`` (empty: none)."""

    default_validators = [offsets_check]

    def to_python(self, value: Any) -> list[int]:
        text = super().to_python(value)
        # Commas as each language writes them (Arabic U+060C, Chinese U+FF0C or U+3001), and digits
        # as typed on an Arabic keyboard (U+0667) as well as 7.
        parts = [part.strip() for part in DAY_SEPARATORS.split(text) if part.strip()]
        if not all(part.isdecimal() for part in parts):
            raise ValidationError(_("Give whole numbers of days, separated by commas."), code="invalid")
        return [int(part) for part in parts]

    def prepare_value(self, value: Any) -> Any:
        # The stored list shows as the user types it; typed text comes back as typed.
        if isinstance(value, list | tuple):
            return ", ".join(str(n) for n in value)
        return value

    def validate(self, value: list[int]) -> None:
        # An empty list is a valid answer ("no reminders"): skip CharField's required check.
        return None


class CalendarRuleForm(forms.Form):
    """One kind's calendar (``calendar_rule_update``)."""

    due_month = forms.TypedChoiceField(label=_("Due month"), choices=list(MONTHS.items()), coerce=int)
    due_day = forms.IntegerField(label=_("Due day"), min_value=1, max_value=31)
    due_following_year = forms.BooleanField(
        label=_("Due in the year after the period ends"),
        required=False,
        help_text=_("For reports due after the year they cover, e.g. the end-of-year report due 31 January."),
    )
    opens_days_before_due = forms.IntegerField(label=_("Opens (days before the due date)"), min_value=1, max_value=366)
    closes_days_after_due = forms.IntegerField(label=_("Closes (days after the due date)"), min_value=0, max_value=366)
    reminder_days = DaysListField(
        label=_("Reminders (days before the due date)"),
        required=False,
        help_text=_("Whole numbers separated by commas, e.g. 14, 7, 1. Leave empty for no reminders."),
    )
    escalation_days = DaysListField(
        label=_("Escalations (days after the due date)"),
        required=False,
        help_text=_("Whole numbers separated by commas, e.g. 1, 7. Leave empty for no escalations."),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        validators=[time_zone_check],
        help_text=_("The days above begin and end in this time zone, e.g. America/New_York or Europe/Vienna."),
    )
    active = forms.BooleanField(
        label=_("Scheduled: the scheduler opens periods of this kind by itself"), required=False
    )

    def __init__(self, *args: Any, rule: CalendarRule, **kwargs: Any) -> None:
        initial = {name: getattr(rule, name) for name in RULE_FIELDS}
        super().__init__(*args, initial=initial, **kwargs)
        self.rule = rule

    def clean_time_zone(self) -> str:
        return self.cleaned_data["time_zone"].strip()

    def changes(self) -> dict[str, Any]:
        """The fields for the service (after ``is_valid``)."""
        return {name: self.cleaned_data[name] for name in RULE_FIELDS}


class SchedulerLogFilterForm(forms.Form):
    """The scheduler log's filters (``?kind=reminder&period=3``)."""

    kind = forms.ChoiceField(
        label=_("What"), choices=[("", _("Everything")), *SchedulerEvent.Kind.choices], required=False
    )
    period = integers.ModelChoiceField(
        label=_("Period"),
        queryset=ReportingPeriod.objects.order_by("-due_on", "kind"),
        required=False,
        empty_label=_("All periods"),
    )


class ExtensionRequestForm(forms.Form):
    """A chair asks for a later due date (``extension_request_create``)."""

    until = forms.DateField(label=_("New due date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Why does the group need more time?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the OCT secretariat, who decides."),
    )


class ExtensionActForm(forms.Form):
    """OCT approves or declines a request; its chair may withdraw it (``extension_act``)."""

    action = forms.ChoiceField(choices=[(t.action, t.label) for t in EXTENSION_TRANSITIONS])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=MAX_REASON, widget=forms.Textarea)
    until = forms.DateField(label=_("New due date"), required=False, widget=DateInput())
