"""Forms of the project matrix pages: filters, the project form, overlap reviews, imports.

They parse what was typed and hand it to a selector or a service; the rules (who may edit
what, which codes exist) stay in ``compact.matrix.permissions`` and ``compact.matrix.services``.
"""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification
from compact.core.permissions import can_read_classification, objects_permitted
from compact.core.widgets import CachedOptionsMixin, CachedSelect
from compact.funding.models import Donor
from compact.lib import integers
from compact.lib.places import country_choice_groups, country_search_terms, region_label, regions
from compact.matrix.models import HrddpAssessment, Project
from compact.matrix.permissions import can_manage_matrix
from compact.matrix.selectors import STAGE_NOT_KNOWN
from compact.registry.models import Entity, Organization, Pillar
from workinggroups.models import WorkingGroup

SORT_CHOICES = [
    ("title", _("Title (A–Z)")),
    ("-title", _("Title (Z–A)")),
    ("-start", _("Latest start first")),
    ("start", _("Earliest start first")),
    ("-updated", _("Last updated first")),
    ("status", _("Status")),
]
MONTH_CHOICES = [("", "—"), *((str(number), name) for number, name in MONTHS.items())]
YEAR_BOUNDS = {"min_value": 1990, "max_value": 2100}


def country_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every ISO 3166-1 country, grouped: UN Member States, Observer States, other territories,
    each by name in the current language (``compact.lib.places.country_choice_groups``)."""
    return _country_choices_in(get_language() or "")


@functools.lru_cache(maxsize=len(settings.LANGUAGES) + 1)
def _country_choices_in(language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """``country_choice_groups`` in ``language``, the active one, sorted once per process: the
    names do not change while it runs, and every filter form lists them."""
    return country_choice_groups()


class _CountryOptions:
    """A country <select> that the type-ahead (static/js/typeahead.js) enhances: each option
    carries its code and English names to match on, and the select the words the script says.
    Without JavaScript it is the grouped select."""

    def typeahead_attrs(self) -> dict[str, str]:
        return {
            "data-typeahead": "",
            "data-typeahead-label": str(_("Type to filter the countries")),
            "data-typeahead-placeholder": str(_("Type a name or a code")),
            "data-typeahead-count": str(_("Countries that match: %(count)s")),
            "data-typeahead-none": str(_("No country matches; the whole list is shown again when the box is empty.")),
        }

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)  # type: ignore[misc]
        if value:
            option["attrs"]["data-terms"] = country_search_terms(str(value))
        return option

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        return super().get_context(name, value, {**self.typeahead_attrs(), **(attrs or {})})  # type: ignore[misc]


class CountrySelect(_CountryOptions, forms.Select):
    pass


class CachedCountrySelect(CachedOptionsMixin, CountrySelect):
    """The country select of the filter forms, drawn once per language (``compact.core.widgets``)."""


class CountrySelectMultiple(_CountryOptions, forms.SelectMultiple):
    pass


def region_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The regions, UN M49 first, then the groupings used in counter-terrorism work."""
    known = regions()
    return [
        (_("UN M49 regions"), [(r.code, region_label(r.code)) for r in known if r.kind == "m49"]),
        (_("Other groupings"), [(r.code, region_label(r.code)) for r in known if r.kind != "m49"]),
    ]


def entities_editable_by(user: AbstractBaseUser) -> QuerySet[Entity]:
    """The entities whose projects ``user`` may create: every one for OCT, their own for a
    focal point."""
    if can_manage_matrix(user):
        return Entity.objects.order_by("acronym")
    return objects_permitted(user, "compact.manage_entity_profile", Entity).order_by("acronym")


class EntityChoiceField(integers.ModelChoiceField):
    def label_from_instance(self, obj: Entity) -> str:
        return f"{obj.acronym} — {obj.local_name}"


class EntityMultipleChoiceField(integers.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Entity) -> str:
        return obj.acronym


class WorkingGroupChoiceField(integers.ModelChoiceField):
    def label_from_instance(self, obj: WorkingGroup) -> str:
        return f"{obj.number}. {obj.local_short_name or obj.local_name}"


class WorkingGroupMultipleChoiceField(integers.ModelMultipleChoiceField):
    def label_from_instance(self, obj: WorkingGroup) -> str:
        return f"{obj.number}. {obj.local_name}"


# --- Browsing -------------------------------------------------------------------------------


