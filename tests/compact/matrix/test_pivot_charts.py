"""The pivots' chart and heat-shaded tables, and a country's chart (issue 20): what they draw is
checked against counts read from the database for a known spread of projects; the filters set
on the list reach the pivots' counts, the exports' rows, the country pages and back."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings

from compact.core.models import Classification
from compact.lib.charts.bars import Bar, bar_chart
from compact.lib.charts.base import contrast, ink_on, shading_for
from compact.lib.charts.shaded_table import AA_BODY_TEXT, shade_css, shade_fill, shaded_table
from compact.matrix.charts import CHART_COUNTRIES
from compact.matrix.exports import country_name
from compact.matrix.models import Project, ProjectCountry
from compact.registry.models import Pillar
from tests.compact.matrix.test_exports import XLSX, sheet_rows, workbook_of
from tests.compact.matrix.test_pages import make_project, read_csv
from tests.helpers import html_tree

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
# Countries each named by one project only: with the five below, more than the chart shows.
WIDE = ["AF", "BF", "BJ", "CM", "DZ", "EG", "ET", "GH", "IQ", "JO", "LB", "LY", "MA", "MR", "MZ", "NG"]
WIDE += ["PH", "PK", "SD", "SN", "SY", "TD", "TG", "UG", "YE"]


@pytest.fixture
def spread(roster):
    """Kenya 5 projects, Mali 4, Niger 3, Tunisia 2, Somalia 1 (unclassified), 25 countries
    named once by a wide project, and a confidential project in Kenya and Somalia."""
    projects = []
    for index in range(5):
        places = ["KE", "ML", "NE", "TN"][: 4 - max(index - 1, 0)] if index else ["KE", "ML", "NE", "TN", "SO"]
        projects.append(
            make_project(
                f"Kenya {index}",
                lead=roster.unodc if index % 2 else roster.cted,
                status="ongoing" if index < 3 else "completed",
                years=(2018, 2021) if index < 3 else (2012, 2014),
                pillars=["I"] if index % 2 == 0 else ["II", "IV"],
                themes=[roster.group] if index < 2 else [roster.other_group],
                countries=places,
            )
        )
    projects.append(
        make_project(
            "Wide", lead=roster.unesco, status="completed", years=(2010, 2011), pillars=["III"], countries=WIDE
        )
    )
    projects.append(
        make_project(
            "Confidential in Kenya",
            lead=roster.ohchr,
            pillars=["I", "III"],
            themes=[roster.group],
            countries=["KE", "SO"],
            classification=Classification.CONFIDENTIAL,
        )
    )
    return projects


def readable(user) -> list[Project]:
    """The spread's projects ``user`` may read, straight from the database."""
    clearance = user.profile.clearance
    levels = [level for level, _label in Classification.choices]
    return list(Project.objects.filter(classification__in=levels[: levels.index(clearance) + 1]))


def per_country(projects) -> Counter:
    return Counter(ProjectCountry.objects.filter(project__in=projects).values_list("country", flat=True))


def per_country_pillar(projects) -> Counter:
    return Counter(
        (row.country, pillar)
        for row in ProjectCountry.objects.filter(project__in=projects).select_related("project")
        for pillar in row.project.pillars
    )


def svg_of(page, slug: str) -> ElementTree.Element:
    html = page.content.decode()
    match = re.search(rf'<svg[^>]*data-chart="{slug}".*?</svg>', html, re.S)
    assert match, f"no chart {slug}"
    return ElementTree.fromstring(match.group(0))


def bars_of(svg: ElementTree.Element) -> list[tuple[str, str, str]]:
    """(label, value, link) of each bar, top to bottom."""
    bars = []
    for child in svg:
        link = child.get("href", "") if child.tag == f"{SVG}a" else ""
        row = child.find(f"{SVG}g") if child.tag == f"{SVG}a" else child
        if row is None or row.get("class") != "chart-row":
            continue
        mark = row.find(f"{SVG}rect[@class='chart-mark']")
        bars.append((mark.get("data-label"), mark.get("data-value"), link))
    return bars


# --- The chart of projects per country -----------------------------------------------------------


