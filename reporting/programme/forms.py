"""Forms of the programme-of-work pages: each parses input for one service call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from compact.lib import integers
from compact.registry.models import Pillar
from reporting.committee.models import Decision
from reporting.programme.models import ExpectedResult, Priority, ProgrammeOfWork, ProgrammeVersion
from reporting.programme.selectors import decisions_for_adoption, outputs_for_programme
from workinggroups.models import WorkingGroup, WorkPlanOutput
from workinggroups.selectors import workinggroups_to_link

MAX_TEXT = 50_000


class ProgrammeForm(forms.Form):
    biennium_start = integers.IntegerField(
        label=_("First year of the biennium"),
        min_value=2000,
        max_value=2100,
        help_text=_("2027 for the 2027–2028 programme."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    strategy_review_resolution = forms.CharField(
        label=_("GA resolution on the review of the Strategy"),
        max_length=40,
        required=False,
        help_text=_("The General Assembly's biennial review the programme responds to, e.g. A/RES/77/298."),
    )
    introduction = forms.CharField(
        label=_("Introduction"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )
    base_revision = integers.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, programme: ProgrammeOfWork | None = None, **kwargs: Any) -> None:
        if programme is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": programme.title,
                    "strategy_review_resolution": programme.strategy_review_resolution,
                    "introduction": programme.introduction,
                    "base_revision": programme.revision,
                },
            )
        super().__init__(*args, **kwargs)
        if programme is not None:
            del self.fields["biennium_start"]  # a programme's biennium stays what it is
            self.fields["base_revision"].required = True
        else:
            del self.fields["base_revision"]


class PriorityForm(forms.Form):
    code = forms.CharField(label=_("Number"), max_length=12, help_text=_("E.g. 1 or 2.a."))
    title = forms.CharField(label=_("Priority"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    pillars = forms.MultipleChoiceField(
        label=_("Pillars of the Strategy"), choices=Pillar.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    working_groups = integers.ModelMultipleChoiceField(
        label=_("Working groups"),
        queryset=WorkingGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    resources_needed_usd = forms.DecimalField(
        label=_("Resources needed each year (USD)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text=_("What the priority needs each year of the biennium, for the resource-mobilisation view."),
    )
    base_revision = integers.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, programme: ProgrammeOfWork, priority: Priority | None = None, **kwargs: Any) -> None:
        initial = {"base_revision": programme.revision}
        if priority is not None:
            initial |= {
                "code": priority.code,
                "title": priority.title,
                "description": priority.description,
                "pillars": priority.pillars,
                "working_groups": list(priority.working_groups.all()),
                "resources_needed_usd": priority.resources_needed_usd,
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        linked = priority.working_groups.all() if priority is not None else ()
        self.fields["working_groups"].queryset = workinggroups_to_link(linked)


class OutputChoiceField(integers.ModelMultipleChoiceField):
    def label_from_instance(self, obj: WorkPlanOutput) -> str:
        return f"{obj.work_plan.working_group}: {obj.title}"


class ResultForm(forms.Form):
    text = forms.CharField(label=_("Expected result"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    outputs = OutputChoiceField(
        label=_("Work-plan outputs that deliver it"),
        queryset=WorkPlanOutput.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Outputs of the working groups' work plans for the programme's biennium."),
    )
    base_revision = integers.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, programme: ProgrammeOfWork, result: ExpectedResult | None = None, **kwargs: Any
    ) -> None:
        initial: dict[str, Any] = {"base_revision": programme.revision}
        if result is not None:
            initial |= {"text": result.text, "outputs": list(result.outputs.all())}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["outputs"].queryset = outputs_for_programme(programme)


class DecisionChoiceField(integers.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return str(
            _("%(date)s, decision %(number)s: %(text)s")
            % {"date": obj.meeting.date.isoformat(), "number": obj.number, "text": obj.text[:120]}
        )


class AdoptForm(forms.Form):
    decision = DecisionChoiceField(
        label=_("Adopted by decision"),
        queryset=Decision.objects.none(),
        help_text=_("A decision of a meeting that was held, not used to adopt a version already."),
    )
    change_note = forms.CharField(
        label=_("What changed"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The working copy the officer reviewed on this page (its changes are shown above the form).
    base_revision = integers.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions_for_adoption()


class CompareForm(forms.Form):
    """Two versions to compare; ``new`` left empty means the working copy."""

    old = forms.TypedChoiceField(label=_("From version"), coerce=int)
    new = forms.TypedChoiceField(label=_("To"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, versions: list[ProgrammeVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(v.number, _("Version %(number)s") % {"number": v.number}) for v in versions]
        self.fields["old"].choices = choices
        self.fields["new"].choices = [("", _("The working copy")), *choices]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
