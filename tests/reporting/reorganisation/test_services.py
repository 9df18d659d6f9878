"""A reorganisation as one decision: the plan the preview shows, and its adoption, which applies
exactly that plan (groups, roles, outputs, themes, the programme's priorities and indicators,
open reports), keeps what it did, and leaves the old structure readable the day before."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.core.models import Classification
from compact.lib.workflow import SeparationOfDutiesError, TransitionNotAllowedError
from compact.matrix.services import project_save
from reporting.programme.services import priority_add, programme_create
from reporting.reorganisation.models import Reorganisation, ReorganisationEffect
from reporting.reorganisation.selectors import reorganisation_plan
from reporting.reorganisation.services import (
    reorganisation_act,
    reorganisation_create,
    reorganisation_mapping_set,
    reorganisation_target_add,
    reorganisation_update,
)
from reporting.submissions.models import Submission
from tests.reporting.programme.test_api import held_decision
from workinggroups.models import RoleAssignment, WorkingGroup, WorkPlan
from workinggroups.selectors import workinggroups_visible_to

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2026, 7, 1)
Kind = ReorganisationEffect.Kind


@pytest.fixture
def merger(roster, oct_officer, work_plan, report_period):
    """WG 7 and WG 2 merge into a new WG 1 on 1 July 2026; WG 7's open report goes with it."""
    reorganisation = reorganisation_create(title="Eight groups", effective_on=DAY, actor=oct_officer)
    new = reorganisation_target_add(
        reorganisation=reorganisation, actor=oct_officer, number=1, name="Rights and finance", short_name="Rights"
    )
    for source, reports in ((roster.group, new), (roster.other_group, None)):
        reorganisation_mapping_set(
            reorganisation=reorganisation,
            source=source,
            targets=[new],
            reports_to=reports,
            actor=oct_officer,
            note="Closed: the new group reports from the next period.",
        )
    return reorganisation


def test_the_preview_lists_what_the_adoption_will_do(roster, merger):
    plan = reorganisation_plan(merger)
    assert plan.adoptable, plan.problems
    kinds = [effect.kind for effect in plan.effects]
    assert kinds.count(Kind.GROUP_CREATED) == 1 and kinds.count(Kind.GROUP_RETIRED) == 2
    roles = sorted((e.subject, e.role) for e in plan.effects if e.kind == Kind.ROLE_CARRIED)
    assert roles == [("OHCHR", "chair"), ("UNODC", "chair"), ("UNODC", "vice-chair")]
    assert [e.subject for e in plan.effects if e.kind == Kind.OUTPUT_CARRIED] == [
        "Guidance on human rights in counter-terrorism"
    ]
    reports = {(e.source.number, e.kind) for e in plan.effects if e.kind in (Kind.REPORT_CARRIED, Kind.REPORT_CLOSED)}
    assert reports == {(7, Kind.REPORT_CARRIED), (2, Kind.REPORT_CLOSED)}
    assert not WorkingGroup.objects.filter(number=1).exists()  # a preview writes nothing


