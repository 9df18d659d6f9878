"""The reporting app's models, by subject: ``submissions`` (periods, the groups' inputs, their
versions and steps), ``calendar`` (the reporting calendar, extensions, the scheduler's log and
calendar feeds), ``compiled`` (OCT's consolidated and annual reports and their PDF
editions), ``committee`` (the Coordination Committee's meetings), ``programme`` (the
programme of work and the M&E framework) and ``reorganisation`` (the working groups
reorganised as one decision). Import them from here."""

from reporting.calendar.models import CalendarFeed, CalendarRule, ExtensionRequest, SchedulerEvent
from reporting.committee.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    CascadeBriefing,
    Decision,
    Meeting,
)
from reporting.compiled.models import AnnualReport, ConsolidatedReport, ReportEdition, _edition_path
from reporting.consultation.models import ConsultationComment, ConsultationRound, ConsultationStep
from reporting.programme.models import (
    ExpectedResult,
    Indicator,
    IndicatorValue,
    Priority,
    ProgrammeOfWork,
    ProgrammeVersion,
)
from reporting.reorganisation.models import (
    Reorganisation,
    ReorganisationEffect,
    ReorganisationMapping,
    ReorganisationTarget,
)
from reporting.submissions.models import (
    ActivityProgress,
    Attachment,
    DraftRevision,
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
    "ConsultationComment",
    "ConsultationRound",
    "ConsultationStep",
    "Decision",
    "DraftRevision",
    "ExpectedResult",
    "ExtensionRequest",
    "Indicator",
    "IndicatorValue",
    "Meeting",
    "Priority",
    "ProgrammeOfWork",
    "ProgrammeVersion",
    "Reorganisation",
    "ReorganisationEffect",
    "ReorganisationMapping",
    "ReorganisationTarget",
    "ReportEdition",
    "ReportingPeriod",
    "SchedulerEvent",
    "Submission",
    "SubmissionStep",
    "SubmissionVersion",
    "_attachment_path",
    "_edition_path",
]
