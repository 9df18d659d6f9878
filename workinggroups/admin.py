from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from compact.admin_audit import AuditedAdmin
from compact.core.models import User
from compact.core.permissions import is_oct
from compact.registry.models import Pillar
from workinggroups.models import RoleAssignment, WorkingGroup, WorkPlan, WorkPlanActivity, WorkPlanOutput
from workinggroups.services import role_permissions_sync
from workinggroups.workplans import work_plan_activity_problems


def _sync_people(people: Iterable[AbstractBaseUser | None]) -> None:
    """Admin edits to roles take effect on rights at once, as the services' edits do: both the
    people who now hold a role and those who just lost one are reconciled."""
    for person in {p for p in people if p is not None}:
        role_permissions_sync(user=person)


class NotOneselfForm(forms.ModelForm):
    """An administrator does not name themselves a role's representative: admin rights must not
    become a chair's rights (another administrator, or OCT's pages, do it)."""

    administrator: Any = None

    def clean_person(self) -> Any:
        person = self.cleaned_data.get("person")
        if person is not None and self.administrator is not None and person.pk == self.administrator.pk:
            raise forms.ValidationError(_("You cannot name yourself: another administrator records your role."))
        return person


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ("entity", "person")
    fields = ("role", "entity", "person", "starts_on", "ends_on", "evidence", "note")

    def get_formset(self, request: HttpRequest, obj: WorkingGroup | None = None, **kwargs: Any) -> Any:
        kwargs["form"] = type("RoleAssignmentInlineForm", (NotOneselfForm,), {"administrator": request.user})
        return super().get_formset(request, obj, **kwargs)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(AuditedAdmin):
    list_display = ("number", "short_name", "name", "established_on", "retired_on", "merged_into", "evidence")
    list_filter = ("evidence", ("retired_on", admin.EmptyFieldListFilter))
    search_fields = ("name", "short_name", "mandate", "code")
    inlines = [RoleAssignmentInline]

    def before_inline_save(self, request: HttpRequest, formset: BaseFormSet) -> None:
        # Whoever represented a row before this save may lose a right: remember them.
        pks = [form.instance.pk for form in formset.forms if form.instance.pk]
        formset.previous_people = list(User.objects.filter(wg_assignments__pk__in=pks).distinct())

    def after_inline_save(self, request: HttpRequest, formset: BaseFormSet) -> None:
        current = [form.instance.person for form in formset.forms if form.instance.pk]
        _sync_people([*getattr(formset, "previous_people", []), *current])


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("working_group", "role", "entity", "person", "starts_on", "ends_on", "evidence")
    list_filter = ("role", "evidence", "working_group")
    search_fields = ("entity__acronym", "entity__name", "working_group__name", "person__username")
    autocomplete_fields = ("entity", "person", "working_group")
    list_select_related = ("working_group", "entity", "person")
    date_hierarchy = "starts_on"

    def get_form(self, request: HttpRequest, obj: RoleAssignment | None = None, **kwargs: Any) -> type[ModelForm]:
        form = super().get_form(request, obj, **kwargs)
        return type("RoleAssignmentAdminForm", (NotOneselfForm, form), {"administrator": request.user})

    def save_model(self, request: HttpRequest, obj: RoleAssignment, form: ModelForm, change: bool) -> None:
        previous = User.objects.filter(wg_assignments__pk=obj.pk).first() if obj.pk else None
        super().save_model(request, obj, form, change)
        _sync_people([obj.person, previous])

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        person = obj.person
        super().delete_model(request, obj)
        _sync_people([person])

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        # The bulk action runs outside the admin's transaction: delete and sync together.
        with transaction.atomic():
            people = list(User.objects.filter(wg_assignments__in=queryset).distinct())
            super().delete_queryset(request, queryset)
            _sync_people(people)


# --- Work plans: the chairs keep them on the group's pages; OCT corrects them here. -------------


class OctOnlyAdminMixin:
    """Only the OCT secretariat sees and changes these in the admin (being a site administrator
    is not enough)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_oct(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return is_oct(request.user)

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return is_oct(request.user)

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return is_oct(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return is_oct(request.user)


class WorkPlanActivityAdminForm(forms.ModelForm):
    """The pillars as check boxes, and the rules the work-plan services apply to a target date."""

    pillars = forms.MultipleChoiceField(
        label=WorkPlanActivity._meta.get_field("pillars").verbose_name,
        choices=Pillar.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WorkPlanActivity
        fields = ("position", "title", "lead_entities", "target_date", "pillars", "status")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Inline under an output, the form carries its parent output (saved or not yet).
        output = cleaned.get("output") or (self.instance.output if self.instance.output_id else None)
        if output is not None and output.work_plan_id is not None:
            problems = work_plan_activity_problems(
                plan=output.work_plan, target_date=cleaned.get("target_date"), pillars=cleaned.get("pillars") or []
            )
            for field, message in problems.items():
                self.add_error(field, message)
        if "pillars" in cleaned:
            cleaned["pillars"] = [pillar for pillar in Pillar.values if pillar in set(cleaned["pillars"])]
        return cleaned


class WorkPlanOutputInline(OctOnlyAdminMixin, admin.TabularInline):
    model = WorkPlanOutput
    extra = 0
    fields = ("position", "title")
    show_change_link = True


class WorkPlanActivityInline(OctOnlyAdminMixin, admin.StackedInline):
    model = WorkPlanActivity
    form = WorkPlanActivityAdminForm
    extra = 0
    autocomplete_fields = ("lead_entities",)


@admin.register(WorkPlan)
class WorkPlanAdmin(OctOnlyAdminMixin, AuditedAdmin):
    list_display = ("working_group", "biennium_label", "updated_at")
    list_filter = ("working_group", "biennium_start")
    search_fields = ("working_group__name", "working_group__short_name", "summary")
    list_select_related = ("working_group",)
    fields = ("working_group", "biennium_start", "summary")
    inlines = [WorkPlanOutputInline]


@admin.register(WorkPlanOutput)
class WorkPlanOutputAdmin(OctOnlyAdminMixin, AuditedAdmin):
    list_display = ("title", "work_plan", "position")
    list_filter = ("work_plan__working_group", "work_plan__biennium_start")
    search_fields = ("title", "activities__title")
    list_select_related = ("work_plan__working_group",)
    fields = ("work_plan", "position", "title")
    inlines = [WorkPlanActivityInline]
