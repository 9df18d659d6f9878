from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from compact.admin_audit import AuditedAdmin, AuditedAdminMixin, ReadOnlyAdmin
from compact.core.audit import audit_record
from compact.core.models import AuditEvent, Heartbeat, OutboundEmail, User
from compact.core.selectors import audit_events_within_clearance
from compact.outreach.models import MemberStateBriefing, MemberStateBriefingStep
from compact.registry.models import Entity, EntityAlias, Membership, Profile
from compact.registry.services import focal_point_remove
from compact.signon.models import SignOnRequest, SignOnStep
from reporting.review.models import BiennialReview, ReviewComment, ReviewStep


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

    def get_readonly_fields(self, request: HttpRequest, obj: Entity | None = None) -> tuple[str, ...]:
        # Renames go through the entity's edit page, which keeps the old names as aliases.
        return ("acronym", "name") if obj is not None else ()

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


# What decides a person's rights. An administrator manages them for others, never for themselves:
# admin rights must not become a workflow role or a clearance (every change is audited).
SELF_GRANTED_FIELDS = ("groups", "user_permissions", "is_superuser", "is_staff", "is_active")
SELF_GRANTED_PROFILE_FIELDS = ("entity", "clearance")


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ("entity",)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + SELF_GRANTED_PROFILE_FIELDS if obj is not None and obj.pk == request.user.pk else fields


@admin.register(User)
class CompactUserAdmin(AuditedAdminMixin, UserAdmin):
    """People. Role (group) changes, staff flags and profile edits are audited; object
    permissions (who leads a group, who is a focal point) are granted by the services."""

    inlines = [ProfileInline]
    list_select_related = ("profile__entity",)
    list_display = ("username", "email", "first_name", "last_name", "entity", "is_active", "is_staff")
    list_filter = ("groups", "is_active", "is_staff", "profile__clearance")
    search_fields = ("username", "email", "first_name", "last_name", "profile__entity__acronym")

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + SELF_GRANTED_FIELDS if obj is not None and obj.pk == request.user.pk else fields

    def after_inline_save(self, request: HttpRequest, formset: BaseFormSet) -> None:
        # A person who moves to another entity stops being a focal point of the old one.
        profile = Profile.objects.filter(user=formset.instance).select_related("entity").first()
        if profile is not None:
            for entity in get_objects_for_user(
                profile.user, "compact.manage_entity_profile", klass=Entity, with_superuser=False
            ):
                if entity != profile.entity:
                    focal_point_remove(user=profile.user, entity=entity, actor=request.user)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Setting someone else's password would let an administrator act as them (as the USG,
        # say): people set their own, through the reset link the sign-in page offers.
        if str(id) != str(request.user.pk):
            raise PermissionDenied(_("Nobody sets another person's password: they use “Forgot your password?”."))
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                audit_record(actor=request.user, verb="admin.user.password_changed", obj=User.objects.get(pk=id))
        return response

    @admin.display(description="entity", ordering="profile__entity__acronym")
    def entity(self, user: User) -> Entity | None:
        profile = getattr(user, "profile", None)
        return profile.entity if profile else None


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_label", "verb", "object_repr", "classification")
    list_filter = ("verb", "classification", "content_type")
    search_fields = ("actor_label", "verb", "object_repr", "note")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        # A site administrator reads the rows their clearance reaches, like everyone else.
        return audit_events_within_clearance(request.user)

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


class SignOnStepInline(admin.TabularInline):
    model = SignOnStep
    extra = 0
    fields = ("created_at", "action", "from_state", "to_state", "actor_label", "message", "shared_with_applicant")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(SignOnRequest)
class SignOnRequestAdmin(ReadOnlyAdmin):
    """Read-only: decisions are taken on the review pages (/sign-on/review/), which follow the
    workflow, write the audit trail and send the e-mails."""

    list_display = ("acronym", "organization_name", "requested_status", "state", "submitted_at", "handler")
    list_filter = ("state", "requested_status", "organization_kind")
    search_fields = ("acronym", "organization_name", "focal_email")
    exclude = ("access_key",)
    inlines = [SignOnStepInline]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "subject", "sent_at", "attempts", "classification")
    list_filter = ("sent_at", "classification")
    search_fields = ("recipient", "subject", "occasion")


class MemberStateBriefingStepInline(admin.TabularInline):
    model = MemberStateBriefingStep
    extra = 0
    fields = ("created_at", "action", "from_state", "to_state", "actor", "message")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(MemberStateBriefing)
class MemberStateBriefingAdmin(ReadOnlyAdmin):
    """Read-only: briefings are recorded and published on OCT's pages (/outreach/briefings/),
    which keep the notes' classification, confirm the summary and write the audit trail. The
    notes are left out here: the admin does not check a reader's clearance."""

    list_display = ("date", "title", "audience", "notes_classification", "state", "published_at")
    list_filter = ("state", "notes_classification")
    search_fields = ("title", "audience")
    exclude = ("notes",)
    inlines = [MemberStateBriefingStepInline]


class ReviewStepInline(admin.TabularInline):
    model = ReviewStep
    extra = 0
    fields = ("created_at", "action", "from_state", "to_state", "actor", "message")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(BiennialReview)
class BiennialReviewAdmin(ReadOnlyAdmin):
    """Read-only: reviews are prepared and moved on OCT's pages (/review/), which follow the
    workflow, e-mail the focal points and write the audit trail. The outcome is left out here:
    the admin does not check a reader's clearance."""

    list_display = ("biennium", "title", "resolution_symbol", "opens_on", "comments_due_on", "state")
    list_filter = ("state", "outcome_classification")
    search_fields = ("title", "resolution_symbol")
    exclude = ("outcome",)
    inlines = [ReviewStepInline]


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    """Read-only: focal points write comments on the review's pages. The text is left out (the
    admin does not check a reader's clearance)."""

    list_display = ("review", "entity", "classification", "is_late", "created_at", "updated_at")
    list_filter = ("classification", "is_late", "review")
    search_fields = ("entity__acronym",)
    list_select_related = ("review", "entity")
    exclude = ("text",)
