"""Pages of the consultation rounds (Annex III, V.12).

OCT prepares, opens, closes rounds and responds to comments; the people of the consulted
entities read the frozen document and write their entity's comments section by section while
the round is open; the USG reads. Reads go through ``reporting.consultation.selectors`` (one
404 for missing and hidden), writes through one service each.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.core.selectors import audit_events_for
from compact.lib.forms import form_add_service_errors, service_errors_on
from compact.lib.workflow import EditConflictError, StaleStateError, TransitionNotAllowedError
from compact.registry.selectors import entity_resolve
from reporting.consultation.forms import ActForm, CommentForm, ConsultationForm, RespondForm
from reporting.consultation.models import ConsultationComment, ConsultationRound
from reporting.consultation.permissions import (
    can_change_comment,
    can_list_consultations,
    can_manage_consultations,
    can_read_response,
    can_respond,
    can_write_comment,
)
from reporting.consultation.selectors import (
    get_comment_for_user_or_404,
    get_round_for_user_or_404,
    round_tracking,
    rounds_visible_to,
    sections_for,
)
from reporting.consultation.services import (
    consultation_act,
    consultation_comment_create,
    consultation_comment_respond,
    consultation_comment_update,
    consultation_comment_withdraw,
    consultation_create,
    default_entities,
)
from reporting.consultation.subjects import section_title, subject_document, subject_of
from reporting.consultation.workflow import CONSULTATION_TRANSITIONS, OCT


def _detail_context(request: HttpRequest, round_: ConsultationRound, **extra: object) -> dict[str, object]:
    user = request.user
    manager = can_manage_consultations(user)
    subject = subject_of(round_.subject_kind)
    document = subject_document(round_.subject_kind, round_.subject_id) if manager else None
    tracking = round_tracking(user, round_)
    return {
        "round": round_,
        "subject_label": subject.label if subject else round_.subject_kind,
        "document_url": subject.url(document) if subject and document is not None else "",
        "is_manager": manager,
        "sections": sections_for(user, round_),
        "tracking": tracking,
        "commented": sum(1 for row in tracking if row.comments),
        "moves": CONSULTATION_TRANSITIONS.available(round_.state, by=OCT) if manager else [],
        "consulted_count": round_.entities.count(),
        "may_respond": can_respond(user, round_),
        "reads_responses": can_read_response(user, round_),
        "action_form": extra.get("action_form") or ActForm(),
        "failed_action": extra.get("failed_action", ""),
        "steps": [
            (step, CONSULTATION_TRANSITIONS.get(step.action).label) for step in round_.steps.select_related("actor")
        ],
        "events": audit_events_for(round_, user)[:50] if manager else [],
    }


@login_required
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    if not can_list_consultations(request.user):
        raise Http404
    context = {"rounds": rounds_visible_to(request.user), "is_manager": can_manage_consultations(request.user)}
    return render(request, "reporting/consultation/round_list.html", context)


@login_required
@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user_or_404(request.user, pk)
    return render(request, "reporting/consultation/round_detail.html", _detail_context(request, round_))


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_consultations(request.user):
        raise Http404
    initial = {"entities": default_entities()}
    if request.GET.get("document"):
        initial["document"] = request.GET["document"][:80]
    form = ConsultationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        kind, pk = form.subject()
        with service_errors_on(form):
            round_ = consultation_create(
                actor=request.user,
                subject_kind=kind,
                subject_id=pk,
                comments_due_on=form.cleaned_data["comments_due_on"],
                entities=list(form.cleaned_data["entities"]),
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The consultation is in preparation. Open it when it is ready."))
            return redirect("consultation-detail", pk=round_.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/consultation/round_form.html", {"form": form}, status=status)


@login_required
@require_POST
def consultation_act_view(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user_or_404(request.user, pk)
    if not can_manage_consultations(request.user):
        raise Http404
    form = ActForm(request.POST)
    if form.is_valid():
        try:
            round_ = consultation_act(
                round=round_, action=form.cleaned_data["action"], actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except (StaleStateError, TransitionNotAllowedError):
            round_.refresh_from_db()
            form.add_error(
                None,
                _("This step is not possible while the consultation is “%(state)s”.")
                % {"state": round_.get_state_display()},
            )
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The consultation is now “%(state)s”.") % {"state": round_.get_state_display()})
            return redirect("consultation-detail", pk=round_.pk)
    round_.refresh_from_db()
    context = _detail_context(request, round_, action_form=form, failed_action=request.POST.get("action", "")[:32])
    return render(request, "reporting/consultation/round_detail.html", context, status=400)


# --- Comments -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def consultation_comment_view(request: HttpRequest, pk: int, acronym: str, section: str) -> HttpResponse:
    """Write or change the entity's comment on one section while the round is open."""
    round_ = get_round_for_user_or_404(request.user, pk)
    entity = entity_resolve(acronym)
    frozen = round_.section(section)
    if (
        entity is None
        or frozen is None
        or not can_write_comment(request.user, round_, entity)
        or not can_read_classification(request.user, frozen["classification"])
    ):
        raise Http404
    comment = ConsultationComment.objects.filter(round=round_, entity=entity, section_key=section).first()
    if comment is not None and (
        not can_read_classification(request.user, comment.classification)
        or not can_change_comment(request.user, comment)
    ):
        raise Http404
    form = CommentForm(request.POST or None, user=request.user, lowest=frozen["classification"], comment=comment)
    if request.method == "POST" and form.is_valid():
        values = {"text": form.cleaned_data["text"], "classification": form.cleaned_data["classification"]}
        try:
            if comment is None:
                consultation_comment_create(
                    round=round_, entity=entity, section_key=section, actor=request.user, **values
                )
            else:
                consultation_comment_update(
                    comment=comment, actor=request.user, base_revision=form.cleaned_data["revision"] or 0, **values
                )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except EditConflictError as error:
            form.add_error(None, str(error))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("%(entity)s's comment was saved.") % {"entity": entity.acronym})
            return redirect("consultation-detail", pk=round_.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "round": round_,
        "entity": entity,
        "section": frozen,
        "section_heading": section_title(frozen),
        "section_label": Classification(frozen["classification"]).label,
        "comment": comment,
    }
    return render(request, "reporting/consultation/comment_form.html", context, status=status)


@login_required
@require_POST
def consultation_comment_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_user_or_404(request.user, pk)
    if not can_change_comment(request.user, comment):
        raise Http404
    round_pk = comment.round_id
    try:
        consultation_comment_withdraw(comment=comment, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The comment was withdrawn."))
    return redirect("consultation-detail", pk=round_pk)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    """OCT's response to one comment of a closed round."""
    comment = get_comment_for_user_or_404(request.user, pk)
    if not can_respond(request.user, comment.round):
        raise Http404
    initial = {"response": comment.response, "note": comment.response_note}
    form = RespondForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            consultation_comment_respond(
                comment=comment,
                actor=request.user,
                response=form.cleaned_data["response"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The response was recorded."))
            return redirect("consultation-detail", pk=comment.round_id)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "comment": comment,
        "round": comment.round,
        "section_heading": section_title(comment.round.section(comment.section_key) or {}),
    }
    return render(request, "reporting/consultation/respond_form.html", context, status=status)