class ProjectFilterForm(forms.Form):
    """The browse page's filters (also used by the pivots and the exports). An invalid value
    is reported and ignored; the valid ones still filter.

    Its selects hold some 750 options that are the same for every reader (countries, regions,
    entities, working groups, organizations: nothing a clearance narrows): they are drawn once
    per language and kept in the cache (``compact.core.widgets.CachedSelect``)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=CachedCountrySelect)
    region = forms.ChoiceField(label=_("Region"), required=False, widget=CachedSelect)
    pillar = forms.ChoiceField(
        label=_("Pillar"), required=False, widget=CachedSelect, choices=[("", _("Any pillar")), *Pillar.choices]
    )
    theme = WorkingGroupChoiceField(
        label=_("Working group"),
        required=False,
        queryset=WorkingGroup.objects.order_by("number", "established_on"),
        empty_label=_("Any working group"),
        widget=CachedSelect,
    )
    entity = integers.ModelChoiceField(
        label=_("Entity (lead or partner)"),
        required=False,
        queryset=Entity.objects.order_by("acronym"),
        to_field_name="acronym",
        empty_label=_("Any entity"),
        widget=CachedSelect,
    )
    partner = forms.ChoiceField(label=_("Organization not party to the Compact"), required=False, widget=CachedSelect)
    status = forms.ChoiceField(
        label=_("Status"), required=False, widget=CachedSelect, choices=[("", _("Any status")), *Project.Status.choices]
    )
    stage = forms.ChoiceField(
        label=_("Lifecycle stage"),
        required=False,
        widget=CachedSelect,
        choices=[("", _("Any stage")), *Project.Stage.choices, (STAGE_NOT_KNOWN, _("Not known"))],
    )
    donor = integers.ModelChoiceField(
        label=_("Donor"),
        required=False,
        queryset=Donor.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("Any donor"),
        widget=CachedSelect,
    )
    year = integers.IntegerField(label=_("Running in year"), required=False, **YEAR_BOUNDS)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES, widget=CachedSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]
        self.fields["region"].choices = [("", _("Any region")), *region_choices()]
        self.fields["partner"].choices = partner_choices()
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "size": 6})

    FILTER_FIELDS = (
        "q",
        "country",
        "region",
        "pillar",
        "theme",
        "entity",
        "partner",
        "status",
        "stage",
        "donor",
        "year",
    )

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(name, label, value as people read it) of each filter that is set and valid, in the
        form's order: what the pivots and the exports say they apply."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        active = []
        for name in self.FILTER_FIELDS:
            value = data.get(name)
            if value in (None, ""):
                continue
            active.append((name, str(self.fields[name].label), self._value_text(name, value)))
        return active

    def _value_text(self, name: str, value: Any) -> str:
        field = self.fields[name]
        if name == "theme":
            return field.label_from_instance(value)
        if name == "entity":
            return value.acronym
        if name == "donor":
            return value.name
        if isinstance(field, forms.ChoiceField):
            return str(_choice_label(field.choices, value))
        return str(value)

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``projects_filtered`` from the fields that are valid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "country": data.get("country") or "",
            "region": data.get("region") or "",
            "pillar": data.get("pillar") or "",
            "theme": data["theme"].pk if data.get("theme") else None,
            "entity": data["entity"].pk if data.get("entity") else None,
            "partner": data.get("partner") or "",
            "status": data.get("status") or "",
            "stage": data.get("stage") or "",
            "donor": data["donor"].code if data.get("donor") else "",
            "year": data.get("year"),
            "search": (data.get("q") or "").strip(),
            "ordering": data.get("sort") or "title",
        }


def partner_choices() -> list[tuple[str, Any]]:
    """ "Any", each kind ("kind:partner"), then each organization by kind (its acronym)."""
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for organization in Organization.objects.order_by("acronym"):
        by_kind.setdefault(organization.kind, []).append((organization.acronym, organization.acronym))
    kinds = [(f"kind:{value}", label) for value, label in Organization.Kind.choices]
    return [
        ("", _("Any organization")),
        (_("Kind"), kinds),
        *((label, by_kind[value]) for value, label in Organization.Kind.choices if value in by_kind),
    ]


def _choice_label(choices: Any, value: str) -> str:
    """The label of ``value`` among choices that may be grouped."""
    for key, label in choices:
        if isinstance(label, list | tuple):
            found = dict(label).get(value)
            if found is not None:
                return str(found)
        elif key == value:
            return str(label)
    return value


# --- Creating and editing -------------------------------------------------------------------

FORM_PROJECT_FIELDS = (
    "title",
    "main_activities",
    "lead_entity",
    "status",
    "stage",
    "start_year",
    "start_month",
    "end_year",
    "end_month",
    "pillars",
    "scope",
    "scope_text",
    "classification",
    "gender_marker",
    "hrdd_assessed",
    "budget_usd",
    "donors",
)
DATE_FIELDS = ("start_year", "start_month", "end_year", "end_month")


def _month_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, required=False, choices=MONTH_CHOICES, coerce=int, empty_value=None)


class ProjectForm(forms.Form):
    """A project, as OCT or an entity's focal point enters it. A focal point chooses the lead
    among their own entities (or keeps the current lead); the service has the last word."""

    title = forms.CharField(label=_("Title"), max_length=1000)
    main_activities = forms.CharField(
        label=_("Main activities"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    lead_entity = EntityChoiceField(label=_("Lead entity"), queryset=Entity.objects.none(), required=False)
    partner_entities = EntityMultipleChoiceField(
        label=_("Partner entities"),
        queryset=Entity.objects.order_by("acronym"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other parties to the Compact working on the project."),
    )
    partner_organizations = forms.CharField(
        label=_("Partner organizations"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Organizations that are not parties to the Compact (EU, LAS, AU …), one per line."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
    stage = forms.ChoiceField(
        label=_("Lifecycle stage"), required=False, choices=[("", _("Not known")), *Project.Stage.choices]
    )
    start_year = integers.IntegerField(label=_("Start year"), required=False, **YEAR_BOUNDS)
    start_month = _month_field(_("Start month"))
    end_year = integers.IntegerField(label=_("End year"), required=False, **YEAR_BOUNDS)
    end_month = _month_field(_("End month"))
    pillars = forms.MultipleChoiceField(
        label=_("Pillars of the Strategy"), required=False, choices=Pillar.choices, widget=forms.CheckboxSelectMultiple
    )
    themes = WorkingGroupMultipleChoiceField(
        label=_("Working groups (themes)"),
        queryset=WorkingGroup.objects.order_by("number", "established_on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scope = forms.ChoiceField(
        label=_("Geographic scope"), required=False, choices=[("", _("Not known")), *Project.Scope.choices]
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        widget=CountrySelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or ⌘) to choose several, or type in the box above the list to narrow it."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("UN regions and the groupings used in this field (Sahel, Lake Chad Basin …)."),
    )
    scope_text = forms.CharField(
        label=_("Places as written"),
        required=False,
        max_length=500,
        help_text=_("Free text, e.g. as the source document gives it."),
    )
    classification = forms.ChoiceField(label=_("Classification"))
    gender_marker = forms.NullBooleanField(label=_("Gender equality considered"), required=False)
    hrdd_assessed = forms.NullBooleanField(
        label=_("Human-rights due diligence assessed"),
        required=False,
        help_text=_("A risk assessment under the HRDDP where the project supports non-UN security forces."),
    )
    budget_usd = forms.DecimalField(
        label=_("Budget (USD)"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    funders = integers.ModelMultipleChoiceField(
        label=_("Donors"),
        queryset=Donor.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Donors of the Trust Fund funding the project; amounts are earmarked on their contribution."),
    )
    donors = forms.CharField(
        label=_("Donors not matched (note)"),
        required=False,
        max_length=500,
        help_text=_("Donors as written that are not among the Trust Fund's donors."),
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, project: Project | None = None, **kwargs: Any) -> None:
        initial = kwargs.pop("initial", None) or (_project_initial(project) if project else {})
        super().__init__(*args, initial=initial, **kwargs)
        self.project = project
        self.fields["countries"].choices = country_choices()
        self.fields["regions"].choices = region_choices()
        self.fields["classification"].choices = [
            (value, label) for value, label in Classification.choices if can_read_classification(user, value)
        ]
        self._limit_lead(user, project)

    def _limit_lead(self, user: AbstractBaseUser, project: Project | None) -> None:
        field = self.fields["lead_entity"]
        leads = entities_editable_by(user)
        if can_manage_matrix(user):
            field.empty_label = _("None (partners only)")
        else:
            field.required = True
            if project is not None and project.lead_entity_id:
                leads = Entity.objects.filter(pk__in=[*leads.values_list("pk", flat=True), project.lead_entity_id])
            leads = leads.order_by("acronym")
            if project is None and len(leads) == 1:
                self.initial.setdefault("lead_entity", leads[0].pk)
        field.queryset = leads

    def clean_partner_organizations(self) -> list[str]:
        lines = (line.strip() for line in self.cleaned_data["partner_organizations"].splitlines())
        return list(dict.fromkeys(line for line in lines if line))

    def clean_stage(self) -> str:
        return self.cleaned_data["stage"] or ""

    def service_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``project_save`` (without ``project`` and ``actor``)."""
        data = self.cleaned_data
        fields = {name: data[name] for name in FORM_PROJECT_FIELDS}
        fields["partner_organizations"] = data["partner_organizations"]
        if self.project is not None and any(name in self.changed_data for name in DATE_FIELDS):
            fields["duration_text"] = ""  # the duration as first written no longer holds
        return {
            "fields": fields,
            "partner_entities": list(data["partner_entities"]),
            "themes": list(data["themes"]),
            "countries": data["countries"],
            "regions": data["regions"],
            "funders": list(data["funders"]),
        }


