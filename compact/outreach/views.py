"""Pages for the USG's briefings to Member States (OCT only) and the public page (no login).

OCT's pages read through ``compact.outreach.selectors`` (404 for anyone else, as for a missing
briefing) and write through one service of ``compact.outreach.services`` each. The public page
takes nothing from the request but its language: it reads only unclassified data.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.core.selectors import audit_events_for
from compact.core.verbs import verb_label
from compact.lib.forms import form_add_service_errors, service_errors_on
from compact.lib.workflow import StaleStateError, TransitionNotAllowedError
from compact.outreach.models import CADENCE_MONTHS_MAX, MemberStateBriefing
from compact.outreach.permissions import can_manage_briefings, can_publish_briefings, can_set_briefing_cadence
from compact.outreach.selectors import (
    briefing_cadence,
    briefing_schedule_for,
    briefings_visible_to,
    get_briefing_for_user_or_404,
    public_compact,
)
from compact.outreach.services import (
    ACTION_VERBS,
    BRIEFING_FIELDS,
    CADENCE_FIELDS,
    briefing_act,
    briefing_cadence_set,
    briefing_create,
    briefing_summary_fill,
    briefing_update,
)
from compact.outreach.workflow import BRIEFING_TRANSITIONS, OCT
from compact.signon.principles import STATUS as COMPACT_STATUS
from reporting.calendar.forms import DaysListField

# The public page may sit in a browser's cache for this long (it changes a few times a year).
PUBLIC_MAX_AGE = 300


# --- Forms ------------------------------------------------------------------------------------


class BriefingForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    audience = forms.CharField(
        label=gettext_lazy("Audience"),
        max_length=255,
        help_text=gettext_lazy('For example "Member States, New York" or "Group of Friends".'),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=255, required=False)
    virtual = forms.BooleanField(label=gettext_lazy("Held virtually"), required=False)
    notes = forms.CharField(
        label=gettext_lazy("Notes by OCT"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    notes_classification = forms.ChoiceField(
        label=gettext_lazy("Classification of the notes"),
        choices=Classification.choices,
        initial=Classification.CONFIDENTIAL,
    )
    public_summary = forms.CharField(
        label=gettext_lazy("Public summary (unclassified)"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=gettext_lazy("Anyone may read it on the public page once it is published. Unclassified only."),
    )


class SummaryFillForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("The summary already has text"),
        choices=[
            ("replace", gettext_lazy("Replace it with the draft")),
            ("append", gettext_lazy("Keep it and add the draft after it")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )


class BriefingActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(t.action, t.label) for t in BRIEFING_TRANSITIONS])
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    confirm_unclassified = forms.BooleanField(
        label=gettext_lazy("I confirm that the public summary contains only unclassified information."),
        required=False,
    )


class CadenceForm(forms.Form):
    every_months = forms.IntegerField(
        label=gettext_lazy("The USG briefs Member States every (months)"), min_value=1, max_value=CADENCE_MONTHS_MAX
    )
    first_due_on = forms.DateField(
        label=gettext_lazy("First briefing due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy(
            "Used until a briefing is recorded; then the next is due the cadence after the last one."
        ),
    )
    reminder_days = DaysListField(
        label=gettext_lazy("Remind the USG and OCT (days before)"),
        required=False,
        help_text=gettext_lazy('For example "30, 7". Reminders stop once a briefing is planned.'),
    )
    active = forms.BooleanField(label=gettext_lazy("Send reminders"), required=False, initial=True)


# --- The pages of the USG and OCT ------------------------------------------------------------


def _detail_context(request: HttpRequest, briefing: MemberStateBriefing, **forms_: Any) -> dict[str, Any]:
    return {
        "briefing": briefing,
        "can_read_notes": can_read_classification(request.user, briefing.notes_classification),
        "moves": BRIEFING_TRANSITIONS.available(briefing.state, by=OCT) if can_publish_briefings(request.user) else [],
        "fill_form": forms_.get("fill_form") or SummaryFillForm(),
        "action_form": forms_.get("action_form") or BriefingActionForm(),
        "failed_action": forms_.get("failed_action", ""),
        "steps": briefing.steps.select_related("actor"),
        "events": audit_events_for(briefing, request.user)[:50],
    }


@login_required
@require_GET
def briefing_list(request: HttpRequest) -> HttpResponse:
    """The briefings to Member States, newest first, under where they stand against the cadence."""
    if not can_manage_briefings(request.user):
        raise Http404
    context = {
        "briefings": briefings_visible_to(request.user),
        "schedule": briefing_schedule_for(request.user),
        "can_set_cadence": can_set_briefing_cadence(request.user),
    }
    return render(request, "compact/outreach/briefing_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def briefing_cadence_edit(request: HttpRequest) -> HttpResponse:
    """How often the USG briefs, and when the USG and OCT are reminded."""
    if not can_set_briefing_cadence(request.user):
        raise Http404
    cadence = briefing_cadence()
    initial = {name: getattr(cadence, name) for name in CADENCE_FIELDS} if cadence else {"every_months": 6}
    form = CadenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            briefing_cadence_set(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The cadence of briefings was saved."))
            return redirect("outreach-briefing-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "compact/outreach/cadence_form.html", {"form": form, "cadence": cadence}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def briefing_new(request: HttpRequest) -> HttpResponse:
    if not can_manage_briefings(request.user):
        raise Http404
    form = BriefingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form):
            briefing = briefing_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The briefing was recorded."))
            return redirect("outreach-briefing-detail", pk=briefing.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "compact/outreach/briefing_form.html", {"form": form, "briefing": None}, status=status)


@login_required
@require_GET
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = get_briefing_for_user_or_404(request.user, pk)
    return render(request, "compact/outreach/briefing_detail.html", _detail_context(request, briefing))


@login_required
@require_http_methods(["GET", "POST"])
def briefing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft briefing; notes above the officer's clearance make the page a 404."""
    briefing = get_briefing_for_user_or_404(request.user, pk)
    if not can_read_classification(request.user, briefing.notes_classification):
        raise Http404
    if briefing.is_published:
        messages.info(request, _("This briefing is published: withdraw it from the public page before editing it."))
        return redirect("outreach-briefing-detail", pk=briefing.pk)
    initial = {name: getattr(briefing, name) for name in BRIEFING_FIELDS}
    form = BriefingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            briefing_update(briefing=briefing, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The briefing was saved."))
            return redirect("outreach-briefing-detail", pk=briefing.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "briefing": briefing}
    return render(request, "compact/outreach/briefing_form.html", context, status=status)


@login_required
@require_POST
def briefing_summary_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Draft the public summary": fill the summary from unclassified data (replacing OCT's
    text, or after it, only if OCT chose to)."""
    briefing = get_briefing_for_user_or_404(request.user, pk)
    form = SummaryFillForm(request.POST)
    if form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            briefing_summary_fill(briefing=briefing, actor=request.user, mode=form.cleaned_data["mode"])
            messages.success(request, _("The public summary was drafted from unclassified data. Review it."))
            return redirect("outreach-briefing-edit", pk=briefing.pk)
    context = _detail_context(request, briefing, fill_form=form)
    return render(request, "compact/outreach/briefing_detail.html", context, status=400)


@login_required
@require_POST
def briefing_act_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish or withdraw the summary. On a mistake the page comes back with the message."""
    briefing = get_briefing_for_user_or_404(request.user, pk)
    form = BriefingActionForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            briefing_act(
                briefing=briefing,
                action=action,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                confirm_unclassified=form.cleaned_data["confirm_unclassified"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except (StaleStateError, TransitionNotAllowedError):
            form.add_error(
                None,
                _("This step is not possible while the briefing is “%(state)s”.")
                % {"state": briefing.get_state_display()},
            )
        else:
            messages.success(request, verb_label(ACTION_VERBS[action]))  # "Public summary published"
            return redirect("outreach-briefing-detail", pk=briefing.pk)
    briefing.refresh_from_db()
    context = _detail_context(request, briefing, action_form=form, failed_action=request.POST.get("action", ""))
    return render(request, "compact/outreach/briefing_detail.html", context, status=400)


# --- The public page --------------------------------------------------------------------------


@require_GET
@cache_control(max_age=PUBLIC_MAX_AGE)
def public_page(request: HttpRequest) -> HttpResponse:
    """The Compact for everyone: parties, observers, working groups and their leading entities,
    and the published summaries of the USG's briefings. The same for every visitor."""
    return render(request, "compact/public.html", {"compact": public_compact(), "compact_status": COMPACT_STATUS})
