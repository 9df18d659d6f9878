"""Sign-on pages: the public form, the applicant's private status page, OCT's review queue.

The applicant has no account: their private link (``access_key``) is their key. Every view
parses input and calls one service from ``compact.signon.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from compact.accounts.authentication import client_address
from compact.core.roles import Role
from compact.core.selectors import audit_events_for
from compact.core.verbs import verb_label
from compact.lib.forms import form_add_service_errors, service_errors_on
from compact.lib.workflow import SeparationOfDutiesError, StaleStateError, TransitionNotAllowedError
from compact.registry.selectors import entity_status_on
from compact.signon.forms import SignOnActionForm, SignOnAssignForm, SignOnEditForm, SignOnForm, SignOnWithdrawForm
from compact.signon.links import SignOnLinkExpiredError, SignOnLinkInvalidError
from compact.signon.models import SignOnRequest
from compact.signon.permissions import can_review_signon
from compact.signon.principles import OBJECTIVES, PREAMBLE, STATUS
from compact.signon.selectors import (
    get_signon_request_by_key_or_404,
    get_signon_request_for_user_or_404,
    signon_queue_counts,
    signon_requests_visible_to,
)
from compact.signon.services import (
    signon_act,
    signon_applicant_among,
    signon_applicant_update,
    signon_assign,
    signon_email_confirm,
    signon_invitation_resend,
    signon_submit,
    signon_withdraw,
)
from compact.signon.workflow import TRANSITIONS as SIGNON_TRANSITIONS

User = get_user_model()

RATE_LIMIT_GROUP = "signon-submit"


def signon_rate_limited(request: HttpRequest) -> bool:
    """Count one submission from this client address; True once it is over the limit.

    Shared by the form and the API (one group, so switching channels does not reset it).
    """
    return is_ratelimited(
        request, group=RATE_LIMIT_GROUP, key="ip", rate=settings.SIGNON_RATE_LIMIT, method="POST", increment=True
    )


# --- Public ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signon_form(request: HttpRequest) -> HttpResponse:
    """The public sign-on form (no login)."""
    form = SignOnForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.is_bot():
            # Tell a bot nothing: the same thanks a person gets, and nothing is stored.
            return render(request, "compact/signon/thanks.html")
        if form.is_valid() and signon_rate_limited(request):
            form.add_error(None, _("Too many requests were sent from your network. Please try again in an hour."))
            status = 429
        elif form.is_valid():
            with service_errors_on(form):
                signon = signon_submit(
                    fields=form.service_fields(),
                    working_groups=form.cleaned_data["working_groups"],
                    letter=form.cleaned_data["supporting_letter"],
                    submitted_from=client_address(request),
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                )
                messages.success(
                    request,
                    _("Thank you. We sent a link to %(email)s: follow it to confirm your address.")
                    % {"email": signon.focal_email},
                )
                return redirect("signon-status", access_key=signon.access_key)
        if status == 200:
            status = 400
    context = {"form": form, "status": STATUS, "preamble": PREAMBLE, "objectives": OBJECTIVES}
    return render(request, "compact/signon/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def signon_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation e-mail. GET asks for a click (mail scanners follow links
    on their own); POST confirms."""
    if request.method == "GET":
        return render(request, "compact/signon/confirm.html", {"token": token})
    try:
        signon = signon_email_confirm(token=token)
    except SignOnLinkExpiredError:
        return render(request, "compact/signon/link_problem.html", {"expired": True}, status=410)
    except SignOnLinkInvalidError:
        return render(request, "compact/signon/link_problem.html", {"expired": False}, status=404)
    except ValidationError as error:
        return render(request, "compact/signon/link_problem.html", {"errors": error.messages}, status=409)
    messages.success(request, _("Your e-mail address is confirmed. Your request is now with the OCT secretariat."))
    return redirect("signon-status", access_key=signon.access_key)


def _shared_steps(signon: SignOnRequest) -> list:
    return [step for step in signon.steps.all() if step.action != "add_note"]


