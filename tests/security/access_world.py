"""The world the access matrix (``test_access_matrix.py``) runs against: the personas and every
object each action needs, in the states that matter, built once per test module through the
services, on a fixed day (15 September 2026, 10:00 in New York).

Each test runs inside a savepoint of the module's transaction and is rolled back, so the
world is built once and every test starts from it unchanged. Nothing here relies on a row a
migration wrote (calendar rules included).

Markers (``MK-…``) are planted in classified text so that a page or an answer can be searched
for them: text marked above a reader's clearance must never reach them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from axes.models import AccessAttempt
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client

from compact.core.models import AuditEvent, Classification, User
from compact.core.roles import Role
from compact.funding.services import contribution_add, donor_ensure, earmark_add
from compact.matrix.services import project_save
from compact.outreach.services import briefing_act, briefing_cadence_set, briefing_create
from compact.registry.services import focal_point_appoint, person_create
from compact.signon.models import SignOnRequest
from compact.visits.services import visit_act, visit_create
from reporting.calendar.models import CalendarRule, SchedulerEvent
from reporting.calendar.services import calendar_feed_for, extension_act, extension_request_create
from reporting.committee import services as meetings
from reporting.committee.models import AgendaItem
from reporting.compiled.annual.services import annual_report_act, annual_report_early_reason_record
from reporting.compiled.editions import edition_mark_final
from reporting.compiled.models import AnnualReport, ReportEdition
from reporting.compiled.services import annual_report_start, consolidated_report_start, report_text_save
from reporting.consultation.services import consultation_act, consultation_comment_create, consultation_create
from reporting.lib.word import WordFrame, word_from_html
from reporting.monitoring.framework import EnteredValue
from reporting.monitoring.services import indicator_create, indicator_values_save
from reporting.programme import services as programmes
from reporting.reorganisation import services as reorganisations
from reporting.review.services import comment_create, review_act, review_create, review_update
from reporting.submissions.models import Submission, SubmissionVersion
from reporting.submissions.periods.services import period_close, period_create, period_open
from reporting.submissions.services import attachment_add, submission_act, submission_save_draft
from tests.conftest import roster_build, work_plan_build
from tests.factories import COMPACT_SIGNED, WorkingGroupFactory
from tests.helpers import calendar_only, fresh, pdf_bytes, signon_in_consultation
from workinggroups.models import RoleAssignment
from workinggroups.services import role_assign, role_representative_set

NEW_YORK = ZoneInfo("America/New_York")
WORLD_DAY = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=NEW_YORK)
D = datetime.date
U, C, SC = Classification.UNCLASSIFIED, Classification.CONFIDENTIAL, Classification.STRICTLY_CONFIDENTIAL


# --- Personas -------------------------------------------------------------------------------------

# Each persona's clearance, and what it stands for (the table's columns, in this order).
PERSONAS: dict[str, tuple[str | None, str]] = {
    "anon": (None, "anonymous visitor"),
    "focal": (U, "UNESCO's focal point"),
    "chair7": (C, "WG 7's chair (OHCHR's representative)"),
    "vice7": (U, "WG 7's vice-chair (UNODC's representative)"),
    "chair2": (SC, "WG 2's chair (UNODC's representative)"),
    "member": (C, "Committee member (CTED)"),
    "usg": (SC, "the USG"),
    "oct_u": (U, "OCT officer cleared for unclassified"),
    "oct_c": (C, "OCT officer cleared for confidential"),
    "oct_sc": (SC, "OCT officer cleared for strictly confidential, who also chairs WG 5 for UNOCT"),
    "oct2": (SC, "a second OCT officer (the other pair of eyes)"),
    "root": (U, "superuser with no role"),
    "oct_admin": (SC, "superuser who is also OCT (like the demo's oct.officer)"),
}


def _person(username: str, entity: Any, roles: tuple[Role, ...] = (), clearance: str = U, **extra: Any) -> User:
    return person_create(
        username=username,
        email=f"{username}@example.org",
        first_name=username.replace("_", " ").title(),
        last_name="Persona",
        entity=entity,
        roles=roles,
        clearance=clearance,
        password="pw",
        actor=None,
        **extra,
    )


# --- The world ------------------------------------------------------------------------------------


@dataclass
class World:
    """The personas (``people``) and the objects by key (``keys``: model and primary key)."""

    people: dict[str, User] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # persona -> session key (signed in once)
    keys: dict[str, tuple[type[Model], int]] = field(default_factory=dict)
    groups: dict[int, int] = field(default_factory=dict)  # working-group number -> id
    tokens: dict[str, str] = field(default_factory=dict)  # name -> a secret in a URL (a feed's)

    def add(self, key: str, obj: Model) -> Model:
        assert key not in self.keys, key
        self.keys[key] = (type(obj), obj.pk)
        return obj

    def pk(self, key: str) -> int:
        return self.keys[key][1]

    def get(self, key: str) -> Any:
        """The object as stored now (re-read: a test may have changed it)."""
        model, pk = self.keys[key]
        return model.objects.get(pk=pk)

    def group(self, number: int) -> int:
        return self.groups[number]


def world_build() -> World:
    """Everything the matrix needs, written by the services (a few seconds)."""
    world = World()
    roster = roster_build()  # the personas' roster, exactly as conftest.py defines it
    plan = work_plan_build(roster)  # WG 7's 2026–2027 work plan
    world.add("wp_plan", plan)
    world.add("wp_output", plan.outputs.get())
    world.add("wp_activity", plan.outputs.get().activities.order_by("position").first())
    calendar_only()  # every kind has its rule (none scheduled): the calendar pages and API need them
    world.add("rule_q3", CalendarRule.objects.get(kind="q3"))
    world.groups = {7: roster.group.pk, 2: roster.other_group.pk}
    world.add("ent_unesco", roster.unesco)
    _people(world, roster)
    _submissions(world, roster)
    _compiled(world)
    _committee(world, roster)
    _programme(world, roster)
    _reorganisation(world, roster)
    _review(world, roster)
    _consultation(world, roster)
    _outreach(world)
    _matrix(world, roster)
    _visits(world)
    _funding(world, roster)
    _signon(world)
    _scheduler_event(world)
    _lockout()
    # WG 7's chair's deadlines feed (its address is the only key to it).
    world.tokens["feed_chair7"] = calendar_feed_for(user=world.people["chair7"]).token
    world.add("audit_minutes", AuditEvent.objects.filter(verb="committee.minutes_saved").earliest("pk"))
    _sessions(world)
    return world


def _sessions(world: World) -> None:
    """Each persona signs in once: a test sends the session's cookie (the session row is part
    of the world, so every test finds it)."""
    for persona, user in world.people.items():
        client = Client()
        client.force_login(user)
        world.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value


def _people(world: World, roster: Any) -> None:
    p = world.people
    p["focal"] = _person("focal", roster.unesco)
    focal_point_appoint(user=p["focal"], entity=roster.unesco, actor=None)
    # A second focal point of UNESCO: the one a focal point or OCT removes.
    colleague = _person("focal_b", roster.unesco)
    focal_point_appoint(user=colleague, entity=roster.unesco, actor=None)
    world.add("focal_b", colleague)
    p["chair7"] = _person("chair7", roster.ohchr, clearance=C)
    role_representative_set(assignment=roster.chair_role, person=p["chair7"], actor=None)
    p["vice7"] = _person("vice7", roster.unodc)
    role_representative_set(assignment=roster.vice_chair_role, person=p["vice7"], actor=None)
    p["chair2"] = _person("chair2", roster.unodc, clearance=SC)
    wg2_chair = RoleAssignment.objects.get(working_group=roster.other_group, role="chair")
    role_representative_set(assignment=wg2_chair, person=p["chair2"], actor=None)
    p["member"] = _person("member", roster.cted, (Role.COMMITTEE_MEMBER,), C)
    p["usg"] = _person("usg", roster.unoct, (Role.USG,), SC)
    p["oct_u"] = _person("oct_u", roster.unoct, (Role.OCT,), U)
    p["oct_c"] = _person("oct_c", roster.unoct, (Role.OCT,), C)
    p["oct_sc"] = _person("oct_sc", roster.unoct, (Role.OCT,), SC)
    p["oct2"] = _person("oct2", roster.unoct, (Role.OCT,), SC)
    p["root"] = _person("root", None, (), U, is_staff=True, is_superuser=True)
    p["oct_admin"] = _person("oct_admin", roster.unoct, (Role.OCT,), SC, is_staff=True, is_superuser=True)
    # WG 5, chaired by UNOCT, represented by an OCT officer: whoever submits or asks for it does
    # not decide on it (four eyes).
    wg5 = WorkingGroupFactory(number=5, name="Border management and law enforcement", short_name="Borders")
    wg5_chair = role_assign(group=wg5, entity=roster.unoct, role="chair", starts_on=COMPACT_SIGNED, actor=None)
    role_representative_set(assignment=wg5_chair, person=p["oct_sc"], actor=None)
    world.groups[5] = wg5.pk
    for name, user in p.items():
        p[name] = fresh(user)


# --- Periods and the groups' inputs ----------------------------------------------------------------

# key: (kind, covers_from, covers_until, opens_on, due_on, closes_on)
PERIODS = {
    "p_q3_26": ("q3", D(2026, 7, 1), D(2026, 9, 30), D(2026, 9, 1), D(2026, 10, 10)),
    "p_q2_26": ("q2", D(2026, 4, 1), D(2026, 6, 30), D(2026, 6, 15), D(2026, 7, 10)),
    "p_q1_26": ("q1", D(2026, 1, 1), D(2026, 3, 31), D(2026, 3, 15), D(2026, 4, 10)),
    "p_mid_26": ("mid-year", D(2026, 1, 1), D(2026, 6, 30), D(2026, 6, 15), D(2026, 7, 15)),
    "p_eoy_25": ("end-of-year", D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 31)),
    "p_q4_25": ("q4", D(2025, 10, 1), D(2025, 12, 31), D(2025, 12, 15), D(2026, 1, 10)),
    "p_q3_25": ("q3", D(2025, 7, 1), D(2025, 9, 30), D(2025, 9, 15), D(2025, 10, 10)),
    "p_q2_25": ("q2", D(2025, 4, 1), D(2025, 6, 30), D(2025, 6, 15), D(2025, 7, 10)),
    "p_q1_25": ("q1", D(2025, 1, 1), D(2025, 3, 31), D(2025, 3, 15), D(2025, 4, 10)),
    "p_mid_25": ("mid-year", D(2025, 1, 1), D(2025, 6, 30), D(2025, 6, 15), D(2025, 7, 15)),
    "p_q4_23": ("q4", D(2023, 10, 1), D(2023, 12, 31), D(2023, 12, 15), D(2024, 1, 10)),
    # Closed in a year whose annual report is still being prepared, so OCT may reopen it
    # (2025's report awaits the USG, which freezes 2025's rounds).
    "p_q3_24": ("q3", D(2024, 7, 1), D(2024, 9, 30), D(2024, 9, 15), D(2024, 10, 10)),
}
CLOSES_ON = D(2026, 10, 31)  # every open period closes then (extensions may run until it)
CLOSED = ("p_q2_25", "p_q1_25", "p_mid_25", "p_q3_24")


def _submissions(world: World, roster: Any) -> None:
    p = world.people
    for key, (kind, start, end, opens, due) in PERIODS.items():
        period = period_create(
            kind=kind, covers_from=start, covers_until=end, opens_on=opens, due_on=due, closes_on=CLOSES_ON, actor=None
        )
        world.add(key, period)
    # Every period opened before any input is written: no draft carries over another's text.
    for key in PERIODS:
        period_open(period=world.get(key), actor=None)
    world.add(
        "p_q4_26",
        period_create(
            kind="q4",
            covers_from=D(2026, 10, 1),
            covers_until=D(2026, 12, 31),
            opens_on=D(2026, 12, 15),
            due_on=D(2027, 1, 10),
            actor=None,
        ),
    )

    def wg(period_key: str, number: int) -> Submission:
        return Submission.objects.get(period_id=world.pk(period_key), working_group__number=number)

    def written(submission: Submission, leader: User, marker: str, level: str = U) -> Submission:
        name = submission.content_fields[0]
        return submission_save_draft(
            submission=submission,
            actor=leader,
            base_revision=submission.revision,
            fields={name: f"Progress of the group. {marker}"},
            classification=level,
        )

    def submitted(submission: Submission, leader: User, marker: str, level: str = U) -> Submission:
        return submission_act(submission=written(submission, leader, marker, level), action="submit", actor=leader)

    chair7, vice7, chair2, oct2, oct_sc = p["chair7"], p["vice7"], p["chair2"], p["oct2"], p["oct_sc"]
    # WG 7's fresh draft of the current round, with a file attached.
    draft = world.add("s7_draft", written(wg("p_q3_26", 7), chair7, "MK-S7-DRAFT-U"))
    upload = SimpleUploadedFile("annex.pdf", pdf_bytes(), content_type="application/pdf")
    world.add("a7", attachment_add(submission=draft, upload=upload, actor=chair7))
    world.add("s2_draft", written(wg("p_q3_26", 2), chair2, "MK-S2-DRAFT-U"))
    # WG 5's draft, for which its chair (an OCT officer) asked for more time.
    s5 = world.add("s5_draft", wg("p_q3_26", 5))
    world.add("e5", extension_request_create(submission=s5, actor=oct_sc, until=D(2026, 10, 20), reason="Field data."))
    # WG 7's draft of the second quarter, with its chair's request for more time waiting.
    s7_ext = world.add("s7_ext", written(wg("p_q2_26", 7), chair7, "MK-S7-EXT-U"))
    world.add("e7", extension_request_create(submission=s7_ext, actor=chair7, until=D(2026, 9, 30), reason="Survey."))
    world.add("s5_submitted", submitted(wg("p_q2_26", 5), oct_sc, "MK-S5-SUBMITTED-U"))
    world.add("s7_submitted", submitted(wg("p_q1_26", 7), chair7, "MK-S7-SUBMITTED-U"))
    s2_accepted = submitted(wg("p_q1_26", 2), chair2, "MK-S2-ACCEPTED-U")
    world.add("s2_accepted", submission_act(submission=s2_accepted, action="accept", actor=oct2))
    returned = submitted(wg("p_mid_26", 7), vice7, "MK-S7-RETURNED-U")
    returned = submission_act(submission=returned, action="return", actor=oct2, comment="Add the figures.")
    world.add("s7_returned", returned)
    # Accepted, after an extension the group was granted while drafting it: the request stays
    # the group's and OCT's, even for those who now read the report.
    accepted = wg("p_eoy_25", 7)
    old = extension_request_create(submission=accepted, actor=chair7, until=D(2026, 2, 15), reason="Audit.")
    world.add("e7_old", extension_act(request=old, action="approve", actor=oct2))
    accepted = submitted(accepted, chair7, "MK-S7-ACCEPTED-U")
    world.add("s7_accepted", submission_act(submission=accepted, action="accept", actor=oct2))
    # Submitted as confidential, returned, lowered to unclassified and resubmitted: its first
    # version stays confidential.
    lowered = submitted(wg("p_q4_23", 7), chair7, "MK-S7-V1-C", C)
    lowered = submission_act(submission=lowered, action="return", actor=oct2, comment="Can it be unclassified?")
    lowered = submission_act(submission=written(lowered, chair7, "MK-S7-V2-U"), action="resubmit", actor=chair7)
    world.add("s7_lowered", lowered)
    draft_c = world.add("s7_draft_c", written(wg("p_q4_25", 7), chair7, "MK-S7-DRAFT-C", C))
    world.add(
        "e7c", extension_request_create(submission=draft_c, actor=chair7, until=D(2026, 9, 30), reason="MK-EXT-C")
    )
    world.add("s7_submitted_sc", _marked(submitted(wg("p_q3_25", 7), chair7, "MK-S7-SUBMITTED-SC"), SC))
    accepted_c = submitted(wg("p_q2_25", 7), chair7, "MK-S7-ACCEPTED-C", C)
    accepted_c = submission_act(submission=accepted_c, action="accept", actor=oct2)
    world.add("s7_accepted_c", accepted_c)
    accepted_sc = submission_act(
        submission=submitted(wg("p_q1_25", 7), chair7, "MK-S7-ACCEPTED-SC"), action="accept", actor=oct2
    )
    world.add("s7_accepted_sc", _marked(accepted_sc, SC))
    world.add("s7_closed_draft", written(wg("p_mid_25", 7), chair7, "MK-S7-CLOSED-U"))
    # Returned before its period closed: the group can no longer resubmit it.
    returned_closed = submitted(wg("p_q1_25", 2), chair2, "MK-S2-RETURNED-U")
    returned_closed = submission_act(submission=returned_closed, action="return", actor=oct2, comment="Figures?")
    world.add("s2_returned_closed", returned_closed)
    # Submitted before its period closed: OCT may still accept it, not return it.
    world.add("s2_submitted_closed", submitted(wg("p_q2_25", 2), chair2, "MK-S2-SUBMITTED-U"))
    for key in CLOSED:
        period_close(period=world.get(key), actor=None)


def _marked(submission: Submission, level: str) -> Submission:
    """Mark a submission and its versions ``level`` (as a leader cleared for it would have;
    none of the personas who lead WG 7 is cleared for strictly confidential)."""
    Submission.objects.filter(pk=submission.pk).update(classification=level)
    SubmissionVersion.objects.filter(submission=submission).update(classification=level)
    submission.refresh_from_db()
    return submission


# --- Compiled reports ---------------------------------------------------------------------------------


def _edition(report: Any, actor: User, *, level: str = U, number: int = 1) -> ReportEdition:
    """A generated edition, as the worker leaves it (a real PDF file, its hash and pages)."""
    if isinstance(report, AnnualReport):
        owner = {"annual_report": report}
    elif hasattr(report, "period_id"):
        owner = {"consolidated_report": report}
    else:
        owner = {"meeting": report}
    edition = ReportEdition(
        **owner,
        number=number,
        status=ReportEdition.Status.DONE,
        progress=100,
        stage="Ready",
        sha256="ab" * 32,
        size=len(pdf_bytes()),
        pages=1,
        classification=level,
        text_revision=getattr(report, "revision", 0),
        requested_by=actor,
    )
    edition.file.save("edition.pdf", ContentFile(pdf_bytes()), save=False)
    word = word_from_html("<html><body><p>Edition</p></body></html>", WordFrame(title="Edition", marking=level.upper()))
    edition.word_file.save("edition.docx", ContentFile(word), save=False)
    edition.word_sha256, edition.word_size = "cd" * 32, len(word)
    edition.save()
    return edition


def _compiled(world: World) -> None:
    p = world.people
    officer, colleague = p["oct_sc"], p["oct2"]
    # The first quarter's consolidated report, in preparation, with one edition generated.
    prep = consolidated_report_start(period=world.get("p_q1_26"), actor=officer)
    prep = report_text_save(
        report=prep, actor=officer, base_revision=0, fields={"executive_summary": "MK-CR-TEXT"}, text_classification=U
    )
    world.add("cr_prep", prep)
    world.add("ed_cr_prep", _edition(prep, officer))
    # Another round's, whose text OCT marked confidential.
    marked = consolidated_report_start(period=world.get("p_q3_25"), actor=officer)
    marked = report_text_save(
        report=marked,
        actor=officer,
        base_revision=0,
        fields={"executive_summary": "MK-CR-TEXT-C"},
        text_classification=C,
    )
    world.add("cr_conf", marked)
    world.add("ed_cr_conf", _edition(marked, officer, level=C))
    # The second quarter of 2025's, final, with a confidential final edition.
    final = world.add("cr_final", consolidated_report_start(period=world.get("p_q2_25"), actor=officer))
    edition = _edition(final, officer, level=C)
    world.add("ed_cr_final", edition_mark_final(edition=edition, actor=colleague))
    # 2025's annual report, submitted to the USG by an officer; 2024's, in preparation.
    for year, key in ((2025, "ar_await"), (2024, "ar_prep")):
        report = annual_report_start(year=year, actor=officer)
        if year == 2025:  # its rounds are not all closed yet (2024 had none)
            reason = "The Secretary-General asked for it."
            report = annual_report_early_reason_record(report=report, actor=officer, reason=reason)
        world.add(f"ed_{key}", _edition(report, officer))
        world.add(key, report)
    annual_report_act(report=world.get("ar_await"), action="submit", actor=officer)
    # This year's, with OCT's text marked confidential and its reason to go ahead early.
    current = annual_report_start(year=2026, actor=officer)
    current = report_text_save(
        report=current, actor=officer, base_revision=0, fields={"observations": "MK-AR-TEXT-C"}, text_classification=C
    )
    current = annual_report_early_reason_record(report=current, actor=officer, reason="MK-EARLY-C")
    world.add("ar_2026", current)


# --- The Committee ------------------------------------------------------------------------------------


def _committee(world: World, roster: Any) -> None:
    officer = world.people["oct_sc"]
    planned = meetings.meeting_create(
        start_time=datetime.time(10), end_time=datetime.time(12), actor=officer, date=D(2026, 10, 20), place="New York"
    )
    world.add("m_planned", planned)
    # A meeting held on 10 September: minutes being written (confidential), a decision not used
    # yet, a policy briefing on the agenda and open action points for WG 7 and for UNESCO.
    held = meetings.meeting_create(
        start_time=datetime.time(10), end_time=datetime.time(12), actor=officer, date=D(2026, 9, 10), place="New York"
    )
    world.add(
        "i_policy",
        meetings.agenda_item_add(
            meeting=held, actor=officer, kind=AgendaItem.Kind.POLICY_BRIEFING, title="Policy", presenter=roster.unesco
        ),
    )
    world.add(
        "i_other", meetings.agenda_item_add(meeting=held, actor=officer, kind="other", title="Any other business")
    )
    attended = meetings.attendance_set(meeting=held, entity=roster.cted, actor=officer, person_name="A. Delegate")
    world.add("attendance_cted", attended)
    held = meetings.meeting_act(meeting=held, action="hold", actor=officer)
    meetings.minutes_save(meeting=held, actor=officer, minutes="MK-MINUTES-HELD", classification=C)
    world.add("d_held", meetings.decision_add(meeting=held, actor=officer, text="The Committee adopts the programme."))
    due = D(2026, 10, 1)
    world.add(
        "ap7",
        meetings.action_point_add(
            meeting=held, actor=officer, text="MK-AP7 Draft the guidance.", due_on=due, owner_group=roster.group
        ),
    )
    world.add(
        "ap_unesco",
        meetings.action_point_add(
            meeting=held,
            actor=officer,
            text="MK-APUNESCO Share the curriculum.",
            due_on=due,
            owner_entity=roster.unesco,
        ),
    )
    done = meetings.action_point_add(
        meeting=held, actor=officer, text="Circulate the report.", due_on=due, owner_group=roster.other_group
    )
    world.add("ap_done", meetings.action_point_act(point=done, action="mark_done", actor=officer))
    # WG 7's strictly confidential briefing on the agenda: linked only for those cleared for it.
    meetings.agenda_build_from_briefings(meeting=held, period=world.get("p_q1_25"), actor=officer)
    world.add("i_briefing_sc", AgendaItem.objects.get(meeting=held, submission_id=world.pk("s7_accepted_sc")))
    # WG 2's chair briefed the group on the policy item.
    cascade = meetings.cascade_record(
        item=world.get("i_policy"),
        group=roster.other_group,
        briefed_on=D(2026, 9, 11),
        note="Briefed.",
        actor=world.people["chair2"],
    )
    world.add("cascade2", cascade)
    world.add("m_held", held)
    # Minutes marked confidential, then rewritten as unclassified: the old text stays confidential
    # in the audit trail.
    lowered = meetings.meeting_create(
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        actor=officer,
        date=D(2026, 8, 20),
        is_virtual=True,
        join_url="https://meet.example.org/committee",
    )
    lowered = meetings.meeting_act(meeting=lowered, action="hold", actor=officer)
    meetings.minutes_save(meeting=lowered, actor=officer, minutes="MK-MINUTES-LOWERED-C", classification=C)
    world.add("m_lowered", meetings.minutes_save(meeting=lowered, actor=officer, minutes="Public.", classification=U))
    # A meeting of June whose minutes (confidential) are approved, with its briefing pack.
    approved = meetings.meeting_create(
        start_time=datetime.time(10), end_time=datetime.time(12), actor=officer, date=D(2026, 6, 10), place="Geneva"
    )
    meetings.agenda_item_add(meeting=approved, actor=officer, kind="other", title="Programme of work")
    approved = meetings.meeting_act(meeting=approved, action="hold", actor=officer)
    meetings.minutes_save(meeting=approved, actor=officer, minutes="MK-MINUTES-APPROVED", classification=C)
    world.add("d_approved", meetings.decision_add(meeting=approved, actor=officer, text="Programme 2026–2027."))
    world.add("ed_pack", _edition(approved, officer, level=C))
    world.add("m_approved", meetings.meeting_act(meeting=approved, action="approve_minutes", actor=officer))


# --- The programme of work and its indicator -----------------------------------------------------------


def _programme(world: World, roster: Any) -> None:
    officer, colleague = world.people["oct_sc"], world.people["oct2"]
    # 2024–2025's programme: its indicator is carried by WG 7's mid-year 2025 report (closed period).
    earlier = programmes.programme_create(actor=officer, biennium_start=2024, title="Programme of work 2024–2025")
    world.add(
        "ind_2024",
        indicator_create(
            programme=earlier,
            actor=officer,
            working_groups=[roster.group],
            code="1.1",
            name="States assisted",
            definition="States that received assistance.",
            unit="States",
            target=Decimal(20),
            direction="increase",
            aggregation="sum",
            disaggregation=[],
            frequency="mid-year",
            pillars=["IV"],
        ),
    )
    programme = programmes.programme_create(actor=officer, biennium_start=2026, title="Programme of work 2026–2027")
    priority = programmes.priority_add(
        programme=programme,
        actor=officer,
        code="1",
        title="Human rights",
        pillars=["IV"],
        working_groups=[roster.group],
    )
    world.add("pri", priority)
    world.add("res", programmes.result_add(priority=priority, actor=officer, text="Guidance adopted."))
    world.add("res2", programmes.result_add(priority=priority, actor=officer, text="Workshops held."))
    second = programmes.priority_add(programme=programme, actor=officer, code="2", title="Gender", pillars=["I"])
    world.add("pri2", second)
    world.add(
        "ind",
        indicator_create(
            programme=programme,
            actor=officer,
            working_groups=[roster.group, roster.other_group],
            code="1.1",
            name="Officials trained",
            definition="People who completed a course.",
            unit="people",
            baseline=Decimal(100),
            baseline_year=2025,
            target=Decimal(500),
            direction="increase",
            aggregation="sum",
            disaggregation=[],
            frequency="mid-year",
            pillars=["IV"],
        ),
    )
    world.add(
        "ind2",
        indicator_create(
            programme=programme,
            actor=officer,
            working_groups=[roster.group],
            code="1.2",
            name="Workshops held",
            definition="Workshops the group held.",
            unit="workshops",
            target=Decimal(12),
            direction="increase",
            aggregation="sum",
            disaggregation=[],
            frequency="end-of-year",
            pillars=["IV"],
        ),
    )
    _reported(world, roster)
    programme.refresh_from_db()
    # Version 1 adopted by the June meeting (recorded by the colleague); the officer changed the
    # working copy since, so the officer does not record the next adoption.
    version = programmes.programme_adopt(
        programme=programme, decision=world.get("d_approved"), change_note="First.", actor=colleague
    )
    world.add("v1", version)
    programme.refresh_from_db()
    programme = programmes.programme_update(
        programme=programme, actor=officer, base_revision=programme.revision, title="Programme of work 2026–2027 (rev.)"
    )
    world.add("prog", programme)


def _reorganisation(world: World, roster: Any) -> None:
    """OCT's draft (by the officer who chairs WG 5, who therefore does not record its adoption):
    WG 2 merges into a new WG 9 on 14 September 2026, after the meeting of 10 September."""
    officer = world.people["oct_sc"]
    draft = reorganisations.reorganisation_create(title="MK-REORG-DRAFT", effective_on=D(2026, 9, 14), actor=officer)
    target = reorganisations.reorganisation_target_add(
        reorganisation=draft, actor=officer, number=9, name="Justice and finance", short_name="Justice"
    )
    reorganisations.reorganisation_mapping_set(
        reorganisation=draft, source=roster.other_group, targets=[target], actor=officer
    )
    draft.refresh_from_db()
    world.add("reorg", draft)
    world.add("reorg_target", target)


def _reported(world: World, roster: Any) -> None:
    """WG 2's mid-year 2026 report, confidential and accepted, with 4321 officials trained: the
    indicator's pages count the value only for readers cleared for it."""
    chair2 = world.people["chair2"]
    report = Submission.objects.get(period_id=world.pk("p_mid_26"), working_group=roster.other_group)
    report = submission_save_draft(
        submission=report,
        actor=chair2,
        base_revision=report.revision,
        fields={"summary": "MK-S2-MID-C"},
        classification=C,
    )
    report = indicator_values_save(
        submission=report, actor=chair2, values=[EnteredValue(world.pk("ind"), Decimal(4321))]
    )
    report = submission_act(submission=report, action="submit", actor=chair2)
    world.add("s2_mid_c", submission_act(submission=report, action="accept", actor=world.people["oct2"]))