def test_adoption_applies_the_plan_and_both_structures_stay_readable(roster, merger, oct_colleague, oct_officer):
    project = project_save(
        project=None,
        actor=None,
        fields={
            "title": "Border project",
            "lead_entity": roster.unodc,
            "status": "ongoing",
            "classification": Classification.CONFIDENTIAL,
        },
        themes=[roster.group],
    )
    programme = programme_create(actor=oct_officer, biennium_start=2026, title="Programme 2026–2027")
    priority = priority_add(
        programme=programme, actor=oct_officer, code="1", title="Rights", working_groups=[roster.other_group]
    )
    decision = held_decision(oct_officer, D(2026, 6, 20), "The Committee adopts the eight groups.")

    reorganisation_act(reorganisation=merger, action="adopt", actor=oct_colleague, decision=decision, today=DAY)

    merger.refresh_from_db()
    assert merger.state == Reorganisation.State.ADOPTED and merger.decision == decision
    new = WorkingGroup.objects.get(number=1)
    assert new.established_on == DAY
    for old in (roster.group, roster.other_group):
        old.refresh_from_db()
        assert old.retired_on == DAY and old.merged_into == new and list(old.successors.all()) == [new]
    held = set(RoleAssignment.objects.in_force_on(DAY).filter(working_group=new).values_list("entity__acronym", "role"))
    assert held == {("OHCHR", "chair"), ("UNODC", "vice-chair"), ("UNODC", "chair")}
    assert not RoleAssignment.objects.in_force_on(DAY).filter(working_group=roster.group).exists()
    plan = WorkPlan.objects.get(working_group=new, biennium_start=2026)
    assert [o.title for o in plan.outputs.all()] == ["Guidance on human rights in counter-terrorism"]
    assert plan.outputs.get().activities.count() == 2
    assert set(project.themes.values_list("number", flat=True)) == {7, 1}
    assert list(priority.working_groups.values_list("number", flat=True)) == [1]
    carried = Submission.objects.get(period__kind="mid-year", working_group=new)
    closed = Submission.objects.get(period=carried.period, working_group=roster.other_group)
    assert closed.status == Submission.Status.CLOSED  # kept as it stood, no longer edited, reviewed or chased
    assert closed.steps.get().action == "close" and closed.steps.get().comment.startswith("Closed: the new group")
    effects = merger.effects.all()
    assert effects.filter(kind=Kind.THEME_CARRIED).get().classification == Classification.CONFIDENTIAL
    assert effects.filter(kind=Kind.REPORT_CLOSED).get().note == "Closed: the new group reports from the next period."
    # As of the day before: the old structure; as of the day: the new one.
    assert {g.number for g in workinggroups_visible_to(oct_officer, active_on=DAY - datetime.timedelta(days=1))} == {
        7,
        2,
    }
    assert {g.number for g in workinggroups_visible_to(oct_officer, active_on=DAY)} == {1}


def test_whoever_drafted_does_not_record_the_adoption(merger, oct_officer):
    decision = held_decision(oct_officer, D(2026, 6, 20))
    with pytest.raises(SeparationOfDutiesError):
        reorganisation_act(reorganisation=merger, action="adopt", actor=oct_officer, decision=decision, today=DAY)
    merger.refresh_from_db()
    assert merger.state == Reorganisation.State.DRAFT and not merger.effects.exists()


@pytest.mark.parametrize(
    ("meeting_day", "today", "message"),
    [
        (D(2026, 7, 2), D(2026, 7, 2), "cannot start before the meeting"),
        (D(2026, 6, 20), D(2026, 6, 30), "record its adoption from that day"),
    ],
)
def test_the_decision_and_the_day_must_fit(merger, oct_officer, oct_colleague, meeting_day, today, message):
    decision = held_decision(oct_officer, meeting_day)
    with pytest.raises(ValidationError, match=message):
        reorganisation_act(reorganisation=merger, action="adopt", actor=oct_colleague, decision=decision, today=today)
    assert WorkingGroup.objects.filter(retired_on__isnull=True).count() == 2


def test_a_contradictory_mapping_is_refused_before_anything_is_written(roster, oct_officer, oct_colleague):
    reorganisation = reorganisation_create(title="Bad", effective_on=DAY, actor=oct_officer)
    kept = reorganisation_target_add(reorganisation=reorganisation, actor=oct_officer, continues=roster.group)
    with pytest.raises(ValidationError, match="carries on"):
        reorganisation_mapping_set(
            reorganisation=reorganisation, source=roster.group, targets=[kept], actor=oct_officer
        )
    clash = reorganisation_target_add(
        reorganisation=reorganisation, actor=oct_officer, number=7, name="Seven", short_name="Seven"
    )
    reorganisation_mapping_set(
        reorganisation=reorganisation, source=roster.other_group, targets=[clash], actor=oct_officer
    )
    plan = reorganisation_plan(reorganisation)
    assert any("Number 7 is held by" in problem for problem in plan.problems)
    decision = held_decision(oct_officer, D(2026, 6, 20))
    with pytest.raises(ValidationError, match="Number 7"):
        reorganisation_act(
            reorganisation=reorganisation, action="adopt", actor=oct_colleague, decision=decision, today=DAY
        )
    assert WorkingGroup.objects.filter(retired_on__isnull=True).count() == 2


