"""The reporting app's services, by subject: ``submissions`` (periods, drafts, the workflow,
attachments), ``calendar`` (the reporting calendar and extensions) and ``scheduler`` (the
tick that runs the calendar). Import them from here."""

from reporting.services.submissions import (
    ATTACHMENT_MAX_BYTES,
    CHAIR,
    OCT,
    TRANSITIONS,
    ActivityLine,
    EditConflictError,
    attachment_add,
    attachment_remove,
    is_on_time,
    period_close,
    period_create,
    period_open,
    period_reopen,
    submission_act,
    submission_draft_create,
    submission_save_draft,
    work_plan_for,
)

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "CHAIR",
    "OCT",
    "TRANSITIONS",
    "ActivityLine",
    "EditConflictError",
    "attachment_add",
    "attachment_remove",
    "is_on_time",
    "period_close",
    "period_create",
    "period_open",
    "period_reopen",
    "submission_act",
    "submission_draft_create",
    "submission_save_draft",
    "work_plan_for",
]