# --- The biennial review ---------------------------------------------------------------------------------


def _review(world: World, roster: Any) -> None:
    p = world.people
    officer = p["oct_sc"]

    def review(biennium: int, opens: datetime.date, due: datetime.date) -> Any:
        return review_create(
            actor=officer,
            biennium=biennium,
            title=f"Review of the Compact {biennium}–{biennium + 1}",
            resolution_symbol="A/RES/77/298",
            opens_on=opens,
            comments_due_on=due,
        )

    world.add("rev_prep", review(2031, D(2031, 9, 1), D(2031, 10, 1)))
    # Open: UNESCO's comment (unclassified) and OHCHR's, recorded by OCT (confidential).
    opened = review_act(review=review(2027, D(2026, 9, 1), D(2026, 10, 15)), action="open", actor=officer)
    world.add(
        "c_unesco",
        comment_create(
            review=opened, entity=roster.unesco, actor=p["focal"], text="MK-COMMENT-UNESCO-U", classification=U
        ),
    )
    world.add(
        "c_ohchr",
        comment_create(review=opened, entity=roster.ohchr, actor=officer, text="MK-COMMENT-OHCHR-C", classification=C),
    )
    world.add(
        "c_cted",
        comment_create(review=opened, entity=roster.cted, actor=officer, text="MK-COMMENT-CTED-U", classification=U),
    )
    world.add("rev_open", opened)
    # Open, and UNESCO has not commented yet.
    world.add(
        "rev_open2", review_act(review=review(2029, D(2026, 9, 1), D(2026, 10, 15)), action="open", actor=officer)
    )
    # Closed, with the outcome the officer wrote (confidential): the officer does not conclude it.
    closed = review_act(review=review(2025, D(2025, 9, 1), D(2025, 10, 15)), action="open", actor=officer)
    closed = review_act(review=closed, action="close", actor=officer)
    closed = review_update(
        review=closed,
        actor=officer,
        base_revision=closed.revision,
        outcome="MK-OUTCOME-CLOSED",
        outcome_classification=C,
    )
    world.add("rev_closed", closed)
    # Concluded (by the colleague), with its confidential outcome.
    concluded = review_act(review=review(2023, D(2024, 9, 1), D(2024, 10, 15)), action="open", actor=officer)
    concluded = review_act(review=concluded, action="close", actor=officer)
    concluded = review_update(
        review=concluded,
        actor=officer,
        base_revision=concluded.revision,
        outcome="MK-OUTCOME-CONCLUDED",
        outcome_classification=C,
    )
    world.add("rev_concluded", review_act(review=concluded, action="conclude", actor=p["oct2"]))


