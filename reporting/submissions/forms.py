"""Forms of the reporting pages: they parse input for one service call each."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.lib import integers
from reporting.monitoring.framework import DIMENSIONS, EnteredValue
from reporting.monitoring.selectors import SubmissionIndicator, submission_indicators
from reporting.monitoring.services import value_key, values_by_key
from reporting.submissions.drafts import activity_key, note_key, number_text
from reporting.submissions.models import ActivityProgress, ReportingPeriod, Submission
from reporting.submissions.services import ActivityLine
from reporting.submissions.workflow import REORGANISATION, TRANSITIONS
from workinggroups.models import WorkPlanActivity

MAX_TEXT = 50_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodForm(forms.Form):
    """OCT schedules a reporting period (``period_create``)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ReportingPeriod.Kind.choices)
    covers_from = forms.DateField(label=_("Covers from"), widget=DateInput())
    covers_until = forms.DateField(label=_("Covers until"), widget=DateInput())
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=DateInput(),
        required=False,
        help_text=_("Optional: the scheduler closes the period after this day."),
    )

    def clean(self) -> dict[str, Any]:
        # Said here in words; the database's check constraints would only name themselves.
        data = super().clean()
        if data.get("closes_on") and data.get("due_on") and data["closes_on"] < data["due_on"]:
            self.add_error("closes_on", _("The period cannot close before inputs are due."))
        if data.get("covers_from") and data.get("covers_until") and data["covers_until"] < data["covers_from"]:
            self.add_error("covers_until", _("The period must end after it starts."))
        if data.get("opens_on") and data.get("due_on") and data["due_on"] < data["opens_on"]:
            self.add_error("due_on", _("Inputs cannot be due before the period opens."))
        return data


class PeriodActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("open", pgettext_lazy("action", "Open")), ("close", pgettext_lazy("action", "Close"))]
    )


class PeriodReopenForm(forms.Form):
    """OCT reopens a closed period until a new closing day, saying why (``period_reopen``)."""

    closes_on = forms.DateField(label=_("New closing day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Why? (sent to the chairs and vice-chairs of the groups whose input is not accepted)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the period is reopened: the groups are told.")},
    )


class SubmissionActionForm(forms.Form):
    """One move of the submission workflow, with its comment (``submission_act``)."""

    action = forms.ChoiceField(choices=[(t.action, t.label) for t in TRANSITIONS if t.by != REORGANISATION])
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attach a file"), help_text=_("A PDF, Word (.docx) or Excel (.xlsx) file of at most 10 MB.")
    )


