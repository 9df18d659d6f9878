"""Reporting pages: the landing page per role, OCT's period dashboard, a submission with its
review, the editor (saves merge with what others saved; ``drafts.draft_save``), its automatic
save and heartbeat, attachments and version diffs.

Every view reads through ``reporting.submissions.selectors`` (one 404 for missing and hidden) and writes
through one service of ``reporting.submissions.services`` (the editor's: ``drafts.draft_save``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.core.verbs import verb_label
from compact.lib.forms import form_add_service_errors
from compact.lib.workflow import SeparationOfDutiesError, StaleStateError, TransitionNotAllowedError
from reporting.calendar.forms import ExtensionRequestForm
from reporting.calendar.models import ExtensionRequest
from reporting.lib.word import WORD_CONTENT_TYPE
from reporting.monitoring.selectors import submission_indicators
from reporting.submissions.comparison import compare_contents
from reporting.submissions.drafts import DraftSave, draft_base_ensure, draft_content, draft_save, stored_base
from reporting.submissions.forms import (
    AttachmentForm,
    CompareForm,
    SubmissionActionForm,
    SubmissionEditForm,
    WordUploadForm,
)
from reporting.submissions.models import DraftRevision, ReportingPeriod, Submission, SubmissionStep, SubmissionVersion
from reporting.submissions.permissions import (
    available_moves,
    can_edit_submission,
    can_request_extension,
    can_review_submission,
    period_open_for_groups,
    withheld_moves,
)
from reporting.submissions.presence import editor_present, others_editing
from reporting.submissions.selectors import (
    Progress,
    get_submission_for_user_or_404,
    groups_led_by,
    previous_submission,
    versions_of,
)
from reporting.submissions.services import attachment_add, attachment_remove, submission_act
from reporting.submissions.word import (
    draft_word,
    section_labels,
    word_draft_preview,
    word_draft_read,
    word_file_name,
)
from reporting.submissions.workflow import TRANSITIONS

PROGRESS_LABELS = {
    Progress.NOT_STARTED: gettext_lazy("Not started"),
    Progress.DRAFT: gettext_lazy("Draft"),
    Progress.SUBMITTED: gettext_lazy("Submitted"),
    Progress.RETURNED: gettext_lazy("Returned"),
    Progress.ACCEPTED: gettext_lazy("Accepted"),
    Progress.LATE: gettext_lazy("Late"),
}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# --- Helpers ---------------------------------------------------------------------------------------


def _due(submission: Submission, today: datetime.date) -> dict[str, int]:
    """Days left until the group's due date (after any extension), or days overdue (both 0 on
    the due day)."""
    days = (submission.due_on - today).days
    return {"left": max(days, 0), "overdue": max(-days, 0)}


def _percent(rate: float | None) -> int | None:
    return None if rate is None else round(rate * 100)


def _last_return(submission: Submission) -> SubmissionStep | None:
    """OCT's step that sent a returned submission back (return or reopen), with its comment."""
    if submission.status != Submission.Status.RETURNED:
        return None
    return submission.steps.filter(to_status=Submission.Status.RETURNED).order_by("-created_at", "-id").first()


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else _("someone")


# --- Landing page ----------------------------------------------------------------------------------


# --- OCT's dashboard of a period -------------------------------------------------------------------


# --- One submission --------------------------------------------------------------------------------


def _steps(submission: Submission) -> list[dict[str, Any]]:
    labels = {t.action: t.label for t in TRANSITIONS}
    return [
        {"step": step, "label": labels.get(step.action, step.action), "who": _person(step.actor)}
        for step in SubmissionStep.objects.filter(submission=submission).select_related("actor")
    ]


def _review_context(user: Any, submission: Submission, versions: list[SubmissionVersion]) -> dict[str, Any]:
    """What OCT compares before deciding: the last version against the one before, and the
    group's report of the previous period."""
    context: dict[str, Any] = {"version_diff": None, "previous": None, "previous_diff": None}
    if len(versions) >= 2:
        context["version_diff"] = compare_contents(versions[-2].content, versions[-1].content)
        context["diff_from"], context["diff_to"] = versions[-2], versions[-1]
    previous = previous_submission(submission, user)
    if previous is not None:
        context["previous"] = previous
        earlier = list(versions_of(previous, user))
        if earlier and versions:
            context["previous_diff"] = compare_contents(earlier[-1].content, versions[-1].content)
    return context


