"""The matrix on a map: the world shaded by projects per country, for the map page and the
annual report's PDF (one function, so both draw the same picture from the same rule).

The rule for regional projects: a project naming a region counts in **every country the
region covers** (``data/reference/regions.csv``), as it does on the country pages the map
links to; a project naming a country and a region covering it counts once there. Projects
placed nowhere (global ones, and those whose scope named no place we recognise) are not on
the map: the note says how many.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compact.lib.charts.base import Chart
from compact.lib.charts.choropleth import choropleth
from compact.matrix.exports import country_name
from compact.matrix.selectors import CountryCounts

MAP_SLUG = "project-map"


def _country_url(code: str) -> str:
    return reverse("project-country", args=[code])


def project_map_chart(placed: CountryCounts, *, slug: str = MAP_SLUG, links: bool = True) -> Chart:
    """The choropleth of ``placed`` (``projects_per_country_with_regions``); ``links`` makes
    each country with projects a link to its page (not in a PDF, read far from the site)."""
    return choropleth(
        slug=slug,
        title=_("Projects per country"),
        counts=placed.counts,
        country_name=country_name,
        country_url=_country_url if links else None,
        value_heading=_("Projects"),
        note=map_rule_note(placed),
    )


def map_rule_note(placed: CountryCounts) -> str:
    """How the map counts, and what it leaves out, in words."""
    rule = _(
        "A regional project is counted in every country its regions cover, as on the country pages; "
        "a project in several countries counts in each of them."
    )
    parts = [rule]
    if placed.global_projects:
        parts.append(
            ngettext(
                "%(count)d global project is not on the map.",
                "%(count)d global projects are not on the map.",
                placed.global_projects,
            )
            % {"count": placed.global_projects}
        )
    if placed.unplaced:
        parts.append(
            ngettext(
                "%(count)d project names no place the matrix recognises and is not on the map.",
                "%(count)d projects name no place the matrix recognises and are not on the map.",
                placed.unplaced,
            )
            % {"count": placed.unplaced}
        )
    return " ".join(parts)
