"""Admin edits bypass the services, so the admin writes its own audit rows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest

from compact.audit import audit_record, snapshot


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and delete made in the admin leaves an audit row."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        fields = [name for name in form.changed_data if name in {f.name for f in obj._meta.concrete_fields}]
        with transaction.atomic():
            before = None
            if change:
                before = snapshot(type(obj).objects.get(pk=obj.pk), fields)
            super().save_model(request, obj, form, change)
            verb = f"admin.{obj._meta.model_name}.{'changed' if change else 'added'}"
            audit_record(actor=request.user, verb=verb, obj=obj, before=before, after=snapshot(obj, fields))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(actor=request.user, verb=f"admin.{obj._meta.model_name}.deleted", obj=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit_record(actor=request.user, verb=f"admin.{obj._meta.model_name}.deleted", obj=obj)
            super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: Any, change: bool) -> None:
        # Inline rows (aliases, membership entries, role assignments) are audited on their parent.
        with transaction.atomic():
            for instance in formset.save():
                audit_record(
                    actor=request.user,
                    verb=f"admin.{instance._meta.model_name}.saved",
                    obj=form.instance,
                    after={"row": str(instance), "id": instance.pk},
                )
            for deleted in formset.deleted_objects:
                audit_record(
                    actor=request.user,
                    verb=f"admin.{deleted._meta.model_name}.deleted",
                    obj=form.instance,
                    before={"row": str(deleted)},
                )
            self.after_inline_save(formset)

    def after_inline_save(self, formset: Any) -> None:
        """Hook for admins whose inline rows need follow-up work (e.g. permission sync)."""
