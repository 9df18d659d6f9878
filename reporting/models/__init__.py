"""The reporting app's models, by subject: ``submissions`` (periods, the groups' inputs, their
versions and steps), ``calendar`` (the reporting calendar, extensions, the scheduler's log and
calendar feeds) and ``compiled`` (OCT's consolidated and annual reports and their PDF
editions). Import them from here."""

from reporting.models.calendar import CalendarFeed, CalendarRule, ExtensionRequest, SchedulerEvent
from reporting.models.committee import (
    ActionPoint,
    AgendaItem,
    Attendance,
    CascadeBriefing,
    Decision,
    Meeting,
)
from reporting.models.compiled import AnnualReport, ConsolidatedReport, ReportEdition, _edition_path
from reporting.models.submissions import (
    ActivityProgress,
    Attachment,
    ReportingPeriod,
    Submission,
    SubmissionStep,
    SubmissionVersion,
    _attachment_path,
)

__all__ = [
    "ActionPoint",
    "ActivityProgress",
    "AgendaItem",
    "AnnualReport",
    "Attachment",
    "Attendance",
    "CalendarFeed",
    "CalendarRule",
    "CascadeBriefing",
    "ConsolidatedReport",
    "Decision",
    "ExtensionRequest",
    "Meeting",
    "ReportEdition",
    "ReportingPeriod",
    "SchedulerEvent",
    "Submission",
    "SubmissionStep",
    "SubmissionVersion",
    "_attachment_path",
    "_edition_path",
]
