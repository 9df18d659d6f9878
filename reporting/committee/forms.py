"""Forms of the Committee's meeting pages: each parses input for one service call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification, User
from compact.core.permissions import can_read_classification
from compact.lib import integers
from compact.registry.models import Entity
from reporting.committee.models import MEETING_FIELDS, AgendaItem, Meeting, committee_time_zone
from reporting.committee.permissions import cascade_groups_for
from reporting.committee.workflow import ACTION_TRANSITIONS, MEETING_TRANSITIONS
from reporting.submissions.forms import DateInput
from reporting.submissions.models import ReportingPeriod
from workinggroups.models import WorkingGroup

MAX_TEXT = 50_000


def _entities() -> Any:
    return Entity.objects.filter(is_active=True).order_by("acronym")


def _people() -> Any:
    return User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), required=False, widget=TimeInput())
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        required=False,
        help_text=_("The times above are in this zone, e.g. America/New_York or Europe/Vienna."),
    )
    is_virtual = forms.BooleanField(label=_("Virtual meeting"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    join_url = forms.URLField(
        label=_("Link to join"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("The https:// address of the video call, if people can join online."),
    )
    join_details = forms.CharField(
        label=_("How to join"),
        max_length=500,
        required=False,
        help_text=_("Dial-in numbers or other ways to join, for those without the link."),
    )
    chair = integers.ModelChoiceField(
        label=_("Chair"),
        queryset=_people(),
        required=False,
        help_text=_("Leave empty for the Under-Secretary-General."),
    )
    quorum_note = forms.CharField(
        label=_("Quorum"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        if meeting is not None:
            kwargs.setdefault("initial", {name: getattr(meeting, name) for name in MEETING_FIELDS})
        else:
            kwargs.setdefault("initial", {"time_zone": committee_time_zone()})
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = _people()
        self.fields["join_url"].widget.attrs.update({"dir": "ltr", "inputmode": "url"})
        self.fields["time_zone"].widget.attrs.update({"dir": "ltr", "autocomplete": "off"})


class MeetingActForm(forms.Form):
    action = forms.ChoiceField(choices=[(t.action, t.label) for t in MEETING_TRANSITIONS])


class AgendaBuildForm(forms.Form):
    period = integers.ModelChoiceField(
        label=_("Quarterly briefings of"),
        queryset=ReportingPeriod.objects.none(),
        help_text=_("Adds one item per working group whose briefing for this period is accepted."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ReportingPeriod.objects.filter(kind__in=ReportingPeriod.BRIEFINGS).order_by(
            "-due_on"
        )


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, label) for k, label in AgendaItem.Kind.choices if k != AgendaItem.Kind.WG_BRIEFING],
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    presenter = integers.ModelChoiceField(
        label=_("Presented by"),
        queryset=Entity.objects.none(),
        required=False,
        help_text=_("OCT or an entity; required for a policy-development briefing."),
    )

    def __init__(self, *args: Any, item: AgendaItem | None = None, **kwargs: Any) -> None:
        if item is not None:
            kwargs.setdefault("initial", {"kind": item.kind, "title": item.title, "presenter": item.presenter})
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = _entities()
        if item is not None:
            del self.fields["kind"]  # an item's kind stays what it is


class AttendanceForm(forms.Form):
    entity = integers.ModelChoiceField(label=_("Entity"), queryset=Entity.objects.none())
    person = integers.ModelChoiceField(label=_("Registered user"), queryset=User.objects.none(), required=False)
    person_name = forms.CharField(
        label=_("Or their name"), max_length=200, required=False, help_text=_("If they have no account here.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = _entities()
        self.fields["person"].queryset = _people()


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 14})
    )
    classification = forms.ChoiceField(label=_("Classification of the minutes"))
    quorum_note = forms.CharField(
        label=_("Quorum"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, meeting: Meeting, user: AbstractBaseUser, **kwargs: Any) -> None:
        initial = {
            "minutes": meeting.minutes,
            "classification": meeting.minutes_classification,
            "quorum_note": meeting.quorum_note,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["classification"].choices = [
            (value, label) for value, label in Classification.choices if can_read_classification(user, value)
        ]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


class ActionPointForm(forms.Form):
    text = forms.CharField(label=_("Action"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    owner_entity = integers.ModelChoiceField(label=_("Owner entity"), queryset=Entity.objects.none(), required=False)
    owner_group = integers.ModelChoiceField(
        label=_("Or owner working group"), queryset=WorkingGroup.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Due"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_entity"].queryset = _entities()
        self.fields["owner_group"].queryset = WorkingGroup.objects.filter(retired_on__isnull=True).order_by("number")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("owner_entity")) == bool(data.get("owner_group")):
            raise forms.ValidationError(_("Choose one owner: an entity or a working group."))
        return data


class ActionPointActForm(forms.Form):
    action = forms.ChoiceField(choices=[(t.action, t.label) for t in ACTION_TRANSITIONS])


class CascadeForm(forms.Form):
    group = integers.ModelChoiceField(label=_("Working group briefed"), queryset=WorkingGroup.objects.none())
    briefed_on = forms.DateField(label=_("Briefed on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = cascade_groups_for(user)
        self.fields["group"].queryset = WorkingGroup.objects.filter(pk__in=[g.pk for g in groups]).order_by("number")
