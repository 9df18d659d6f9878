"""Demonstration accounts: one person for every role, attached to the real roster.

For local use only (the command refuses to run with DEBUG off unless forced). Idempotent:
an account that exists is left as it is, so running it twice creates nothing new.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification
from compact.core.roles import Role
from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview
from compact.matrix.models import Project
from compact.outreach.models import MemberStateBriefing
from compact.outreach.selectors import briefing_cadence
from compact.outreach.services import briefing_act, briefing_cadence_set, briefing_create
from compact.registry.models import Evidence
from compact.registry.selectors import entity_resolve
from compact.registry.services import focal_point_appoint, person_create
from compact.signon.links import signon_confirmation_token
from compact.signon.models import SignOnRequest
from compact.signon.services import signon_act, signon_email_confirm, signon_submit
from portal.demo_consultation import demo_consultation
from portal.demo_funding import demo_funding
from portal.demo_monitoring import demo_monitoring
from portal.demo_programme import demo_programme
from portal.demo_review import demo_review
from portal.demo_visits import demo_visits
from reporting.calendar.services import calendar_rules, extension_request_create, rule_plan
from reporting.committee.models import Meeting
from reporting.committee.services import (
    action_point_add,
    agenda_item_add,
    decision_add,
    meeting_act,
    meeting_create,
    minutes_save,
)
from reporting.compiled.editions import edition_request
from reporting.compiled.services import consolidated_report_start, report_text_save
from reporting.reorganisation.models import Reorganisation
from reporting.reorganisation.services import (
    reorganisation_create,
    reorganisation_mapping_set,
    reorganisation_target_add,
)
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.periods.services import period_close, period_create, period_open
from reporting.submissions.services import submission_act, submission_save_draft
from workinggroups.models import RoleAssignment, WorkingGroup
from workinggroups.services import role_assign, role_representative_set
from workinggroups.workplans import work_plan_activity_add, work_plan_create, work_plan_output_add

User = get_user_model()

DEMO_GROUP_NUMBER = 7  # Human rights and the rule of law: OHCHR chairs it (seed, Annex II).


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    entity: str
    title: str
    roles: tuple[Role, ...]
    clearance: str
    what: str


DEMO_PEOPLE = (
    DemoPerson(
        "oct.officer",
        "Amina",
        "Haddad",
        "UNOCT",
        "Programme Management Officer",
        (Role.OCT,),
        Classification.STRICTLY_CONFIDENTIAL,
        _("OCT secretariat officer (also Django admin)"),
    ),
    DemoPerson(
        "oct.colleague",
        "Tomás",
        "Rivera",
        "UNOCT",
        "Programme Officer",
        (Role.OCT,),
        Classification.CONFIDENTIAL,
        _("a second OCT officer: decides on what the first put forward (four eyes)"),
    ),
    DemoPerson(
        "usg",
        "Viktor",
        "Aleksandrov",
        "UNOCT",
        "Under-Secretary-General for Counter-Terrorism",
        (Role.USG,),
        Classification.STRICTLY_CONFIDENTIAL,
        _("USG, chair of the Coordination Committee"),
    ),
    DemoPerson(
        "cted.rep",
        "Lucía",
        "Fernández",
        "CTED",
        "Chief of Section",
        (Role.COMMITTEE_MEMBER,),
        Classification.CONFIDENTIAL,
        _("CTED's representative on the Committee"),
    ),
    DemoPerson(
        "ohchr.chair",
        "Kwame",
        "Mensah",
        "OHCHR",
        "Human Rights Officer",
        (),
        Classification.CONFIDENTIAL,
        _("chair of working group 7 for OHCHR"),
    ),
    DemoPerson(
        "unodc.vicechair",
        "Mei",
        "Lin",
        "UNODC",
        "Crime Prevention Officer",
        (),
        Classification.CONFIDENTIAL,
        _("vice-chair of working group 7 for UNODC (demo role)"),
    ),
    DemoPerson(
        "unesco.focal",
        "Claire",
        "Dubois",
        "UNESCO",
        "Programme Specialist",
        (),
        Classification.UNCLASSIFIED,
        _("UNESCO's focal point for the Compact"),
    ),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    what: str
    created: bool


def _wire_roles(people: dict[str, object]) -> None:
    """Seat the demo chair, vice-chair and focal point in the real roster."""
    group = WorkingGroup.objects.active_on(timezone.localdate()).filter(number=DEMO_GROUP_NUMBER).first()
    ohchr, unodc, unesco = (entity_resolve(name) for name in ("OHCHR", "UNODC", "UNESCO"))
    if group is not None:
        chair = group.assignments.filter(entity=ohchr, role=RoleAssignment.Role.CHAIR, ends_on__isnull=True).first()
        if chair is not None and chair.person is None:
            role_representative_set(assignment=chair, person=people["ohchr.chair"], actor=None)
        if not group.assignments.filter(entity=unodc, role=RoleAssignment.Role.VICE_CHAIR).exists():
            role_assign(
                group=group,
                entity=unodc,
                role=RoleAssignment.Role.VICE_CHAIR,
                person=people["unodc.vicechair"],
                starts_on=datetime.date(2024, 1, 1),
                evidence=Evidence.DEMO,
                note="Demonstration role, not a real appointment.",
                actor=None,
            )
    focal_point_appoint(user=people["unesco.focal"], entity=unesco, actor=None)


DEMO_SIGNON_REQUESTS = (
    # (acronym, name, kind, requested status, how far OCT got)
    ("UNITAR", "United Nations Institute for Training and Research", "fund-programme", "observer", "new"),
    ("UN-Habitat", "United Nations Human Settlements Programme", "fund-programme", "member", "in-consultation"),
)


def _demo_signon_requests(officer: object) -> None:
    """A small sign-on queue for OCT to try the review on (organisations not yet parties)."""
    for acronym, name, kind, status, stage in DEMO_SIGNON_REQUESTS:
        if SignOnRequest.objects.filter(acronym__iexact=acronym).exists() or entity_resolve(acronym):
            continue
        slug = acronym.lower().replace("-", "")
        request = signon_submit(
            fields={
                "organization_name": name,
                "acronym": acronym,
                "organization_kind": kind,
                "head_name": "Head of entity (demo)",
                "head_title": "Executive Director",
                "focal_given_name": "Sam",
                "focal_family_name": "Example",
                "focal_title": "Partnerships Officer",
                "focal_email": f"focal@{slug}.example.org",
                "focal_phone": "+41 22 917 1234",
                "website": f"https://{slug}.example.org",
                "mandate": f"{name} (demonstration request): training and technical assistance that help "
                "Member States implement the Strategy's pillars I and IV.",
                "pillars": ["I", "IV"],
                "requested_status": status,
            },
            working_groups=WorkingGroup.objects.active_on(timezone.localdate()).filter(number=DEMO_GROUP_NUMBER),
            letter=None,
            submitted_from=None,
            language="en",
        )
        request = signon_email_confirm(token=signon_confirmation_token(request))
        if stage == "in-consultation":
            signon_act(
                request=request,
                action="start_consultation",
                actor=officer,
                message="Demo: asked the chairs of WG 7 for their views.",
            )


SEED_MATRIX = Path(__file__).resolve().parent.parent / "data" / "seed" / "a72-840-ctitf-matrix.txt"


def _demo_matrix() -> None:
    """The real 2018 CTITF matrix, imported as OCT would import it (once)."""

    if Project.objects.filter(source_key__startswith="a72-840:").exists() or not SEED_MATRIX.is_file():
        return
    data = SEED_MATRIX.read_bytes()
    preview = matrix_import_preview(data=data, file_name=SEED_MATRIX.name)
    if preview.ok:
        matrix_import_commit(data=data, file_name=SEED_MATRIX.name, sha256=preview.sha256, actor=None)


def _quarter_span(day: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    quarter = (day.month - 1) // 3 + 1
    first = datetime.date(day.year, 3 * quarter - 2, 1)
    next_first = datetime.date(day.year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return f"q{quarter}", first, next_first - datetime.timedelta(days=1)


def _demo_work_plan(group: WorkingGroup, chair: object, *, biennium_start: int) -> None:
    """WG 7's work plan for the current biennium, written by its chair."""

    if group.work_plans.filter(biennium_start=biennium_start).exists():
        return
    plan = work_plan_create(group=group, biennium_start=biennium_start, actor=chair, summary="Demonstration work plan.")
    output = work_plan_output_add(plan=plan, title="Guidance on human rights in counter-terrorism", actor=chair)
    ohchr = entity_resolve("OHCHR")
    work_plan_activity_add(
        output=output,
        title="Draft and publish the guidance note",
        actor=chair,
        lead_entities=[ohchr] if ohchr else [],
        target_date=datetime.date(biennium_start, 12, 1),
        pillars=["IV"],
        status="ongoing",
    )
    work_plan_activity_add(
        output=output,
        title="Regional workshops for practitioners",
        actor=chair,
        target_date=datetime.date(biennium_start + 1, 6, 30),
        pillars=["III", "IV"],
    )


