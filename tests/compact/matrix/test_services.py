"""Projects: who may create and edit them, filters, pivots and the overlap finder."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.core.models import AuditEvent
from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview, matrix_template_csv
from compact.matrix.models import OverlapReview
from compact.matrix.selectors import (
    pivot_country_pillar,
    pivot_theme_entity,
    project_overlaps,
    projects_filtered,
    projects_per_country,
    projects_visible_to,
)
from compact.matrix.services import overlap_review_record, project_delete, project_save

pytestmark = pytest.mark.django_db


def make(
    roster, title, lead, *, countries=("JO",), pillars=("I",), years=(2017, 2021), partners=(), themes=(), **fields
):
    return project_save(
        project=None,
        actor=None,
        fields={
            "title": title,
            "status": fields.pop("status", "ongoing"),
            "lead_entity": lead,
            "pillars": list(pillars),
            "start_year": years[0],
            "end_year": years[1],
            **fields,
        },
        countries=list(countries),
        partner_entities=list(partners),
        themes=list(themes),
    )


def test_a_focal_point_creates_and_edits_their_entitys_projects_only(roster, focal_point):
    mine = project_save(
        project=None,
        actor=focal_point,
        fields={"title": "Heritage education", "status": "ongoing", "lead_entity": roster.unesco},
    )
    project_save(project=mine, actor=focal_point, fields={"title": "Heritage education for youth"})
    with pytest.raises(PermissionDenied):
        project_save(
            project=None, actor=focal_point, fields={"title": "X", "status": "ongoing", "lead_entity": roster.unodc}
        )
    theirs = make(roster, "Prisons", roster.unodc)
    with pytest.raises(PermissionDenied):
        project_save(project=theirs, actor=focal_point, fields={"title": "Changed"})
    joint = make(roster, "Joint", roster.unodc, partners=[roster.unesco])
    project_save(project=joint, actor=focal_point, fields={"title": "Joint, edited by a partner"})
    assert AuditEvent.objects.filter(verb="project.updated", actor=focal_point).count() == 2


def test_nobody_saves_a_project_above_their_clearance(roster, focal_point):
    with pytest.raises(PermissionDenied):
        project_save(
            project=None,
            actor=focal_point,
            fields={
                "title": "Secret",
                "status": "ongoing",
                "lead_entity": roster.unesco,
                "classification": "confidential",
            },
        )


def test_bad_codes_and_dates_are_refused_with_field_messages(roster, oct_officer):
    with pytest.raises(ValidationError) as refused:
        make(roster, "X", roster.unodc, countries=["ZZ"])
    assert "countries" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        make(roster, "X", roster.unodc, years=(2020, 2018))
    assert "end_year" in refused.value.message_dict


def test_readers_see_only_up_to_their_clearance_and_anonymous_nothing(roster, committee_member, outsider):
    from django.contrib.auth.models import AnonymousUser

    make(roster, "Open", roster.unodc)
    make(roster, "Confidential", roster.unodc, classification="confidential")
    make(roster, "Secret", roster.unodc, classification="strictly-confidential")
    assert {p.title for p in projects_visible_to(committee_member)} == {"Open", "Confidential"}
    assert {p.title for p in projects_visible_to(outsider)} == {"Open"}
    assert not projects_visible_to(AnonymousUser()).exists()


def test_filters(roster, oct_officer):
    make(roster, "Prisons in Jordan", roster.unodc, countries=["JO", "TN"], pillars=["I"], years=(2017, 2021))
    make(
        roster,
        "Heritage in Mali",
        roster.unesco,
        countries=["ML"],
        pillars=["IV"],
        years=(2012, 2015),
        status="completed",
    )
    make(
        roster,
        "Joint in Tunisia",
        roster.ohchr,
        countries=["TN"],
        pillars=["I", "IV"],
        years=(2019, None),
        partners=[roster.unodc],
    )

    def titles(**filters):
        return sorted(p.title for p in projects_filtered(oct_officer, **filters))

    assert titles(country="tn") == ["Joint in Tunisia", "Prisons in Jordan"]
    assert titles(pillar="IV") == ["Heritage in Mali", "Joint in Tunisia"]
    assert titles(entity=roster.unodc.pk) == ["Joint in Tunisia", "Prisons in Jordan"]  # lead or partner
    assert titles(status="completed") == ["Heritage in Mali"]
    assert titles(year=2016) == []
    assert titles(year=2030) == ["Joint in Tunisia"]  # open-ended
    assert titles(search="heritage") == ["Heritage in Mali"]
    assert next(p.title for p in projects_filtered(oct_officer, ordering="-start")) == "Joint in Tunisia"


def test_pivots_and_per_country_counts(roster, oct_officer):
    make(roster, "A", roster.unodc, countries=["JO", "TN"], pillars=["I"], themes=[roster.group])
    make(roster, "B", roster.unodc, countries=["TN"], pillars=["I", "IV"], themes=[roster.group])
    make(roster, "C", roster.unesco, countries=["TN"], pillars=["IV"], themes=[roster.other_group])
    projects = projects_visible_to(oct_officer)
    assert projects_per_country(projects) == [("TN", 3), ("JO", 1)]
    assert pivot_country_pillar(projects) == {"TN": {"I": 2, "IV": 2}, "JO": {"I": 1}}
    assert pivot_theme_entity(projects) == {(7, "Human rights"): {"UNODC": 2}, (2, "Financing"): {"UNESCO": 1}}


def test_the_overlap_finder_pairs_different_entities_in_one_country_and_theme(roster, oct_officer):
    a = make(roster, "UNODC prisons", roster.unodc, countries=["JO"], themes=[roster.group], years=(2017, 2021))
    b = make(roster, "OHCHR prisons", roster.ohchr, countries=["JO"], themes=[roster.group], years=(2020, 2022))
    make(roster, "UNODC again", roster.unodc, countries=["JO"], themes=[roster.group])  # same lead as a
    make(
        roster, "Old", roster.unesco, countries=["JO"], themes=[roster.group], years=(2010, 2012)
    )  # no overlap in time
    make(roster, "Elsewhere", roster.unesco, countries=["TN"], themes=[roster.group])
    make(roster, "Other theme", roster.unesco, countries=["JO"], themes=[roster.other_group])
    pairs = [(c.first.title, c.second.title, c.countries, c.shared) for c in project_overlaps(oct_officer)]
    assert ("UNODC prisons", "OHCHR prisons", ("JO",), "theme") in pairs
    assert all(
        "Old" not in pair[:2] and "Elsewhere" not in pair[:2] and "Other theme" not in pair[:2] for pair in pairs
    )
    review = overlap_review_record(first=b, second=a, actor=oct_officer, note="Joint programming agreed.")
    assert (review.first, review.second) == (a, b)  # one order per pair
    overlap_review_record(first=a, second=b, actor=oct_officer, note="Updated.")
    assert OverlapReview.objects.get().note == "Updated."
    assert next(c for c in project_overlaps(oct_officer) if c.first == a and c.second == b).review is not None


def test_projects_without_working_groups_overlap_on_a_shared_pillar(roster, oct_officer):
    make(roster, "A", roster.unodc, countries=["ML"], pillars=["I"])
    make(roster, "B", roster.unesco, countries=["ML"], pillars=["I", "II"])
    make(roster, "C", roster.ohchr, countries=["ML"], pillars=["III"])
    pairs = {(c.first.title, c.second.title, c.shared) for c in project_overlaps(oct_officer)}
    assert pairs == {("A", "B", "pillar")}


def test_only_oct_reviews_overlaps_and_deletes_others_projects(roster, focal_point, oct_officer):
    a = make(roster, "A", roster.unodc)
    b = make(roster, "B", roster.unesco)
    with pytest.raises(PermissionDenied):
        overlap_review_record(first=a, second=b, actor=focal_point)
    with pytest.raises(PermissionDenied):
        project_delete(project=a, actor=focal_point)
    project_delete(project=b, actor=focal_point)  # their own
    project_delete(project=a, actor=oct_officer)
    assert AuditEvent.objects.filter(verb="project.deleted").count() == 2


def test_a_focal_point_cannot_hand_a_project_to_another_entity(roster, focal_point, oct_officer):
    mine = project_save(
        project=None, actor=focal_point, fields={"title": "Heritage", "status": "ongoing", "lead_entity": roster.unesco}
    )
    with pytest.raises(PermissionDenied):
        project_save(project=mine, actor=focal_point, fields={"lead_entity": roster.unodc})
    mine.refresh_from_db()
    assert mine.lead_entity == roster.unesco
    project_save(project=mine, actor=oct_officer, fields={"lead_entity": roster.unodc})  # OCT may


@pytest.mark.parametrize("persona", ["chair", "focal_point", "committee_member", "outsider"])
def test_only_oct_imports(roster, request, persona):
    data = matrix_template_csv().encode()
    preview = matrix_import_preview(data=data, file_name="t.csv")
    with pytest.raises(PermissionDenied):
        matrix_import_commit(
            data=data, file_name="t.csv", sha256=preview.sha256, actor=request.getfixturevalue(persona)
        )
