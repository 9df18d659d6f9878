"""The matrix on a map, for the seed matrix (A/72/840's annex): every country's fill and
number match the projects in the database under the regional rule, computed here from the
rows and regions.csv directly — not with the selector the page uses."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils.html import escape

from compact.core.models import Classification
from compact.lib.charts.base import NO_DATA, SEQUENTIAL
from compact.lib.charts.choropleth import world
from compact.lib.places import UN_MEMBER_STATES, UN_OBSERVER_STATES
from compact.matrix.exports import country_name
from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview
from compact.matrix.models import Project, ProjectCountry
from tests.helpers import oct_person

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "data" / "seed" / "a72-840-ctitf-matrix.txt"
REGIONS_CSV = ROOT / "data" / "reference" / "regions.csv"


@pytest.fixture
def seeded(registry):
    importer = oct_person("importer", "strictly-confidential")
    data = SEED.read_bytes()
    preview = matrix_import_preview(data=data, file_name="a72-840.txt")
    matrix_import_commit(data=data, file_name="a72-840.txt", sha256=preview.sha256, actor=importer)
    return importer


def expected_counts(projects) -> dict[str, int]:
    """{country: projects} from the rows: a project counts once in each country it names or
    that one of its regions covers (regions.csv read here on its own)."""
    with REGIONS_CSV.open(encoding="utf-8") as file:
        members = {row["code"]: set(row["countries"].split()) for row in csv.DictReader(file)}
    counts: dict[str, int] = {}
    for project in projects.prefetch_related("country_rows", "region_rows"):
        codes = {row.country for row in project.country_rows.all()}
        for row in project.region_rows.all():
            codes |= members.get(row.region, set())
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    return counts


def map_marks(html: str) -> dict[str, ElementTree.Element]:
    svg = re.search(r'<svg[^>]*data-chart="project-map".*?</svg>', html, re.DOTALL)
    assert svg, "the page has no map"
    root = ElementTree.fromstring(svg.group(0))
    return {mark.get("data-country"): mark for mark in root.iter() if mark.get("class") == "chart-mark"}


def shade_order(fill: str) -> int:
    return -1 if fill == NO_DATA else SEQUENTIAL.index(fill)


def test_the_seed_matrix_map_matches_the_database_country_by_country(seeded, client):
    client.force_login(seeded)
    response = client.get(reverse("project-map"))
    assert response.status_code == 200
    marks = map_marks(response.content.decode())
    expected = expected_counts(Project.objects.all())
    assert len(expected) > 100  # the seed reaches most of the world: the check means something
    for code in world().codes:
        assert marks[code].get("data-value") == str(expected.get(code, 0)), code
        assert (marks[code].get("fill") == NO_DATA) == (code not in expected), code
    # Shades never get lighter as counts grow.
    by_count = sorted((expected[code], shade_order(marks[code].get("fill"))) for code in expected if code in marks)
    assert [shade for _count, shade in by_count] == sorted(shade for _count, shade in by_count)
    # Every country the seed names, and every UN state a region reaches, is on the map.
    named = set(ProjectCountry.objects.values_list("country", flat=True))
    assert named <= set(marks)
    assert {code for code in expected if code in UN_MEMBER_STATES | UN_OBSERVER_STATES} <= set(marks)
    # What is counted but too small for any drawing (territories a region covers) is in the table.
    html = response.content.decode()
    for code in set(expected) - set(marks):
        row = f'<bdi>{escape(country_name(code))}</bdi></th><td class="number">{expected[code]}</td>'
        assert row in html, code


def test_the_regional_rule_counts_a_region_in_each_country_it_covers_once(seeded, client):
    client.force_login(seeded)
    sahel_only = Project.objects.filter(region_rows__region="sahel").exclude(country_rows__country="ML")
    named_and_regional = Project.objects.filter(region_rows__region="sahel", country_rows__country="ML")
    assert sahel_only.exists() or named_and_regional.exists()
    marks = map_marks(client.get(reverse("project-map")).content.decode())
    mali = int(marks["ML"].get("data-value"))
    assert (
        mali
        == Project.objects.filter(
            pk__in=[
                *ProjectCountry.objects.filter(country="ML").values_list("project", flat=True),
                *Project.objects.filter(region_rows__region__in=_regions_with("ML")).values_list("pk", flat=True),
            ]
        ).count()
    )


def _regions_with(code: str) -> list[str]:
    with REGIONS_CSV.open(encoding="utf-8") as file:
        return [row["code"] for row in csv.DictReader(file) if code in row["countries"].split()]


def test_a_pillar_filter_changes_the_map_to_that_pillars_counts(seeded, client):
    client.force_login(seeded)
    html = client.get(reverse("project-map"), {"pillar": "II"}).content.decode()
    marks = map_marks(html)
    expected = expected_counts(Project.objects.filter(pillar_rows__pillar="II").distinct())
    assert {code: int(mark.get("data-value")) for code, mark in marks.items() if mark.get("data-value") != "0"} == {
        code: count for code, count in expected.items() if code in marks
    }
    everything = map_marks(client.get(reverse("project-map")).content.decode())
    assert any(everything[code].get("data-value") != mark.get("data-value") for code, mark in marks.items())


def test_global_projects_are_counted_off_the_map(seeded, client):
    client.force_login(seeded)
    html = client.get(reverse("project-map")).content.decode()
    placed = set(ProjectCountry.objects.values_list("project", flat=True)) | set(
        Project.objects.filter(region_rows__isnull=False).values_list("pk", flat=True)
    )
    global_off_map = Project.objects.filter(scope=Project.Scope.GLOBAL).exclude(pk__in=placed).count()
    assert global_off_map > 0
    assert f"{global_off_map} global projects are not on the map." in html


def test_a_reader_cleared_for_unclassified_only_sees_no_confidential_project_counted(seeded, client):
    confidential = Project.objects.filter(country_rows__country="KE").first()
    Project.objects.filter(pk=confidential.pk).update(classification=Classification.CONFIDENTIAL)
    reader = oct_person("reader", "unclassified")
    client.force_login(reader)
    marks = map_marks(client.get(reverse("project-map")).content.decode())
    unclassified = Project.objects.filter(classification=Classification.UNCLASSIFIED)
    assert int(marks["KE"].get("data-value")) == expected_counts(unclassified)["KE"]
    client.force_login(seeded)
    cleared = map_marks(client.get(reverse("project-map")).content.decode())
    assert int(cleared["KE"].get("data-value")) == int(marks["KE"].get("data-value")) + 1


def test_counting_takes_three_queries_whatever_the_number_of_projects(db, django_assert_num_queries):
    from compact.matrix.selectors import projects_filtered, projects_per_country_with_regions
    from compact.matrix.services import project_save

    reader = oct_person("reader", "strictly-confidential")
    for index in range(12):
        fields = {"title": f"Project {index}", "status": "ongoing", "pillars": ["I"]}
        if index % 4 == 0:
            fields["scope"] = Project.Scope.GLOBAL
        places = {} if index % 4 == 0 else {"countries": ["KE"], "regions": ["sahel"] if index % 2 else []}
        project_save(project=None, actor=None, fields=fields, **places)
        if index in (1, 11):
            projects = projects_filtered(reader)  # reads the reader's clearance
            with django_assert_num_queries(3):
                placed = projects_per_country_with_regions(projects)
    assert placed.counts["KE"] == 9 and placed.counts["ML"] == 6  # the Sahel: the six odd indexes
    assert (placed.total, placed.global_projects, placed.unplaced) == (12, 3, 0)
