"""The public sign-on form and OCT's review forms."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.forms import BoundedInputMixin
from compact.lib import integers
from compact.lib.text import validate_free_text, validate_name
from compact.lib.uploads import pdf_check
from compact.registry.models import Entity, Pillar
from compact.signon.models import SignOnRequest
from compact.signon.services import EDITABLE_FIELDS, FORM_FIELDS, LETTER_MAX_BYTES
from compact.signon.workflow import TRANSITIONS as SIGNON_TRANSITIONS
from workinggroups.models import WorkingGroup

PHONE_PATTERN = r"^\+?[0-9][0-9 ().\-/]{5,30}$"


ACRONYM_PATTERN = r"^(?=.*[^\W\d_])[\w .&'()/\-]+$"


def _active_working_groups():
    return WorkingGroup.objects.active_on(timezone.localdate()).order_by("number")


class WorkingGroupChoiceField(integers.ModelMultipleChoiceField):
    def label_from_instance(self, obj: object) -> str:
        return f"{obj.number}. {obj.local_name}"


class SignOnForm(BoundedInputMixin, forms.Form):
    """The public sign-on form. It parses and checks what was typed; ``signon_submit`` decides
    whether the organisation may sign on (not already a party, no request under review)."""

    organization_name = forms.CharField(
        label=_("Full name of the organization"), max_length=255, validators=[validate_name]
    )
    acronym = forms.RegexField(
        label=_("Acronym"),
        max_length=32,
        regex=ACRONYM_PATTERN,
        validators=[validate_name],
        error_messages={"invalid": _("Use letters, digits, spaces and - & . ( ) / only.")},
        help_text=_("As the organization writes it, e.g. UNODC or UN-Habitat."),
    )
    organization_kind = forms.ChoiceField(
        label=_("Kind of organization"), choices=[("", _("Choose…")), *Entity.Kind.choices]
    )
    head_name = forms.CharField(label=_("Name of the head of entity"), max_length=150, validators=[validate_name])
    head_title = forms.CharField(label=_("Title of the head of entity"), max_length=255, validators=[validate_name])
    focal_given_name = forms.CharField(label=_("Focal point: given name"), max_length=150, validators=[validate_name])
    focal_family_name = forms.CharField(label=_("Focal point: family name"), max_length=150, validators=[validate_name])
    focal_title = forms.CharField(label=_("Focal point: title"), max_length=255, validators=[validate_name])
    focal_email = forms.EmailField(
        label=_("Focal point: e-mail address"),
        max_length=254,
        help_text=_("We send a link to this address; the request reaches OCT once you follow it."),
    )
    focal_phone = forms.RegexField(
        label=_("Focal point: telephone"),
        max_length=32,
        regex=PHONE_PATTERN,
        error_messages={"invalid": _("Enter a telephone number with its country code, e.g. +1 212 963 1234.")},
    )
    website = forms.URLField(label=_("Website"), max_length=200, assume_scheme="https")
    mandate = forms.CharField(
        label=_("Mandate and relevance to the UN Global Counter-Terrorism Strategy"),
        min_length=50,
        max_length=5000,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What your organization does and how it serves the Strategy (50 to 5,000 characters)."),
    )
    pillars = forms.MultipleChoiceField(
        label=_("Pillars of the Strategy your work serves"),
        choices=Pillar.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one pillar.")},
    )
    working_groups = WorkingGroupChoiceField(
        label=_("Working groups of interest"),
        queryset=WorkingGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    requested_status = forms.ChoiceField(
        label=_("Requested status"),
        choices=SignOnRequest.RequestedStatus.choices,
        widget=forms.RadioSelect,
        help_text=_("Members sign the Compact; observers follow its work."),
    )
    supporting_letter = forms.FileField(
        label=_("Supporting letter (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("A PDF of at most 5 MB, e.g. a letter from the head of entity."),
    )
    declaration = forms.BooleanField(
        label=_(
            "On behalf of the organization, I declare that it will abide by and implement the "
            "principles and objectives of the Compact listed above."
        ),
        error_messages={"required": _("The Compact's principles must be accepted to sign on.")},
    )
    # A honeypot for bots: hidden from people (and from screen readers), so a value means a bot.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["working_groups"].queryset = _active_working_groups()

    def clean_supporting_letter(self) -> object:
        letter = self.cleaned_data.get("supporting_letter")
        if letter:
            pdf_check(letter, max_bytes=LETTER_MAX_BYTES)
        return letter

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("homepage"))

    def service_fields(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in FORM_FIELDS if name in self.cleaned_data}


class SignOnEditForm(SignOnForm):
    """The applicant corrects their request after OCT asked for more information. The e-mail
    address stays (changing it would need a new confirmation); the declaration was made."""

    message = forms.CharField(
        label=_("Message to the OCT secretariat"),
        required=False,
        max_length=5000,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you changed, or the answer to OCT's question."),
    )

    def __init__(self, *args: object, signon: SignOnRequest, **kwargs: object) -> None:
        initial = {name: getattr(signon, name) for name in EDITABLE_FIELDS}
        initial["working_groups"] = list(signon.working_groups.values_list("pk", flat=True))
        super().__init__(*args, initial=initial, **kwargs)
        for name in ("focal_email", "declaration", "homepage"):
            del self.fields[name]
        if signon.supporting_letter:
            self.fields["supporting_letter"].help_text = _(
                "You sent %(name)s. Choose a file only to replace it (PDF, at most 5 MB)."
            ) % {"name": signon.supporting_letter_name}


class SignOnActionForm(BoundedInputMixin, forms.Form):
    """One of OCT's moves on a request, with its message (and the status when approving)."""

    action = forms.ChoiceField(choices=[(t.action, t.label) for t in SIGNON_TRANSITIONS if t.by == "oct"])
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=10000,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    status = forms.ChoiceField(
        label=_("Admit as"), required=False, choices=[("", "—"), *SignOnRequest.RequestedStatus.choices]
    )


class OfficerChoiceField(integers.ModelChoiceField):
    def label_from_instance(self, obj: object) -> str:
        return obj.get_full_name() or obj.get_username()


class SignOnAssignForm(forms.Form):
    handler = OfficerChoiceField(label=_("Handled by"), queryset=None, required=False, empty_label=_("Nobody"))

    def __init__(self, *args: object, officers: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = officers


class SignOnWithdrawForm(BoundedInputMixin, forms.Form):
    message = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
