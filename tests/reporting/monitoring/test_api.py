"""The M&E framework's API: indicators with actual against target, OCT's changes, and a
progress report's indicator values, for every role."""

from __future__ import annotations

from decimal import Decimal

import pytest

from compact.core.models import AuditEvent, Classification
from reporting.monitoring.framework import EnteredValue
from reporting.monitoring.services import indicator_create, indicator_values_save, value_key
from reporting.programme.models import Indicator, IndicatorValue, ProgrammeOfWork
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_act

D = Decimal
PERSONAS = ("anonymous", "outsider", "focal_point", "chair", "wg2_chair", "committee_member", "oct_officer", "usg")
READERS = {"chair", "wg2_chair", "committee_member", "oct_officer", "usg"}


@pytest.fixture
def wg2_chair(roster):
    from tests.conftest import _person
    from workinggroups.models import RoleAssignment
    from workinggroups.services import role_representative_set

    user = _person("wg2chair", roster.unodc)
    assignment = RoleAssignment.objects.get(working_group=roster.other_group, role="chair")
    role_representative_set(assignment=assignment, person=user, actor=None)
    return user


@pytest.fixture
def people(request, roster):
    def get(name):
        return None if name == "anonymous" else request.getfixturevalue(name)

    return get


@pytest.fixture
def programme(db) -> ProgrammeOfWork:
    return ProgrammeOfWork.objects.create(biennium_start=2026, title="Programme of work 2026–2027")


@pytest.fixture
def trained(programme, oct_officer, roster) -> Indicator:
    return indicator_create(
        programme=programme,
        actor=oct_officer,
        working_groups=[roster.group, roster.other_group],
        code="1.1",
        name="Officials trained",
        definition="People trained by the group's entities.",
        unit="officials",
        baseline=D(100),
        target=D(500),
        disaggregation=["sex"],
        frequency="mid-year",
    )


def new_indicator(programme, **extra):
    return {
        "programme": programme.pk,
        "code": "9.9",
        "name": "States with a national strategy",
        "definition": "States that adopted a national counter-terrorism strategy.",
        "unit": "States",
        "baseline": "10",
        "target": "20",
        "disaggregation": ["region"],
        "frequency": "end-of-year",
        **extra,
    }


def expected(persona, *, reader, oct, anonymous=401, other=404):
    if persona == "anonymous":
        return anonymous
    if persona == "oct_officer":
        return oct
    return reader if persona in READERS else other


# --- Indicators ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_indicators_are_read_by_the_programmes_readers(persona, people, api_for, trained):
    client = api_for(people(persona))
    listing = client.get("/api/v1/indicators/")
    one = client.get(f"/api/v1/indicators/{trained.pk}/")
    if persona == "anonymous":
        assert (listing.status_code, one.status_code) == (401, 401)
    elif persona in READERS:
        assert listing.status_code == 200 and [row["code"] for row in listing.json()["results"]] == ["1.1"]
        assert one.status_code == 200 and one.json()["actual"]["actual"] is None
    else:
        assert listing.status_code == 200 and listing.json()["results"] == []
        assert one.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_oct_changes_indicators(persona, people, api_for, programme, trained):
    client = api_for(people(persona))
    created = client.post("/api/v1/indicators/", new_indicator(programme), format="json")
    assert created.status_code == expected(persona, reader=403, oct=201, other=403)
    changed = client.patch(f"/api/v1/indicators/{trained.pk}/", {"target": "600"}, format="json")
    assert changed.status_code == expected(persona, reader=403, oct=200)
    replaced = client.put(f"/api/v1/indicators/{trained.pk}/", new_indicator(programme, code="1.1"), format="json")
    assert replaced.status_code == expected(persona, reader=403, oct=200)
    removed = client.delete(f"/api/v1/indicators/{trained.pk}/")
    assert removed.status_code == expected(persona, reader=403, oct=204)
    assert Indicator.objects.filter(pk=trained.pk).exists() == (persona != "oct_officer")


def test_oct_gets_field_errors_and_cannot_remove_a_reported_indicator(
    api_for, oct_officer, chair, programme, trained, report_period
):
    client = api_for(oct_officer)

    def stored() -> tuple[list[dict], list[dict]]:
        return list(Indicator.objects.order_by("pk").values()), list(IndicatorValue.objects.order_by("pk").values())

    before = stored()
    bad = client.post(
        "/api/v1/indicators/", new_indicator(programme, code="1.1", disaggregation=["sex", "shoe"]), format="json"
    )
    assert bad.status_code == 400 and "disaggregation" in bad.json()
    duplicate = client.post("/api/v1/indicators/", new_indicator(programme, code="1.1"), format="json")
    assert duplicate.status_code == 400 and "code" in duplicate.json()
    assert stored() == before
    draft = report_period.submissions.get(working_group__number=7)
    indicator_values_save(submission=draft, actor=chair, values=[EnteredValue(trained.pk, D(5))])
    reported = stored()
    refused = client.delete(f"/api/v1/indicators/{trained.pk}/")
    assert refused.status_code == 400
    assert "cannot be removed" in refused.json()["non_field_errors"][0]
    assert stored() == reported  # the indicator and its reported value are still there