def _project_initial(project: Project) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(project, name) for name in FORM_PROJECT_FIELDS}
    initial["lead_entity"] = project.lead_entity_id
    initial["partner_organizations"] = "\n".join(project.partner_organizations or [])
    initial["partner_entities"] = [entity.pk for entity in project.partner_entities.all()]
    initial["themes"] = [group.pk for group in project.themes.all()]
    initial["countries"] = [row.country for row in project.country_rows.all()]
    initial["regions"] = [row.region for row in project.region_rows.all()]
    initial["funders"] = [donor.pk for donor in project.funders.all()]
    return initial


# --- Overlaps -------------------------------------------------------------------------------


class OverlapFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False, widget=CachedCountrySelect)
    hide_reviewed = forms.BooleanField(label=_("Hide reviewed pairs"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]

    def values(self) -> tuple[str, bool]:
        """(country code or "", whether to hide reviewed pairs), ignoring invalid input."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("country") or "", bool(data.get("hide_reviewed"))


class OverlapReviewForm(forms.Form):
    first = integers.IntegerField(widget=forms.HiddenInput, min_value=1)
    second = integers.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was concluded: joint programming, no real overlap, follow-up …"),
    )
    back = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


# --- Imports --------------------------------------------------------------------------------

SHA256_PATTERN = r"^[0-9a-f]{64}$"


class MatrixUploadForm(forms.Form):
    # Empty files reach the service, which says so in its own words.
    file = forms.FileField(
        label=_("Matrix file"),
        allow_empty_file=True,
        help_text=_("The matrix as text (the report's format), or the CSV or XLSX template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.csv,.xlsx,text/plain,text/csv"}),
    )


class MatrixCommitForm(forms.Form):
    """Commits the file shown in the preview: it is kept on the server under its SHA-256."""

    sha256 = forms.RegexField(regex=SHA256_PATTERN, widget=forms.HiddenInput)
    file_name = forms.CharField(max_length=255, widget=forms.HiddenInput)


# --- Themes ---------------------------------------------------------------------------------


THEME_STATE_CHOICES = [
    ("unconfirmed", _("To confirm")),
    ("confirmed", _("Confirmed")),
    ("all", _("All")),
]


class ThemeFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Themes"), required=False, choices=THEME_STATE_CHOICES)
    pillar = forms.ChoiceField(label=_("Pillar"), required=False, choices=[("", _("Any pillar")), *Pillar.choices])
    suggested = WorkingGroupChoiceField(
        label=_("Suggested working group"),
        queryset=WorkingGroup.objects.order_by("number", "established_on"),
        required=False,
        empty_label=_("Any working group"),
    )

    def values(self) -> dict[str, Any]:
        """The filters, ignoring invalid input (as the browse page does)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "state": data.get("state") or "unconfirmed",
            "pillar": data.get("pillar") or "",
            "suggested": data.get("suggested"),
        }