def _demo_reporting(people: dict[str, object]) -> None:
    """This quarter's briefing, open (on the calendar's dates), with a draft per working group
    and WG 7's vice-chair asking OCT for a week more; and this year's mid-year report with WG 7's
    input submitted by its chair and accepted by OCT (from 16 July on), with its consolidated
    report started and a first edition asked for."""

    today = timezone.localdate()
    group = WorkingGroup.objects.active_on(today).filter(number=DEMO_GROUP_NUMBER).first()
    if group is not None:
        _demo_work_plan(group, people["ohchr.chair"], biennium_start=today.year - today.year % 2)
    kind, first, last = _quarter_span(today)
    if not ReportingPeriod.objects.filter(kind=kind, covers_from=first).exists():
        plan = rule_plan(calendar_rules()[kind], first.year)
        briefing = period_create(
            kind=kind,
            covers_from=first,
            covers_until=last,
            opens_on=min(plan.opens_on, today),  # open now, whatever the day of the quarter
            due_on=plan.due_on,
            closes_on=plan.closes_on,
            time_zone=plan.time_zone,
            actor=None,
        )
        period_open(period=briefing, actor=None)
        draft = Submission.objects.filter(period=briefing, working_group=group).first()
        if draft is not None and draft.due_on > today:
            extension_request_create(
                submission=draft,
                actor=people["unodc.vicechair"],
                until=min(draft.due_on + datetime.timedelta(days=7), plan.closes_on),
                reason="Demonstration: the group's meeting to agree the briefing moved by a week.",
            )
    mid_year = datetime.date(today.year, 1, 1)
    if (
        today < datetime.date(today.year, 7, 16)
        or ReportingPeriod.objects.filter(kind="mid-year", covers_from=mid_year).exists()
    ):
        return
    period = period_create(
        kind="mid-year",
        covers_from=mid_year,
        covers_until=datetime.date(today.year, 6, 30),
        opens_on=datetime.date(today.year, 6, 15),
        due_on=datetime.date(today.year, 7, 15),
        actor=None,
    )
    period_open(period=period, actor=None)
    report = Submission.objects.filter(period=period, working_group=group).first()
    if report is None:
        return
    chair, officer = people["ohchr.chair"], people["oct.officer"]
    submission_save_draft(
        submission=report,
        actor=chair,
        base_revision=report.revision,
        classification="unclassified",
        fields={
            "summary": "Demonstration: the group finalised its guidance on human rights in counter-terrorism "
            "and held two regional workshops.",
            "challenges": "Demonstration: funding for the second half of the biennium is not yet secured.",
            "requests_to_committee": "Demonstration: support for joint resource mobilisation.",
        },
    )
    submission_act(submission=report, action="submit", actor=chair)
    submission_act(submission=report, action="accept", actor=officer, comment="Demonstration: thank you.")
    period_close(period=period, actor=None)  # its round is over; the other groups' inputs stay late
    _demo_consolidated_report(period, officer)