def _extension_context(
    user: Any, submission: Submission, is_reviewer: bool, form: ExtensionRequestForm | None
) -> dict[str, Any]:
    """Extensions on the submission's page: its leaders ask for more time on a draft of an open
    period and see the requests; OCT sees them too."""
    leads = can_request_extension(user, submission)
    if not (leads or is_reviewer):
        return {"extensions": None}
    extensions = list(submission.extension_requests.select_related("requested_by", "decided_by"))
    pending = next((item for item in extensions if item.status == ExtensionRequest.Status.REQUESTED), None)
    may_ask = (
        leads
        and pending is None
        and submission.status == Submission.Status.DRAFT
        and submission.period.state == ReportingPeriod.State.OPEN
    )
    if may_ask:
        form = form or ExtensionRequestForm()
        # The browser's date picker offers only days the service would accept.
        form.fields["until"].widget.attrs["min"] = f"{submission.due_on + datetime.timedelta(days=1):%Y-%m-%d}"
        if submission.period.closes_on:
            form.fields["until"].widget.attrs["max"] = f"{submission.period.closes_on:%Y-%m-%d}"
    return {
        "extensions": extensions,
        "extension_history": [item for item in extensions if item is not pending],
        "pending_extension": pending,
        "leads_group": leads,
        "extension_form": form if may_ask else None,
    }


def submission_detail_context(request: HttpRequest, submission: Submission, **extra: Any) -> dict[str, Any]:
    user = request.user
    versions = list(versions_of(submission, user))
    moves = available_moves(user, submission)
    context = {
        "submission": submission,
        "sections": [
            (capfirst(Submission._meta.get_field(name).verbose_name), getattr(submission, name))
            for name in submission.content_fields
        ],
        "lines": submission.activity_progress.order_by("position", "id"),
        "indicators": submission_indicators(submission),
        "attachments": submission.attachments.select_related("uploaded_by"),
        "steps": _steps(submission),
        "versions": versions,
        "moves": moves,
        "withheld_moves": withheld_moves(user, submission),
        "period_closed": not period_open_for_groups(submission),
        "is_reviewer": can_review_submission(user, submission),
        "can_edit": can_edit_submission(user, submission),
        "due": _due(submission, timezone.localdate()),
        "action_form": extra.get("action_form") or SubmissionActionForm(),
        "failed_action": extra.get("failed_action", ""),
    }
    if context["is_reviewer"] and submission.status in Submission.AWAITING_REVIEW:
        context.update(_review_context(user, submission, versions))
    context.update(_extension_context(user, submission, context["is_reviewer"], extra.get("extension_form")))
    return context


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for_user_or_404(request.user, pk)
    return render(request, "reporting/submission_detail.html", submission_detail_context(request, submission))


