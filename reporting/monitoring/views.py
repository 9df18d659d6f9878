"""Pages of the common M&E framework (Annex III, V.21): a programme's indicators grouped by
priority with actual against target so far, one indicator with its values by group and
report, and OCT's forms to add, change, reorder and remove indicators.

Readers are those of the programme of work (``can_read_programme``); the actuals count only
accepted progress reports the reader may read. Everything reads through
``reporting.monitoring.selectors`` (one 404 for missing and hidden) and writes through one
service of ``reporting.monitoring.services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.lib.charts.base import Chart
from compact.lib.forms import service_errors_on
from reporting.monitoring import services
from reporting.monitoring.charts import indicator_line_chart, indicator_multiples
from reporting.monitoring.forms import IndicatorForm, IndicatorMoveForm
from reporting.monitoring.framework import DIMENSIONS
from reporting.monitoring.selectors import (
    IndicatorRow,
    actual_against_target,
    biennium_periods,
    framework_histories,
    framework_rows,
    get_indicator_for_user_or_404,
    indicator_history,
)
from reporting.programme.models import Indicator, ProgrammeOfWork
from reporting.programme.permissions import can_manage_programme, can_read_programme
from reporting.programme.selectors import get_programme_for_user_or_404, programmes_visible_to
from reporting.submissions.selectors import submissions_visible_to


def _readers_only(request: HttpRequest) -> None:
    if not can_read_programme(request.user):
        raise Http404


@dataclass(frozen=True)
class ChartedRow(IndicatorRow):
    """A row of the framework page with its small chart (None before the first round)."""

    chart: Chart | None = None


def _small_chart(indicator: Indicator, rounds: list[dict[str, Any]]) -> Chart | None:
    return indicator_line_chart(indicator, rounds, compact=True) if rounds else None


def _by_priority(programme: ProgrammeOfWork, rows: list[ChartedRow]) -> list[dict[str, Any]]:
    """The rows under each priority they serve (an indicator may serve several), then those
    linked to none."""
    groups = []
    for priority in programme.priorities.order_by("position", "id"):
        linked = [row for row in rows if priority in row.indicator.priorities.all()]
        groups.append({"priority": priority, "rows": linked})
    unlinked = [row for row in rows if not row.indicator.priorities.all()]
    if unlinked:
        groups.append({"priority": None, "rows": unlinked})
    return groups


@login_required
@require_GET
def monitoring_home(request: HttpRequest) -> HttpResponse:
    """The programmes of work, each with its M&E framework."""
    _readers_only(request)
    programmes = programmes_visible_to(request.user)
    return render(request, "reporting/monitoring/home.html", {"programmes": programmes})


@login_required
@require_GET
def framework_view(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user_or_404(request.user, pk)
    rows = framework_rows(programme, request.user)
    histories = framework_histories(programme, request.user)
    charted = [
        ChartedRow(row.indicator, row.result, _small_chart(row.indicator, histories.get(row.indicator.pk, [])))
        for row in rows
    ]
    context = {
        "programme": programme,
        "sections": _by_priority(programme, charted),
        "count": len(rows),
        "is_manager": can_manage_programme(request.user),
    }
    return render(request, "reporting/monitoring/framework.html", context)


@login_required
@require_GET
def indicator_view(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user_or_404(request.user, pk)
    so_far = actual_against_target(
        indicator, periods=list(biennium_periods(indicator.programme)), readable=submissions_visible_to(request.user)
    )
    rounds = indicator_history(indicator, request.user)
    context = {
        "indicator": indicator,
        "programme": indicator.programme,
        "so_far": so_far,
        "rounds": rounds,
        "rounds_chart": indicator_line_chart(indicator, rounds) if rounds else None,
        "multiples": indicator_multiples(indicator, rounds),
        "dimensions": [DIMENSIONS[key].label for key in indicator.disaggregation if key in DIMENSIONS],
        "is_manager": can_manage_programme(request.user),
    }
    return render(request, "reporting/monitoring/indicator.html", context)


def _manager_only(request: HttpRequest) -> None:
    if not can_manage_programme(request.user):
        raise Http404


def _form_page(request: HttpRequest, form: IndicatorForm, programme: ProgrammeOfWork, indicator: Indicator | None):
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "programme": programme, "indicator": indicator}
    return render(request, "reporting/monitoring/indicator_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_only(request)
    programme = get_programme_for_user_or_404(request.user, pk)
    form = IndicatorForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form):
            indicator = services.indicator_create(programme=programme, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The indicator %(code)s was added.") % {"code": indicator.code})
            return redirect("monitoring-framework", pk=programme.pk)
    return _form_page(request, form, programme, None)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_only(request)
    indicator = get_indicator_for_user_or_404(request.user, pk)
    form = IndicatorForm(request.POST or None, programme=indicator.programme, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form):
            services.indicator_update(indicator=indicator, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The indicator was saved."))
            return redirect("monitoring-indicator", pk=indicator.pk)
    return _form_page(request, form, indicator.programme, indicator)


@login_required
@require_POST
def indicator_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_only(request)
    indicator = get_indicator_for_user_or_404(request.user, pk)
    try:
        services.indicator_remove(indicator=indicator, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("monitoring-indicator", pk=indicator.pk)
    messages.success(request, _("The indicator %(code)s was removed.") % {"code": indicator.code})
    return redirect("monitoring-framework", pk=indicator.programme_id)


@login_required
@require_POST
def indicator_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_only(request)
    indicator = get_indicator_for_user_or_404(request.user, pk)
    form = IndicatorMoveForm(request.POST)
    if form.is_valid():
        offset = -1 if form.cleaned_data["direction"] == "up" else 1
        services.indicator_move(indicator=indicator, actor=request.user, offset=offset)
    return redirect("monitoring-framework", pk=indicator.programme_id)