@require_GET
def signon_status(request: HttpRequest, access_key: str) -> HttpResponse:
    """The applicant's private page: where the request stands and what they can do."""
    signon = get_signon_request_by_key_or_404(access_key)
    context = {
        "signon": signon,
        "steps": _shared_steps(signon),
        "withdraw_form": SignOnWithdrawForm(),
        "can_edit": signon.state == SignOnRequest.State.INFORMATION_REQUESTED,
    }
    response = render(request, "compact/signon/status.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def signon_edit(request: HttpRequest, access_key: str) -> HttpResponse:
    """The applicant corrects their request after OCT asked for more information."""
    signon = get_signon_request_by_key_or_404(access_key)
    if signon.state != SignOnRequest.State.INFORMATION_REQUESTED:
        messages.info(request, _("This request cannot be changed now."))
        return redirect("signon-status", access_key=access_key)
    form = SignOnEditForm(request.POST or None, request.FILES or None, signon=signon)
    if request.method == "POST" and form.is_valid():
        try:
            signon_applicant_update(
                request=signon,
                fields=form.service_fields(),
                working_groups=form.cleaned_data["working_groups"],
                letter=form.cleaned_data["supporting_letter"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except (StaleStateError, TransitionNotAllowedError):
            form.add_error(None, _("This request was changed meanwhile; reload the page and try again."))
        else:
            messages.success(request, _("Thank you. Your updated request was sent to the OCT secretariat."))
            return redirect("signon-status", access_key=access_key)
    context = {"form": form, "signon": signon, "steps": _shared_steps(signon)}
    return render(request, "compact/signon/edit.html", context, status=400 if form.errors else 200)


@require_POST
def signon_withdraw_view(request: HttpRequest, access_key: str) -> HttpResponse:
    signon = get_signon_request_by_key_or_404(access_key)
    form = SignOnWithdrawForm(request.POST)
    if form.is_valid():
        try:
            signon_withdraw(request=signon, message=form.cleaned_data["message"])
        except (StaleStateError, TransitionNotAllowedError):
            messages.error(request, _("This request can no longer be withdrawn."))
        else:
            messages.success(request, _("Your request was withdrawn."))
    return redirect("signon-status", access_key=access_key)


def _letter_response(signon: SignOnRequest) -> FileResponse:
    if not signon.supporting_letter:
        raise Http404("No letter.")
    response = FileResponse(
        signon.supporting_letter.open("rb"),
        as_attachment=True,
        filename=signon.supporting_letter_name or "letter.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def signon_letter(request: HttpRequest, access_key: str) -> FileResponse:
    return _letter_response(get_signon_request_by_key_or_404(access_key))


# --- OCT review ------------------------------------------------------------------------------


@login_required
@require_GET
def signon_review_list(request: HttpRequest) -> HttpResponse:
    """OCT's queue: requests by state, oldest first, with their age and handler."""
    if not can_review_signon(request.user):
        raise Http404
    counts = signon_queue_counts(request.user)
    state = request.GET.get("state", "")
    if state not in SignOnRequest.State.values:
        state = ""
    requests = signon_requests_visible_to(request.user, state=state or None)
    if not state:
        requests = requests.filter(state__in=SignOnRequest.OPEN)
    tabs = [(value, label, counts[value.replace("-", "_")]) for value, label in SignOnRequest.State.choices]
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tabs": tabs,
        "state": state,
        "open_count": sum(counts[s.replace("-", "_")] for s in SignOnRequest.OPEN),
    }
    return render(request, "compact/signon/review_list.html", context)


def _officers():
    return User.objects.filter(is_active=True, groups__name=Role.OCT.value).order_by("last_name", "username")


def _review_context(request: HttpRequest, signon: SignOnRequest, **forms: object) -> dict[str, object]:
    actor = request.user
    available = SIGNON_TRANSITIONS.available(
        signon.state, by="oct", actor=actor, proposer=signon_applicant_among(signon, actor)
    )
    return {
        "signon": signon,
        "steps": signon.steps.select_related("actor"),
        "available": available,
        "action_form": forms.get("action_form") or SignOnActionForm(),
        "failed_action": forms.get("failed_action", ""),
        "assign_form": SignOnAssignForm(initial={"handler": signon.handler_id}, officers=_officers()),
        "matched_status": entity_status_on(signon.matched_entity) if signon.matched_entity else None,
        "events": audit_events_for(signon, request.user)[:30],
        "can_resend": signon.state == SignOnRequest.State.APPROVED
        and signon.focal_user is not None
        and not signon.focal_user.has_usable_password(),
    }


@login_required
@require_GET
def signon_review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signon = get_signon_request_for_user_or_404(request.user, pk)
    return render(request, "compact/signon/review_detail.html", _review_context(request, signon))


@login_required
@require_POST
def signon_review_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One of OCT's moves. On a mistake the page comes back with the message as typed."""
    signon = get_signon_request_for_user_or_404(request.user, pk)
    form = SignOnActionForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            signon_act(
                request=signon,
                action=action,
                actor=request.user,
                message=form.cleaned_data["message"],
                status=form.cleaned_data["status"] or None,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except StaleStateError as error:
            form.add_error(None, str(error))
        except TransitionNotAllowedError:
            form.add_error(
                None,
                _("This step is not possible while the request is “%(state)s”.")
                % {"state": signon.get_state_display()},
            )
        except SeparationOfDutiesError as error:
            form.add_error(None, str(error))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, verb_label(f"signon.{action}"))  # what happened, as the audit log says it
            return redirect("signon-review-detail", pk=signon.pk)
    signon.refresh_from_db()
    context = _review_context(request, signon, action_form=form, failed_action=request.POST.get("action", ""))
    return render(request, "compact/signon/review_detail.html", context, status=400)


@login_required
@require_POST
def signon_review_assign(request: HttpRequest, pk: int) -> HttpResponse:
    signon = get_signon_request_for_user_or_404(request.user, pk)
    form = SignOnAssignForm(request.POST, officers=_officers())
    if form.is_valid():
        try:
            signon_assign(request=signon, handler=form.cleaned_data["handler"], actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The handler was saved."))
    else:
        messages.error(request, _("Choose an OCT officer."))
    return redirect("signon-review-detail", pk=signon.pk)


@login_required
@require_POST
def signon_review_resend(request: HttpRequest, pk: int) -> HttpResponse:
    signon = get_signon_request_for_user_or_404(request.user, pk)
    if signon_invitation_resend(request=signon, actor=request.user):
        messages.success(request, _("A new invitation was sent to %(email)s.") % {"email": signon.focal_user.email})
    else:
        messages.info(
            request, _("The focal point has already set a password; they can reset it from the sign-in page.")
        )
    return redirect("signon-review-detail", pk=signon.pk)


@login_required
@require_GET
def signon_review_letter(request: HttpRequest, pk: int) -> FileResponse:
    return _letter_response(get_signon_request_for_user_or_404(request.user, pk))