class ThemeConfirmForm(forms.Form):
    """The projects ticked on the themes page, whose shown themes OCT confirms at once."""

    projects = integers.ModelMultipleChoiceField(
        queryset=Project.objects.none(),
        error_messages={"required": _("Tick at least one project.")},
    )
    back = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects


class ThemeChangeForm(forms.Form):
    working_groups = WorkingGroupMultipleChoiceField(
        label=_("Working groups (themes)"),
        queryset=WorkingGroup.objects.order_by("number", "established_on"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one working group.")},
    )


# --- The lifecycle and human-rights due diligence (compact.matrix.lifecycle) ----------------------


def _entity_choices() -> forms.ModelChoiceField:
    return integers.ModelChoiceField(
        label=_("Responsible entity"), queryset=Entity.objects.order_by("acronym"), required=False
    )


class StageMoveForm(forms.Form):
    """One move of the project's lifecycle; ``moves`` are those the table allows now."""

    action = forms.ChoiceField(label=_("Step"))
    reached_on = forms.DateField(label=_("Reached on"), widget=forms.DateInput(attrs={"type": "date"}))
    entity = _entity_choices()
    cted_input = forms.CharField(
        label=_("CTED's contribution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Annex IV: CTED contributes at planning, financing and initiation."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a step back."),
    )

    def __init__(self, *args: Any, moves: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(move.action, move.label) for move in moves]


class SecurityForcesForm(forms.Form):
    supports = forms.TypedChoiceField(
        label=_("Does the project support non-UN security forces?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class HrddpAssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=HrddpAssessment.Outcome.choices)
    entity = integers.ModelChoiceField(
        label=_("Assessed by"), queryset=Entity.objects.order_by("acronym"), required=False
    )
    summary = forms.CharField(
        label=_("Summary and mitigating measures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
