from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.http import HttpRequest

from compact.admin_audit import AuditedAdmin, AuditedAdminMixin
from compact.models import AuditEvent, Entity, EntityAlias, Heartbeat, Membership, Profile, User


class EntityAliasInline(admin.TabularInline):
    model = EntityAlias
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("status", "effective_from", "signed_on", "evidence", "source_note")


@admin.register(Entity)
class EntityAdmin(AuditedAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("acronym", "name", "kind", "is_active", "evidence")
    list_filter = ("kind", "is_active", "evidence", "memberships__status")
    search_fields = ("acronym", "name", "aliases__name")
    inlines = [EntityAliasInline, MembershipInline]


@admin.register(EntityAlias)
class EntityAliasAdmin(AuditedAdmin):
    list_display = ("name", "entity", "kind", "used_until")
    list_filter = ("kind",)
    search_fields = ("name", "entity__acronym", "entity__name")
    autocomplete_fields = ("entity",)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("entity", "status", "effective_from", "signed_on", "evidence")
    list_filter = ("status", "evidence")
    search_fields = ("entity__acronym", "entity__name", "source_note")
    date_hierarchy = "effective_from"
    autocomplete_fields = ("entity",)
    readonly_fields = ("recorded_by", "recorded_at")


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ("entity",)


@admin.register(User)
class CompactUserAdmin(AuditedAdminMixin, UserAdmin):
    """People. Role (group) changes, staff flags and profile edits are audited; object
    permissions (who leads a group, who is a focal point) are granted by the services."""

    inlines = [ProfileInline]
    list_select_related = ("profile__entity",)
    list_display = ("username", "email", "first_name", "last_name", "entity", "is_active", "is_staff")
    list_filter = ("groups", "is_active", "is_staff", "profile__clearance")
    search_fields = ("username", "email", "first_name", "last_name", "profile__entity__acronym")

    @admin.display(description="entity", ordering="profile__entity__acronym")
    def entity(self, user: User) -> Entity | None:
        profile = getattr(user, "profile", None)
        return profile.entity if profile else None


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_label", "verb", "object_repr")
    list_filter = ("verb", "content_type")
    search_fields = ("actor_label", "verb", "object_repr", "note")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "seen_at")
    search_fields = ("name",)