@pytest.mark.parametrize("persona", ["oct_officer", "outsider"])
def test_the_bars_are_the_countries_with_most_projects_the_reader_may_read(request, client_for, spread, persona):
    user = request.getfixturevalue(persona)
    response = client_for(user).get("/projects/pivots/")
    counts = per_country(readable(user))
    expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:CHART_COUNTRIES]
    drawn = bars_of(svg_of(response, "projects-per-country"))
    assert [(label, int(value)) for label, value, _link in drawn] == [(country_name(c), n) for c, n in expected]
    assert [link for _l, _v, link in drawn] == [f"/projects/countries/{code}/" for code, _n in expected]
    assert len(counts) > CHART_COUNTRIES  # the chart leaves countries out: its note says how many
    chart = response.context["chart"]
    assert chart.note.endswith(f"{len(counts) - CHART_COUNTRIES} more countries are in the table below.")
    top_name, top_count = country_name(expected[0][0]), expected[0][1]
    assert f"{top_name} has the most, with {top_count} projects." in chart.summary


def test_the_bars_are_as_long_as_their_counts(client_for, oct_officer, spread):
    svg = svg_of(client_for(oct_officer).get("/projects/pivots/"), "projects-per-country")
    marks = [mark for mark in svg.iter(f"{SVG}rect") if mark.get("class") == "chart-mark"]
    per_unit = {float(mark.get("width")) / int(mark.get("data-value")) for mark in marks}
    assert max(per_unit) == pytest.approx(min(per_unit))


def test_the_chart_and_its_table_say_the_same(client_for, oct_officer, spread):
    page = html_tree(client_for(oct_officer).get("/projects/pivots/"))
    figure = page.find("figure", id="chart-projects-per-country")
    rows = [
        [cell.text for cell in row.find_all("th") + row.find_all("td")] for row in figure.find("tbody").find_all("tr")
    ]
    counts = per_country(readable(oct_officer))
    expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:CHART_COUNTRIES]
    assert rows == [[country_name(code), str(n)] for code, n in expected]


def test_no_country_no_chart_but_a_sentence(client_for, oct_officer, spread):
    response = client_for(oct_officer).get("/projects/pivots/", {"q": "nothing matches this"})
    figure = html_tree(response).find("figure", id="chart-projects-per-country")
    assert figure.find_all("svg") == []
    assert figure.find("p", class_="chart-empty").text == "No project in this selection names a country."


# --- The heat-shaded tables -------------------------------------------------------------------


def _heat_tables(response):
    return html_tree(response).find_all("table", class_="heat-table")


@pytest.mark.parametrize("persona", ["oct_officer", "outsider"])
def test_each_country_pillar_cell_writes_its_count_and_is_shaded_by_it(request, client_for, spread, persona):
    user = request.getfixturevalue(persona)
    response = client_for(user).get("/projects/pivots/")
    counts = per_country_pillar(readable(user))
    countries = per_country(readable(user))
    shading = shading_for([counts[(code, pillar)] for code in countries for pillar in Pillar.values])
    table = _heat_tables(response)[0]
    seen = set()
    for row in table.find("tbody").find_all("tr"):
        code = urlsplit(row.find("th").find("a").attrs["href"]).path.rstrip("/").rsplit("/", 1)[-1]
        cells = row.find_all("td")[: len(Pillar.values)]
        for pillar, cell in zip(Pillar.values, cells, strict=True):
            value = counts[(code, pillar)]
            assert cell.text == str(value)  # the number is always written, the shade is a second carrier
            shades = [name for name in cell.attrs["class"].split() if name.startswith("shade-")]
            assert shades == [f"shade-{shading.level(value)}"]
        seen.add(code)
    assert seen == set(countries)
    darkest = max(counts.values())
    assert shading.level(darkest) == len(shading.bounds) and shading.level(0) == 0


