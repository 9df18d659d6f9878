"""The reporting app's models, by subject: ``submissions`` (periods, the groups' inputs, their
versions and steps) and ``calendar`` (the reporting calendar, extensions, the scheduler's log,
report shells and calendar feeds). Import them from here."""

from reporting.models.calendar import (
    AnnualReport,
    CalendarFeed,
    CalendarRule,
    ConsolidatedReport,
    ExtensionRequest,
    SchedulerEvent,
)
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
    "ActivityProgress",
    "AnnualReport",
    "Attachment",
    "CalendarFeed",
    "CalendarRule",
    "ConsolidatedReport",
    "ExtensionRequest",
    "ReportingPeriod",
    "SchedulerEvent",
    "Submission",
    "SubmissionStep",
    "SubmissionVersion",
    "_attachment_path",
]
