"""Pages of the biennial review of the Compact (Annex III, III.d).

OCT prepares, edits and moves reviews and follows who has commented; focal points write their
entity's comment while a review is open; the Committee and the USG read reviews and the
comments their clearance allows. Reads go through ``reporting.review.selectors`` (one 404 for
missing and hidden), writes through one service of ``reporting.review.services`` each.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.core.permissions import can_read_classification
from compact.core.selectors import audit_events_for
from compact.lib.forms import form_add_service_errors, service_errors_on
from compact.lib.workflow import EditConflictError, SeparationOfDutiesError, StaleStateError, TransitionNotAllowedError
from compact.registry.models import Entity
from compact.registry.selectors import entity_resolve
from reporting.review.forms import CommentForm, ReviewActForm, ReviewForm
from reporting.review.models import BiennialReview, ReviewComment
from reporting.review.permissions import (
    can_manage_reviews,
    can_read_all_comments,
    can_read_outcome,
    can_read_reviews,
    can_write_comment,
)
from reporting.review.selectors import (
    comments_visible_to,
    entities_managed_by,
    get_review_for_user_or_404,
    review_tracking,
    reviews_visible_to,
    tracking_counts,
)
from reporting.review.services import (
    comment_create,
    comment_update,
    review_act,
    review_create,
    review_focal_point_emails,
    review_update,
)
from reporting.review.workflow import OCT, REVIEW_TRANSITIONS


def _oct_review_or_404(request: HttpRequest, pk: int) -> BiennialReview:
    review = get_review_for_user_or_404(request.user, pk)
    if not can_manage_reviews(request.user):
        raise Http404
    return review


def _own_entities(request: HttpRequest, review: BiennialReview) -> list[dict[str, Any]]:
    """The focal point's entities with their comment on ``review`` (if any) and whether they
    may write it now."""
    comments = {c.entity_id: c for c in review.comments.all()}
    rows = []
    for entity in entities_managed_by(request.user).order_by("acronym"):
        comment = comments.get(entity.pk)
        rows.append(
            {
                "entity": entity,
                "comment": comment,
                "readable": comment is None or can_read_classification(request.user, comment.classification),
                "writable": can_write_comment(request.user, review, entity),
            }
        )
    return rows


def _detail_context(request: HttpRequest, review: BiennialReview, **forms_: Any) -> dict[str, Any]:
    user = request.user
    manager = can_manage_reviews(user)
    rows = review_tracking(user, review)
    moves = (
        REVIEW_TRANSITIONS.available(review.state, by=OCT, actor=user, proposer=review.outcome_written_by_id)
        if manager
        else []
    )
    return {
        "review": review,
        "is_manager": manager,
        "outcome_readable": can_read_outcome(user, review),
        "outcome_marked_above": not can_read_classification(user, review.outcome_classification),
        "moves": moves,
        # For the confirmation of a move that e-mails them: the same addresses the move writes to.
        "focal_point_count": len(review_focal_point_emails(review)) if moves else 0,
        "outcome_is_mine": manager and review.outcome_written_by_id == user.pk,
        "action_form": forms_.get("action_form") or ReviewActForm(),
        "failed_action": forms_.get("failed_action", ""),
        "tracking": rows,
        "counts": tracking_counts(rows),
        "reads_all": can_read_all_comments(user),
        "comments": comments_visible_to(user).filter(review=review),
        "own": _own_entities(request, review),
        "steps": [(step, REVIEW_TRANSITIONS.get(step.action).label) for step in review.steps.select_related("actor")],
        "events": audit_events_for(review, user)[:50],
    }


# --- Reading ------------------------------------------------------------------------------------


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    if not can_read_reviews(request.user):
        raise Http404
    context = {"reviews": reviews_visible_to(request.user), "is_manager": can_manage_reviews(request.user)}
    return render(request, "compact/review/review_list.html", context)


@login_required
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user_or_404(request.user, pk)
    return render(request, "compact/review/review_detail.html", _detail_context(request, review))


# --- OCT ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_create_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_reviews(request.user):
        raise Http404
    form = ReviewForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form):
            review = review_create(actor=request.user, **form.service_values())
            messages.success(request, _("The review is in preparation. Open it for comments when it is ready."))
            return redirect("review-detail", pk=review.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "compact/review/review_form.html", {"form": form, "review": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a review that is not concluded; an outcome above the officer's clearance is a 404."""
    review = _oct_review_or_404(request, pk)
    if not can_read_classification(request.user, review.outcome_classification):
        raise Http404
    if review.state == BiennialReview.State.CONCLUDED:
        messages.info(request, _("This review is concluded: its record can no longer change."))
        return redirect("review-detail", pk=review.pk)
    form = ReviewForm(request.POST or None, user=request.user, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            review_update(
                review=review,
                actor=request.user,
                base_revision=form.cleaned_data["revision"],
                **form.service_values(),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except EditConflictError as error:
            form.add_error(None, str(error))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The review was saved."))
            return redirect("review-detail", pk=review.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "compact/review/review_form.html", {"form": form, "review": review}, status=status)


@login_required
@require_POST
def review_act_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Open, close, conclude or reopen. On a mistake the page comes back with the message."""
    review = _oct_review_or_404(request, pk)
    form = ReviewActForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            review = review_act(review=review, action=action, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        except (StaleStateError, TransitionNotAllowedError):
            review.refresh_from_db()  # someone else may have moved it: name the state it is in now
            form.add_error(
                None,
                _("This step is not possible while the review is “%(state)s”.") % {"state": review.get_state_display()},
            )
        except SeparationOfDutiesError as error:
            form.add_error(None, str(error))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The review is now “%(state)s”.") % {"state": review.get_state_display()})
            return redirect("review-detail", pk=review.pk)
    review.refresh_from_db()
    context = _detail_context(request, review, action_form=form, failed_action=request.POST.get("action", ""))
    return render(request, "compact/review/review_detail.html", context, status=400)


# --- Comments (focal points; OCT on an entity's behalf) ------------------------------------------


def _writable_or_404(request: HttpRequest, pk: int, acronym: str) -> tuple[BiennialReview, Entity]:
    review = get_review_for_user_or_404(request.user, pk)
    entity = entity_resolve(acronym)
    if entity is None or not can_write_comment(request.user, review, entity):
        raise Http404
    return review, entity


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit_view(request: HttpRequest, pk: int, acronym: str) -> HttpResponse:
    """Write or change the entity's comment while the review is open. A comment changed by
    someone else meanwhile is not overwritten: the form comes back with the stored text."""
    review, entity = _writable_or_404(request, pk, acronym)
    comment = ReviewComment.objects.filter(review=review, entity=entity).first()
    if comment is not None and not can_read_classification(request.user, comment.classification):
        raise Http404
    form = CommentForm(request.POST or None, user=request.user, comment=comment)
    attempted = ""
    if request.method == "POST" and form.is_valid():
        values = {"text": form.cleaned_data["text"], "classification": form.cleaned_data["classification"]}
        try:
            if comment is None:
                comment_create(review=review, entity=entity, actor=request.user, **values)
            else:
                comment_update(
                    comment=comment, actor=request.user, base_revision=form.cleaned_data["revision"] or 0, **values
                )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except EditConflictError as error:
            # The form now holds the stored comment (and its revision); the text that was not
            # saved is shown beside it, to merge by hand.
            attempted = values["text"]
            comment = error.current
            stored = {"text": comment.text, "classification": comment.classification, "revision": comment.revision}
            form = CommentForm(stored, user=request.user, comment=comment)
            form.is_valid()
            form.add_error(None, str(error))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("%(entity)s's comment was saved.") % {"entity": entity.acronym})
            return redirect("review-detail", pk=review.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "review": review, "entity": entity, "comment": comment, "attempted": attempted}
    return render(request, "compact/review/comment_form.html", context, status=status)
