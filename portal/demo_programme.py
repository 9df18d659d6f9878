"""Demonstration data for the programme of work: the current biennium's programme (2026–2027
in 2026 or 2027, as the demo's work plans), with priorities drawn from the themes of the
Secretary-General's report (A/72/840) and the four pillars of the Strategy, expected results
linked to the demo working groups' work-plan outputs, adopted by the Committee at a held demo
meeting. Called from ``portal.demo``; idempotent: once the
programme exists, nothing is created again.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from reporting.committee.models import Meeting
from reporting.committee.services import decision_add, meeting_act, meeting_create
from reporting.programme.models import ProgrammeOfWork
from reporting.programme.services import priority_add, programme_adopt, programme_create, result_add
from workinggroups.models import WorkingGroup, WorkPlan, WorkPlanOutput
from workinggroups.workplans import work_plan_create, work_plan_output_add


def _biennium() -> int:
    """The current biennium's first year, as the demo's work plans count them (even years)."""
    year = timezone.localdate().year
    return year - year % 2


# Group number → the outputs of its demo work plan for the biennium.
DEMO_OUTPUTS = {
    6: ["Good-practice guide on preventing violent extremism through education"],
    2: ["Joint assessment of terrorist-financing risks in the Sahel"],
    3: ["Training on the prosecution and rehabilitation of returning foreign terrorist fighters"],
    7: [
        "Guidance on human rights in counter-terrorism (second edition)",
        "Regional workshops on human-rights due diligence",
    ],
    11: ["Gender analysis of counter-terrorism programmes"],
}

# (number, title, pillars, groups, [(expected result, [(group, output index)])])
# What each demo priority needs a year (USD), for the resource-mobilisation view (made up).
DEMO_NEEDS = {"1": Decimal("1500000"), "2": Decimal("900000"), "3": Decimal("1200000")}

DEMO_PRIORITIES = (
    (
        "1",
        "Addressing the conditions conducive to the spread of terrorism and preventing violent extremism",
        ["I"],
        [6],
        [("Member States draw on the entities' joint guidance to prevent violent extremism.", [(6, 0)])],
    ),
    (
        "2",
        "Countering the financing of terrorism and the threat of foreign terrorist fighters",
        ["II"],
        [2, 3],
        [
            ("Shared assessments of terrorist-financing risks guide joint programming.", [(2, 0)]),
            ("Practitioners apply common standards to returning foreign terrorist fighters.", [(3, 0)]),
        ],
    ),
    (
        "3",
        "Human rights, the rule of law and gender equality as the foundation of counter-terrorism",
        ["IV", "III"],
        [7, 11],
        [
            ("Entities apply human-rights due diligence to support for non-UN security forces.", [(7, 0), (7, 1)]),
            ("Counter-terrorism programmes of the entities integrate a gender analysis.", [(11, 0)]),
        ],
    ),
)


def _work_plan_outputs(groups: dict[int, WorkingGroup], actor: object) -> dict[tuple[int, int], WorkPlanOutput]:
    """The demo groups' work plans for the biennium and their outputs, created by OCT if missing."""
    found: dict[tuple[int, int], WorkPlanOutput] = {}
    biennium = _biennium()
    for number, titles in DEMO_OUTPUTS.items():
        group = groups.get(number)
        if group is None:
            continue
        plan = WorkPlan.objects.filter(working_group=group, biennium_start=biennium).first()
        if plan is None:
            plan = work_plan_create(
                group=group, biennium_start=biennium, actor=actor, summary="Demonstration work plan."
            )
        for index, title in enumerate(titles):
            output = plan.outputs.filter(title=title).first()
            found[(number, index)] = output or work_plan_output_add(plan=plan, title=title, actor=actor)
    return found


def _held_meeting(officer: object) -> Meeting:
    """A held demo meeting to take the decision: the latest held one, or a new one."""
    meeting = Meeting.objects.filter(state=Meeting.State.HELD).order_by("-date").first()
    if meeting is not None:
        return meeting
    meeting = meeting_create(
        actor=officer,
        date=timezone.localdate() - datetime.timedelta(days=14),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        place="New York",
        quorum_note="Demonstration meeting.",
    )
    return meeting_act(meeting=meeting, action="hold", actor=officer)


@transaction.atomic
def demo_programme(people: dict[str, object]) -> None:
    """The current biennium's programme of work, adopted as version 1 (idempotent)."""
    officer = people["oct.officer"]
    biennium = _biennium()
    label = f"{biennium}–{biennium + 1}"
    if ProgrammeOfWork.objects.filter(biennium_start=biennium).exists():
        return
    today = timezone.localdate()
    groups = {g.number: g for g in WorkingGroup.objects.active_on(today).filter(number__in=DEMO_OUTPUTS)}
    outputs = _work_plan_outputs(groups, officer)
    programme = programme_create(
        actor=officer,
        biennium_start=biennium,
        title=f"Programme of work of the Coordination Committee, {label}",
        strategy_review_resolution="A/RES/77/298",
        introduction=(
            "Demonstration: the Committee's priorities for the biennium, in response to the General "
            "Assembly's review of the Global Counter-Terrorism Strategy, balanced across its four pillars."
        ),
    )
    for code, title, pillars, numbers, results in DEMO_PRIORITIES:
        priority = priority_add(
            programme=programme,
            actor=officer,
            code=code,
            title=title,
            pillars=pillars,
            working_groups=[groups[n] for n in numbers if n in groups],
            resources_needed_usd=DEMO_NEEDS.get(code),
        )
        for text, links in results:
            linked = [outputs[key] for key in links if key in outputs]
            result_add(priority=priority, actor=officer, text=text, outputs=linked)
    meeting = _held_meeting(officer)
    decision = decision_add(
        meeting=meeting,
        actor=officer,
        text=f"The Committee adopts its programme of work for {label} (demonstration).",
    )
    # Four eyes: the officer who drafted the working copy does not record its adoption.
    colleague = people["oct.colleague"]
    programme_adopt(programme=programme, decision=decision, change_note="First adoption.", actor=colleague)
