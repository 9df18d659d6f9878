"""Work plans: kept by the group's chair and vice-chairs (and OCT), read by everyone signed in."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from compact.core.models import AuditEvent
from tests.factories import WorkingGroupFactory
from workinggroups.admin import WorkPlanActivityAdminForm
from workinggroups.models import WorkPlan, WorkPlanActivity, WorkPlanOutput
from workinggroups.workplans import (
    work_plan_activity_add,
    work_plan_activity_remove,
    work_plan_activity_update,
    work_plan_create,
    work_plan_output_add,
    work_plan_output_remove,
    work_plan_output_update,
    work_plan_update,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def verbs(plan: WorkPlan) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(plan.pk), verb__startswith="workplan.")
        .values_list("verb", flat=True)
        .order_by("id")
    )


def last_event(verb: str) -> AuditEvent:
    return AuditEvent.objects.filter(verb=verb).latest("id")


def activity_named(title: str) -> WorkPlanActivity:
    return WorkPlanActivity.objects.get(title=title)


# --- Services: who may --------------------------------------------------------------------------


def test_a_chair_starts_a_work_plan_and_it_is_audited(roster, chair):
    plan = work_plan_create(group=roster.group, biennium_start=2028, summary=" Priorities. ", actor=chair)
    assert (plan.biennium_label, plan.summary) == ("2028–2029", "Priorities.")
    event = last_event("workplan.created")
    assert event.actor == chair
    assert event.after == {"working_group": roster.group.pk, "biennium_start": 2028, "summary": "Priorities."}


def test_a_vice_chair_edits_the_plan(work_plan, vice_chair):
    assert work_plan_update(plan=work_plan, summary="Revised.", actor=vice_chair)
    assert last_event("workplan.updated").after == {"summary": "Revised."}


def test_oct_edits_any_groups_plan(roster, oct_officer):
    plan = work_plan_create(group=roster.other_group, biennium_start=2026, actor=oct_officer)
    assert work_plan_output_add(plan=plan, title="Typologies", actor=oct_officer).position == 1


@pytest.mark.parametrize("persona", ["outsider", "focal_point", "committee_member"])
def test_it_refuses_people_who_do_not_lead_the_group(request, roster, work_plan, persona):
    person = request.getfixturevalue(persona)
    output = work_plan.outputs.get()
    activity = output.activities.first()
    attempts = [
        lambda: work_plan_create(group=roster.group, biennium_start=2028, actor=person),
        lambda: work_plan_update(plan=work_plan, summary="x", actor=person),
        lambda: work_plan_output_add(plan=work_plan, title="x", actor=person),
        lambda: work_plan_output_update(output=output, title="x", actor=person),
        lambda: work_plan_output_remove(output=output, actor=person),
        lambda: work_plan_activity_add(output=output, title="x", actor=person),
        lambda: work_plan_activity_update(activity=activity, status="completed", actor=person),
        lambda: work_plan_activity_remove(activity=activity, actor=person),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert verbs(work_plan) == []


def test_a_chair_of_one_group_is_refused_on_another(roster, chair, oct_officer):
    with pytest.raises(PermissionDenied):
        work_plan_create(group=roster.other_group, biennium_start=2026, actor=chair)
    plan = work_plan_create(group=roster.other_group, biennium_start=2026, actor=oct_officer)
    with pytest.raises(PermissionDenied):
        work_plan_output_add(plan=plan, title="Not mine", actor=chair)


def test_the_system_is_not_an_editor(work_plan):
    with pytest.raises(PermissionDenied):
        work_plan_update(plan=work_plan, summary="x", actor=None)


# --- Services: the plan -------------------------------------------------------------------------


def test_it_refuses_a_second_plan_for_the_same_biennium(work_plan, chair):
    with pytest.raises(ValidationError) as refused:
        work_plan_create(group=work_plan.working_group, biennium_start=2026, actor=chair)
    assert "already has a 2026–2027 work plan" in refused.value.message_dict["biennium_start"][0]


@pytest.mark.parametrize("year", [1999, 2101])
def test_it_refuses_an_implausible_biennium(roster, chair, year):
    with pytest.raises(ValidationError) as refused:
        work_plan_create(group=roster.group, biennium_start=year, actor=chair)
    assert "between 2000 and 2100" in refused.value.message_dict["biennium_start"][0]


def test_it_refuses_a_biennium_in_which_the_group_did_not_exist(oct_officer):
    group = WorkingGroupFactory(number=30, established_on=D(2024, 3, 1))
    with pytest.raises(ValidationError, match="does not exist in that biennium"):
        work_plan_create(group=group, biennium_start=2020, actor=oct_officer)
    assert work_plan_create(group=group, biennium_start=2023, actor=oct_officer)


def test_an_unchanged_summary_writes_nothing(work_plan, chair):
    assert not work_plan_update(plan=work_plan, summary="", actor=chair)
    assert verbs(work_plan) == []


def test_outputs_are_added_at_the_end_and_reworded(work_plan, chair):
    added = work_plan_output_add(plan=work_plan, title=" Regional dialogue ", actor=chair)
    assert (added.title, added.position) == ("Regional dialogue", 1)  # the fixture's output is at 0
    assert work_plan_output_add(plan=work_plan, title="Third", actor=chair).position == 2
    assert work_plan_output_update(output=added, title="Regional dialogues", actor=chair)
    event = last_event("workplan.output_updated")
    assert (event.before["title"], event.after["title"]) == ("Regional dialogue", "Regional dialogues")


def test_an_output_needs_a_title(work_plan, chair):
    with pytest.raises(ValidationError) as refused:
        work_plan_output_add(plan=work_plan, title="   ", actor=chair)
    assert "title" in refused.value.message_dict


def test_removing_an_output_removes_its_activities_and_records_them(work_plan, chair):
    output = work_plan.outputs.get()
    work_plan_output_remove(output=output, actor=chair)
    assert not WorkPlanActivity.objects.filter(output__work_plan=work_plan).exists()
    assert last_event("workplan.output_removed").before["activities"] == [
        "Draft the guidance note",
        "Regional workshops",
    ]


# --- Services: activities -----------------------------------------------------------------------


def test_a_chair_adds_an_activity_with_everything_it_carries(roster, work_plan, chair):
    output = work_plan.outputs.get()
    activity = work_plan_activity_add(
        output=output,
        title="Train judges",
        lead_entities=[roster.unodc, roster.ohchr],
        target_date=D(2027, 6, 30),
        pillars=["IV", "I", "IV"],
        status="ongoing",
        actor=chair,
    )
    assert activity.position == 3
    assert activity.pillars == ["I", "IV"]  # in the Strategy's order, once each
    assert set(activity.lead_entities.all()) == {roster.unodc, roster.ohchr}
    after = last_event("workplan.activity_added").after
    assert after["lead_entities"] == ["OHCHR", "UNODC"]
    assert (after["target_date"], after["status"]) == ("2027-06-30", "ongoing")


@pytest.mark.parametrize("target_date", [D(2025, 12, 31), D(2028, 1, 1)])
def test_a_target_date_outside_the_biennium_is_refused(work_plan, chair, target_date):
    output = work_plan.outputs.get()
    with pytest.raises(ValidationError) as refused:
        work_plan_activity_add(output=output, title="Late", target_date=target_date, actor=chair)
    assert "within the 2026–2027 biennium" in refused.value.message_dict["target_date"][0]
    assert not WorkPlanActivity.objects.filter(title="Late").exists()


def test_moving_a_target_date_outside_the_biennium_is_refused(work_plan, chair):
    activity = activity_named("Regional workshops")
    with pytest.raises(ValidationError) as refused:
        work_plan_activity_update(activity=activity, target_date=D(2029, 1, 1), status="delayed", actor=chair)
    assert "target_date" in refused.value.message_dict
    activity.refresh_from_db()
    assert (activity.target_date, activity.status) == (None, "ongoing")  # nothing half-saved


def test_every_problem_is_reported_at_once(work_plan, chair):
    with pytest.raises(ValidationError) as refused:
        work_plan_activity_add(
            output=work_plan.outputs.get(),
            title="",
            target_date=D(2030, 1, 1),
            pillars=["V"],
            status="finished",
            actor=chair,
        )
    assert set(refused.value.message_dict) == {"title", "target_date", "pillars", "status"}


def test_lead_entities_must_be_in_the_registry(work_plan, chair):
    from compact.registry.models import Entity

    with pytest.raises(ValidationError) as refused:
        work_plan_activity_add(
            output=work_plan.outputs.get(), title="x", lead_entities=[Entity(acronym="NEW")], actor=chair
        )
    assert "lead_entities" in refused.value.message_dict


def test_an_update_records_only_what_changed(roster, work_plan, chair):
    activity = activity_named("Draft the guidance note")
    changed = work_plan_activity_update(
        activity=activity,
        title="Draft the guidance note",
        lead_entities=[roster.ohchr, roster.cted],
        status="completed",
        actor=chair,
    )
    assert changed and activity.status == "completed"
    event = last_event("workplan.activity_updated")
    assert event.before == {"activity": activity.pk, "status": "planned", "lead_entities": ["OHCHR"]}
    assert event.after == {"activity": activity.pk, "status": "completed", "lead_entities": ["CTED", "OHCHR"]}


def test_an_update_that_changes_nothing_writes_nothing(roster, work_plan, chair):
    activity = activity_named("Draft the guidance note")
    assert not work_plan_activity_update(activity=activity, pillars=["IV"], lead_entities=[roster.ohchr], actor=chair)
    assert verbs(work_plan) == []


def test_an_update_takes_only_the_activitys_own_fields(work_plan, chair):
    with pytest.raises(TypeError):
        work_plan_activity_update(activity=activity_named("Regional workshops"), output=None, actor=chair)


def test_removing_an_activity_keeps_past_reports(work_plan, report_period, chair):
    from reporting.submissions.models import ActivityProgress

    activity = activity_named("Regional workshops")
    work_plan_activity_remove(activity=activity, actor=chair)
    line = ActivityProgress.objects.get(title="Regional workshops")
    assert (line.activity, line.status) == (None, "ongoing")
    assert last_event("workplan.activity_removed").before["title"] == "Regional workshops"


def test_the_admin_applies_the_same_rules(work_plan):
    activity = activity_named("Regional workshops")
    data = {"position": 2, "title": "Regional workshops", "target_date": "2031-01-01", "pillars": ["I"]}
    form = WorkPlanActivityAdminForm(data={**data, "status": "ongoing"}, instance=activity)
    assert "target_date" in form.errors


# --- Pages --------------------------------------------------------------------------------------


def plan_url(plan: WorkPlan, name: str = "workplan-detail", *args: int) -> str:
    return reverse(name, args=[plan.working_group_id, plan.biennium_start, *args])


def test_anyone_signed_in_reads_the_plans(client_for, outsider, work_plan):
    client = client_for(outsider)
    group_page = client.get(reverse("workinggroup-detail", args=[work_plan.working_group_id])).content.decode()
    assert "Work plan 2026–2027" in group_page
    assert reverse("workplan-create", args=[work_plan.working_group_id]) not in group_page
    page = client.get(plan_url(work_plan)).content.decode()
    assert "Guidance on human rights in counter-terrorism" in page
    assert "Draft the guidance note" in page and "><bdi>OHCHR</bdi></a>" in page and ">IV</abbr>" in page
    assert "Ongoing" in page
    assert plan_url(work_plan, "workplan-edit") not in page


def test_editors_are_offered_the_edit_links(client_for, chair, oct_officer, work_plan):
    for editor in (chair, oct_officer):
        page = client_for(editor).get(plan_url(work_plan)).content.decode()
        assert plan_url(work_plan, "workplan-edit") in page
        assert plan_url(work_plan, "workplan-activity-edit", activity_named("Regional workshops").pk) in page


def test_anonymous_visitors_are_sent_to_sign_in(client_for, work_plan):
    response = client_for(None).get(plan_url(work_plan))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_missing_plan_is_404(client_for, outsider, work_plan):
    assert (
        client_for(outsider).get(reverse("workplan-detail", args=[work_plan.working_group_id, 2030])).status_code == 404
    )


def edit_requests(plan: WorkPlan) -> list[tuple[str, str]]:
    output = plan.outputs.get()
    activity = output.activities.first()
    return [
        ("get", reverse("workplan-create", args=[plan.working_group_id])),
        ("post", reverse("workplan-create", args=[plan.working_group_id])),
        ("get", plan_url(plan, "workplan-edit")),
        ("post", plan_url(plan, "workplan-edit")),
        ("get", plan_url(plan, "workplan-output-add")),
        ("post", plan_url(plan, "workplan-output-add")),
        ("get", plan_url(plan, "workplan-output-edit", output.pk)),
        ("post", plan_url(plan, "workplan-output-remove", output.pk)),
        ("get", plan_url(plan, "workplan-activity-add", output.pk)),
        ("post", plan_url(plan, "workplan-activity-add", output.pk)),
        ("get", plan_url(plan, "workplan-activity-edit", activity.pk)),
        ("post", plan_url(plan, "workplan-activity-edit", activity.pk)),
        ("post", plan_url(plan, "workplan-activity-remove", activity.pk)),
    ]


@pytest.mark.parametrize("persona", ["outsider", "focal_point", "committee_member"])
def test_edit_pages_are_404_for_people_who_do_not_lead_the_group(request, client_for, work_plan, persona):
    client = client_for(request.getfixturevalue(persona))
    for method, url in edit_requests(work_plan):
        assert getattr(client, method)(url, {"summary": "x", "title": "x"}).status_code == 404, (method, url)
    assert verbs(work_plan) == []


def test_edit_pages_are_404_for_the_chair_of_another_group(roster, client_for, chair):
    plan = WorkPlan.objects.create(working_group=roster.other_group, biennium_start=2026)
    WorkPlanActivity.objects.create(output=WorkPlanOutput.objects.create(work_plan=plan, title="CFT"), title="x")
    client = client_for(chair)
    assert client.get(plan_url(plan)).status_code == 200  # reading is open to all
    for method, url in edit_requests(plan):
        assert getattr(client, method)(url, {"title": "x"}).status_code == 404, (method, url)


def test_an_activity_of_another_plan_is_404_under_this_plan(roster, client_for, chair, work_plan):
    other = WorkPlan.objects.create(working_group=roster.group, biennium_start=2024)
    stray = WorkPlanActivity.objects.create(output=WorkPlanOutput.objects.create(work_plan=other, title="o"), title="x")
    assert client_for(chair).get(plan_url(work_plan, "workplan-activity-edit", stray.pk)).status_code == 404


def test_a_chair_keeps_a_work_plan_through_the_pages(roster, client_for, chair):
    client = client_for(chair)
    group_page = client.get(reverse("workinggroup-detail", args=[roster.group.pk])).content.decode()
    assert reverse("workplan-create", args=[roster.group.pk]) in group_page

    response = client.post(
        reverse("workplan-create", args=[roster.group.pk]), {"biennium_start": "2028", "summary": "Priorities"}
    )
    plan = WorkPlan.objects.get(working_group=roster.group, biennium_start=2028)
    assert response["Location"] == plan_url(plan)

    client.post(plan_url(plan, "workplan-edit"), {"summary": "Priorities for 2028–2029"})
    client.post(plan_url(plan, "workplan-output-add"), {"title": "A handbook"})
    output = plan.outputs.get()
    activity_form = {
        "title": "Write the handbook",
        "lead_entities": [roster.ohchr.pk, roster.unodc.pk],
        "target_date": "2029-03-31",
        "pillars": ["IV", "I"],
        "status": "planned",
    }
    response = client.post(plan_url(plan, "workplan-activity-add", output.pk), activity_form)
    assert response.status_code == 302
    activity = output.activities.get()
    assert (activity.target_date, activity.pillars) == (D(2029, 3, 31), ["I", "IV"])

    edit_url = plan_url(plan, "workplan-activity-edit", activity.pk)
    assert 'value="2029-03-31"' in client.get(edit_url).content.decode()
    client.post(edit_url, {**activity_form, "status": "completed", "lead_entities": [roster.ohchr.pk]})
    page = client.get(plan_url(plan)).content.decode()
    assert "Priorities for 2028–2029" in page and "Write the handbook" in page and "Completed" in page

    client.post(plan_url(plan, "workplan-activity-remove", activity.pk))
    client.post(plan_url(plan, "workplan-output-remove", output.pk))
    assert not plan.outputs.exists()
    assert verbs(plan) == [
        "workplan.created",
        "workplan.updated",
        "workplan.output_added",
        "workplan.activity_added",
        "workplan.activity_updated",
        "workplan.activity_removed",
        "workplan.output_removed",
    ]


def test_a_refused_activity_keeps_what_was_typed(roster, client_for, chair, work_plan):
    output = work_plan.outputs.get()
    response = client_for(chair).post(
        plan_url(work_plan, "workplan-activity-add", output.pk),
        {
            "title": "Keep this title",
            "lead_entities": [roster.unodc.pk],
            "target_date": "2030-05-01",
            "status": "ongoing",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "within the 2026–2027 biennium" in page and "Nothing was saved" in page
    assert "Keep this title" in page and 'value="2030-05-01"' in page
    assert f'value="{roster.unodc.pk}" selected' in page
    assert not WorkPlanActivity.objects.filter(title="Keep this title").exists()


def test_a_second_plan_for_a_biennium_is_refused_on_its_field(client_for, chair, work_plan):
    response = client_for(chair).post(
        reverse("workplan-create", args=[work_plan.working_group_id]), {"biennium_start": "2026", "summary": "Again"}
    )
    assert "already has a 2026–2027 work plan" in response.content.decode()
    assert WorkPlan.objects.filter(working_group=work_plan.working_group).count() == 1


def test_inactive_entities_are_offered_only_where_they_already_lead(roster, client_for, chair, work_plan):
    roster.ohchr.is_active = False
    roster.ohchr.save(update_fields=["is_active"])
    client = client_for(chair)
    add_page = client.get(plan_url(work_plan, "workplan-activity-add", work_plan.outputs.get().pk)).content.decode()
    assert f'value="{roster.ohchr.pk}"' not in add_page
    edit_url = plan_url(work_plan, "workplan-activity-edit", activity_named("Draft the guidance note").pk)
    assert f'value="{roster.ohchr.pk}" selected' in client.get(edit_url).content.decode()


def test_oct_corrects_work_plans_in_the_admin_and_others_do_not(client_for, oct_officer, outsider, work_plan):
    for person in (oct_officer, outsider):
        person.is_staff = True
        person.save(update_fields=["is_staff"])
    output = work_plan.outputs.get()
    assert client_for(oct_officer).get(reverse("admin:workinggroups_workplan_changelist")).status_code == 200
    assert (
        client_for(oct_officer).get(reverse("admin:workinggroups_workplanoutput_change", args=[output.pk])).status_code
        == 200
    )
    assert client_for(outsider).get(reverse("admin:workinggroups_workplan_changelist")).status_code == 403