# --- Consultation rounds ---------------------------------------------------------------------------------


def _consultation(world: World, roster: Any) -> None:
    """An open round on the 2026–2027 programme consulting UNESCO (its focal point) and OHCHR
    (WG 7's chair represents it), with UNESCO's comment and OHCHR's (confidential); a round in
    preparation. UNODC (the vice-chair's and WG 2's chair's entity) and CTED are not consulted."""
    p = world.people
    officer = p["oct_sc"]

    def prepared() -> Any:
        return consultation_create(
            actor=officer,
            subject_kind="programme",
            subject_id=world.pk("prog"),
            comments_due_on=D(2026, 10, 15),
            entities=[roster.unesco, roster.ohchr],
        )

    opened = consultation_act(round=prepared(), action="open", actor=officer)
    world.add("cons_open", opened)
    world.add(
        "cm_unesco",
        consultation_comment_create(
            round=opened,
            entity=roster.unesco,
            section_key="introduction",
            actor=p["focal"],
            text="MK-CONS-UNESCO-U",
            classification=U,
        ),
    )
    world.add(
        "cm_ohchr",
        consultation_comment_create(
            round=opened,
            entity=roster.ohchr,
            section_key="introduction",
            actor=p["chair7"],
            text="MK-CONS-OHCHR-C",
            classification=C,
        ),
    )
    world.add("cons_draft", prepared())