@login_required
@require_POST
def submission_act_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One move: submit or resubmit (chairs), return, accept or reopen (OCT). A refused move
    brings the page back with the comment as typed."""
    submission = get_submission_for_user_or_404(request.user, pk)
    form = SubmissionActionForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            submission_act(
                submission=submission, action=action, actor=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except StaleStateError as error:
            form.add_error(None, str(error))
        except TransitionNotAllowedError:
            form.add_error(
                None,
                _("This step is not possible while the submission is “%(status)s”.")
                % {"status": submission.get_status_display()},
            )
        except SeparationOfDutiesError as error:
            form.add_error(None, str(error))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, verb_label(f"reporting.{action}"))  # "Input returned for revision"
            return redirect("reporting-submission", pk=submission.pk)
    submission.refresh_from_db()
    context = submission_detail_context(
        request, submission, action_form=form, failed_action=request.POST.get("action", "")
    )
    return render(request, "reporting/submission_detail.html", context, status=400)


# --- The editor ------------------------------------------------------------------------------------


def _editable_or_none(request: HttpRequest, pk: int) -> tuple[Submission, HttpResponse | None]:
    """The submission if ``request.user`` may edit it now; a 404 for those who never may, a
    redirect with a message for its leaders once it is no longer a draft."""
    submission = get_submission_for_user_or_404(request.user, pk)
    if can_edit_submission(request.user, submission):
        return submission, None
    if not groups_led_by(request.user).filter(pk=submission.working_group_id).exists():
        raise Http404("Not an editor of this submission.")
    if not period_open_for_groups(submission):
        messages.info(request, _("The reporting period is closed: this input can no longer be edited."))
    else:
        messages.info(
            request,
            _("This submission is “%(status)s”: it cannot be edited now.")
            % {"status": submission.get_status_display()},
        )
    return submission, redirect("reporting-submission", pk=submission.pk)


def _editor(request: HttpRequest, submission: Submission, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "submission": submission,
        "form": extra.get("form") or SubmissionEditForm(submission=submission, user=request.user),
        "attachment_form": extra.get("attachment_form") or AttachmentForm(),
        "word_form": extra.get("word_form") or WordUploadForm(),
        "attachments": submission.attachments.select_related("uploaded_by"),
        "conflict": extra.get("conflict"),
        "last_return": _last_return(submission),
        "due": _due(submission, timezone.localdate()),
        "last_saved": _saved_line(submission),
        "others_editing": others_editing(submission, request.user),
    }
    return render(request, "reporting/submission_edit.html", context, status=status)


def time_with_zone(moment: datetime.datetime) -> str:
    """A time of day as people read it, with the zone it is in (“10:41 UTC”)."""
    # The named time format ends in the zone (config/formats).
    return date_format(timezone.localtime(moment), "TIME_FORMAT")


def _saved_line(submission: Submission) -> str:
    """Who saved the draft last and when, for the editor's status line."""
    if submission.last_edited_at is None:
        return ""
    return _("Last saved at %(time)s by %(who)s.") % {
        "time": time_with_zone(submission.last_edited_at),
        "who": _person(submission.last_edited_by),
    }


def _display(form: SubmissionEditForm, name: str, text: str) -> str:
    """A content text as the editor shows it: a choice by its label."""
    field = form.fields[name]
    choices = dict(getattr(field, "choices", ()) or ())
    return str(choices.get(text, text)) if text in choices else text


def _conflict_label(form: SubmissionEditForm, name: str) -> str:
    """What a conflicting name is to people: the section, or the activity or indicator it
    belongs to and the box."""
    bound = form[name]
    for line, status, narrative in form.activity_rows():
        if name in (status.name, narrative.name):
            return f"{line.title} — {bound.label}"
    for row in form.indicator_rows():
        indicator = row["indicator"]
        if name.startswith(f"indicator-{indicator.pk}-"):
            return f"{indicator.code} {indicator.name} — {bound.label}"
    return str(bound.label)


def _conflict(request: HttpRequest, form: SubmissionEditForm, result: DraftSave) -> HttpResponse:
    """Both people changed the same boxes: nothing was saved. The editor comes back with every
    other change already merged (theirs and mine), each conflicting box holding the user's
    text beside the other person's with a choice, and based on the draft as stored now so that
    the next save resolves."""
    current = result.submission
    data = request.POST.copy()
    conflicting = {item.name for item in result.conflicts}
    for name in form.fields:
        if name != "base_revision" and name not in conflicting:
            data[name] = result.merge.merged.get(name, "")
    data["base_revision"] = str(result.revision)
    data.setlist("conflict", sorted(conflicting))
    for name in conflicting:
        data.pop(f"resolve-{name}", None)
    fresh_form = SubmissionEditForm(data, submission=current, user=request.user)
    fresh_form.is_valid()
    for name in conflicting:  # the choice is asked now: no error before the user makes it
        fresh_form.errors.pop(name, None)
    theirs = result.theirs
    conflict = {
        "who": _person(theirs.user if theirs else current.last_edited_by),
        "when": time_with_zone(theirs.at) if theirs and theirs.at else "",
        "rows": [
            {
                "name": item.name,
                "label": _conflict_label(fresh_form, item.name),
                "theirs": _display(fresh_form, item.name, item.theirs),
                "mine": _display(fresh_form, item.name, item.mine),
            }
            for item in result.conflicts
        ],
        "merged": len(result.merge.taken_from_mine),
    }
    return _editor(request, current, status=409, form=fresh_form, conflict=conflict)


