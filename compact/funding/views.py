"""The Trust Fund's page: its contributors by year, with where each fact comes from."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from compact.funding.selectors import contributions_visible_to


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
    return render(request, "compact/funding/trust_fund.html", {"years": years})
