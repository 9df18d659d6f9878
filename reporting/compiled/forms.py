"""Forms of OCT's compiled-report pages: each parses input for one service call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.lib import integers
from compact.lib.text import validate_free_text
from reporting.compiled.annual.services import EARLY_REASON_MAX
from reporting.compiled.models import AnnualReport, ConsolidatedReport
from reporting.compiled.selectors import periods_without_consolidated_report
from reporting.compiled.services import TEXT_FIELDS
from reporting.compiled.workflow import ANNUAL_TRANSITIONS
from reporting.submissions.models import ReportingPeriod

MAX_TEXT = 50_000
FIRST_YEAR = 2018  # the Compact was signed in 2018


def _label(name: str) -> str:
    return capfirst(ConsolidatedReport._meta.get_field(name).verbose_name)


class ReportTextForm(forms.Form):
    """OCT's own text of a report and the revision the editor loaded (``report_text_save``
    refuses a stale one). The classification offers only levels the editor may read."""

    base_revision = integers.IntegerField(widget=forms.HiddenInput, min_value=0)
    symbol = forms.CharField(required=False, max_length=64)
    text_classification = forms.ChoiceField(
        label=_("Classification of OCT's text"),
        help_text=_("The edition is marked with the highest classification of this text and the inputs it includes."),
    )
    executive_summary = forms.CharField(
        required=False, max_length=MAX_TEXT, strip=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    observations = forms.CharField(
        required=False, max_length=MAX_TEXT, strip=False, widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(
        self, *args: Any, report: ConsolidatedReport | AnnualReport, user: AbstractBaseUser, **kwargs: Any
    ) -> None:
        initial = {name: getattr(report, name) for name in TEXT_FIELDS}
        initial.update(base_revision=report.revision, text_classification=report.text_classification)
        super().__init__(*args, initial=initial, **kwargs)
        for name in TEXT_FIELDS:
            self.fields[name].label = _label(name)
        self.fields["symbol"].help_text = ConsolidatedReport._meta.get_field("symbol").help_text
        self.fields["text_classification"].choices = [
            (value, label) for value, label in Classification.choices if can_read_classification(user, value)
        ]

    def service_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in TEXT_FIELDS}


class ConsolidatedStartForm(forms.Form):
    """OCT starts the consolidated report of an open or closed round that has none."""

    period = integers.ModelChoiceField(
        label=_("Reporting round"),
        queryset=ReportingPeriod.objects.none(),
        empty_label=_("Choose a round"),
        error_messages={
            "invalid_choice": _("This round has its consolidated report already, or is not open or closed."),
            "required": _("Choose a round."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods_without_consolidated_report()


class AnnualStartForm(forms.Form):
    """OCT starts the USG's annual report for a year (the service checks the range too)."""

    year = integers.IntegerField(label=_("Year"), min_value=FIRST_YEAR)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        year = self.fields["year"]
        year.initial = this_year
        year.validators.append(
            MaxValueValidator(this_year, message=_("The annual report can only cover a year that has begun."))
        )
        year.widget.attrs.update(min=FIRST_YEAR, max=this_year)


class AnnualActForm(forms.Form):
    """One step of the annual report's approval, with the comment (required to return it)."""

    action = forms.ChoiceField(choices=[(t.action, t.label) for t in ANNUAL_TRANSITIONS])
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to return the report: tell OCT what to change."),
    )


class AnnualEarlyReasonForm(forms.Form):
    """OCT's reason for the annual report to go ahead before the year's rounds are closed."""

    reason = forms.CharField(
        label=_("Why the report should go ahead now"),
        max_length=EARLY_REASON_MAX,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Recorded with your name and printed on the cover of the final edition; the USG sees it "
            "before approving. Write it at the classification of OCT's text, or lower."
        ),
        error_messages={"required": _("Say why the report should go ahead before the year's rounds close.")},
    )