def test_only_oct_drafts_and_only_a_draft_changes(merger, chair, usg, oct_officer, oct_colleague):
    for person in (chair, usg):
        with pytest.raises(PermissionDenied):
            reorganisation_update(reorganisation=merger, actor=person, title="Mine", effective_on=DAY)
    with pytest.raises(ValidationError, match="Say why"):
        reorganisation_act(reorganisation=merger, action="withdraw", actor=oct_officer)
    reorganisation_act(reorganisation=merger, action="withdraw", actor=oct_officer, message="Not now.")
    with pytest.raises(ValidationError, match="Only a draft"):
        reorganisation_update(reorganisation=merger, actor=oct_officer, title="Again", effective_on=DAY)
    with pytest.raises(TransitionNotAllowedError):
        reorganisation_act(reorganisation=merger, action="withdraw", actor=oct_officer, message="Twice.")
    reorganisation_act(reorganisation=merger, action="redraft", actor=oct_colleague)
    merger.refresh_from_db()
    assert merger.state == Reorganisation.State.DRAFT


def test_the_table_of_moves_is_pinned():
    from reporting.reorganisation.workflow import REORGANISATION_TRANSITIONS

    assert [(t.action, sorted(t.sources), t.target, t.four_eyes) for t in REORGANISATION_TRANSITIONS] == [
        ("adopt", ["draft"], "adopted", True),
        ("withdraw", ["draft"], "withdrawn", False),
        ("redraft", ["withdrawn"], "draft", False),
    ]


def test_a_carried_role_keeps_its_term_and_a_moved_representative_stays_behind(
    roster, merger, oct_officer, oct_colleague, vice_chair, chair
):
    from workinggroups.services import role_end

    role_end(assignment=roster.vice_chair_role, ends_on=D(2026, 12, 31), actor=oct_officer)
    type(chair.profile).objects.filter(pk=chair.profile.pk).update(entity=roster.unesco)  # OHCHR's man moved
    decision = held_decision(oct_officer, D(2026, 6, 20))
    reorganisation_act(reorganisation=merger, action="adopt", actor=oct_colleague, decision=decision, today=DAY)
    new = WorkingGroup.objects.get(number=1)
    vice = RoleAssignment.objects.get(working_group=new, role="vice-chair")
    assert (vice.starts_on, vice.ends_on, vice.person) == (DAY, D(2026, 12, 31), vice_chair)
    ohchr = RoleAssignment.objects.get(working_group=new, entity=roster.ohchr, role="chair")
    assert ohchr.person is None and ohchr.note == "Eight groups"


def test_roles_that_start_on_or_after_the_day_stop_the_adoption(roster, merger, oct_officer, oct_colleague):
    from workinggroups.services import role_assign

    role_assign(group=roster.group, entity=roster.unesco, role="member", starts_on=D(2026, 7, 10), actor=oct_officer)
    plan = reorganisation_plan(merger)
    assert any("UNESCO" in problem and "start on or after 2026-07-01" in problem for problem in plan.problems)
    decision = held_decision(oct_officer, D(2026, 6, 20))
    with pytest.raises(ValidationError, match="start on or after"):
        reorganisation_act(
            reorganisation=merger, action="adopt", actor=oct_colleague, decision=decision, today=D(2026, 8, 1)
        )
    assert RoleAssignment.objects.filter(working_group=roster.group, entity=roster.unesco).exists()


def test_the_plan_reads_each_kind_of_fact_once_whatever_the_number_of_groups(roster, oct_officer, report_period):
    """A mapping of two groups and one of twelve cost the same queries: the preview of a
    reorganisation of the Compact's forty groups stays one page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workinggroups.services import role_assign, workinggroup_create

    def queries_for(groups: list[WorkingGroup], title: str) -> int:
        draft = reorganisation_create(title=title, effective_on=DAY, actor=oct_officer)
        new = reorganisation_target_add(reorganisation=draft, actor=oct_officer, number=90, name="N", short_name="N")
        for group in groups:
            reorganisation_mapping_set(reorganisation=draft, source=group, targets=[new], actor=oct_officer)
        with CaptureQueriesContext(connection) as captured:
            plan = reorganisation_plan(draft)
        assert plan.adoptable, plan.problems
        return len(captured.captured_queries)

    few = queries_for([roster.group, roster.other_group], "Two")
    more = [workinggroup_create(number=n, name=f"G{n}", short_name=f"G{n}", actor=None) for n in range(20, 30)]
    for group in more:
        role_assign(group=group, entity=roster.unesco, role="member", starts_on=D(2026, 1, 1), actor=None)
    assert queries_for([roster.group, roster.other_group, *more], "Twelve") == few
