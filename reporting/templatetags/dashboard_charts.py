"""The reporting dashboard's charts in the compiled reports' print templates.

A tag rather than a field of the reports' contents so that each report gets its chart with
one ``{% include %}``; the numbers still come from the dashboard's selectors, bounded by the
document's own marking (``document_grid``), and the chart functions only draw.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import template

from compact.lib.charts.base import Chart
from reporting.dashboard.charts import rates_chart, round_status_chart
from reporting.dashboard.selectors import document_grid, round_rates
from reporting.submissions.models import ReportingPeriod

register = template.Library()


@register.simple_tag
def round_status_chart_for(period: ReportingPeriod, classification: str) -> Chart:
    """One round's outcome per working group (the consolidated report)."""
    grid = document_grid([period], classification=classification)
    return round_status_chart(grid, period)


@register.simple_tag
def year_rates_chart_for(periods: Sequence[ReportingPeriod], classification: str) -> Chart:
    """The reporting and on-time rates of the year's rounds (the annual report)."""
    grid = document_grid(periods, classification=classification)
    return rates_chart(round_rates(grid), grid, slug="year-rates")