class WordUploadForm(forms.Form):
    """An edited Word file of the draft (reporting.submissions.word)."""

    file = forms.FileField(
        label=_("Upload the edited Word file"),
        help_text=_("The .docx you downloaded from this draft, edited. You see what it changes before it is saved."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
    )


class CompareForm(forms.Form):
    """Which two versions the versions page compares (``?a=1&b=2``)."""

    a = forms.TypedChoiceField(label=_("Compare version"), coerce=int)
    b = forms.TypedChoiceField(label=_("with version"), coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(number, number) for number in numbers]
        self.fields["a"].choices = self.fields["b"].choices = choices


def _value_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class SubmissionEditForm(forms.Form):
    """The editor: one text box per section of the submission's kind, the classification
    (no higher than the editor's clearance), a status and narrative per work-plan activity,
    the group's values for the indicators of the M&E framework the report carries (a total
    and one per category of each dimension), and the revision the editor loaded
    (``submission_save_draft`` refuses a stale one)."""

    base_revision = integers.IntegerField(widget=forms.HiddenInput, min_value=0)
    classification = forms.ChoiceField(
        label=_("Classification"), help_text=_("Who may read this submission. You cannot mark above your clearance.")
    )

    def __init__(self, *args: Any, submission: Submission, user: AbstractBaseUser, **kwargs: Any) -> None:
        self.submission = submission
        self.user = user
        self.lines: list[ActivityProgress] = list(submission.activity_progress.order_by("position", "id"))
        self.indicators: list[SubmissionIndicator] = submission_indicators(submission)
        super().__init__(*args, initial=self._initial(), **kwargs)
        self.fields["classification"].choices = [
            (value, label) for value, label in Classification.choices if can_read_classification(user, value)
        ]
        for name in submission.content_fields:
            self.fields[name] = forms.CharField(
                label=capfirst(Submission._meta.get_field(name).verbose_name),
                required=False,
                max_length=MAX_TEXT,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        statuses = [("", "—"), *WorkPlanActivity.Status.choices]
        for line in self.lines:
            self.fields[self._key(line, "status")] = forms.ChoiceField(
                label=_("Status"), choices=statuses, required=False
            )
            self.fields[self._key(line, "narrative")] = forms.CharField(
                label=_("Progress"),
                required=False,
                max_length=MAX_TEXT,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for item in self.indicators:
            self._add_indicator_fields(item)

    def _add_indicator_fields(self, item: SubmissionIndicator) -> None:
        indicator = item.indicator
        self.fields[value_key(indicator.pk)] = _value_field(_("Total (%(unit)s)") % {"unit": indicator.unit})
        self.fields[self._note_key(indicator.pk)] = forms.CharField(
            label=_("Note on the value"), required=False, max_length=500, help_text=_("Optional: source, caveats.")
        )
        for key in indicator.disaggregation:
            dimension = DIMENSIONS.get(key)
            for category in dimension.categories if dimension else ():
                self.fields[value_key(indicator.pk, key, category.key)] = _value_field(category.label)

    @staticmethod
    def _note_key(indicator_id: int) -> str:
        return note_key(indicator_id)

    @staticmethod
    def _key(line: ActivityProgress, part: str) -> str:
        return activity_key(line.pk, part)

    def clean(self) -> dict[str, Any]:
        """After a conflict the editor asks, per name both people changed, whose text to keep
        (``resolve-<name>``: ``theirs`` or ``mine``, the text as it is in the box)."""
        data = super().clean()
        self.resolutions: dict[str, str] = {}
        for name in self.data.getlist("conflict") if hasattr(self.data, "getlist") else ():
            if name not in self.fields or name == "base_revision":
                continue
            choice = self.data.get(f"resolve-{name}")
            if choice not in ("theirs", "mine"):
                self.add_error(name, _("Choose which text to keep here: the one saved by the other person, or yours."))
            else:
                self.resolutions[name] = choice
        return data

    def _initial(self) -> dict[str, Any]:
        submission = self.submission
        initial: dict[str, Any] = {name: getattr(submission, name) for name in submission.content_fields}
        initial.update(base_revision=submission.revision, classification=submission.classification)
        for line in self.lines:
            initial[self._key(line, "status")] = line.status
            initial[self._key(line, "narrative")] = line.narrative
        initial.update(values_by_key(submission))
        for item in self.indicators:
            if item.total is not None:
                initial[self._note_key(item.indicator.pk)] = item.total.note
        return initial

    # --- For the template ---

    def content_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.submission.content_fields]

    def activity_rows(self) -> list[tuple[ActivityProgress, forms.BoundField, forms.BoundField]]:
        return [(line, self[self._key(line, "status")], self[self._key(line, "narrative")]) for line in self.lines]

    def indicator_rows(self) -> list[dict[str, Any]]:
        """Per indicator: the indicator, its total and note inputs, and per dimension the
        inputs of its categories."""
        rows = []
        for item in self.indicators:
            indicator = item.indicator
            dimensions = []
            for key in indicator.disaggregation:
                dimension = DIMENSIONS.get(key)
                if dimension is not None:
                    cells = [self[value_key(indicator.pk, key, c.key)] for c in dimension.categories]
                    dimensions.append({"dimension": dimension, "fields": cells})
            rows.append(
                {
                    "indicator": indicator,
                    "total": self[value_key(indicator.pk)],
                    "note": self[self._note_key(indicator.pk)],
                    "dimensions": dimensions,
                }
            )
        return rows

    # --- For the service (after is_valid) ---

    def indicator_values(self) -> list[EnteredValue] | None:
        """The values typed, for ``progress_report_save`` (None: the report carries none)."""
        if not self.indicators:
            return None
        data, entries = self.cleaned_data, []
        for item in self.indicators:
            indicator = item.indicator
            total = data.get(value_key(indicator.pk))
            if total is not None:
                note = data.get(self._note_key(indicator.pk), "")
                entries.append(EnteredValue(indicator.pk, total, note=note))
            for key in indicator.disaggregation:
                dimension = DIMENSIONS.get(key)
                for category in dimension.categories if dimension else ():
                    value = data.get(value_key(indicator.pk, key, category.key))
                    if value is not None:
                        entries.append(EnteredValue(indicator.pk, value, key, category.key))
        return entries

    def service_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.submission.content_fields}

    def activity_lines(self) -> list[ActivityLine]:
        data = self.cleaned_data
        return [
            ActivityLine(line.pk, data[self._key(line, "status")], data[self._key(line, "narrative")])
            for line in self.lines
        ]

    def draft(self) -> dict[str, str]:
        """What the editor shows, by name, as ``draft_save`` merges it (texts stripped, values
        to the cent, empty boxes as empty texts)."""
        content = {}
        for name, value in self.cleaned_data.items():
            if name == "base_revision":
                continue
            if isinstance(value, Decimal):
                content[name] = number_text(value)
            else:
                content[name] = "" if value is None else str(value).strip()
        return content

    def kept_theirs(self) -> set[str]:
        """The names where, after a conflict, the editor chose the other person's text."""
        return {name for name, choice in self.resolutions.items() if choice == "theirs"}
