"""Admin edits bypass the services, so the admin writes its own audit rows.

The admin runs each add/change view in one transaction; the audit row is written in it,
after related objects (many-to-many fields such as a user's groups, inlines) are saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from compact.core.audit import audit_record, snapshot
from compact.core.selectors import within_clearance


def _admin_snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """Like ``snapshot``, but many-to-many fields become sorted lists of names."""
    plain = [name for name in fields if not obj._meta.get_field(name).many_to_many]
    result = snapshot(obj, plain)
    for name in set(fields) - set(plain):
        result[name] = sorted(str(related) for related in getattr(obj, name).all()) if obj.pk else []
    return result


def _audited_fields(obj: models.Model, form: ModelForm) -> list[str]:
    own = {field.name for field in obj._meta.get_fields() if field.concrete or field.many_to_many}
    return [name for name in form.changed_data if name in own and name != "password"]


# A web address typed without a scheme is taken as https (Django 6's default, said now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class AuditedAdminMixin:
    """Every add, change and delete made in the admin leaves an audit row with before/after."""

    formfield_overrides = HTTPS_URLS

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        fields = _audited_fields(obj, form)
        before = _admin_snapshot(type(obj).objects.get(pk=obj.pk), fields) if change else None
        request._audit_pending = (fields, before, change)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        fields, before, changed = getattr(request, "_audit_pending", ([], None, change))
        obj = form.instance
        after = _admin_snapshot(obj, fields)
        if before is not None:
            # A form can flag a field whose stored value did not change (e.g. a time shown to
            # the second); only real changes are recorded.
            same = {name for name in fields if before.get(name) == after.get(name)}
            before = {key: value for key, value in before.items() if key not in same}
            after = {key: value for key, value in after.items() if key not in same}
        if after or not changed:
            verb = f"admin.{obj._meta.model_name}.{'changed' if changed else 'added'}"
            audit_record(actor=request.user, verb=verb, obj=obj, before=before, after=after)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(actor=request.user, verb=f"admin.{obj._meta.model_name}.deleted", obj=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit_record(actor=request.user, verb=f"admin.{obj._meta.model_name}.deleted", obj=obj)
            super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseFormSet, change: bool) -> None:
        # Inline rows (aliases, membership entries, role assignments, a user's profile) are
        # audited on their parent, with the fields that changed.
        changes = []
        for inline_form in formset.forms:
            instance = inline_form.instance
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            fields = _audited_fields(instance, inline_form)
            before = _admin_snapshot(type(instance).objects.get(pk=instance.pk), fields) if instance.pk else None
            changes.append((inline_form, fields, before))
        deleted = [str(f.instance) for f in formset.deleted_forms if f.instance.pk]
        self.before_inline_save(request, formset)
        formset.save()
        for inline_form, fields, before in changes:
            instance = inline_form.instance
            audit_record(
                actor=request.user,
                verb=f"admin.{instance._meta.model_name}.saved",
                obj=form.instance,
                before=before,
                after={"row": str(instance), **_admin_snapshot(instance, fields)},
            )
        for row in deleted:
            audit_record(
                actor=request.user,
                verb=f"admin.{formset.model._meta.model_name}.deleted",
                obj=form.instance,
                before={"row": row},
            )
        self.after_inline_save(request, formset)

    def before_inline_save(self, request: HttpRequest, formset: BaseFormSet) -> None:
        """Hook: look at inline rows before they are saved (e.g. who loses a role). State to
        carry over goes on the formset, never on ``self``: one admin object serves all requests."""

    def after_inline_save(self, request: HttpRequest, formset: BaseFormSet) -> None:
        """Hook: follow-up work once inline rows are saved (e.g. permission sync)."""


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only services write: the admin shows them, never changes them, and only
    those whose markings the administrator's clearance reaches."""

    formfield_overrides = HTTPS_URLS
    # For a record whose text is marked on another (an extension's reason, an indicator value:
    # on their submission), the relation whose markings decide who reads it.
    marked_by = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        records = super().get_queryset(request)
        if not self.marked_by:
            return within_clearance(records, request.user)
        marked = records.model._meta.get_field(self.marked_by).related_model
        readable = within_clearance(marked._default_manager.all(), request.user)
        return records.filter(**{f"{self.marked_by}__in": readable})

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False
