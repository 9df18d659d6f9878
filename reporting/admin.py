"""Reporting in the admin: read-only. Periods, drafts and reviews go through the reporting
pages and API, which follow the workflow, keep versions, write the audit trail and send e-mail.
The calendar is edited on OCT's calendar page (validated and audited), not here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from compact.admin_audit import ReadOnlyAdmin
from reporting.calendar.models import CalendarFeed, CalendarRule, ExtensionRequest, SchedulerEvent
from reporting.committee.models import ActionPoint, CascadeBriefing, Meeting
from reporting.compiled.models import AnnualReport, ConsolidatedReport
from reporting.programme.models import (
    ExpectedResult,
    Indicator,
    IndicatorValue,
    Priority,
    ProgrammeOfWork,
    ProgrammeVersion,
)
from reporting.submissions.models import ReportingPeriod, Submission, SubmissionStep, SubmissionVersion


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
    list_display = ("__str__", "kind", "opens_on", "due_on", "closes_on", "state")
    list_filter = ("kind", "state")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("working_group", "period", "status", "classification", "extended_until", "submitted_at", "on_time")
    list_filter = ("status", "classification", "period")
    search_fields = ("working_group__name", "working_group__short_name")
    inlines = [SubmissionStepInline]


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(ReadOnlyAdmin):
    list_display = ("submission", "number", "submitted_at", "submitted_by", "on_time")


@admin.register(CalendarRule)
class CalendarRuleAdmin(ReadOnlyAdmin):
    list_display = ("kind", "active", "due_month", "due_day", "due_following_year", "time_zone", "updated_at")
    list_filter = ("active",)


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    marked_by = "submission"
    list_display = ("submission", "status", "due_before", "requested_until", "granted_until", "requested_by")
    list_filter = ("status",)
    search_fields = ("submission__working_group__name", "reason")


@admin.register(SchedulerEvent)
class SchedulerEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "key", "period", "detail")
    list_filter = ("kind",)
    search_fields = ("key", "detail")
    date_hierarchy = "created_at"


@admin.register(ConsolidatedReport)
class ConsolidatedReportAdmin(ReadOnlyAdmin):
    list_display = ("period", "state", "created_at")
    list_filter = ("state",)


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ("year", "state", "created_at")
    list_filter = ("state",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ("user", "created_at", "last_read_at")
    search_fields = ("user__username", "user__email")
    # The token is a password to the user's deadlines: not shown.
    exclude = ("token",)


# --- Committee meetings: read-only too; OCT records them on the meeting pages (audited). ----------


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("date", "place", "is_virtual", "chair", "state")
    list_filter = ("state", "is_virtual")
    date_hierarchy = "date"


@admin.register(ActionPoint)
class ActionPointAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "text", "owner_entity", "owner_group", "due_on", "status")
    list_filter = ("status",)
    search_fields = ("text",)


@admin.register(CascadeBriefing)
class CascadeBriefingAdmin(ReadOnlyAdmin):
    list_display = ("agenda_item", "working_group", "briefed_on", "recorded_by")


# --- The programme of work: read-only (OCT edits the working copy on its pages, with the
# optimistic lock and the audit trail; versions are frozen). Indicators: plain. ------------------


class PriorityInline(admin.TabularInline):
    model = Priority
    extra = 0
    can_delete = False
    fields = ("position", "code", "title", "pillars")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


class ProgrammeVersionInline(admin.TabularInline):
    model = ProgrammeVersion
    extra = 0
    can_delete = False
    fields = ("number", "adopted_on", "decision", "change_note", "recorded_by")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(ProgrammeOfWork)
class ProgrammeOfWorkAdmin(ReadOnlyAdmin):
    list_display = ("biennium_label", "title", "strategy_review_resolution", "revision", "updated_at", "updated_by")
    search_fields = ("title",)
    inlines = [PriorityInline, ProgrammeVersionInline]


class ExpectedResultInline(admin.TabularInline):
    model = ExpectedResult
    extra = 0
    can_delete = False
    fields = ("position", "text")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(Priority)
class PriorityAdmin(ReadOnlyAdmin):
    list_display = ("programme", "code", "title", "position")
    list_filter = ("programme",)
    inlines = [ExpectedResultInline]


@admin.register(ProgrammeVersion)
class ProgrammeVersionAdmin(ReadOnlyAdmin):
    list_display = ("programme", "number", "adopted_on", "decision", "recorded_by", "recorded_at")
    list_filter = ("programme",)


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    # OCT edits indicators on their pages: the service keeps reported breakdowns and audits.
    list_display = ("programme", "code", "name", "unit", "baseline", "target", "frequency")
    list_filter = ("programme", "frequency")
    search_fields = ("code", "name")
    filter_horizontal = ("priorities", "working_groups")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    marked_by = "submission"
    list_display = ("indicator", "submission", "dimension", "category", "value", "updated_at")
    list_filter = ("indicator__programme",)
    search_fields = ("indicator__code", "indicator__name")
