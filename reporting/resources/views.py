"""The resource-mobilisation page and its CSV export (OCT and the USG; 404 for anyone else)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from compact.lib import integers
from compact.lib.spreadsheets import spreadsheet_cell
from reporting.resources.permissions import can_read_resources
from reporting.resources.selectors import ResourceView, resource_view


class YearForm(forms.Form):
    year = integers.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2100, required=False)


def _view_for(request: HttpRequest) -> tuple[YearForm, ResourceView]:
    if not can_read_resources(request.user):
        raise Http404
    this_year = timezone.localdate().year
    form = YearForm(request.GET or None, initial={"year": this_year})
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return form, resource_view(request.user, year or this_year)


@login_required
@require_GET
def resources_page(request: HttpRequest) -> HttpResponse:
    """Needs of the year (programme priorities, projects in financing) against pledges and earmarks."""
    form, view = _view_for(request)
    status = 400 if form.errors else 200
    return render(request, "reporting/resources/resources.html", {"form": form, "view": view}, status=status)


def _amount(value: Any) -> str:
    return "" if value is None else f"{value:.2f}"


def resource_rows(view: ResourceView) -> Iterator[list[str]]:
    """The view as CSV rows: a header, one row per line (its gap: its need less what is
    earmarked to it), the total of the lines' needs, then the year's figures each on its own
    labelled row, as the page has them — the year's gap is the needs less the pledges, and
    what is left to earmark only for a reader who sees every earmark. Texts that a spreadsheet
    would run as a formula get an apostrophe in front."""
    yield [_("Line"), _("Id"), _("Title"), _("Classification"), _("Needed (USD)"), _("Earmarked (USD)"), _("Gap (USD)")]
    for line in view.lines:
        kind = _("Priority") if line.kind == "priority" else _("Project")
        row = [kind, str(line.object_id), spreadsheet_cell(line.label), line.classification]
        yield [*row, _amount(line.needed), _amount(line.earmarked), _amount(line.gap)]
    # A group's earmark counts on each priority naming the group: the year's earmarked total is
    # not the sum of the lines, so it has a row of its own.
    yield [_("Total"), "", "", "", _amount(view.needed), "", ""]
    figures = [(_("Earmarked (USD)"), view.earmarked), (_("Pledged (USD)"), view.pledged)]
    figures.append((_("Received (USD)"), view.received))
    if view.unearmarked is not None:
        figures.append((_("Pledged, not earmarked (USD)"), view.unearmarked))
    figures.append((_("Gap: needed less pledged (USD)"), view.gap))
    for label, amount in figures:
        yield [label, "", "", "", _amount(amount), "", ""]


@login_required
@require_GET
def resources_csv(request: HttpRequest) -> HttpResponse:
    _form, view = _view_for(request)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads the file as UTF-8
    writer = csv.writer(buffer)
    for row in resource_rows(view):
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="resources-{view.year}.csv"'
    return response
