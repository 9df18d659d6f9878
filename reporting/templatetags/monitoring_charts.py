"""The M&E framework's chart for the compiled reports' print templates.

A tag rather than a field of the report's contents, so that the PDF draws the chart from the
very rows its indicators table shows (``contents.indicators``), with nothing to keep in step.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import template

from compact.lib.charts.base import Chart
from reporting.monitoring.charts import round_progress_chart
from reporting.monitoring.selectors import IndicatorRow

register = template.Library()


@register.simple_tag
def indicators_progress_chart(rows: Sequence[IndicatorRow]) -> Chart:
    """``{% indicators_progress_chart contents.indicators as chart %}``"""
    return round_progress_chart(list(rows or ()))
