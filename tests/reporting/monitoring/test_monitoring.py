"""The M&E framework: actual against target (pure), indicators and values (services), the
editor's Indicators section, values frozen in submitted versions, and the framework's pages
for every role."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from compact.core.models import AuditEvent, Classification
from compact.lib.places import regions
from compact.lib.workflow import StaleStateError
from reporting.monitoring.framework import (
    DIMENSIONS,
    EnteredValue,
    GroupRef,
    ReportedValue,
    applies_to_period,
    indicator_result,
    progress_percent,
)
from reporting.monitoring.selectors import actual_against_target, framework_rows, indicators_for_submission
from reporting.monitoring.services import (
    indicator_create,
    indicator_move,
    indicator_remove,
    indicator_update,
    indicator_values_save,
    value_key,
)
from reporting.programme.models import Indicator, IndicatorValue, ProgrammeOfWork
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_act
from tests.helpers import figures_told, html_tree

D = Decimal
JUNE_30 = datetime.date(2026, 6, 30)
DEC_31 = datetime.date(2026, 12, 31)


# --- Pure: actual against target -------------------------------------------------------------------


def spec(**overrides):
    values = {
        "baseline": D(10),
        "target": D(30),
        "direction": "increase",
        "aggregation": "sum",
        "disaggregation": [],
    }
    return SimpleNamespace(**{**values, **overrides})


G7, G2, G9 = GroupRef(7, 7, "WG 7"), GroupRef(2, 2, "WG 2"), GroupRef(9, 9, "WG 9")


def total(group, value, day=JUNE_30):
    return ReportedValue(group=group, period_end=day, value=D(value))


def part(group, dimension, category, value, day=JUNE_30):
    return ReportedValue(group=group, period_end=day, value=D(value), dimension=dimension, category=category)


def test_sum_adds_the_groups_values_and_measures_progress_from_the_baseline():
    result = indicator_result(spec(), [total(G7, 12), total(G2, 8)], [G2, G7, G9])
    assert result.actual == D(20)
    assert result.progress == D("50.0")  # 10 of the 20 from 10 to 30
    assert result.target_met is False
    assert [g.group.id for g in result.groups] == [2, 7]
    assert result.not_reported == [G9]


def test_average_takes_the_mean_of_the_groups_values():
    result = indicator_result(
        spec(aggregation="average", baseline=D(0), target=D(100)), [total(G7, 40), total(G2, 45)], [G2, G7]
    )
    assert result.actual == D("42.50")
    assert result.progress == D("42.5")
    assert result.not_reported == []


def test_lower_is_better_counts_a_fall_as_progress():
    indicator = spec(direction="decrease", baseline=D(40), target=D(20))
    result = indicator_result(indicator, [total(G7, 30)], [G7])
    assert result.progress == D("50.0")
    assert result.target_met is False
    assert indicator_result(indicator, [total(G7, 18)], [G7]).target_met is True
    assert indicator_result(indicator, [total(G7, 45)], [G7]).progress == D("-25.0")


def test_without_a_baseline_an_increase_starts_from_zero_and_a_decrease_is_not_measured():
    assert progress_percent(D(15), None, D(60), "increase") == D("25.0")
    assert progress_percent(D(15), None, D(10), "decrease") is None
    assert progress_percent(D(5), D(5), D(5), "increase") == D(100)
    assert progress_percent(None, D(5), D(10), "increase") is None


def test_nobody_reported_means_no_actual_and_every_group_missing():
    result = indicator_result(spec(), [], [G7, G2])
    assert result.actual is None and result.progress is None and result.target_met is None
    assert result.not_reported == [G2, G7]
    assert result.bar_percent == 0


def test_a_group_with_only_a_breakdown_has_not_reported_the_indicator():
    result = indicator_result(spec(disaggregation=["sex"]), [part(G7, "sex", "female", 3)], [G7])
    assert result.actual is None
    assert result.not_reported == [G7]


def test_the_latest_value_of_a_group_replaces_its_earlier_one():
    values = [total(G7, 12, JUNE_30), total(G7, 20, DEC_31), total(G2, 5, JUNE_30)]
    result = indicator_result(spec(), values, [G7, G2])
    assert result.actual == D(25)
    assert {g.group.id: g.total for g in result.groups} == {7: D(20), 2: D(5)}


def test_disaggregated_totals_combine_each_category_and_show_what_is_not_broken_down():
    values = [
        total(G7, 12),
        part(G7, "sex", "female", 7),
        part(G7, "sex", "male", 5),
        total(G2, 8),
        part(G2, "sex", "female", 3),
    ]
    result = indicator_result(spec(disaggregation=["sex"]), values, [G7, G2])
    (sex,) = result.dimensions
    by_key = {category.key: category for category in sex.categories}
    assert by_key["female"].value == D(10) and by_key["female"].groups == 2
    assert by_key["male"].value == D(5)
    assert by_key["other"].value is None
    assert sex.unallocated == D(5)  # 20 in all, 15 broken down


def test_withheld_groups_are_neither_counted_nor_called_missing():
    result = indicator_result(spec(), [total(G2, 8)], [G7, G2], withheld=[7])
    assert result.actual == D(8)
    assert result.not_reported == []
    assert result.withheld == 1


def test_bar_is_clamped_between_0_and_100():
    assert indicator_result(spec(), [total(G7, 60)], [G7]).bar_percent == 100
    assert indicator_result(spec(), [total(G7, 0)], [G7]).bar_percent == 0


def test_frequency_decides_which_progress_reports_carry_an_indicator():
    assert applies_to_period("mid-year", 2026, "mid-year", JUNE_30)
    assert applies_to_period("mid-year", 2026, "end-of-year", DEC_31)
    assert not applies_to_period("mid-year", 2026, "q3", datetime.date(2026, 9, 30))
    assert not applies_to_period("end-of-year", 2026, "mid-year", JUNE_30)
    assert applies_to_period("end-of-year", 2026, "end-of-year", DEC_31)
    assert not applies_to_period("biennial", 2026, "end-of-year", DEC_31)
    assert applies_to_period("biennial", 2026, "end-of-year", datetime.date(2027, 12, 31))
    assert not applies_to_period("mid-year", 2026, "mid-year", datetime.date(2028, 6, 30))


def test_the_region_dimension_uses_the_projects_un_regions():
    known = {region.code for region in regions()}
    assert {c.key for c in DIMENSIONS["region"].categories} - {"global"} <= known
    assert [c.key for c in DIMENSIONS["sex"].categories] == ["female", "male", "other"]


# --- Set-up for the database tests ---------------------------------------------------------------


@pytest.fixture
def programme(db) -> ProgrammeOfWork:
    return ProgrammeOfWork.objects.create(biennium_start=2026, title="Programme of work 2026–2027")


def make_indicator(programme, actor, groups, **overrides) -> Indicator:
    fields = {
        "code": "1.1",
        "name": "Officials trained in human-rights compliant investigations",
        "definition": "People who completed a training course organized by the group's entities.",
        "unit": "people",
        "baseline": D(100),
        "baseline_year": 2025,
        "target": D(500),
        "direction": "increase",
        "aggregation": "sum",
        "disaggregation": ["sex"],
        "frequency": "mid-year",
        "pillars": ["IV"],
    }
    fields.update(overrides)
    return indicator_create(programme=programme, actor=actor, working_groups=groups, **fields)


@pytest.fixture
def trained(programme, oct_officer, roster) -> Indicator:
    return make_indicator(programme, oct_officer, [roster.group, roster.other_group])


def wg7_draft(report_period) -> Submission:
    return report_period.submissions.get(working_group__number=7)


def entries(indicator, total_value, **breakdown):
    items = [EnteredValue(indicator.pk, D(total_value))] if total_value is not None else []
    items += [EnteredValue(indicator.pk, D(v), "sex", k) for k, v in breakdown.items()]
    return items


# --- Indicators ----------------------------------------------------------------------------------


def test_oct_creates_an_indicator_with_an_audit_row(trained, oct_officer):
    assert trained.position == 0
    assert sorted(trained.working_groups.values_list("number", flat=True)) == [2, 7]
    event = AuditEvent.objects.get(verb="monitoring.indicator_created")
    assert event.after["code"] == "1.1" and event.after["working_groups"] == [2, 7]


def test_only_oct_keeps_the_framework(programme, chair, committee_member, roster):
    for actor in (chair, committee_member):
        with pytest.raises(PermissionDenied):
            make_indicator(programme, actor, [roster.group])


def test_indicator_checks_are_said_in_words(programme, oct_officer, roster, trained):
    with pytest.raises(ValidationError) as caught:
        make_indicator(
            programme,
            oct_officer,
            [roster.group],
            code="1.1",
            disaggregation=["shoe-size"],
            pillars=["V"],
            target=D(50),
        )
    errors = caught.value.message_dict
    assert set(errors) == {"code", "disaggregation", "pillars", "target"}
    with pytest.raises(ValidationError) as caught:
        make_indicator(
            programme, oct_officer, [roster.group], code="2", direction="decrease", baseline=None, baseline_year=None
        )
    assert "baseline" in caught.value.message_dict


def test_update_move_and_remove(programme, oct_officer, roster, trained):
    second = make_indicator(programme, oct_officer, [roster.group], code="1.2", disaggregation=[])
    indicator_update(indicator=trained, actor=oct_officer, name="Officials trained", target=D(600))
    trained.refresh_from_db()
    assert (trained.name, trained.target) == ("Officials trained", D(600))
    indicator_move(indicator=second, actor=oct_officer, offset=-1)
    assert list(programme.indicators.values_list("code", flat=True)) == ["1.2", "1.1"]
    indicator_remove(indicator=second, actor=oct_officer)
    assert list(programme.indicators.values_list("code", flat=True)) == ["1.1"]
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"monitoring.indicator_updated", "monitoring.indicator_moved", "monitoring.indicator_removed"} <= verbs


def test_an_indicator_with_values_cannot_be_removed_nor_lose_a_used_breakdown(
    trained, oct_officer, chair, report_period
):
    indicator_values_save(submission=wg7_draft(report_period), actor=chair, values=entries(trained, 10, female=4))
    with pytest.raises(ValidationError):
        indicator_remove(indicator=trained, actor=oct_officer)
    with pytest.raises(ValidationError) as caught:
        indicator_update(indicator=trained, actor=oct_officer, disaggregation=[])
    assert "disaggregation" in caught.value.message_dict
    assert Indicator.objects.filter(pk=trained.pk).exists()


# --- Values -------------------------------------------------------------------------------------


def test_chair_saves_values_with_an_audit_row_and_a_new_revision(trained, chair, report_period):
    draft = wg7_draft(report_period)
    saved = indicator_values_save(
        submission=draft, actor=chair, values=entries(trained, 40, female=22, male=17), revision=draft.revision
    )
    assert saved.revision == draft.revision + 1
    stored = {(v.dimension, v.category): v.value for v in saved.indicator_values.all()}
    assert stored == {("", ""): D(40), ("sex", "female"): D(22), ("sex", "male"): D(17)}
    event = AuditEvent.objects.get(verb="monitoring.values_saved")
    assert "1.1 total: 40.00" in event.after["values"]


def test_a_stale_revision_is_refused(trained, chair, report_period):
    draft = wg7_draft(report_period)
    from compact.lib.workflow import EditConflictError

    with pytest.raises(EditConflictError):
        indicator_values_save(submission=draft, actor=chair, values=entries(trained, 4), revision=draft.revision + 5)
    assert not IndicatorValue.objects.exists()


def test_a_breakdown_above_the_total_is_refused_with_a_clear_message_and_nothing_saved(trained, chair, report_period):
    draft = wg7_draft(report_period)
    indicator_values_save(submission=draft, actor=chair, values=entries(trained, 5))
    with pytest.raises(ValidationError) as caught:
        indicator_values_save(submission=draft, actor=chair, values=entries(trained, 10, female=8, male=7))
    message = caught.value.message_dict[value_key(trained.pk)][0]
    assert message == "1.1: the values by sex add up to 15, more than the total of 10."
    assert [v.value for v in draft.indicator_values.all()] == [D(5)]  # all or nothing


def test_an_average_indicators_breakdown_may_exceed_its_total(programme, oct_officer, roster, chair, report_period):
    rate = make_indicator(
        programme,
        oct_officer,
        [roster.group],
        code="2.1",
        aggregation="average",
        unit="%",
        baseline=D(10),
        target=D(80),
    )
    indicator_values_save(
        submission=wg7_draft(report_period), actor=chair, values=entries(rate, 50, female=60, male=45)
    )
    assert IndicatorValue.objects.filter(indicator=rate).count() == 3


def test_a_breakdown_needs_its_total(trained, chair, report_period):
    with pytest.raises(ValidationError) as caught:
        indicator_values_save(submission=wg7_draft(report_period), actor=chair, values=entries(trained, None, female=3))
    assert "enter the total" in caught.value.message_dict[value_key(trained.pk)][0]


def test_only_the_indicators_dimensions_categories_and_good_decimals(trained, chair, report_period):
    draft = wg7_draft(report_period)
    bad = [
        EnteredValue(trained.pk, D(10)),
        EnteredValue(trained.pk, D(1), "region", "m49-africa"),
        EnteredValue(trained.pk, D(1), "sex", "robot"),
        EnteredValue(trained.pk, D("1.234"), "sex", "female"),
        EnteredValue(trained.pk, D(-1), "sex", "male"),
    ]
    with pytest.raises(ValidationError) as caught:
        indicator_values_save(submission=draft, actor=chair, values=bad)
    errors = caught.value.message_dict
    assert "not broken down by" in errors[value_key(trained.pk, "region", "m49-africa")][0]
    assert "not a category" in errors[value_key(trained.pk, "sex", "robot")][0]
    assert errors[value_key(trained.pk, "sex", "female")] == ["Use at most two decimal places."]
    assert errors[value_key(trained.pk, "sex", "male")] == ["Values cannot be negative."]
    assert not IndicatorValue.objects.exists()


def test_indicators_apply_by_group_and_by_frequency(programme, oct_officer, roster, chair, report_period, trained):
    only_wg2 = make_indicator(programme, oct_officer, [roster.other_group], code="3.1")
    yearly = make_indicator(programme, oct_officer, [roster.group], code="3.2", frequency="end-of-year")
    draft = wg7_draft(report_period)
    assert [i.code for i in indicators_for_submission(draft)] == ["1.1"]
    for indicator in (only_wg2, yearly):
        with pytest.raises(ValidationError) as caught:
            indicator_values_save(submission=draft, actor=chair, values=[EnteredValue(indicator.pk, D(1))])
        assert "not reported by this working group" in caught.value.message_dict[value_key(indicator.pk)][0]


def test_briefings_carry_no_indicators(trained, briefing_period):
    assert indicators_for_submission(briefing_period.submissions.get(working_group__number=7)) == []


def test_values_cannot_change_once_submitted_nor_by_others(
    trained, chair, vice_chair, oct_officer, committee_member, report_period
):
    draft = wg7_draft(report_period)
    for someone in (oct_officer, committee_member):
        with pytest.raises(PermissionDenied):
            indicator_values_save(submission=draft, actor=someone, values=entries(trained, 3))
    indicator_values_save(submission=draft, actor=vice_chair, values=entries(trained, 3))
    submission_act(submission=draft, action="submit", actor=chair)
    with pytest.raises((PermissionDenied, StaleStateError)):
        indicator_values_save(submission=draft, actor=chair, values=entries(trained, 4))
    assert [v.value for v in draft.indicator_values.all()] == [D(3)]


def test_values_are_frozen_with_each_submitted_version(trained, chair, oct_officer, report_period):
    draft = wg7_draft(report_period)
    indicator_values_save(submission=draft, actor=chair, values=entries(trained, 30, female=12))
    submission_act(submission=draft, action="submit", actor=chair)
    submission_act(submission=draft, action="return", actor=oct_officer, comment="Check the figure.")
    draft.refresh_from_db()
    indicator_values_save(submission=draft, actor=chair, values=entries(trained, 35, female=12))
    submission_act(submission=draft, action="resubmit", actor=chair)
    first, second = draft.versions.order_by("number")
    assert [(r["indicator"], r["dimension"], r["category"], r["value"]) for r in first.content["indicators"]] == [
        ("1.1", "", "", "30.00"),
        ("1.1", "sex", "female", "12.00"),
    ]
    assert second.content["indicators"][0]["value"] == "35.00"
    # The versions page shows the change of the value.
    client_page = reverse("reporting-submission-versions", args=[draft.pk])
    from django.test import Client

    client = Client()
    client.force_login(oct_officer)
    page = client.get(client_page).content.decode()
    assert "1.1 Officials trained in human-rights compliant investigations" in page


# --- Actual against target from the database ---------------------------------------------------


def accept(submission, chair, officer, values, classification=Classification.UNCLASSIFIED):
    indicator_values_save(submission=submission, actor=chair, values=values)
    submission_act(submission=submission, action="submit", actor=chair)
    submission = submission_act(submission=submission, action="accept", actor=officer)
    if classification != Classification.UNCLASSIFIED:
        # Set-up shortcut: a report marked above its chair's clearance (OCT may mark it so).
        Submission.objects.filter(pk=submission.pk).update(classification=classification)
        submission.refresh_from_db()
    return submission


@pytest.fixture
def wg2_chair(roster):
    from tests.conftest import _person
    from workinggroups.models import RoleAssignment
    from workinggroups.services import role_representative_set

    user = _person("wg2chair", roster.unodc)
    assignment = RoleAssignment.objects.get(working_group=roster.other_group, role="chair")
    role_representative_set(assignment=assignment, person=user, actor=None)
    return user


def test_only_accepted_reports_count(trained, chair, wg2_chair, oct_officer, report_period):
    accept(wg7_draft(report_period), chair, oct_officer, entries(trained, 120, female=70))
    wg2 = report_period.submissions.get(working_group__number=2)
    indicator_values_save(submission=wg2, actor=wg2_chair, values=entries(trained, 999))
    submission_act(submission=wg2, action="submit", actor=wg2_chair)  # submitted, not accepted
    result = actual_against_target(trained, periods=[report_period])
    assert result.actual == D(120)
    assert result.progress == D("5.0")  # (120 - 100) / (500 - 100)
    assert [g.label for g in result.not_reported] == ["WG 2: Financing"]


def test_a_reader_without_clearance_does_not_see_a_confidential_reports_values(
    programme, trained, chair, oct_officer, committee_member, report_period
):
    from tests.helpers import oct_person

    accept(wg7_draft(report_period), chair, oct_officer, entries(trained, 120), Classification.STRICTLY_CONFIDENTIAL)
    (cleared,) = framework_rows(programme, oct_officer)
    (uncleared,) = framework_rows(programme, committee_member)
    assert cleared.result.actual == D(120)
    assert uncleared.result.actual is None and uncleared.result.withheld == 1
    assert framework_rows(programme, oct_person("junior", Classification.UNCLASSIFIED))[0].result.actual is None


# --- The editor ---------------------------------------------------------------------------------


def editor_post(submission, **extra):
    data = {"base_revision": submission.revision, "classification": "unclassified", "intent": "save"}
    for name in submission.content_fields:
        data[name] = "Text."
    data.update(extra)
    return data


def test_the_editor_shows_the_indicators_and_saves_values_with_the_draft(trained, chair, client_for, report_period):
    draft = wg7_draft(report_period)
    client = client_for(chair)
    page = client.get(reverse("reporting-submission-edit", args=[draft.pk])).content.decode()
    assert 'id="indicators"' in page and "Officials trained in human-rights compliant investigations" in page
    assert f'name="{value_key(trained.pk, "sex", "female")}"' in page
    post = editor_post(draft, **{value_key(trained.pk): "25", value_key(trained.pk, "sex", "female"): "11"})
    response = client.post(reverse("reporting-submission-edit", args=[draft.pk]), post)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Text." and draft.revision == 1
    assert {(v.category, v.value) for v in draft.indicator_values.all()} == {("", D(25)), ("female", D(11))}
    detail = client.get(reverse("reporting-submission", args=[draft.pk])).content.decode()
    assert "indicator-values" in detail and "25" in detail


def test_a_refused_value_leaves_the_text_unsaved_and_says_why(trained, chair, client_for, report_period):
    draft = wg7_draft(report_period)
    post = editor_post(draft, **{value_key(trained.pk): "5", value_key(trained.pk, "sex", "male"): "9"})
    response = client_for(chair).post(reverse("reporting-submission-edit", args=[draft.pk]), post)
    assert response.status_code == 400
    assert "add up to 9, more than the total of 5" in response.content.decode()
    draft.refresh_from_db()
    assert draft.summary == "" and draft.revision == 0


# --- Pages, for every role -----------------------------------------------------------------------

PERSONAS = ("anonymous", "outsider", "focal_point", "chair", "wg2_chair", "committee_member", "oct_officer", "usg")
READERS = {"chair", "wg2_chair", "committee_member", "oct_officer", "usg"}


@pytest.fixture
def people(request, roster):
    def get(name):
        return None if name == "anonymous" else request.getfixturevalue(name)

    return get


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_pages_for_every_role(persona, people, client_for, programme, trained):
    client = client_for(people(persona))
    for url in (
        reverse("monitoring-home"),
        reverse("monitoring-framework", args=[programme.pk]),
        reverse("monitoring-indicator", args=[trained.pk]),
    ):
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif persona in READERS:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_oct_pages_for_every_role(persona, people, client_for, programme, trained):
    client = client_for(people(persona))
    gets = (
        reverse("monitoring-indicator-create", args=[programme.pk]),
        reverse("monitoring-indicator-edit", args=[trained.pk]),
    )
    posts = (
        reverse("monitoring-indicator-move", args=[trained.pk]),
        reverse("monitoring-indicator-remove", args=[trained.pk]),
    )
    for url in gets:
        status = client.get(url).status_code
        assert status == {"anonymous": 302, "oct_officer": 200}.get(persona, 404), url
    for url in posts:
        status = client.post(url, {"direction": "down"}).status_code
        assert status == {"anonymous": 302, "oct_officer": 302}.get(persona, 404), url
    assert Indicator.objects.filter(pk=trained.pk).exists() == (persona != "oct_officer")


def test_oct_adds_and_edits_an_indicator_through_the_forms(client_for, oct_officer, programme, roster):
    client = client_for(oct_officer)
    data = {
        "code": "4.1",
        "name": "Victims' associations consulted",
        "definition": "Associations of victims of terrorism consulted on the group's guidance.",
        "unit": "associations",
        "baseline": "2",
        "target": "10",
        "direction": "increase",
        "aggregation": "sum",
        "frequency": "end-of-year",
        "disaggregation": ["region"],
        "pillars": ["I"],
        "working_groups": [roster.group.pk],
    }
    response = client.post(reverse("monitoring-indicator-create", args=[programme.pk]), data)
    assert response.status_code == 302
    indicator = programme.indicators.get(code="4.1")
    assert indicator.disaggregation == ["region"] and list(indicator.working_groups.all()) == [roster.group]
    bad = client.post(reverse("monitoring-indicator-edit", args=[indicator.pk]), {**data, "target": "1"})
    assert bad.status_code == 400
    assert "beyond the baseline" in bad.content.decode()


def test_the_framework_shows_actual_against_target_by_priority(
    client_for, programme, trained, chair, oct_officer, report_period, committee_member
):
    priority = programme.priorities.create(code="1", title="Human rights at the heart of counter-terrorism")
    trained.priorities.add(priority)
    accept(wg7_draft(report_period), chair, oct_officer, entries(trained, 300, female=120))
    page = client_for(committee_member).get(reverse("monitoring-framework", args=[programme.pk])).content.decode()
    assert "Priority 1: Human rights at the heart of counter-terrorism" in html_tree(page).text
    assert "<strong>300</strong>" in page and "50 % of the way to the target" in page
    assert '<meter class="bar-meter" min="0" max="100" value="50"' in page
    detail = client_for(committee_member).get(reverse("monitoring-indicator", args=[trained.pk])).content.decode()
    assert "Female" in detail and "120" in detail and "WG 2: Financing" in detail


def test_a_confidential_reports_values_are_not_on_the_pages_of_a_reader_without_clearance(
    client_for, programme, trained, chair, oct_officer, report_period, committee_member
):
    accept(wg7_draft(report_period), chair, oct_officer, entries(trained, 321), Classification.STRICTLY_CONFIDENTIAL)
    for url in (
        reverse("monitoring-framework", args=[programme.pk]),
        reverse("monitoring-indicator", args=[trained.pk]),
    ):
        assert "321" in figures_told(client_for(oct_officer).get(url).content.decode())
        page = client_for(committee_member).get(url).content.decode()
        assert "321" not in figures_told(page) and "above your clearance" in page


# --- Demo data ----------------------------------------------------------------------------------


def test_demo_monitoring_is_idempotent_and_reports_values(time_machine, roster, oct_officer, chair, report_period):
    from portal.demo_monitoring import demo_monitoring

    time_machine.move_to("2026-11-28 10:00Z")
    people = {"oct.officer": oct_officer, "ohchr.chair": chair}
    demo_monitoring(people)
    demo_monitoring(people)
    programme = ProgrammeOfWork.objects.get(biennium_start=2026)
    assert list(programme.indicators.values_list("code", flat=True)) == ["3.1", "3.2", "3.3"]
    report = wg7_draft(report_period)
    assert report.status == Submission.Status.ACCEPTED
    assert report.indicator_values.count() == 8
    assert report.versions.get().content["indicators"][0]["value"] == "146.00"


def test_an_older_visible_value_does_not_stand_in_for_a_newer_hidden_one(
    programme, trained, chair, oct_officer, committee_member, report_period
):
    """WG 7's mid-year value is unclassified, its end-of-year one strictly confidential: a reader
    without clearance must not be shown the mid-year value as WG 7's latest; the group is
    counted as withheld instead."""
    from tests.helpers import open_period

    accept(wg7_draft(report_period), chair, oct_officer, entries(trained, 120))
    day = datetime.date
    end_of_year = open_period("end-of-year", (day(2026, 1, 1), day(2026, 12, 31)), day(2026, 12, 1), day(2027, 1, 31))
    accept(wg7_draft(end_of_year), chair, oct_officer, entries(trained, 300), Classification.STRICTLY_CONFIDENTIAL)
    periods = [report_period, end_of_year]
    from reporting.submissions.selectors import submissions_visible_to

    assert actual_against_target(trained, periods=periods).actual == D(300)
    seen = actual_against_target(trained, periods=periods, readable=submissions_visible_to(committee_member))
    assert seen.actual is None and seen.withheld == 1
    assert [g.label for g in seen.not_reported] == ["WG 2: Financing"]


def test_a_value_for_an_indicator_that_no_longer_applies_does_not_block_the_draft(
    trained, chair, oct_officer, roster, report_period
):
    """OCT takes WG 7 off the indicator after the chair entered a value: the editor still shows
    it, and saving the draft as it is still works (the value can be cleared later)."""
    report = wg7_draft(report_period)
    indicator_values_save(submission=report, actor=chair, values=entries(trained, 120))
    indicator_update(indicator=trained, actor=oct_officer, working_groups=[roster.other_group])
    indicator_values_save(submission=report, actor=chair, values=entries(trained, 125))
    assert IndicatorValue.objects.get(submission=report).value == D(125)


def test_changing_the_framework_moves_the_programmes_revision(programme, trained, oct_officer):
    """Indicators are part of the working copy the Committee adopts: every change counts."""
    programme.refresh_from_db()
    before = programme.revision
    indicator_update(indicator=trained, actor=oct_officer, target=Decimal("600"))
    programme.refresh_from_db()
    assert programme.revision == before + 1 and programme.updated_by == oct_officer
