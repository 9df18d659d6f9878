"""The matrix's charts: projects per country (the pivots) and per pillar (a country's page).

The numbers come from the selectors (``projects_per_country``, ``projects_per_pillar``), scoped
to the reader and filtered as the page is; these functions only choose the bars and write the
words that stand for the drawing (``compact.lib.charts``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compact.lib.charts.bars import Bar, bar_chart
from compact.lib.charts.base import Chart
from compact.matrix.exports import country_name
from compact.registry.models import Pillar

CHART_COUNTRIES = 25


def countries_chart(per_country: Sequence[tuple[str, int]], country_url: Callable[[str], str]) -> Chart:
    """Bars for the ``CHART_COUNTRIES`` countries with the most projects (``per_country``:
    (ISO code, projects), most first), each leading to ``country_url(code)``."""
    top = per_country[:CHART_COUNTRIES]
    bars = [Bar(country_name(code), total, country_url(code)) for code, total in top]
    return bar_chart(
        slug="projects-per-country",
        title=_("Countries with the most projects"),
        summary=_countries_summary(bars, len(per_country)),
        bars=bars,
        label_heading=_("Country"),
        value_heading=_("Projects"),
        note=_countries_note(len(top), len(per_country)),
    )


def _countries_summary(bars: Sequence[Bar], countries: int) -> str:
    if not bars:
        return _("No project in this selection names a country.")
    first = bars[0]
    named = ngettext(
        "%(count)d country is named by the projects of this selection.",
        "%(count)d countries are named by the projects of this selection.",
        countries,
    ) % {"count": countries}
    most = ngettext(
        "%(country)s has the most, with %(value)d project.",
        "%(country)s has the most, with %(value)d projects.",
        int(first.value),
    ) % {"country": first.label, "value": first.value}
    if len(bars) == 1:
        return f"{named} {most}"
    last = bars[-1]
    fewest = ngettext(
        "The chart's last bar, %(country)s, has %(value)d project.",
        "The chart's last bar, %(country)s, has %(value)d projects.",
        int(last.value),
    ) % {"country": last.label, "value": last.value}
    return f"{named} {most} {fewest}"


def _countries_note(shown: int, countries: int) -> str:
    """Which projects a bar counts, and how many countries the chart leaves out."""
    rule = _("A project counts once in every country it names; projects naming only a region are not counted here.")
    if countries <= shown:
        return rule
    left_out = ngettext(
        "%(count)d more country is in the table below.",
        "%(count)d more countries are in the table below.",
        countries - shown,
    ) % {"count": countries - shown}
    return f"{rule} {left_out}"


def pillars_chart(per_pillar: dict[str, int], *, place: str, pillar_url: Callable[[str], str]) -> Chart:
    """Bars for the four pillars, in their order, from ``per_pillar`` ({pillar: projects});
    ``place`` names where the projects are (the country), for the title and the summary."""
    labels = dict(Pillar.choices)
    bars = [Bar(str(labels[value]), per_pillar.get(value, 0), pillar_url(value)) for value in Pillar.values]
    counts = "; ".join(
        ngettext("%(pillar)s: %(value)d project", "%(pillar)s: %(value)d projects", int(bar.value))
        % {"pillar": bar.label, "value": bar.value}
        for bar in bars
    )
    return bar_chart(
        slug="projects-per-pillar",
        title=_("Projects in %(place)s by pillar") % {"place": place},
        summary=_("Projects in %(place)s serving each pillar: %(counts)s.") % {"place": place, "counts": counts},
        bars=bars,
        label_heading=_("Pillar"),
        value_heading=_("Projects"),
        note=_("A project may serve several pillars, so the bars can add up to more than the projects."),
    )
