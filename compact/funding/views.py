"""The Trust Fund's pages: its contributors by year, a donor, a contribution and its earmarks.

Everyone signed in reads them within their clearance; only OCT records and earmarks (404 for
anyone else, as for a missing page)."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.funding.forms import ContributionForm, EarmarkForm
from compact.funding.models import Contribution
from compact.funding.permissions import can_manage_trust_fund
from compact.funding.selectors import (
    contribution_summary,
    contributions_visible_to,
    donor_summary,
    get_contribution_for_user_or_404,
    get_donor_for_user_or_404,
    get_earmark_for_user_or_404,
)
from compact.funding.services import (
    contribution_add,
    contribution_update,
    contribution_values,
    earmark_add,
    earmark_remove,
)
from compact.lib.forms import service_errors_on


@login_required
@require_GET
def trust_fund(request: HttpRequest) -> HttpResponse:
    """Every year's contributors, largest first as far as the sources rank them."""
    contributions = list(contributions_visible_to(request.user))
    years = []
    for year, rows in groupby(contributions, key=lambda row: row.year):
        rows = list(rows)
        sources = {row.source for row in rows}
        # One source for the whole year (Annex V for 2018) is said once, above the table.
        years.append({"year": year, "rows": rows, "source": sources.pop() if len(sources) == 1 else ""})
    context = {"years": years, "can_manage": can_manage_trust_fund(request.user)}
    return render(request, "compact/funding/trust_fund.html", context)


@login_required
@require_GET
def donor_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A donor: its contributions, earmarks, the projects and groups it funds, within clearance."""
    donor = get_donor_for_user_or_404(request.user, code)
    context = {"donor": donor, **donor_summary(request.user, donor)}
    return render(request, "compact/funding/donor_detail.html", context)


def _manager_or_404(request: HttpRequest) -> None:
    if not can_manage_trust_fund(request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def contribution_new(request: HttpRequest) -> HttpResponse:
    _manager_or_404(request)
    form = ContributionForm(request.POST or None, user=request.user, initial={"year": request.GET.get("year")})
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form):
            contribution = contribution_add(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The contribution was recorded."))
            return redirect("trust-fund-contribution", pk=contribution.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "compact/funding/contribution_form.html", {"form": form}, status=status)


@login_required
@require_GET
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_contribution_for_user_or_404(request.user, pk)
    form = EarmarkForm(user=request.user) if can_manage_trust_fund(request.user) else None
    return render(request, "compact/funding/contribution_detail.html", _detail_context(request, contribution, form))


@login_required
@require_http_methods(["GET", "POST"])
def contribution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_or_404(request)
    contribution = get_contribution_for_user_or_404(request.user, pk)
    initial = contribution_values(contribution)
    form = ContributionForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            contribution_update(contribution=contribution, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The contribution was saved."))
            return redirect("trust-fund-contribution", pk=contribution.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "contribution": contribution}
    return render(request, "compact/funding/contribution_form.html", context, status=status)


@login_required
@require_POST
def earmark_new(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_or_404(request)
    contribution = get_contribution_for_user_or_404(request.user, pk)
    form = EarmarkForm(request.POST, user=request.user)
    if form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            earmark_add(contribution=contribution, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The earmark was recorded."))
            return redirect("trust-fund-contribution", pk=contribution.pk)
    context = _detail_context(request, contribution, form)
    return render(request, "compact/funding/contribution_detail.html", context, status=400)


def _detail_context(request: HttpRequest, contribution: Contribution, form: EarmarkForm | None) -> dict:
    """A contribution's page: its earmarks and what they fund, with the earmark form for OCT."""
    return {
        "contribution": contribution,
        "can_manage": can_manage_trust_fund(request.user),
        "form": form,
        **contribution_summary(request.user, contribution),
    }


@login_required
@require_POST
def earmark_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_or_404(request)
    earmark = get_earmark_for_user_or_404(request.user, pk)  # within the reader's clearance
    try:
        earmark_remove(earmark=earmark, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The earmark was removed."))
    return redirect("trust-fund-contribution", pk=earmark.contribution_id)