def _pending_conflict(form: SubmissionEditForm, submission: Submission) -> dict[str, Any] | None:
    """The choices of an earlier conflict, shown again when the save that was to settle them is
    refused for another reason (a value out of range, a choice not made): their texts are the
    editor's base, which was the stored draft when the conflict was shown."""
    names = [name for name in form.data.getlist("conflict") if name in form.fields and name != "base_revision"]
    if not names:
        return None
    base = form.cleaned_data.get("base_revision") if hasattr(form, "cleaned_data") else None
    theirs = stored_base(submission, base, form.user) if base is not None else None
    revision = (
        DraftRevision.objects.filter(submission=submission, number=base).select_related("saved_by").first()
        if theirs is not None
        else None
    )
    theirs = theirs if theirs is not None else draft_content(submission)
    rows = [
        {
            "name": name,
            "label": _conflict_label(form, name),
            "theirs": _display(form, name, theirs.get(name, "")),
            "mine": _display(form, name, form.data.get(name, "")),
            "choice": form.data.get(f"resolve-{name}", ""),
        }
        for name in names
    ]
    who = revision.saved_by if revision is not None else submission.last_edited_by
    when = revision.saved_at if revision is not None else submission.last_edited_at
    return {"who": _person(who), "when": time_with_zone(when) if when else "", "rows": rows}