def _demo_consolidated_report(period: object, officer: object) -> None:
    """The mid-year round's consolidated report, with OCT's text and a first edition asked for:
    the worker started by ``make run`` generates it."""

    report = consolidated_report_start(period=period, actor=officer)
    if report.revision:
        return
    report = report_text_save(
        report=report,
        actor=officer,
        base_revision=report.revision,
        fields={
            "symbol": f"OCT/CC/{period.covers_from.year}/2",
            "executive_summary": "Demonstration: one working group's input was accepted for this round; "
            "the others did not report by the due date.",
            "observations": "Demonstration: the Committee may wish to encourage timely reporting.",
        },
        text_classification="unclassified",
    )
    edition_request(report=report, actor=officer)


def _demo_committee(people: dict[str, object]) -> None:
    """The Committee's next meeting, three weeks ahead: its agenda (a policy briefing by CTED,
    the programme of work, any other business), with an action point for WG 7 from the last
    meeting still open, and its briefing pack asked for (the worker makes it)."""

    today = timezone.localdate()
    if Meeting.objects.filter(quorum_note__startswith="Demonstration").exists():
        return
    officer = people["oct.officer"]
    cted = entity_resolve("CTED")
    last = meeting_create(
        actor=officer,
        date=today - datetime.timedelta(days=40),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        place="New York",
        quorum_note="Demonstration: 31 of 45 entities present.",
    )
    last = meeting_act(meeting=last, action="hold", actor=officer)
    minutes_save(
        meeting=last,
        actor=officer,
        minutes="Demonstration: the Committee heard the working groups' briefings and agreed to follow up.",
        classification="unclassified",
    )
    decision_add(meeting=last, actor=officer, text="Demonstration: the Committee takes note of the briefings.")
    decision_add(
        meeting=last,
        actor=officer,
        text="Demonstration: the Committee brings working groups 4 and 12 together in one group.",
    )
    group = WorkingGroup.objects.active_on(today).filter(number=DEMO_GROUP_NUMBER).first()
    if group is not None:
        action_point_add(
            meeting=last,
            actor=officer,
            text="Demonstration: share the draft guidance note with the Committee before its next meeting.",
            due_on=today + datetime.timedelta(days=10),
            owner_group=group,
        )
    meeting_act(meeting=last, action="approve_minutes", actor=officer)
    upcoming = meeting_create(
        actor=officer,
        date=today + datetime.timedelta(days=21),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(11, 30),
        is_virtual=True,
        place="United Nations Headquarters, Conference Room 7",
        join_url="https://meet.example.org/demonstration-coordination-committee",
        join_details="Demonstration: dial +1 212 555 0100, conference code 4242.",
        quorum_note="Demonstration: to be confirmed.",
    )
    agenda_item_add(
        meeting=upcoming,
        actor=officer,
        kind="policy-briefing",
        title="Demonstration: developments in the Security Council's counter-terrorism work",
        presenter=cted,
    )
    agenda_item_add(meeting=upcoming, actor=officer, kind="other", title="Demonstration: any other business")
    edition_request(report=upcoming, actor=officer)