# --- Briefings to Member States ---------------------------------------------------------------------------


def _outreach(world: World) -> None:
    officer = world.people["oct_sc"]

    def briefing(title: str, notes: str, level: str) -> Any:
        return briefing_create(
            actor=officer,
            date=D(2026, 9, 1),
            audience="Member States, New York",
            title=title,
            notes=notes,
            notes_classification=level,
            public_summary="The Under-Secretary-General briefed Member States.",
        )

    world.add("br_draft", briefing("The Compact in 2026", "MK-NOTES-C", C))
    world.add("br_draft_sc", briefing("Sensitive briefing", "MK-NOTES-SC", SC))
    published = briefing("The Compact at work", "Unclassified notes.", U)
    world.add(
        "br_published", briefing_act(briefing=published, action="publish", actor=officer, confirm_unclassified=True)
    )
    world.add(
        "br_cadence",
        briefing_cadence_set(
            actor=world.people["usg"], every_months=6, first_due_on=D(2026, 12, 1), reminder_days=[30, 7]
        ),
    )


# --- The project matrix ------------------------------------------------------------------------------------


def _matrix(world: World, roster: Any) -> None:
    def project(key: str, title: str, lead: Any, level: str, partners: tuple = ()) -> None:
        fields = {
            "title": title,
            "main_activities": "Training and mentoring",
            "status": "ongoing",
            "lead_entity": lead,
            "classification": level,
            "pillars": ["I"],
            "start_year": 2025,
            "end_year": 2027,
        }
        made = project_save(project=None, actor=None, fields=fields, partner_entities=partners, countries=["JO"])
        world.add(key, made)

    project("pj_u", "MK-PJ-UNESCO-U media literacy", roster.unesco, U)
    project("pj_u2", "MK-PJ-OHCHR-U rule of law", roster.ohchr, U)
    project("pj_c", "MK-PJ-UNESCO-C prison reform", roster.unesco, C)
    project("pj_sc", "MK-PJ-OHCHR-SC witness protection", roster.ohchr, SC, partners=(roster.unesco,))


