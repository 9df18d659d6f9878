"""Forms of the registry's pages: filters, an entity's profile, inviting a focal point."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.forms import BoundedInputMixin
from compact.lib.text import validate_free_text, validate_name
from compact.registry.dates import EARLIEST_DAY
from compact.registry.models import Entity, Evidence, Membership


class EntityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Membership.Status.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *Entity.Kind.choices])


class OnDateForm(forms.Form):
    """An "as of" date; defaults to today, refuses dates before the Compact existed."""

    on = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_on(self) -> datetime.date:
        day = self.cleaned_data.get("on") or timezone.localdate()
        if day < EARLIEST_DAY:
            raise forms.ValidationError(_("The Compact dates from 2018; choose a later date."))
        return day

    def day(self) -> datetime.date:
        """The chosen day, or today when the input is missing or invalid."""
        if self.is_valid():
            return self.cleaned_data["on"]
        return timezone.localdate()


class EntityProfileForm(BoundedInputMixin, forms.Form):
    """An entity's profile. Focal points edit the descriptive fields; OCT edits everything."""

    SECRETARIAT_ONLY = ("acronym", "kind", "is_active", "evidence")

    acronym = forms.CharField(label=_("Acronym"), max_length=32, validators=[validate_name])
    name = forms.CharField(label=_("Full name"), max_length=255, validators=[validate_name])
    kind = forms.ChoiceField(label=_("Kind"), choices=Entity.Kind.choices)
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    is_active = forms.BooleanField(label=_("Active"), required=False)
    evidence = forms.ChoiceField(label=_("Evidence"), choices=Evidence.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: object, entity: Entity, full: bool, **kwargs: object) -> None:
        self.entity = entity
        initial = {name: getattr(entity, name) for name in self.base_fields}
        for code, _language in OTHER_LANGUAGES:
            initial[_name_field(code)] = (entity.name_translations.get(code) or {}).get("name", "")
        super().__init__(*args, initial=initial, **kwargs)
        for code, language in OTHER_LANGUAGES:
            self.fields[_name_field(code)] = forms.CharField(
                label=_("Official name in %(language)s") % {"language": language},
                required=False,
                max_length=255,
                validators=[validate_name],
                widget=forms.TextInput(attrs={"lang": code}),
            )
        if not full:
            for name in self.SECRETARIAT_ONLY:
                del self.fields[name]

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("name_")]

    def name_fields(self) -> list[forms.BoundField]:
        """The official names in the other languages, shown together under their own heading."""
        return [self[name] for name in self.fields if name.startswith("name_")]

    def profile(self) -> dict[str, object]:
        """The cleaned profile as ``entity_profile_save`` takes it: the names in other
        languages gathered into ``name_translations``."""
        fields = dict(self.cleaned_data)
        names = dict(self.entity.name_translations)
        for code, _language in OTHER_LANGUAGES:
            name = fields.pop(_name_field(code))
            if _name_field(code) not in self.data:
                continue  # not sent (a client that knows only the English fields): kept as it is
            if name:
                names[code] = {"name": name}
            else:
                names.pop(code, None)
        fields["name_translations"] = names
        return fields


# The languages an entity may have an official name in, besides English (its ``name``).
OTHER_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _name_field(code: str) -> str:
    return f"name_{code.replace('-', '_')}"


class FocalPointInviteForm(BoundedInputMixin, forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=150, validators=[validate_name])
    family_name = forms.CharField(label=_("Family name"), max_length=150, validators=[validate_name])
    title = forms.CharField(label=_("Title"), max_length=255, required=False, validators=[validate_name])
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