def _demo_outreach(people: dict[str, object]) -> None:
    """The USG's last briefing to Member States, 100 days ago, with its published summary, and
    the cadence the USG set: every four months, so the next is due in about three weeks and none
    is planned yet (the list of briefings says so, and the scheduler reminds the USG and OCT)."""

    if MemberStateBriefing.objects.filter(title__startswith="Demonstration").exists():
        return
    officer, usg = people["oct.officer"], people["usg"]
    briefing = briefing_create(
        actor=usg,
        date=timezone.localdate() - datetime.timedelta(days=100),
        audience="Member States, New York",
        title="Demonstration: the Compact's implementation in the first half of the year",
        place="United Nations Headquarters, Trusteeship Council Chamber",
        notes="Demonstration: talking points agreed with the working-group chairs.",
        notes_classification=Classification.CONFIDENTIAL,
        public_summary=(
            "Demonstration: the Under-Secretary-General briefed Member States on the work of the "
            "Compact's working groups and on the Coordination Committee's programme of work."
        ),
    )
    briefing_act(briefing=briefing, action="publish", actor=officer, confirm_unclassified=True)
    if briefing_cadence() is None:
        briefing_cadence_set(
            actor=usg,
            every_months=4,
            first_due_on=timezone.localdate() + datetime.timedelta(days=21),
            reminder_days=[30, 7],
        )


def _demo_reorganisation(people: dict[str, object]) -> None:
    """OCT's draft of a reorganisation into fewer groups, starting today: working groups 4
    (strategies) and 12 (communications) become one new group 13, which takes their chairs,
    outputs, themes and open reports. The second OCT officer may record its adoption by the
    decision of the last meeting; the preview shows what that will do."""

    if Reorganisation.objects.filter(title__startswith="Demonstration").exists():
        return
    sources = list(WorkingGroup.objects.active_on(timezone.localdate()).filter(number__in=(4, 12), retired_on=None))
    if len(sources) != 2:
        return
    officer = people["oct.officer"]
    draft = reorganisation_create(
        title="Demonstration: strategies and communications in one group",
        effective_on=timezone.localdate(),
        rationale="Demonstration: both groups support Member States' national and regional strategies.",
        actor=officer,
    )
    target = reorganisation_target_add(
        reorganisation=draft,
        actor=officer,
        number=13,
        name="National and regional strategies and strategic communications",
        short_name="Strategies and communications",
    )
    for source in sources:
        reorganisation_mapping_set(
            reorganisation=draft, source=source, targets=[target], reports_to=target, actor=officer
        )


def _demo_programme_and_monitoring(people: dict[str, object]) -> None:
    """The 2027–2028 programme of work adopted by the Committee, and its M&E framework."""

    demo_programme(people)
    demo_monitoring(people)


@transaction.atomic
def demo_load(*, password: str) -> list[DemoAccount]:
    """Create the demo accounts (with ``password``) and seat them; needs the roster loaded."""
    accounts, people = [], {}
    for person in DEMO_PEOPLE:
        user = User.objects.filter(username=person.username).first()
        created = user is None
        if created:
            user = person_create(
                username=person.username,
                email=f"{person.username}@example.org",
                first_name=person.first_name,
                last_name=person.last_name,
                entity=entity_resolve(person.entity),
                title=person.title,
                roles=person.roles,
                clearance=person.clearance,
                password=password,
                is_staff=person.username == "oct.officer",
                is_superuser=person.username == "oct.officer",
                actor=None,
            )
        people[person.username] = user
        accounts.append(DemoAccount(person.username, str(person.what), created))
    _wire_roles(people)
    _demo_signon_requests(people["oct.officer"])
    _demo_reporting(people)
    _demo_committee(people)
    _demo_outreach(people)
    _demo_programme_and_monitoring(people)
    _demo_reorganisation(people)
    demo_review(people)
    demo_consultation(people)
    _demo_matrix()
    demo_visits(people)  # after the matrix: the follow-up links its projects
    demo_funding(people)
    return accounts