# --- CTED's country visits ------------------------------------------------------------------------------


def _visits(world: World) -> None:
    """CTED's visits (the ``member`` persona is CTED's): one whose assessment was shared with OCT,
    one the Member State asked to keep confidential, and one planned (unclassified)."""
    cted = world.people["member"]

    def visit(key: str, country: str, assessment: str, *, confidential: bool) -> None:
        made = visit_create(
            actor=cted,
            country=country,
            starts_on=D(2026, 8, 3),
            ends_on=D(2026, 8, 7),
            confidentiality_requested=confidential,
            classification=C,
        )
        visit_act(visit=made, action="inform-oct", actor=cted, oct_informed_on=D(2026, 7, 20))
        visit_act(visit=made, action="carry-out", actor=cted)
        action = "withhold" if confidential else "share"
        world.add(key, visit_act(visit=made, action=action, actor=cted, assessment=assessment))

    visit("v_shared", "JO", "MK-VISIT-SHARED-C border screening", confidential=False)
    visit("v_withheld", "TN", "MK-VISIT-WITHHELD-C prison radicalisation", confidential=True)
    world.add(
        "v_planned_u",
        visit_create(actor=cted, country="KE", starts_on=D(2026, 10, 5), ends_on=D(2026, 10, 9), classification=U),
    )


