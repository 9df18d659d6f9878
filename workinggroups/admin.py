from django.contrib import admin
from django.contrib.auth import get_user_model
from guardian.admin import GuardedModelAdminMixin

from compact.admin_audit import AuditedAdmin
from workinggroups.models import RoleAssignment, WorkingGroup
from workinggroups.services import role_permissions_sync

User = get_user_model()


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ("entity", "person")
    fields = ("role", "entity", "person", "starts_on", "ends_on", "evidence", "note")


@admin.register(WorkingGroup)
class WorkingGroupAdmin(GuardedModelAdminMixin, AuditedAdmin):
    list_display = ("number", "short_name", "name", "established_on", "retired_on", "merged_into", "evidence")
    list_filter = ("evidence", ("retired_on", admin.EmptyFieldListFilter))
    search_fields = ("name", "short_name", "mandate")
    inlines = [RoleAssignmentInline]

    def after_inline_save(self, formset):  # type: ignore[no-untyped-def]
        _sync_people(
            assignment.person for assignment in formset.queryset.model.objects.filter(working_group=formset.instance)
        )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("working_group", "role", "entity", "person", "starts_on", "ends_on", "evidence")
    list_filter = ("role", "evidence", "working_group")
    search_fields = ("entity__acronym", "entity__name", "working_group__name", "person__username")
    autocomplete_fields = ("entity", "person", "working_group")
    date_hierarchy = "starts_on"

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        previous = RoleAssignment.objects.filter(pk=obj.pk).values_list("person", flat=True).first()
        super().save_model(request, obj, form, change)
        _sync_people([obj.person, User.objects.filter(pk=previous).first()])


def _sync_people(people):  # type: ignore[no-untyped-def]
    """Admin edits to roles take effect on rights at once, like the services' edits."""
    for person in {p for p in people if p is not None}:
        role_permissions_sync(user=person)
