"""The reporting app's models, by subject: ``submissions`` (periods, the groups' inputs, their
versions and steps), ``calendar`` (the reporting calendar, extensions, the scheduler's log and
calendar feeds) and ``compiled`` (OCT's consolidated and annual reports and their PDF
editions). Import them from here."""

from reporting.models.calendar import CalendarFeed, CalendarRule, ExtensionRequest, SchedulerEvent
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
    "ActivityProgress",
    "AnnualReport",
    "Attachment",
    "CalendarFeed",
    "CalendarRule",
    "ConsolidatedReport",
    "ExtensionRequest",
    "ReportEdition",
    "ReportingPeriod",
    "SchedulerEvent",
    "Submission",
    "SubmissionStep",
    "SubmissionVersion",
    "_attachment_path",
    "_edition_path",
]
