"""Forms of the biennial review's pages: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.lib import integers
from reporting.committee.models import Decision
from reporting.review.models import FIRST_BIENNIUM, LAST_BIENNIUM, BiennialReview, ReviewComment
from reporting.review.services import REVIEW_FIELDS
from reporting.review.workflow import REVIEW_TRANSITIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _levels_for(user: AbstractBaseUser) -> list[tuple[str, str]]:
    """The classifications ``user`` may mark text with: up to their own clearance."""
    return [(value, label) for value, label in Classification.choices if can_read_classification(user, value)]


class DecisionChoiceField(integers.ModelChoiceField):
    def label_from_instance(self, decision: Decision) -> str:
        return _("Meeting of %(date)s — decision %(number)s") % {
            "date": decision.meeting.date.isoformat(),
            "number": decision.number,
        }


class ReviewForm(forms.Form):
    biennium = integers.IntegerField(
        label=_("Biennium (first year)"),
        min_value=FIRST_BIENNIUM,
        max_value=LAST_BIENNIUM,
        help_text=_("2027 for the biennium 2027–2028."),
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    resolution_symbol = forms.CharField(
        label=_("GA review resolution"), max_length=32, help_text=_("Its symbol, for example A/RES/77/298.")
    )
    resolution_url = forms.URLField(
        label=_("Link to the resolution"),
        required=False,
        assume_scheme="https",
        help_text=_("Optional: the United Nations document (https://)."),
    )
    opens_on = forms.DateField(label=_("Comments open on"), widget=DATE)
    comments_due_on = forms.DateField(label=_("Comments due on"), widget=DATE)
    outcome = forms.CharField(
        label=_("Synthesis and outcome"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    outcome_classification = forms.ChoiceField(label=_("Classification of the outcome"))
    endorsed_by = DecisionChoiceField(
        label=_("Endorsed by the Committee's decision"),
        queryset=Decision.objects.select_related("meeting").order_by("-meeting__date", "number"),
        required=False,
    )
    revision = integers.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: AbstractBaseUser, review: BiennialReview | None = None, **kwargs: Any):
        if review is not None:
            kwargs.setdefault(
                "initial", {**{name: getattr(review, name) for name in REVIEW_FIELDS}, "revision": review.revision}
            )
        super().__init__(*args, **kwargs)
        self.fields["outcome_classification"].choices = _levels_for(user)
        # Editing a review: the revision the page loaded is required, so a save never silently
        # overwrites a colleague's (a new review has none).
        self.fields["revision"].required = review is not None

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in REVIEW_FIELDS}


class ReviewActForm(forms.Form):
    action = forms.ChoiceField(choices=[(t.action, t.label) for t in REVIEW_TRANSITIONS])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your entity's comment"), widget=forms.Textarea(attrs={"rows": 14}))
    classification = forms.ChoiceField(label=_("Classification"))
    revision = integers.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: AbstractBaseUser, comment: ReviewComment | None = None, **kwargs: Any):
        if comment is not None:
            kwargs.setdefault(
                "initial",
                {"text": comment.text, "classification": comment.classification, "revision": comment.revision},
            )
        super().__init__(*args, **kwargs)
        self.fields["classification"].choices = _levels_for(user)