def _submit_after_save(request: HttpRequest, submission: Submission) -> HttpResponse:
    action = "resubmit" if submission.status == Submission.Status.RETURNED else "submit"
    try:
        submission_act(submission=submission, action=action, actor=request.user)
    except (ValidationError, StaleStateError, TransitionNotAllowedError, PermissionDenied) as error:
        reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, _("The draft was saved but not submitted: %(reason)s") % {"reason": reason})
    else:
        messages.success(request, _("Your draft was saved and submitted to the OCT secretariat."))
    return redirect("reporting-submission", pk=submission.pk)


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor of a draft (the group's chair and vice-chairs): "Save draft" or "Save and
    submit", the text and the indicators' values together. Every save merges with what others
    saved since the editor was opened; boxes both changed are shown side by side to choose."""
    submission, elsewhere = _editable_or_none(request, pk)
    if elsewhere is not None:
        return elsewhere
    if request.method == "GET":
        if draft_base_ensure(submission=submission) != submission.revision:
            submission.refresh_from_db()
        editor_present(submission=submission, user=request.user)
        return _editor(request, submission)
    form = SubmissionEditForm(request.POST, submission=submission, user=request.user)
    if not form.is_valid():
        return _editor(request, submission, status=400, form=form, conflict=_pending_conflict(form, submission))
    try:
        result = _draft_save(request, submission, form, autosave=False)
    except StaleStateError as error:
        messages.error(request, str(error))
        return redirect("reporting-submission", pk=submission.pk)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        form_add_service_errors(form, error)
        return _editor(request, submission, status=400, form=form, conflict=_pending_conflict(form, submission))
    if result.conflicts:
        return _conflict(request, form, result)
    if request.POST.get("intent") == "submit":
        return _submit_after_save(request, result.submission)
    messages.success(request, _saved_message(result, request.user))
    return redirect("reporting-submission-edit", pk=result.submission.pk)


def _draft_save(request: HttpRequest, submission: Submission, form: SubmissionEditForm, autosave: bool) -> DraftSave:
    return draft_save(
        submission=submission,
        actor=request.user,
        base_revision=form.cleaned_data["base_revision"],
        mine=form.draft(),
        keep_theirs=form.kept_theirs(),
        autosave=autosave,
    )


def _saved_message(result: DraftSave, user: Any) -> str:
    if not result.saved:
        return _("Nothing had changed: the draft is as you left it.")
    when = time_with_zone(result.submission.last_edited_at)
    if result.theirs is None or result.theirs.user == user:  # merged with one's own automatic save
        return _("Draft saved at %(time)s.") % {"time": when}
    return _("Draft saved at %(time)s, together with the changes %(who)s saved at %(their_time)s.") % {
        "time": when,
        "who": _person(result.theirs.user),
        "their_time": time_with_zone(result.theirs.at) if result.theirs.at else "",
    }


@login_required
@require_POST
def submission_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """The editor's automatic save (autosave.js posts the whole form a few seconds after typing
    stops): the same checks and merge as "Save draft", but it only goes ahead when nobody else
    saved since the editor's base, never changes the status, never submits and sends nothing.
    Answers in JSON: the new base and the words to show."""
    submission = get_submission_for_user_or_404(request.user, pk)
    if not can_edit_submission(request.user, submission):
        return JsonResponse({"status": "refused", "message": _("This draft cannot be edited now.")}, status=403)
    form = SubmissionEditForm(request.POST, submission=submission, user=request.user)
    if not form.is_valid():
        return JsonResponse({"status": "invalid", "message": _AUTOSAVE_INVALID}, status=400)
    try:
        result = _draft_save(request, submission, form, autosave=True)
    except PermissionDenied:
        return JsonResponse({"status": "refused", "message": _("This draft cannot be edited now.")}, status=403)
    except (ValidationError, StaleStateError) as error:
        reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return JsonResponse({"status": "refused", "message": reason}, status=409)
    if result.declined or result.conflicts:
        return JsonResponse({"status": "conflict", "message": _autosave_conflict_message(result)}, status=409)
    saved_at = result.submission.last_edited_at
    editor_present(submission=submission, user=request.user)
    return JsonResponse(
        {
            "status": "saved" if result.saved else "unchanged",
            "revision": result.revision,
            "others": others_editing(submission, request.user),
            "message": _("Saved automatically at %(time)s.") % {"time": time_with_zone(saved_at)}
            if result.saved
            else "",
        }
    )


@login_required
@require_POST
def submission_presence(request: HttpRequest, pk: int) -> JsonResponse:
    """The editor's heartbeat (every half minute, from autosave.js): marks the user as having the
    draft open and answers who else has. Only for those who may edit it now."""
    submission = get_submission_for_user_or_404(request.user, pk)
    if not can_edit_submission(request.user, submission):
        return JsonResponse({"status": "refused", "message": _("This draft cannot be edited now.")}, status=403)
    editor_present(submission=submission, user=request.user)
    return JsonResponse({"status": "present", "others": others_editing(submission, request.user)})


_AUTOSAVE_INVALID = gettext_lazy("Not saved automatically: some entries need correcting. Save the draft to see which.")


def _autosave_conflict_message(result: DraftSave) -> str:
    theirs = result.theirs
    if theirs is None or theirs.at is None:
        return _("Someone else saved this draft meanwhile; save to merge your changes with theirs.")
    return _("%(who)s saved this draft at %(time)s; save to merge.") % {
        "who": _person(theirs.user),
        "time": time_with_zone(theirs.at),
    }


# --- Attachments -----------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    submission, elsewhere = _editable_or_none(request, pk)
    if elsewhere is not None:
        return elsewhere
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = attachment_add(submission=submission, upload=form.cleaned_data["file"], actor=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("“%(name)s” was attached.") % {"name": attachment.name})
            return redirect("reporting-submission-edit", pk=submission.pk)
    return _editor(request, submission, status=400, attachment_form=form)


@login_required
@require_POST
def attachment_remove_view(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    submission, elsewhere = _editable_or_none(request, pk)
    if elsewhere is not None:
        return elsewhere
    attachment = get_object_or_404(submission.attachments, pk=attachment_pk)
    try:
        attachment_remove(attachment=attachment, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.name})
    return redirect("reporting-submission-edit", pk=submission.pk)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file of a submission the user may read (the same 404 otherwise)."""
    submission = get_submission_for_user_or_404(request.user, pk)
    attachment = get_object_or_404(submission.attachments, pk=attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=CONTENT_TYPES.get(attachment.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Versions --------------------------------------------------------------------------------------


@login_required
@require_GET
def submission_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """Two submitted versions side by side, as a diff by section (default: the last two)."""
    submission = get_submission_for_user_or_404(request.user, pk)
    versions = {v.number: v for v in versions_of(submission, request.user)}
    numbers = sorted(versions)
    defaults = {"a": numbers[-2] if len(numbers) > 1 else (numbers[0] if numbers else None)}
    defaults["b"] = numbers[-1] if numbers else None
    form = CompareForm(request.GET if "a" in request.GET else None, numbers=numbers, initial=defaults)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else defaults
    old, new = versions.get(chosen["a"]), versions.get(chosen["b"])
    context = {
        "submission": submission,
        "versions": [versions[n] for n in numbers],
        "form": form,
        "old": old,
        "new": new,
        "diff": compare_contents(old.content, new.content) if old and new and old != new else None,
    }
    return render(request, "reporting/submission_versions.html", context)


# --- The draft in Word (reporting.submissions.word) ---------------------------------------------

WORD_SALT = "reporting.submissions.word"


@login_required
@require_http_methods(["GET", "POST"])
def submission_word(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the draft's text as a Word file. POST: an edited file back, and what it would change
    (nothing is saved here: the page asks to confirm)."""
    submission, elsewhere = _editable_or_none(request, pk)
    if elsewhere is not None:
        return elsewhere
    if request.method == "GET":
        if draft_base_ensure(submission=submission) != submission.revision:
            submission.refresh_from_db()  # the file's revision must be one a merge can start from
        response = HttpResponse(draft_word(submission), content_type=WORD_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{word_file_name(submission)}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
    form = WordUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _editor(request, submission, status=400, word_form=form)
    try:
        draft = word_draft_read(submission, form.cleaned_data["file"].read())
    except ValidationError as error:
        form.add_error("file", error)
        return _editor(request, submission, status=400, word_form=form)
    preview = word_draft_preview(submission, request.user, draft)
    payload = {"base": draft.base_revision, "mine": preview.mine, "user": request.user.pk}
    context = {
        "submission": submission,
        "preview": preview,
        "diff": {"changed": preview.changes},
        "token": signing.dumps(payload, salt=WORD_SALT, compress=True),
    }
    return render(request, "reporting/submission_word_preview.html", context)


@login_required
@require_POST
def submission_word_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Save what the chair confirmed: the sections the file changed, merged again with what was
    saved since (a section someone else changed meanwhile is not overwritten)."""
    submission, elsewhere = _editable_or_none(request, pk)
    if elsewhere is not None:
        return elsewhere
    try:
        payload = signing.loads(request.POST.get("token", ""), salt=WORD_SALT, max_age=3600)
    except signing.BadSignature:
        messages.error(request, _("The confirmation expired or was altered: upload the Word file again."))
        return redirect(reverse("reporting-submission-edit", args=[submission.pk]) + "#word")
    if payload.get("user") != request.user.pk or not isinstance(payload.get("mine"), dict):
        raise Http404("Not this person's upload.")
    mine = {name: str(text) for name, text in payload["mine"].items() if name in submission.content_fields}
    try:
        result = draft_save(submission=submission, actor=request.user, base_revision=int(payload["base"]), mine=mine)
    except StaleStateError as error:
        messages.error(request, str(error))
        return redirect("reporting-submission", pk=submission.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("reporting-submission-edit", args=[submission.pk]) + "#word")
    if result.conflicts:
        labels = section_labels()
        names = ", ".join(labels.get(conflict.name, conflict.name) for conflict in result.conflicts)
        messages.error(
            request,
            _(
                "Nothing was saved: %(sections)s changed here since you downloaded the file. "
                "Copy your text into the editor."
            )
            % {"sections": names},
        )
    elif result.saved:
        messages.success(request, _("The text from Word was saved in the draft."))
    else:
        messages.info(request, _("The Word file changes nothing in the draft."))
    return redirect("reporting-submission-edit", pk=submission.pk)