def test_actual_against_target_in_the_api_respects_clearance(
    api_for, oct_officer, committee_member, chair, trained, report_period
):
    draft = report_period.submissions.get(working_group__number=7)
    indicator_values_save(
        submission=draft,
        actor=chair,
        values=[EnteredValue(trained.pk, D(300)), EnteredValue(trained.pk, D(120), "sex", "female")],
    )
    submission_act(submission=draft, action="submit", actor=chair)
    submission_act(submission=draft, action="accept", actor=oct_officer)
    actual = api_for(committee_member).get(f"/api/v1/indicators/{trained.pk}/").json()["actual"]
    assert actual["actual"] == "300.00" and actual["progress"] == "50.0"
    assert [g["label"] for g in actual["not_reported"]] == ["WG 2: Financing"]
    sex = actual["dimensions"][0]
    assert sex["key"] == "sex" and sex["categories"][0] == {
        "key": "female",
        "label": "Female",
        "value": "120.00",
        "groups": 1,
    }
    Submission.objects.filter(pk=draft.pk).update(classification=Classification.STRICTLY_CONFIDENTIAL)
    hidden = api_for(committee_member).get(f"/api/v1/indicators/{trained.pk}/").json()["actual"]
    assert (
        hidden["actual"] is None
        and hidden["withheld"] == 1
        and hidden["not_reported"]
        == [{"working_group": trained.working_groups.get(number=2).pk, "number": 2, "label": "WG 2: Financing"}]
    )
    assert api_for(oct_officer).get(f"/api/v1/indicators/{trained.pk}/").json()["actual"]["actual"] == "300.00"


# --- A submission's values ------------------------------------------------------------------------


def values_url(submission):
    return f"/api/v1/submissions/{submission.pk}/indicator-values/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_drafts_values_for_every_role(persona, people, api_for, trained, report_period):
    draft = report_period.submissions.get(working_group__number=7)
    client = api_for(people(persona))
    read = client.get(values_url(draft))
    # A draft is read by its group's leaders and OCT only.
    assert read.status_code == {"anonymous": 401, "chair": 200, "oct_officer": 200}.get(persona, 404)
    body = {"values": [{"indicator": trained.pk, "value": "12"}]}
    write = client.put(values_url(draft), body, format="json")
    assert write.status_code == {"anonymous": 401, "chair": 200, "oct_officer": 403}.get(persona, 404)
    assert draft.indicator_values.exists() == (persona == "chair")


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_accepted_reports_values_are_read_by_the_committee(
    persona, people, api_for, trained, report_period, chair, oct_officer
):
    draft = report_period.submissions.get(working_group__number=7)
    indicator_values_save(submission=draft, actor=chair, values=[EnteredValue(trained.pk, D(7))])
    submission_act(submission=draft, action="submit", actor=chair)
    submission_act(submission=draft, action="accept", actor=oct_officer)
    read = api_for(people(persona)).get(values_url(draft))
    assert read.status_code == expected(persona, reader=200, oct=200)
    if read.status_code == 200:
        (item,) = read.json()["indicators"]
        assert item["code"] == "1.1" and item["values"][0]["value"] == "7.00"
        assert read.json()["editable"] is False
    write = api_for(people(persona)).put(values_url(draft), {"values": []}, format="json")
    # Its chair is told the report has moved on (409); other readers may not change it (403).
    assert write.status_code == (409 if persona == "chair" else expected(persona, reader=403, oct=403))
    assert draft.indicator_values.count() == 1


def test_the_chair_replaces_values_all_or_nothing_with_a_revision(api_for, chair, trained, report_period):
    draft = report_period.submissions.get(working_group__number=7)
    client = api_for(chair)
    first = client.put(
        values_url(draft),
        {"revision": draft.revision, "values": [{"indicator": trained.pk, "value": "10"}]},
        format="json",
    )
    assert first.status_code == 200 and first.json()["revision"] == draft.revision + 1
    too_much = {
        "values": [
            {"indicator": trained.pk, "value": "10"},
            {"indicator": trained.pk, "dimension": "sex", "category": "female", "value": "8"},
            {"indicator": trained.pk, "dimension": "sex", "category": "male", "value": "4"},
        ]
    }
    refused = client.put(values_url(draft), too_much, format="json")
    assert refused.status_code == 400
    assert refused.json()[value_key(trained.pk)] == ["1.1: the values by sex add up to 12, more than the total of 10."]
    stale = client.put(values_url(draft), {"revision": 0, "values": []}, format="json")
    assert stale.status_code == 409 and stale.json()["current_revision"] == draft.revision + 1
    assert [v.value for v in draft.indicator_values.all()] == [D(10)]
    assert AuditEvent.objects.filter(verb="monitoring.values_saved").count() == 1


def test_a_confidential_reports_values_are_a_404_without_clearance(
    api_for, chair, oct_officer, committee_member, trained, report_period
):
    draft = report_period.submissions.get(working_group__number=7)
    indicator_values_save(submission=draft, actor=chair, values=[EnteredValue(trained.pk, D(7))])
    submission_act(submission=draft, action="submit", actor=chair)
    submission_act(submission=draft, action="accept", actor=oct_officer)
    assert api_for(committee_member).get(values_url(draft)).status_code == 200
    Submission.objects.filter(pk=draft.pk).update(classification=Classification.STRICTLY_CONFIDENTIAL)
    assert api_for(committee_member).get(values_url(draft)).status_code == 404
    assert api_for(oct_officer).get(values_url(draft)).status_code == 200