# --- The Trust Fund: contributions and earmarks -------------------------------------------------------------


def _funding(world: World, roster: Any) -> None:
    """Norway's open pledge (MK-TF-U), Japan's confidential one (MK-TF-C); an open earmark of
    Norway's to WG 7 and one to the confidential project pj_c (so itself confidential)."""
    officer = world.people["oct_sc"]

    def donor(code: str, name: str) -> Any:
        return donor_ensure(code=code, name=name, kind="member-state", evidence="public", source="OCT", actor=None)[0]

    def pledge(code: str, name: str, source: str, level: str) -> Any:
        return contribution_add(
            donor=donor(code, name),
            year=2026,
            pledged_usd=Decimal("1000"),
            received_usd=None,
            evidence="secretariat",
            source=source,
            classification=level,
            actor=officer,
        )

    open_pledge = world.add("tf_u", pledge("NO", "Norway", "MK-TF-U pledge letter", U))
    world.add("tf_c", pledge("JP", "Japan", "MK-TF-C pledge letter", C))
    group = roster.group
    world.add(
        "em_u", earmark_add(contribution=open_pledge, amount_usd=Decimal("100"), working_group=group, actor=officer)
    )
    world.add(
        "em_c",
        earmark_add(
            contribution=open_pledge,
            amount_usd=Decimal("200"),
            project=world.get("pj_c"),
            actor=officer,
            note="MK-EM-C",
        ),
    )


# --- Sign-on requests and the scheduler's log ---------------------------------------------------------------


def _signon(world: World) -> None:
    p = world.people
    world.add("so_cons", signon_in_consultation(p["oct_c"]))
    # An officer's own organisation's request (the focal point is the officer): four eyes.
    own = signon_in_consultation(
        p["oct2"],
        organization_name="International Maritime Organization",
        acronym="IMO",
        focal_email=p["oct_sc"].email,
    )
    world.add("so_own", own)
    assert SignOnRequest.objects.filter(state=SignOnRequest.State.IN_CONSULTATION).count() == 2


def _lockout() -> None:
    """A colleague locked out after five wrong passwords (the system page lists it for OCT)."""
    AccessAttempt.objects.create(
        username="focal_b",
        ip_address="192.0.2.7",
        user_agent="test",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )


def _scheduler_event(world: World) -> None:
    event = SchedulerEvent.objects.create(
        key="reminder:test:1", kind="reminder", period=world.get("p_q3_26"), detail="A reminder was sent."
    )
    world.add("sched", event)
