"""Reporting in the admin: read-only. Periods, drafts and reviews go through the reporting
pages and API, which follow the workflow, keep versions, write the audit trail and send e-mail."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from compact.admin import ReadOnlyAdmin
from reporting.models import ReportingPeriod, Submission, SubmissionStep, SubmissionVersion


class SubmissionStepInline(admin.TabularInline):
    model = SubmissionStep
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "from_status", "to_status", "actor", "comment")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "opens_on", "due_on", "state")
    list_filter = ("kind", "state")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("working_group", "period", "status", "classification", "submitted_at", "on_time")
    list_filter = ("status", "classification", "period")
    inlines = [SubmissionStepInline]


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(ReadOnlyAdmin):
    list_display = ("submission", "number", "submitted_at", "submitted_by", "on_time")