def test_the_legend_names_every_shade_the_table_uses(client_for, oct_officer, spread):
    response = client_for(oct_officer).get("/projects/pivots/")
    legend = html_tree(response).find("div", id="country-pillar-legend")
    keys = [(item.find("span").attrs["class"].split()[-1], item.text) for item in legend.find_all("li")]
    shading = response.context["country_shading"].shading
    assert keys[0] == ("shade-0", "0")
    assert [name for name, _label in keys[1:]] == [f"shade-{level}" for level in range(1, len(shading.bounds) + 1)]
    assert [label for _name, label in keys[1:]] == [entry.label for entry in shading.legend()]
    used = {
        name
        for cell in _heat_tables(response)[0].find_all("td")
        for name in cell.attrs.get("class", "").split()
        if name.startswith("shade-")
    }
    assert used <= {name for name, _label in keys}


def test_the_theme_entity_table_is_shaded_by_its_own_counts(client_for, oct_officer, spread, roster):
    response = client_for(oct_officer).get("/projects/pivots/")
    projects = readable(oct_officer)
    counts = Counter((theme.number, p.lead_entity.acronym) for p in projects for theme in p.themes.all())
    shading = shading_for(counts.values())
    table = _heat_tables(response)[1]
    entities = [cell.text for cell in table.find("thead").find_all("th")[1:-1]]
    assert entities == sorted({acronym for _number, acronym in counts})
    for row in table.find("tbody").find_all("tr"):
        number = int(row.find("th").text.split(".")[0])
        for acronym, cell in zip(entities, row.find_all("td")[:-1], strict=True):
            value = counts[(number, acronym)]
            assert (cell.text, cell.attrs["class"].split()[-1]) == (str(value), f"shade-{shading.level(value)}")


def test_the_shade_classes_in_app_css_are_the_python_ones():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    assert shade_css() in css
    for level in range(6):
        rule = re.search(
            rf"^\.shade-{level} \{{ background: (#[0-9a-f]{{6}}); color: (#[0-9a-f]{{6}}); \}}$", css, re.M
        )
        assert rule and rule.groups() == (shade_fill(level), ink_on(shade_fill(level)))


@pytest.mark.parametrize("level", range(6))
def test_every_shade_keeps_its_number_readable(level):
    fill = shade_fill(level)
    assert contrast(fill, ink_on(fill)) >= AA_BODY_TEXT


def test_shaded_table_levels_follow_the_shading():
    table = shaded_table([[0, 1, 2], [3, 40, 0]])
    assert [[cell.level for cell in row] for row in table.rows] == [[0, 1, 2], [3, 4, 0]]
    assert [key.label for key in table.legend] == ["0", "1", "2", "3", "4–40"]


# --- Filters carry ----------------------------------------------------------------------------

FILTERS = {"pillar": "I", "status": "ongoing", "theme": None, "year": "2019", "q": "Kenya"}


def _filters(roster) -> dict[str, str]:
    return {**FILTERS, "theme": str(roster.group.pk)}


def _selected(roster) -> list[Project]:
    """The spread's projects the filters select, found without the app's selector: pillar I,
    ongoing, in working group 7, "Kenya" in the title, running in 2019 (no start: started;
    no end and not completed: still running)."""

    def running_in_2019(project: Project) -> bool:
        started = project.start_year is None or project.start_year <= 2019
        return started and (project.end_year is None or project.end_year >= 2019)

    candidates = Project.objects.filter(status="ongoing", title__icontains="Kenya", themes=roster.group)
    return [project for project in candidates if "I" in project.pillars and running_in_2019(project)]


def test_a_filter_set_on_the_list_gives_the_pivots_counts_and_the_exports_rows(client_for, oct_officer, spread, roster):
    client = client_for(oct_officer)
    query = _filters(roster)
    list_page = html_tree(client.get("/projects/", query))
    tabs = {link.text: link.attrs["href"] for link in list_page.find("nav", class_="tabs").find_all("a")}
    pivots = client.get(tabs["Pivots and chart"])
    selected = _selected(roster)
    assert selected and pivots.context["total"] == len(selected)
    drawn = {label: int(value) for label, value, _link in bars_of(svg_of(pivots, "projects-per-country"))}
    assert drawn == {country_name(code): n for code, n in per_country(selected).items()}
    exports = [link.attrs["href"] for link in html_tree(pivots).find("p", class_="exports").find_all("a")]
    csv_titles = sorted(row["title"] for row in read_csv(client.get(exports[0])))
    xlsx_titles = sorted(row["title"] for row in sheet_rows(workbook_of(client.get(exports[1])).worksheets[0]))
    assert csv_titles == xlsx_titles == sorted(project.title for project in selected)
    assert xlsx_titles == sorted(row["title"] for row in sheet_rows(workbook_of(client.get(XLSX, query)).worksheets[0]))


