from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from compact.admin_audit import AuditedAdmin
from compact.models import User
from workinggroups.models import RoleAssignment, WorkingGroup
from workinggroups.services import role_permissions_sync


def _sync_people(people: Iterable[AbstractBaseUser | None]) -> None:
    """Admin edits to roles take effect on rights at once, as the services' edits do: both the
    people who now hold a role and those who just lost one are reconciled."""
    for person in {p for p in people if p is not None}:
        role_permissions_sync(user=person)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ("entity", "person")
    fields = ("role", "entity", "person", "starts_on", "ends_on", "evidence", "note")


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
