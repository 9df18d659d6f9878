"""Forms of the consultation pages: they parse and bound input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from compact.core.forms import BoundedInputMixin
from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.lib import integers
from compact.registry.models import Entity, Membership
from compact.registry.selectors import entities_with_status
from reporting.consultation.models import ConsultationComment
from reporting.consultation.services import COMMENT_LIMIT, NOTE_LIMIT
from reporting.consultation.subjects import SUBJECTS
from reporting.consultation.workflow import CONSULTATION_TRANSITIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _levels_for(user: AbstractBaseUser, lowest: str = Classification.UNCLASSIFIED) -> list[tuple[str, str]]:
    """The markings ``user`` may give a comment on a section marked ``lowest``."""
    floor = Classification.rank(lowest)
    return [
        (value, label)
        for value, label in Classification.choices
        if can_read_classification(user, value) and Classification.rank(value) >= floor
    ]


def document_choices(user: AbstractBaseUser) -> list[tuple[str, str]]:
    """Every document OCT may prepare a round on, as "kind:id"."""
    choices = []
    for subject in SUBJECTS.values():
        for document in subject.candidates():
            if subject.may_open(user, document):
                choices.append((f"{subject.kind}:{document.pk}", f"{subject.label}: {subject.title(document)}"))
    return choices


class EntitiesField(integers.ModelMultipleChoiceField):
    def label_from_instance(self, entity: Entity) -> str:
        return entity.acronym


class ConsultationForm(BoundedInputMixin, forms.Form):
    document = forms.ChoiceField(label=_("Document"))
    comments_due_on = forms.DateField(label=_("Comments due on"), widget=DATE)
    entities = EntitiesField(
        label=_("Entities consulted"),
        queryset=Entity.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every member entity by default; observers may be added."),
    )
    note = forms.CharField(
        label=_("Note to the entities"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=NOTE_LIMIT
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = document_choices(user)
        parties = entities_with_status().filter(
            status__in=(Membership.Status.MEMBER, Membership.Status.OBSERVER), is_active=True
        )
        self.fields["entities"].queryset = Entity.objects.filter(pk__in=parties.values("pk")).order_by("acronym")

    def subject(self) -> tuple[str, int]:
        kind, _sep, pk = self.cleaned_data["document"].partition(":")
        return kind, int(pk)


class ActForm(forms.Form):
    action = forms.ChoiceField(choices=[(t.action, t.label) for t in CONSULTATION_TRANSITIONS if t.by == "oct"])
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=NOTE_LIMIT
    )


class CommentForm(BoundedInputMixin, forms.Form):
    text = forms.CharField(
        label=_("Your entity's comment on this section"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=COMMENT_LIMIT,
    )
    classification = forms.ChoiceField(label=_("Classification"))
    revision = integers.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, user: AbstractBaseUser, lowest: str, comment: ConsultationComment | None = None, **kwargs: Any
    ) -> None:
        if comment is not None:
            kwargs.setdefault(
                "initial",
                {"text": comment.text, "classification": comment.classification, "revision": comment.revision},
            )
        else:
            kwargs.setdefault("initial", {"classification": lowest})
        super().__init__(*args, **kwargs)
        self.fields["classification"].choices = _levels_for(user, lowest)


class RespondForm(BoundedInputMixin, forms.Form):
    response = forms.ChoiceField(label=_("OCT's response"), choices=ConsultationComment.Response.choices)
    note = forms.CharField(
        label=_("Note on the response"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=NOTE_LIMIT,
        help_text=_("What was done with the comment (required unless accepted)."),
    )