def test_the_links_to_country_pages_carry_the_filters_but_the_place(client_for, oct_officer, spread, roster):
    client = client_for(oct_officer)
    query = {**_filters(roster), "country": "KE", "sort": "-start"}
    carried = {key: [value] for key, value in query.items() if key != "country"}
    pivots = client.get("/projects/pivots/", query)
    row_links = [row.find("th").find("a").attrs["href"] for row in _heat_tables(pivots)[0].find("tbody").find_all("tr")]
    bar_links = [link for _l, _v, link in bars_of(svg_of(pivots, "projects-per-country"))]
    list_rows = html_tree(client.get("/projects/", query)).find("table", class_="projects").find_all("a")
    list_links = [link.attrs["href"] for link in list_rows if "/countries/" in link.attrs["href"]]
    for link in row_links + bar_links + list_links:
        assert parse_qs(urlsplit(link).query) == carried, link


def test_a_country_page_applies_the_carried_filters_and_passes_them_on(client_for, oct_officer, spread, roster):
    client = client_for(oct_officer)
    query = _filters(roster)
    response = client.get("/projects/countries/KE/", query)
    selected = _selected(roster)
    assert response.context["page"].paginator.count == len(selected)
    page = html_tree(response)
    box = page.find("div", class_="active-filters")
    applied = [item.find("span").text.replace("\u2068", "").replace("\u2069", "") for item in box.find_all("li")]
    assert "Pillar: I. Addressing the conditions conducive to the spread of terrorism" in applied
    actions = {
        link.text: parse_qs(urlsplit(link.attrs["href"]).query)
        for link in page.find("p", class_="actions-row").find_all("a")
    }
    expected = {key: [value] for key, value in {**query, "country": "KE"}.items()}
    assert actions["Filter and export these projects"] == expected
    assert actions["Pivots for this country"] == expected
    pivots = client.get(
        "/projects/pivots/?" + urlsplit(page.find("p", class_="actions-row").find_all("a")[1].attrs["href"]).query
    )
    assert pivots.context["total"] == len(selected)


# --- A country's chart of pillars -------------------------------------------------------------


@pytest.mark.parametrize("persona", ["oct_officer", "outsider"])
def test_a_country_page_draws_its_projects_by_pillar(request, client_for, spread, persona):
    user = request.getfixturevalue(persona)
    response = client_for(user).get("/projects/countries/KE/")
    in_kenya = [project for project in readable(user) if project.country_rows.filter(country="KE").exists()]
    counts = Counter(pillar for project in in_kenya for pillar in project.pillars)
    drawn = bars_of(svg_of(response, "projects-per-pillar"))
    labels = dict(Pillar.choices)
    assert [(label, int(value)) for label, value, _link in drawn] == [(labels[p], counts[p]) for p in Pillar.values]
    assert [link for _l, _v, link in drawn] == [f"/projects/countries/KE/?pillar={p}" for p in Pillar.values]
    filtered = client_for(user).get(drawn[0][2])
    assert filtered.context["page"].paginator.count == counts["I"]


def test_a_chart_whose_bars_are_links_is_a_group_not_an_image(client_for, oct_officer, spread):
    """An image's content is hidden from assistive technology: links inside one could be
    tabbed to but not read (axe: nested-interactive)."""
    svg = svg_of(client_for(oct_officer).get("/projects/pivots/"), "projects-per-country")
    assert svg.get("role") == "group" and svg.find(f"{SVG}a") is not None
    unlinked = bar_chart(slug="t", title="T", summary="S", bars=[Bar("A", 1)], label_heading="", value_heading="")
    assert ElementTree.fromstring(str(unlinked.svg)).get("role") == "img"
