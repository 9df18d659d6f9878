"""The reporting dashboard's page: rates per round, the groups × rounds heatmap, the time to
acceptance and the open action points, each chart with its numbers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from reporting.dashboard.charts import acceptance_chart, action_points_chart, outcomes_chart, rates_chart
from reporting.dashboard.forms import DashboardFilterForm
from reporting.dashboard.permissions import can_read_dashboard
from reporting.dashboard.selectors import (
    acceptance_times,
    dashboard_rounds,
    dashboard_years,
    open_action_points_by_owner,
    reporting_grid,
    round_rates,
)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """OCT, the USG and the Committee; a 404 for anyone else, as on the Committee's pages."""
    user = request.user
    if not can_read_dashboard(user):
        raise Http404
    form = DashboardFilterForm(request.GET or None, years=dashboard_years(user))
    year = form.cleaned_data["year"] if form.is_valid() else None
    today = timezone.localdate()
    grid = reporting_grid(user, dashboard_rounds(user, year=year), today=today)
    charts = [
        rates_chart(round_rates(grid), grid),
        outcomes_chart(grid),
        acceptance_chart(acceptance_times(grid), grid),
        action_points_chart(open_action_points_by_owner(user, today=today)),
    ]
    return render(request, "reporting/dashboard.html", {"form": form, "year": year, "charts": charts, "grid": grid})
