"""The matrix on a map: projects per country for the set the matrix's filters select.

The page takes the browse page's filters (pillar, working group, status, entity, year, …) and
hands them on, so a reader goes from the list to the map and back with the same selection.
Counts come from ``projects_filtered``: what the reader's clearance lets them read, nothing
else — a confidential project never counts for a reader not cleared for it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from compact.matrix.forms import ProjectFilterForm
from compact.matrix.maps import project_map_chart
from compact.matrix.selectors import projects_filtered, projects_per_country_with_regions
from compact.matrix.views import filter_context_of  # shared with the list and the pivots


@login_required
@require_GET
def project_map(request: HttpRequest) -> HttpResponse:
    """A world map shaded by the number of projects in each country, with its table."""
    form = ProjectFilterForm(request.GET)
    placed = projects_per_country_with_regions(projects_filtered(request.user, **form.filters()))
    context = {"form": form, "placed": placed, "chart": project_map_chart(placed), **filter_context_of(request, form)}
    return render(request, "compact/matrix/map.html", context)
