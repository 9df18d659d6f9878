"""Who may do what, to which object, through the pages and the API (issue 14): the role ×
object × action matrix, kept as a table and run cell by cell.

Columns are the personas of ``access_world.PERSONAS``: anonymous, UNESCO's focal point, WG 7's
chair and vice-chair, WG 2's chair, a Committee member, the USG, OCT officers cleared for
each level (the strictly-confidential one also chairs WG 5, so that four-eyes moves have a
proposer), a second OCT officer, a superuser without a role and a superuser who is OCT.

Rows are written from the rules (``compact/permissions*.py``, ``reporting/permissions*.py``,
``workinggroups/permissions.py``), the selectors, ``docs/user-guide.md`` and ``docs/api.md`` —
not from what the app answers. A row names who is allowed (``ok``) and how each other persona
is refused: ``forbidden`` (403: the API lets them read it, not do it), ``bad`` (400: refused with
the reason), ``conflict`` (409), ``back`` (a page sends them back with a message),
``four_eyes`` (they put it forward, someone else decides); everyone else signed in gets
``others`` (404, as if it did not exist) and the anonymous visitor the sign-in page (401 from
the API). Every cell checks the effect: an allowed write changed what ``state`` reads as
``done`` says, a refused one changed nothing, and an allowed read shows each ``MK-…`` marker
only to those whose clearance reaches it.

Where the app disagrees with the rules, the cell stays as the rules say and is listed in
``HOLES`` (a strict xfail) until the app is fixed.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from compact.core.models import User
from compact.core.timezones import zone_of
from compact.funding.models import Earmark
from compact.matrix.models import NonEntityName, OverlapReview, Project
from compact.outreach.models import BriefingCadence, MemberStateBriefing
from compact.registry.models import Entity
from compact.registry.selectors import entity_focal_points
from compact.signon.models import SignOnStep
from compact.visits.models import CountryVisit
from portal.inbox import TASK_COUNT_SECONDS, task_count_for, task_count_key
from reporting.calendar.models import CalendarRule, ExtensionRequest
from reporting.committee.models import ActionPoint, AgendaItem, Attendance, CascadeBriefing, Decision, Meeting
from reporting.compiled.models import AnnualReport, ConsolidatedReport, ReportEdition
from reporting.consultation.models import ConsultationComment
from reporting.programme.models import (
    ExpectedResult,
    Indicator,
    IndicatorValue,
    Priority,
    ProgrammeOfWork,
    ProgrammeVersion,
)
from reporting.reorganisation.models import Reorganisation, ReorganisationMapping, ReorganisationTarget
from reporting.review.models import BiennialReview, ReviewComment
from reporting.submissions.models import Attachment, ReportingPeriod
from tests.helpers import fresh, pdf_bytes, shared_until_rolled_back
from tests.security.access_cells import (
    ADMIN_LOGIN,
    ALL,
    SIGNED_IN,
    Listing,
    Row,
    becomes,
    changed,
    cleared,
    client_for,
    count,
    expect,
    fields,
    gone,
    grows,
    listed,
    read,
    run,
    write,
)
from tests.security.access_world import PERSONAS, WORLD_DAY, World, world_build
from workinggroups.models import WorkPlan, WorkPlanActivity, WorkPlanOutput

pytestmark = pytest.mark.django_db

# --- Who is who ------------------------------------------------------------------------------------

OCT = frozenset({"oct_u", "oct_c", "oct_sc", "oct2", "oct_admin"})
LEAD7 = frozenset({"chair7", "vice7"})  # WG 7's chair and vice-chair
# The Committee: the USG, its members, and every chair and vice-chair ex officio (WG 5's chair
# is the OCT officer ``oct_sc``).
COMMITTEE = frozenset({"usg", "member", "chair7", "vice7", "chair2", "oct_sc"})
FOCAL = frozenset({"focal"})
CONFIDENTIAL = cleared("confidential")  # the personas cleared for confidential text
STRICTLY = cleared("strictly-confidential")
SUPERUSERS = frozenset({"root", "oct_admin"})
# The USG briefs Member States and records the briefings with OCT (only OCT publishes).
BRIEFERS = OCT | {"usg"}
REORG_READERS = OCT | COMMITTEE  # a draft reorganisation: OCT's, read by the Committee that decides it
# CTED's country visits: CTED (the ``member`` persona) records them; OCT follows them up and reads
# an assessment CTED shared; nobody else reads an assessment, and OCT never a confidential one.
CTED = frozenset({"member"})
VISIT_ASSESSMENT_READERS = (OCT | CTED) & CONFIDENTIAL


def report_readers(level: str, leaders: frozenset[str], *, accepted: bool = False) -> frozenset[str]:
    """``reporting.calendar.selectors.submissions_visible_to``: OCT reads every input, a group's leaders
    their group's, the Committee accepted ones; nobody above their clearance."""
    readers = OCT | leaders | (COMMITTEE if accepted else frozenset())
    return readers & cleared(level)


# Each input of the world: its readers and the marker written in its text.
SUBMISSIONS = {
    "s7_draft": (report_readers("unclassified", LEAD7), "MK-S7-DRAFT-U"),
    "s2_draft": (report_readers("unclassified", frozenset({"chair2"})), "MK-S2-DRAFT-U"),
    "s5_draft": (report_readers("unclassified", frozenset({"oct_sc"})), None),
    "s7_ext": (report_readers("unclassified", LEAD7), "MK-S7-EXT-U"),
    "s5_submitted": (report_readers("unclassified", frozenset({"oct_sc"})), "MK-S5-SUBMITTED-U"),
    "s7_submitted": (report_readers("unclassified", LEAD7), "MK-S7-SUBMITTED-U"),
    "s2_accepted": (report_readers("unclassified", frozenset({"chair2"}), accepted=True), "MK-S2-ACCEPTED-U"),
    "s7_returned": (report_readers("unclassified", LEAD7), "MK-S7-RETURNED-U"),
    "s7_accepted": (report_readers("unclassified", LEAD7, accepted=True), "MK-S7-ACCEPTED-U"),
    "s7_draft_c": (report_readers("confidential", LEAD7), "MK-S7-DRAFT-C"),
    "s7_submitted_sc": (report_readers("strictly-confidential", LEAD7), "MK-S7-SUBMITTED-SC"),
    "s7_accepted_c": (report_readers("confidential", LEAD7, accepted=True), "MK-S7-ACCEPTED-C"),
    "s7_accepted_sc": (report_readers("strictly-confidential", LEAD7, accepted=True), "MK-S7-ACCEPTED-SC"),
    "s7_closed_draft": (report_readers("unclassified", LEAD7), "MK-S7-CLOSED-U"),
    "s7_lowered": (report_readers("unclassified", LEAD7), "MK-S7-V2-U"),
    "s2_submitted_closed": (report_readers("unclassified", frozenset({"chair2"})), "MK-S2-SUBMITTED-U"),
    "s2_returned_closed": (report_readers("unclassified", frozenset({"chair2"})), "MK-S2-RETURNED-U"),
    "s2_mid_c": (report_readers("confidential", frozenset({"chair2"}), accepted=True), "MK-S2-MID-C"),
}
MEETING_READERS = OCT | COMMITTEE
PROGRAMME_READERS = OCT | COMMITTEE
REVIEW_READERS = OCT | COMMITTEE | FOCAL  # an opened review
# Consultations: OCT, the USG, and the people of the consulted entities (UNESCO's focal point,
# OHCHR's WG 7 chair); the list page also opens for whoever speaks for an entity (UNODC's leaders).
CONSULTED = OCT | {"usg", "focal", "chair7"}
CONSULTATION_LISTERS = CONSULTED | {"vice7", "chair2"}
UNESCO_COMMENT_READERS = OCT | {"usg", "focal"}
OHCHR_COMMENT_READERS = (OCT | {"usg", "chair7"}) & CONFIDENTIAL
# A request is read by OCT and the group's leaders, not by other readers of the report (e7_old is
# on WG 7's accepted report, which the Committee reads).
EXTENSION_READERS = {
    "e7": OCT | LEAD7,
    "e5": OCT,
    "e7_old": OCT | LEAD7,
    "e7c": (OCT | LEAD7) & CONFIDENTIAL,  # on WG 7's confidential draft
}


# --- Bodies and states read when a cell runs ------------------------------------------------------


def revision(key: str) -> Callable[[World], int]:
    """The object's revision now (what an editor loaded)."""
    return lambda world: world.get(key).revision


def user_id(persona: str) -> Callable[[World], int]:
    return lambda world: world.people[persona].pk


def entity_id(acronym: str) -> Callable[[World], int]:
    return lambda world: Entity.objects.get(acronym=acronym).pk


def focal_points_of(acronym: str) -> Callable[[World], int]:
    return lambda world: entity_focal_points(Entity.objects.get(acronym=acronym)).count()


def a_pdf(world: World) -> SimpleUploadedFile:
    return SimpleUploadedFile("annex.pdf", pdf_bytes(), content_type="application/pdf")


MATRIX_CSV = b"key,title,status,lead_entity\nacc-1,Imported by the matrix test,ongoing,UNESCO\n"


def matrix_file(world: World) -> dict:
    return {
        "file": SimpleUploadedFile("matrix.csv", MATRIX_CSV, content_type="text/csv"),
        "sha256": hashlib.sha256(MATRIX_CSV).hexdigest(),
    }


def entity_form(acronym: str, name: str, **changes: str) -> Callable[[World], dict]:
    """The profile form as saved (OCT's form has every field; a focal point's ignores the rest)."""

    def body(world: World) -> dict:
        return {
            "acronym": acronym,
            "name": name,
            "kind": "specialized-agency",
            "website": "https://www.example.org/edited",
            "is_active": "on",
            "evidence": "seed",
            "note": "",
            **changes,
        }

    return body


def rule_form(**changes: object) -> Callable[[World], dict]:
    def body(world: World) -> dict:
        rule_row = CalendarRule.objects.get(kind="q3")
        data = {
            "due_month": rule_row.due_month,
            "due_day": rule_row.due_day,
            "opens_days_before_due": rule_row.opens_days_before_due,
            "closes_days_after_due": rule_row.closes_days_after_due,
            "reminder_days": ", ".join(str(n) for n in rule_row.reminder_days),
            "escalation_days": ", ".join(str(n) for n in rule_row.escalation_days),
            "time_zone": rule_row.time_zone,
        }
        if rule_row.due_following_year:
            data["due_following_year"] = "on"
        return {**data, **changes}

    return body


# Markers of classified text: the public page and the public summary's draft show none of them.
CLASSIFIED_MARKERS = (
    "MK-S7-ACCEPTED-C",
    "MK-S7-ACCEPTED-SC",
    "MK-MINUTES-HELD",
    "MK-MINUTES-APPROVED",
    "MK-NOTES-C",
    "MK-NOTES-SC",
    "MK-PJ-UNESCO-C",
    "MK-PJ-OHCHR-SC",
    "MK-COMMENT-OHCHR-C",
    "MK-OUTCOME-CONCLUDED",
)
# OCT's overlap finder pairs projects of different leads in one country: each within clearance.
PROJECT_MARKERS_OCT = {
    "MK-PJ-UNESCO-U": OCT,
    "MK-PJ-UNESCO-C": OCT & CONFIDENTIAL,
    "MK-PJ-OHCHR-SC": OCT & STRICTLY,
}

# --- Reads: pages and API details ------------------------------------------------------------------------

READS: list[Row] = [
    # The registry and everyone's pages.
    # Everyone's home page (OCT's lists the latest changes: within clearance).
    # Owners see their open action points on it; chairs their desk.
    read(
        "page.home",
        "/",
        SIGNED_IN,
        shows={"MK-AP7": LEAD7, "MK-APUNESCO": FOCAL},
        hides={
            "MK-PJ-OHCHR-SC": SIGNED_IN - STRICTLY,
            "MK-PJ-UNESCO-C": SIGNED_IN - CONFIDENTIAL,
            **{f'href="/reporting/submissions/{{{key}}}/"': SIGNED_IN - who for key, (who, _) in SUBMISSIONS.items()},
        },
    ),
    read("page.entities", "/entities/", SIGNED_IN),
    # Who works for an entity is for OCT and the entity's own focal points.
    read("page.entity", "/entities/UNESCO/", SIGNED_IN, shows={"focal_b@example.org": OCT | FOCAL}),
    read("page.entity-edit.own.form", "/entities/UNESCO/edit/", OCT | FOCAL),
    read("page.entity-edit.other.form", "/entities/OHCHR/edit/", OCT),
    read("page.working-groups", "/working-groups/", SIGNED_IN),
    read("page.working-group", "/working-groups/{wg7}/", SIGNED_IN),
    read("page.work-plan", "/working-groups/{wg7}/work-plans/2026/", SIGNED_IN),
    read("page.work-plan-edit.form", "/working-groups/{wg7}/work-plans/2026/edit/", OCT | LEAD7),
    read("page.committee", "/committee/", SIGNED_IN),
    read("page.public", "/public/", ALL, shows=dict.fromkeys(CLASSIFIED_MARKERS, ())),
    read("page.signon-form", "/sign-on/", ALL),
    read("page.feed-settings", "/calendar/", SIGNED_IN),
    # A deadlines feed is read by whoever has its address; it names groups and dates, never an
    # action point's text.
    read("page.feed.chair7", "/calendar/{feed_chair7}.ics", ALL, shows={"MK-AP7": ()}),
    read(
        "page.audit",
        "/audit/?verb=committee.minutes_saved",
        OCT,
        shows={
            "MK-MINUTES-HELD": OCT & CONFIDENTIAL,
            "MK-MINUTES-APPROVED": OCT & CONFIDENTIAL,
            "MK-MINUTES-LOWERED-C": OCT & CONFIDENTIAL,
        },
    ),
    read("page.system", "/system/", OCT, shows={"192.0.2.7": OCT}),
    read("page.admin", "/admin/", SUPERUSERS, others=ADMIN_LOGIN, anon=ADMIN_LOGIN),
    # The admin reads audit rows within clearance too: a row it may not read is "not found".
    Row(
        "page.admin-audit-row",
        "GET",
        "/admin/compact/auditevent/{audit_minutes}/change/",
        expect({"oct_admin"}, back={"root"}, others=ADMIN_LOGIN, anon=ADMIN_LOGIN),
        shows={"MK-MINUTES-HELD": frozenset({"oct_admin"})},
    ),
    read("api.entities", "/api/v1/entities/", SIGNED_IN),
    read("api.entity", "/api/v1/entities/UNESCO/", SIGNED_IN),
    read("api.working-group", "/api/v1/working-groups/{wg7}/", SIGNED_IN),
    read("api.committee", "/api/v1/committee/", SIGNED_IN),
    read("api.entity-resolve", "/api/v1/entities/resolve/?name=UNESCO", SIGNED_IN),
    read("api.work-plan", "/api/v1/work-plans/{wp_plan}/", SIGNED_IN),
    read("api.schema", "/api/v1/schema/", SIGNED_IN),
    read(
        "api.public-summaries", "/api/v1/public/briefing-summaries/", ALL, shows=dict.fromkeys(CLASSIFIED_MARKERS, ())
    ),
    # Reporting: periods, the calendar, the extension queue (OCT's), the groups' inputs.
    # Each role's reporting page links only the inputs the persona may read.
    read(
        "page.reporting",
        "/reporting/",
        SIGNED_IN,
        hides={f'href="/reporting/submissions/{{{key}}}/"': SIGNED_IN - who for key, (who, _) in SUBMISSIONS.items()},
    ),
    read("page.period", "/reporting/periods/{p_q3_26}/", OCT),
    # A period's figures count every group; its links are only to what the officer may read.
    read(
        "page.period.sc-input",
        "/reporting/periods/{p_q3_25}/",
        OCT,
        hides={'href="/reporting/submissions/{s7_submitted_sc}/"': SIGNED_IN - (OCT & STRICTLY)},
    ),
    read("api.period", "/api/v1/reporting-periods/{p_q3_26}/", SIGNED_IN),
    read("api.period-dashboard", "/api/v1/reporting-periods/{p_q3_26}/dashboard/", OCT),
    read("page.calendar", "/reporting/calendar/", OCT),
    read("page.calendar-rule", "/reporting/calendar/q3/", OCT),
    read("page.scheduler-log", "/reporting/calendar/log/", OCT),
    read("api.calendar-rule", "/api/v1/calendar-rules/q3/", OCT),
    read("api.scheduler-event", "/api/v1/scheduler-events/{sched}/", OCT),
    read("page.extension-queue", "/reporting/extensions/", OCT, shows={"MK-EXT-C": OCT & CONFIDENTIAL}),
    *[
        read(f"api.extension.{key}", f"/api/v1/extension-requests/{{{key}}}/", who)
        for key, who in EXTENSION_READERS.items()
    ],
    *[
        read(f"page.submission.{key}", f"/reporting/submissions/{{{key}}}/", who, shows={marker: who} if marker else {})
        for key, (who, marker) in SUBMISSIONS.items()
    ],
    *[
        read(f"api.submission.{key}", f"/api/v1/submissions/{{{key}}}/", who, shows={marker: who} if marker else {})
        for key, (who, marker) in SUBMISSIONS.items()
    ],
    read(
        "page.versions.s7_submitted", "/reporting/submissions/{s7_submitted}/versions/", SUBMISSIONS["s7_submitted"][0]
    ),
    read(
        "api.versions.s7_accepted_c",
        "/api/v1/submissions/{s7_accepted_c}/versions/1/",
        SUBMISSIONS["s7_accepted_c"][0],
        shows={"MK-S7-ACCEPTED-C": SUBMISSIONS["s7_accepted_c"][0]},
    ),
    # A version keeps the classification it was submitted with (s7_lowered: confidential, then
    # unclassified): its text is for those cleared for it.
    read(
        "page.submission-review.s7_lowered",
        "/reporting/submissions/{s7_lowered}/",
        SUBMISSIONS["s7_lowered"][0],
        shows={"MK-S7-V2-U": SUBMISSIONS["s7_lowered"][0], "MK-S7-V1-C": OCT & CONFIDENTIAL},
    ),
    read(
        "page.versions.s7_lowered",
        "/reporting/submissions/{s7_lowered}/versions/",
        SUBMISSIONS["s7_lowered"][0],
        shows={"MK-S7-V1-C": (OCT | LEAD7) & CONFIDENTIAL},
    ),
    read(
        "api.version-1.s7_lowered",
        "/api/v1/submissions/{s7_lowered}/versions/1/",
        (OCT | LEAD7) & CONFIDENTIAL,
        shows={"MK-S7-V1-C": (OCT | LEAD7) & CONFIDENTIAL},
    ),
    read(
        "api.version-diff.s7_lowered",
        "/api/v1/submissions/{s7_lowered}/versions/diff/?a=1&b=2",
        (OCT | LEAD7) & CONFIDENTIAL,
        shows={"MK-S7-V1-C": (OCT | LEAD7) & CONFIDENTIAL},
    ),
    read(
        "api.versions.s7_lowered",
        "/api/v1/submissions/{s7_lowered}/versions/",
        SUBMISSIONS["s7_lowered"][0],
        shows={'"number":1': (OCT | LEAD7) & CONFIDENTIAL},
    ),
    read("page.editor.s7_draft", "/reporting/submissions/{s7_draft}/edit/", LEAD7),
    read("page.editor.s7_draft_c", "/reporting/submissions/{s7_draft_c}/edit/", frozenset({"chair7"})),
    Row("page.editor.s7_closed_draft", "GET", "/reporting/submissions/{s7_closed_draft}/edit/", expect(back=LEAD7)),
    # The draft as a Word file (issue 21): its editors, as the editor page.
    read("page.draft-word.s7_draft", "/reporting/submissions/{s7_draft}/word/", LEAD7),
    read("page.draft-word.s7_draft_c", "/reporting/submissions/{s7_draft_c}/word/", frozenset({"chair7"})),
    Row("page.draft-word.s7_closed_draft", "GET", "/reporting/submissions/{s7_closed_draft}/word/", expect(back=LEAD7)),
    read(
        "page.attachment.a7",
        "/reporting/submissions/{s7_draft}/attachments/{a7}/",
        SUBMISSIONS["s7_draft"][0],
    ),
    read(
        "api.indicator-values.s7_returned.read",
        "/api/v1/submissions/{s7_returned}/indicator-values/",
        SUBMISSIONS["s7_returned"][0],
    ),
    # Compiled reports and their editions.
    read(
        "page.compiled",
        "/reporting/compiled/",
        OCT | COMMITTEE,
        hides={
            "/reporting/compiled/consolidated/{cr_prep}/": SIGNED_IN - OCT,
            "/reporting/compiled/editions/{ed_cr_final}/download/": SIGNED_IN - ((OCT | COMMITTEE) & CONFIDENTIAL),
            "/reporting/compiled/annual/{ar_await}/": SIGNED_IN - OCT - {"usg"},
        },
    ),
    read(
        "page.consolidated.text-c",
        "/reporting/compiled/consolidated/{cr_conf}/",
        OCT,
        shows={"MK-CR-TEXT-C": OCT & CONFIDENTIAL},
        hides={'href="/reporting/submissions/{s7_submitted_sc}/"': SIGNED_IN - (OCT & STRICTLY)},
    ),
    read("page.consolidated.prep", "/reporting/compiled/consolidated/{cr_prep}/", OCT, shows={"MK-CR-TEXT": OCT}),
    read("page.consolidated.final", "/reporting/compiled/consolidated/{cr_final}/", OCT | (COMMITTEE & CONFIDENTIAL)),
    read("page.edition.prep", "/reporting/compiled/editions/{ed_cr_prep}/download/", OCT),
    read("page.edition.text-c", "/reporting/compiled/editions/{ed_cr_conf}/download/", OCT & CONFIDENTIAL),
    read(
        "page.edition.final",
        "/reporting/compiled/editions/{ed_cr_final}/download/",
        (OCT | COMMITTEE) & CONFIDENTIAL,
    ),
    read(
        "page.edition-status.final",
        "/reporting/compiled/editions/{ed_cr_final}/status/",
        (OCT | COMMITTEE) & CONFIDENTIAL,
    ),
    read("page.annual.awaiting", "/reporting/compiled/annual/{ar_await}/", OCT | {"usg"}),
    read("page.annual.preparing", "/reporting/compiled/annual/{ar_prep}/", OCT | {"usg"}),
    read(
        "page.annual.text-c",
        "/reporting/compiled/annual/{ar_2026}/",
        OCT | {"usg"},
        shows={"MK-AR-TEXT-C": (OCT | {"usg"}) & CONFIDENTIAL, "MK-EARLY-C": (OCT | {"usg"}) & CONFIDENTIAL},
    ),
    read("page.edition.annual", "/reporting/compiled/editions/{ed_ar_await}/download/", OCT | {"usg"}),
    read("page.edition.pack", "/reporting/compiled/editions/{ed_pack}/download/", MEETING_READERS & CONFIDENTIAL),
    # The same editions as Word files: who reads the PDF, and nobody else.
    read("page.edition-word.prep", "/reporting/compiled/editions/{ed_cr_prep}/download.docx", OCT),
    read("page.edition-word.text-c", "/reporting/compiled/editions/{ed_cr_conf}/download.docx", OCT & CONFIDENTIAL),
    read(
        "page.edition-word.final",
        "/reporting/compiled/editions/{ed_cr_final}/download.docx",
        (OCT | COMMITTEE) & CONFIDENTIAL,
    ),
    read("page.edition-word.annual", "/reporting/compiled/editions/{ed_ar_await}/download.docx", OCT | {"usg"}),
    read(
        "page.edition-word.pack", "/reporting/compiled/editions/{ed_pack}/download.docx", MEETING_READERS & CONFIDENTIAL
    ),
    # The Committee's meetings: minutes being written are OCT's, approved ones the Committee's.
    read("page.meetings", "/reporting/committee/", MEETING_READERS),
    # The reporting dashboard draws every input's outcome, never its text.
    read(
        "page.reporting-dashboard",
        "/reporting/dashboard/",
        OCT | COMMITTEE,
        hides={marker: SIGNED_IN for _readers, marker in SUBMISSIONS.values() if marker},
    ),
    read(
        "page.meeting.held",
        "/reporting/committee/{m_held}/",
        MEETING_READERS,
        shows={"MK-MINUTES-HELD": OCT & CONFIDENTIAL},
        hides={'href="/reporting/submissions/{s7_accepted_sc}/"': SIGNED_IN - SUBMISSIONS["s7_accepted_sc"][0]},
    ),
    read(
        "page.meeting.approved",
        "/reporting/committee/{m_approved}/",
        MEETING_READERS,
        shows={"MK-MINUTES-APPROVED": MEETING_READERS & CONFIDENTIAL},
        hides={"/reporting/compiled/editions/{ed_pack}/": SIGNED_IN - (MEETING_READERS & CONFIDENTIAL)},
    ),
    read(
        "page.minutes.m_held.form",
        "/reporting/committee/{m_held}/minutes/",
        OCT & CONFIDENTIAL,  # like the review's and the briefing's editors: text above clearance is a 404
        shows={"MK-MINUTES-HELD": OCT & CONFIDENTIAL},
    ),
    read(
        "api.meeting.held",
        "/api/v1/committee-meetings/{m_held}/",
        MEETING_READERS,
        shows={"MK-MINUTES-HELD": OCT & CONFIDENTIAL},
    ),
    read(
        "api.agenda-link.held",
        "/api/v1/committee-meetings/{m_held}/",
        MEETING_READERS,
        shows={'"submission":{s7_accepted_sc}': SUBMISSIONS["s7_accepted_sc"][0] & MEETING_READERS},
    ),
    read(
        "api.meeting.approved",
        "/api/v1/committee-meetings/{m_approved}/",
        MEETING_READERS,
        shows={"MK-MINUTES-APPROVED": MEETING_READERS & CONFIDENTIAL},
    ),
    read("api.cascade.cascade2", "/api/v1/committee-cascade-briefings/{cascade2}/", MEETING_READERS),
    read("api.programme-outputs", "/api/v1/programmes/{prog}/outputs/", PROGRAMME_READERS),
    read("api.programme-versions", "/api/v1/programmes/{prog}/versions/", PROGRAMME_READERS),
    read("api.action-point.ap7", "/api/v1/committee-action-points/{ap7}/", MEETING_READERS),
    read("api.action-point.ap_unesco", "/api/v1/committee-action-points/{ap_unesco}/", MEETING_READERS | FOCAL),
    # The programme of work and its indicator.
    read("page.programmes", "/reporting/programme/", PROGRAMME_READERS),
    read("page.programme", "/reporting/programme/{prog}/", PROGRAMME_READERS),
    read("page.programme-version", "/reporting/programme/{prog}/versions/1/", PROGRAMME_READERS),
    read("page.programme-compare", "/reporting/programme/{prog}/compare/", PROGRAMME_READERS),
    read("page.programme-edit.form", "/reporting/programme/{prog}/edit/", OCT),
    read("api.programme", "/api/v1/programmes/{prog}/", PROGRAMME_READERS),
    read("api.programme-version", "/api/v1/programme-versions/{v1}/", PROGRAMME_READERS),
    read("api.programme-compare", "/api/v1/programmes/{prog}/compare/?old=1", PROGRAMME_READERS),
    read("api.priority", "/api/v1/programme-priorities/{pri}/", PROGRAMME_READERS),
    read("api.result", "/api/v1/programme-results/{res}/", PROGRAMME_READERS),
    read("page.monitoring", "/reporting/monitoring/", PROGRAMME_READERS),
    read("page.framework", "/reporting/monitoring/programmes/{prog}/", PROGRAMME_READERS),
    # WG 2's value (4321) is in a confidential report: counted only for readers cleared for it.
    read(
        "page.indicator",
        "/reporting/monitoring/indicators/{ind}/",
        PROGRAMME_READERS,
        shows={"4321": PROGRAMME_READERS & CONFIDENTIAL},
    ),
    read("page.indicator-edit.form", "/reporting/monitoring/indicators/{ind}/edit/", OCT),
    read(
        "api.indicator",
        "/api/v1/indicators/{ind}/",
        PROGRAMME_READERS,
        shows={"4321": PROGRAMME_READERS & CONFIDENTIAL},
    ),
    # The biennial review: comments within clearance, the outcome once concluded.
    read("page.reviews", "/review/", REVIEW_READERS),
    read("page.review.preparing", "/review/{rev_prep}/", OCT),
    read(
        "page.review.open",
        "/review/{rev_open}/",
        REVIEW_READERS,
        shows={
            "MK-COMMENT-UNESCO-U": REVIEW_READERS,
            "MK-COMMENT-CTED-U": OCT | COMMITTEE,
            "MK-COMMENT-OHCHR-C": (OCT | COMMITTEE) & CONFIDENTIAL,
        },
    ),
    read(
        "page.review.closed", "/review/{rev_closed}/", REVIEW_READERS, shows={"MK-OUTCOME-CLOSED": OCT & CONFIDENTIAL}
    ),
    read(
        "page.review.concluded",
        "/review/{rev_concluded}/",
        REVIEW_READERS,
        shows={"MK-OUTCOME-CONCLUDED": REVIEW_READERS & CONFIDENTIAL},
    ),
    read("page.review-edit.closed.form", "/review/{rev_closed}/edit/", OCT & CONFIDENTIAL),
    # A comment's form: the entity's focal points, or OCT on its behalf, within clearance, while open.
    read(
        "page.comment-form.unesco",
        "/review/{rev_open}/comments/UNESCO/",
        OCT | FOCAL,
        shows={"MK-COMMENT-UNESCO-U": OCT | FOCAL},
    ),
    read(
        "page.comment-form.ohchr",
        "/review/{rev_open}/comments/OHCHR/",
        OCT & CONFIDENTIAL,
        shows={"MK-COMMENT-OHCHR-C": OCT & CONFIDENTIAL},
    ),
    # OCT and the Committee follow who has commented; a focal point does not.
    read(
        "api.review.open",
        "/api/v1/biennial-reviews/{rev_open}/",
        REVIEW_READERS,
        shows={'"progress":"commented"': OCT | COMMITTEE},
    ),
    read(
        "api.review.concluded",
        "/api/v1/biennial-reviews/{rev_concluded}/",
        REVIEW_READERS,
        shows={"MK-OUTCOME-CONCLUDED": REVIEW_READERS & CONFIDENTIAL},
    ),
    read(
        "api.review.closed",
        "/api/v1/biennial-reviews/{rev_closed}/",
        REVIEW_READERS,
        shows={"MK-OUTCOME-CLOSED": OCT & CONFIDENTIAL},
    ),
    read("api.review.preparing", "/api/v1/biennial-reviews/{rev_prep}/", OCT),
    read(
        "api.comment.unesco",
        "/api/v1/review-comments/{c_unesco}/",
        REVIEW_READERS,
        shows={"MK-COMMENT-UNESCO-U": REVIEW_READERS},
    ),
    read(
        "api.comment.ohchr",
        "/api/v1/review-comments/{c_ohchr}/",
        (OCT | COMMITTEE) & CONFIDENTIAL,
        shows={"MK-COMMENT-OHCHR-C": (OCT | COMMITTEE) & CONFIDENTIAL},
    ),
    # Consultation rounds: OCT, the USG and the consulted entities; a comment to its entity (and OCT, the USG).
    read("page.consultations", "/reporting/consultations/", CONSULTATION_LISTERS),
    read("page.consultation-new.form", "/reporting/consultations/new/", OCT),
    read(
        "page.consultation.open",
        "/reporting/consultations/{cons_open}/",
        CONSULTED,
        shows={"MK-CONS-UNESCO-U": UNESCO_COMMENT_READERS, "MK-CONS-OHCHR-C": OHCHR_COMMENT_READERS},
    ),
    read("page.consultation.draft", "/reporting/consultations/{cons_draft}/", OCT),
    read(
        "page.consultation-comment.unesco",
        "/reporting/consultations/{cons_open}/comments/UNESCO/introduction/",
        FOCAL,  # the entity's own comment: OCT changes only the comments it recorded from a letter
        shows={"MK-CONS-UNESCO-U": FOCAL},
    ),
    read(
        "page.consultation-comment.ohchr",
        "/reporting/consultations/{cons_open}/comments/OHCHR/introduction/",
        {"chair7"} & CONFIDENTIAL,
        shows={"MK-CONS-OHCHR-C": {"chair7"} & CONFIDENTIAL},
    ),
    read(
        "api.consultation.open",
        "/api/v1/consultation-rounds/{cons_open}/",
        CONSULTED,
        shows={'"comments":1': OCT | {"usg"}},
    ),
    read("api.consultation.draft", "/api/v1/consultation-rounds/{cons_draft}/", OCT),
    read(
        "api.consultation-comment.unesco",
        "/api/v1/consultation-comments/{cm_unesco}/",
        UNESCO_COMMENT_READERS,
        shows={"MK-CONS-UNESCO-U": UNESCO_COMMENT_READERS},
    ),
    read(
        "api.consultation-comment.ohchr",
        "/api/v1/consultation-comments/{cm_ohchr}/",
        OHCHR_COMMENT_READERS,
        shows={"MK-CONS-OHCHR-C": OHCHR_COMMENT_READERS},
    ),
    # Briefings to Member States: the USG's and OCT's; notes within clearance.
    # The Trust Fund's contributors: everyone signed in (A/72/840, Annex V is public).
    read("page.trust-fund", "/trust-fund/", SIGNED_IN),
    read(
        "page.reorganisations", "/working-groups/reorganisations/", SIGNED_IN, shows={"MK-REORG-DRAFT": REORG_READERS}
    ),
    read("page.reorganisation", "/working-groups/reorganisations/{reorg}/", REORG_READERS),
    read("page.reorganisation-new.form", "/working-groups/reorganisations/new/", OCT),
    read("api.reorganisations", "/api/v1/reorganisations/", SIGNED_IN, shows={"MK-REORG-DRAFT": REORG_READERS}),
    read("api.reorganisation", "/api/v1/reorganisations/{reorg}/", REORG_READERS),
    read("api.trust-fund", "/api/v1/trust-fund/contributions/", SIGNED_IN, shows={"MK-TF-C": CONFIDENTIAL}),
    # A donor's page and API: everyone signed in; each contribution and earmark within clearance.
    read("page.trust-fund.donor", "/trust-fund/donors/NO/", SIGNED_IN, shows={"MK-EM-C": CONFIDENTIAL}),
    read("api.trust-fund.donor", "/api/v1/trust-fund/donors/no/", SIGNED_IN, shows={"MK-EM-C": CONFIDENTIAL}),
    read(
        "page.trust-fund.contribution.c",
        "/trust-fund/contributions/{tf_c}/",
        CONFIDENTIAL,
        shows={"MK-TF-C": CONFIDENTIAL},
    ),
    read("page.trust-fund.contribution.u", "/trust-fund/contributions/{tf_u}/", SIGNED_IN),
    read("api.trust-fund.contribution.c", "/api/v1/trust-fund/contributions/{tf_c}/", CONFIDENTIAL),
    read("api.trust-fund.earmarks", "/api/v1/trust-fund/earmarks/", SIGNED_IN, shows={"MK-EM-C": CONFIDENTIAL}),
    read("api.trust-fund.earmark.c", "/api/v1/trust-fund/earmarks/{em_c}/", CONFIDENTIAL),
    read("page.trust-fund.contribution-new.form", "/trust-fund/contributions/new/", OCT),
    read("page.trust-fund.contribution-edit.form.c", "/trust-fund/contributions/{tf_c}/edit/", OCT & CONFIDENTIAL),
    # Resource mobilisation: OCT and the USG (lines within clearance).
    read("page.resources", "/reporting/resources/?year=2026", OCT | {"usg"}),
    read("page.resources.csv", "/reporting/resources/export.csv?year=2026", OCT | {"usg"}),
    read("api.resources", "/api/v1/resources/?year=2026", OCT | {"usg"}),
    read("page.briefings", "/outreach/briefings/", BRIEFERS),
    # CTED's country visits: everyone signed in within clearance; the assessment CTED's, and OCT's once shared.
    read("page.visits", "/visits/", SIGNED_IN, hides={"MK-VISIT-SHARED-C": ALL, "MK-VISIT-WITHHELD-C": ALL}),
    read(
        "page.visit.shared", "/visits/{v_shared}/", CONFIDENTIAL, shows={"MK-VISIT-SHARED-C": VISIT_ASSESSMENT_READERS}
    ),
    read("page.visit.withheld", "/visits/{v_withheld}/", CONFIDENTIAL, shows={"MK-VISIT-WITHHELD-C": CTED}),
    read(
        "api.visit.shared",
        "/api/v1/country-visits/{v_shared}/",
        CONFIDENTIAL,
        shows={"MK-VISIT-SHARED-C": VISIT_ASSESSMENT_READERS},
    ),
    read(
        "api.visit.withheld", "/api/v1/country-visits/{v_withheld}/", CONFIDENTIAL, shows={"MK-VISIT-WITHHELD-C": CTED}
    ),
    read("page.visit.planned", "/visits/{v_planned_u}/", SIGNED_IN),
    read("page.visit-new.form", "/visits/new/", CTED),
    read("page.visit-edit.form", "/visits/{v_planned_u}/edit/", CTED),
    read(
        "page.country.tn",
        "/projects/countries/TN/",
        SIGNED_IN,
        hides={"MK-VISIT-WITHHELD-C": ALL},
    ),
    read("page.briefing.c", "/outreach/briefings/{br_draft}/", BRIEFERS, shows={"MK-NOTES-C": BRIEFERS & CONFIDENTIAL}),
    read(
        "page.briefing.sc", "/outreach/briefings/{br_draft_sc}/", BRIEFERS, shows={"MK-NOTES-SC": BRIEFERS & STRICTLY}
    ),
    read("page.briefing-edit.sc.form", "/outreach/briefings/{br_draft_sc}/edit/", BRIEFERS & STRICTLY),
    read(
        "api.briefing.c",
        "/api/v1/member-state-briefings/{br_draft}/",
        BRIEFERS,
        shows={"MK-NOTES-C": BRIEFERS & CONFIDENTIAL},
    ),
    read(
        "api.briefing.sc",
        "/api/v1/member-state-briefings/{br_draft_sc}/",
        BRIEFERS,
        shows={"MK-NOTES-SC": BRIEFERS & STRICTLY},
    ),
    read("page.briefing-cadence.form", "/outreach/briefings/cadence/", BRIEFERS),
    read("api.briefing-cadence", "/api/v1/briefing-cadence/", BRIEFERS),
    # The project matrix: every signed-in reader, within clearance.
    read(
        "page.projects",
        "/projects/",
        SIGNED_IN,
        shows={"MK-PJ-UNESCO-U": SIGNED_IN, "MK-PJ-UNESCO-C": CONFIDENTIAL, "MK-PJ-OHCHR-SC": STRICTLY},
    ),
    read(
        "page.projects-export",
        "/projects/export.csv",
        SIGNED_IN,
        shows={"MK-PJ-UNESCO-U": SIGNED_IN, "MK-PJ-UNESCO-C": CONFIDENTIAL, "MK-PJ-OHCHR-SC": STRICTLY},
    ),
    read(
        "page.projects-country",
        "/projects/countries/JO/",
        SIGNED_IN,
        shows={"MK-PJ-UNESCO-U": SIGNED_IN, "MK-PJ-UNESCO-C": CONFIDENTIAL, "MK-PJ-OHCHR-SC": STRICTLY},
    ),
    read("page.projects-pivots", "/projects/pivots/", SIGNED_IN),
    read("page.projects-map", "/projects/map/", SIGNED_IN),
    read("page.projects-export-xlsx", "/projects/export.xlsx", SIGNED_IN),
    # The IATI file: unclassified projects only, whoever reads (docs/iati.md).
    read("page.projects-iati", "/projects/iati/", SIGNED_IN),
    read(
        "page.projects-export-iati",
        "/projects/export.iati.xml",
        SIGNED_IN,
        shows={"MK-PJ-UNESCO-U": SIGNED_IN},
        hides={"MK-PJ-UNESCO-C": ALL, "MK-PJ-OHCHR-SC": ALL},
    ),
    read(
        "api.projects-iati",
        "/api/v1/projects/iati/",
        SIGNED_IN,
        shows={"MK-PJ-UNESCO-U": SIGNED_IN},
        hides={"MK-PJ-UNESCO-C": ALL, "MK-PJ-OHCHR-SC": ALL},
    ),
    read("api.projects-pivot", "/api/v1/projects/pivots/country-pillar/", SIGNED_IN),
    read("page.project.u", "/projects/{pj_u}/", SIGNED_IN),
    read("page.project.c", "/projects/{pj_c}/", CONFIDENTIAL, shows={"MK-PJ-UNESCO-C": CONFIDENTIAL}),
    read("page.project.sc", "/projects/{pj_sc}/", STRICTLY, shows={"MK-PJ-OHCHR-SC": STRICTLY}),
    read("page.project-edit.own.form", "/projects/{pj_u}/edit/", OCT | FOCAL),
    read("page.project-edit.other.form", "/projects/{pj_u2}/edit/", OCT),
    read("page.project-edit.c.form", "/projects/{pj_c}/edit/", OCT & CONFIDENTIAL),
    read("page.project-new", "/projects/new/", OCT | FOCAL),
    read("page.overlaps", "/projects/overlaps/", OCT, shows=PROJECT_MARKERS_OCT),
    read("page.project-themes", "/projects/themes/?state=all", OCT, shows=PROJECT_MARKERS_OCT),
    read("page.project-themes-change.u", "/projects/{pj_u}/themes/", OCT),
    read(
        "page.project-themes-change.c",
        "/projects/{pj_c}/themes/",
        OCT & CONFIDENTIAL,
        shows={"MK-PJ-UNESCO-C": OCT & CONFIDENTIAL},
    ),
    read("page.matrix-import", "/projects/import/", OCT),
    read("page.matrix-quality", "/projects/quality/?show=mentions", OCT),
    read("page.matrix-template", "/projects/import/template.csv", OCT),
    read("api.project.c", "/api/v1/projects/{pj_c}/", CONFIDENTIAL, shows={"MK-PJ-UNESCO-C": CONFIDENTIAL}),
    read("api.project.sc", "/api/v1/projects/{pj_sc}/", STRICTLY, shows={"MK-PJ-OHCHR-SC": STRICTLY}),
    read("api.overlaps", "/api/v1/projects/overlaps/", OCT, shows=PROJECT_MARKERS_OCT),
    # The public summary's draft reads unclassified data only.
    read(
        "api.briefing-draft-summary.read",
        "/api/v1/member-state-briefings/{br_draft}/draft-summary/",
        BRIEFERS,
        shows=dict.fromkeys(CLASSIFIED_MARKERS, ()),
    ),
    read("api.matrix-imports", "/api/v1/matrix-imports/", OCT, others="403"),
    read("page.briefing-new.form", "/outreach/briefings/new/", BRIEFERS),
    read("page.review-new.form", "/review/new/", OCT),
    read("page.programme-new.form", "/reporting/programme/new/", OCT),
    read("page.meeting-new.form", "/reporting/committee/new/", OCT),
    read("page.meeting-edit.form", "/reporting/committee/{m_planned}/edit/", OCT),
    read("page.indicator-new.form", "/reporting/monitoring/programmes/{prog}/indicators/new/", OCT),
    # Sign-on requests: OCT's.
    read("page.signon-queue", "/sign-on/review/", OCT),
    read("page.signon-request", "/sign-on/review/{so_cons}/", OCT),
    read("api.signon-request", "/api/v1/sign-on-requests/{so_cons}/", OCT),
    # The admin: the superusers' only extra right; its records are read within clearance.
    Row(
        "page.admin-submission.s7_accepted_c",
        "GET",
        "/admin/reporting/submission/{s7_accepted_c}/change/",
        expect({"oct_admin"}, back={"root"}, others=ADMIN_LOGIN, anon=ADMIN_LOGIN),
        shows={"MK-S7-ACCEPTED-C": frozenset({"oct_admin"})},
    ),
    Row(
        "page.admin-meeting.m_held",
        "GET",
        "/admin/reporting/meeting/{m_held}/change/",
        expect({"oct_admin"}, back={"root"}, others=ADMIN_LOGIN, anon=ADMIN_LOGIN),
        shows={"MK-MINUTES-HELD": frozenset({"oct_admin"})},
    ),
    read(
        "page.admin-submissions",
        "/admin/reporting/submission/?q=7",
        SUPERUSERS,
        others=ADMIN_LOGIN,
        anon=ADMIN_LOGIN,
    ),
]

# --- Lists: what each persona finds listed --------------------------------------------------------------

LISTINGS: list[Listing] = [
    Listing("submissions", "/api/v1/submissions/", {key: who for key, (who, _) in SUBMISSIONS.items()}),
    Listing("extension-requests", "/api/v1/extension-requests/", EXTENSION_READERS),
    Listing("reporting-periods", "/api/v1/reporting-periods/", {"p_q3_26": SIGNED_IN, "p_q4_26": SIGNED_IN}),
    Listing("scheduler-events", "/api/v1/scheduler-events/", {"sched": OCT}),
    Listing(
        "committee-meetings",
        "/api/v1/committee-meetings/",
        {"m_planned": MEETING_READERS, "m_held": MEETING_READERS, "m_approved": MEETING_READERS},
    ),
    Listing(
        "committee-action-points",
        "/api/v1/committee-action-points/",
        {"ap7": MEETING_READERS, "ap_unesco": MEETING_READERS | FOCAL, "ap_done": MEETING_READERS},
    ),
    Listing("committee-cascade-briefings", "/api/v1/committee-cascade-briefings/", {"cascade2": MEETING_READERS}),
    Listing("programmes", "/api/v1/programmes/", {"prog": PROGRAMME_READERS}),
    Listing("programme-versions", "/api/v1/programme-versions/", {"v1": PROGRAMME_READERS}),
    Listing("programme-priorities", "/api/v1/programme-priorities/", {"pri": PROGRAMME_READERS}),
    Listing("indicators", "/api/v1/indicators/", {"ind": PROGRAMME_READERS}),
    Listing(
        "biennial-reviews",
        "/api/v1/biennial-reviews/",
        {
            "rev_prep": OCT,
            "rev_open": REVIEW_READERS,
            "rev_open2": REVIEW_READERS,
            "rev_closed": REVIEW_READERS,
            "rev_concluded": REVIEW_READERS,
        },
    ),
    Listing(
        "review-comments",
        "/api/v1/review-comments/",
        {"c_unesco": REVIEW_READERS, "c_cted": OCT | COMMITTEE, "c_ohchr": (OCT | COMMITTEE) & CONFIDENTIAL},
    ),
    Listing("consultation-rounds", "/api/v1/consultation-rounds/", {"cons_open": CONSULTED, "cons_draft": OCT}),
    Listing(
        "consultation-comments",
        "/api/v1/consultation-comments/",
        {"cm_unesco": UNESCO_COMMENT_READERS, "cm_ohchr": OHCHR_COMMENT_READERS},
    ),
    Listing(
        "member-state-briefings",
        "/api/v1/member-state-briefings/",
        {"br_draft": BRIEFERS, "br_draft_sc": BRIEFERS, "br_published": BRIEFERS},
    ),
    Listing(
        "projects",
        "/api/v1/projects/",
        {"pj_u": SIGNED_IN, "pj_u2": SIGNED_IN, "pj_c": CONFIDENTIAL, "pj_sc": STRICTLY},
    ),
    Listing("sign-on-requests", "/api/v1/sign-on-requests/", {"so_cons": OCT, "so_own": OCT}),
    Listing(
        "country-visits",
        "/api/v1/country-visits/",
        {"v_shared": CONFIDENTIAL, "v_withheld": CONFIDENTIAL, "v_planned_u": SIGNED_IN},
    ),
    Listing("calendar-rules", "/api/v1/calendar-rules/", {"rule_q3": OCT}, id_field="kind"),
    Listing("programme-results", "/api/v1/programme-results/", {"res": PROGRAMME_READERS}),
]

# --- Writes: every workflow move and edit, by page and by API ------------------------------------------------

S7_DRAFT = fields("s7_draft", "status", "revision", "work_plan_progress")
SUBMITTED = becomes(status="submitted")

WRITES: list[Row] = [
    # --- A group's input: the chair and vice-chair edit and submit, OCT reviews ---
    write(
        "api.save.s7_draft",
        "PATCH",
        "/api/v1/submissions/{s7_draft}/",
        {"base_revision": revision("s7_draft"), "fields": {"work_plan_progress": "Edited."}},
        S7_DRAFT,
        becomes(work_plan_progress="Edited."),
        ok=LEAD7,
        forbidden=OCT,
    ),
    write(
        "api.save.s7_draft_c",
        "PATCH",
        "/api/v1/submissions/{s7_draft_c}/",
        {"base_revision": revision("s7_draft_c"), "fields": {"work_plan_progress": "Edited."}},
        fields("s7_draft_c", "revision", "work_plan_progress"),
        becomes(work_plan_progress="Edited."),
        ok={"chair7"},
        forbidden=OCT & CONFIDENTIAL,
    ),
    write(
        "api.save.s7_submitted",
        "PATCH",
        "/api/v1/submissions/{s7_submitted}/",
        {"base_revision": revision("s7_submitted"), "fields": {"work_plan_progress": "Edited."}},
        fields("s7_submitted", "revision", "work_plan_progress"),
        changed,
        conflict=LEAD7,
        forbidden=OCT,
    ),
    write(
        "api.save.s7_closed_draft",
        "PATCH",
        "/api/v1/submissions/{s7_closed_draft}/",
        {"base_revision": revision("s7_closed_draft"), "fields": {"summary": "Edited."}},
        fields("s7_closed_draft", "revision", "summary"),
        changed,
        bad=LEAD7,
        forbidden=OCT,
    ),
    write(
        "api.save-above-clearance.s7_draft",
        "PATCH",
        "/api/v1/submissions/{s7_draft}/",
        {"base_revision": revision("s7_draft"), "classification": "confidential"},
        fields("s7_draft", "classification", "revision"),
        becomes(classification="confidential"),
        ok={"chair7"},
        bad={"vice7"},
        forbidden=OCT,
    ),
    write(
        "api.submit.s7_draft",
        "POST",
        "/api/v1/submissions/{s7_draft}/transitions/",
        {"action": "submit"},
        S7_DRAFT,
        SUBMITTED,
        ok=LEAD7,
        forbidden=OCT,
    ),
    write(
        "api.submit.s7_closed_draft",
        "POST",
        "/api/v1/submissions/{s7_closed_draft}/transitions/",
        {"action": "submit"},
        fields("s7_closed_draft", "status"),
        SUBMITTED,
        bad=LEAD7,
        forbidden=OCT,
    ),
    write(
        "api.resubmit.s7_returned",
        "POST",
        "/api/v1/submissions/{s7_returned}/transitions/",
        {"action": "resubmit"},
        fields("s7_returned", "status"),
        becomes(status="resubmitted"),
        ok=LEAD7,
        forbidden=OCT,
    ),
    write(
        "api.accept.s7_submitted",
        "POST",
        "/api/v1/submissions/{s7_submitted}/transitions/",
        {"action": "accept"},
        fields("s7_submitted", "status"),
        becomes(status="accepted"),
        ok=OCT,
        forbidden=LEAD7,
    ),
    write(
        "api.return.s7_submitted",
        "POST",
        "/api/v1/submissions/{s7_submitted}/transitions/",
        {"action": "return", "comment": "Please add the figures."},
        fields("s7_submitted", "status"),
        becomes(status="returned"),
        ok=OCT,
        forbidden=LEAD7,
    ),
    write(
        "api.accept.s7_submitted_sc",
        "POST",
        "/api/v1/submissions/{s7_submitted_sc}/transitions/",
        {"action": "accept"},
        fields("s7_submitted_sc", "status"),
        becomes(status="accepted"),
        ok=OCT & STRICTLY,
    ),
    write(
        "api.accept.s5_submitted",
        "POST",
        "/api/v1/submissions/{s5_submitted}/transitions/",
        {"action": "accept"},
        fields("s5_submitted", "status"),
        becomes(status="accepted"),
        ok=OCT - {"oct_sc"},
        four_eyes={"oct_sc"},
    ),
    write(
        "api.return.s5_submitted",
        "POST",
        "/api/v1/submissions/{s5_submitted}/transitions/",
        {"action": "return", "comment": "Please add the figures."},
        fields("s5_submitted", "status"),
        becomes(status="returned"),
        ok=OCT - {"oct_sc"},
        four_eyes={"oct_sc"},
    ),
    write(
        "api.resubmit.s2_returned_closed",
        "POST",
        "/api/v1/submissions/{s2_returned_closed}/transitions/",
        {"action": "resubmit"},
        fields("s2_returned_closed", "status"),
        becomes(status="resubmitted"),
        bad={"chair2"},
        forbidden=OCT,
    ),
    write(
        "api.indicator-values.s7_closed_draft",
        "PUT",
        "/api/v1/submissions/{s7_closed_draft}/indicator-values/",
        {"values": [{"indicator": "{ind_2024}", "value": "3"}]},
        count(IndicatorValue, submission="{s7_closed_draft}"),
        grows(),
        bad=LEAD7,
        forbidden=OCT,
    ),
    write(
        "api.accept.s2_submitted_closed",
        "POST",
        "/api/v1/submissions/{s2_submitted_closed}/transitions/",
        {"action": "accept"},
        fields("s2_submitted_closed", "status"),
        becomes(status="accepted"),
        ok=OCT,
        forbidden={"chair2"},
    ),
    write(
        "api.return.s2_submitted_closed",
        "POST",
        "/api/v1/submissions/{s2_submitted_closed}/transitions/",
        {"action": "return", "comment": "Please add the figures."},
        fields("s2_submitted_closed", "status"),
        becomes(status="returned"),
        bad=OCT,
        forbidden={"chair2"},
    ),
    write(
        "api.reopen.s7_accepted",
        "POST",
        "/api/v1/submissions/{s7_accepted}/transitions/",
        {"action": "reopen", "comment": "A figure is wrong."},
        fields("s7_accepted", "status"),
        becomes(status="returned"),
        ok=OCT,
        forbidden=(LEAD7 | COMMITTEE) - OCT,
    ),
    write(
        "api.reopen.s7_accepted_c.closed-period",
        "POST",
        "/api/v1/submissions/{s7_accepted_c}/transitions/",
        {"action": "reopen", "comment": "A figure is wrong."},
        fields("s7_accepted_c", "status"),
        becomes(status="returned"),
        bad=OCT & CONFIDENTIAL,
        forbidden=((LEAD7 | COMMITTEE) - OCT) & CONFIDENTIAL,
    ),
    write(
        "api.indicator-values.s7_returned",
        "PUT",
        "/api/v1/submissions/{s7_returned}/indicator-values/",
        {"values": [{"indicator": "{ind}", "value": "12"}]},
        count(IndicatorValue, submission="{s7_returned}"),
        grows(),
        ok=LEAD7,
        forbidden=OCT,
    ),
    write(
        "page.save.s7_draft",
        "POST",
        "/reporting/submissions/{s7_draft}/edit/",
        {"base_revision": revision("s7_draft"), "classification": "unclassified", "work_plan_progress": "Edited."},
        S7_DRAFT,
        becomes(work_plan_progress="Edited."),
        ok=LEAD7,
    ),
    write(
        "page.save.s7_draft_c",
        "POST",
        "/reporting/submissions/{s7_draft_c}/edit/",
        {"base_revision": revision("s7_draft_c"), "classification": "confidential", "work_plan_progress": "Edited."},
        fields("s7_draft_c", "revision", "work_plan_progress"),
        becomes(work_plan_progress="Edited."),
        ok={"chair7"},
    ),
    write(
        "page.save.s7_closed_draft",
        "POST",
        "/reporting/submissions/{s7_closed_draft}/edit/",
        {"base_revision": revision("s7_closed_draft"), "classification": "unclassified", "summary": "Edited."},
        fields("s7_closed_draft", "revision", "summary"),
        changed,
        back=LEAD7,
    ),
    write(
        "page.submit.s7_draft",
        "POST",
        "/reporting/submissions/{s7_draft}/act/",
        {"action": "submit"},
        S7_DRAFT,
        SUBMITTED,
        ok=LEAD7,
    ),
    write(
        "page.accept.s7_submitted",
        "POST",
        "/reporting/submissions/{s7_submitted}/act/",
        {"action": "accept"},
        fields("s7_submitted", "status"),
        becomes(status="accepted"),
        ok=OCT,
    ),
    write(
        "page.return.s7_submitted",
        "POST",
        "/reporting/submissions/{s7_submitted}/act/",
        {"action": "return", "comment": "Please add the figures."},
        fields("s7_submitted", "status"),
        becomes(status="returned"),
        ok=OCT,
    ),
    write(
        "page.accept.s5_submitted",
        "POST",
        "/reporting/submissions/{s5_submitted}/act/",
        {"action": "accept"},
        fields("s5_submitted", "status"),
        becomes(status="accepted"),
        ok=OCT - {"oct_sc"},
        four_eyes={"oct_sc"},
    ),
    write(
        "page.resubmit.s7_returned",
        "POST",
        "/reporting/submissions/{s7_returned}/act/",
        {"action": "resubmit"},
        fields("s7_returned", "status"),
        becomes(status="resubmitted"),
        ok=LEAD7,
    ),
    write(
        "page.reopen.s7_accepted",
        "POST",
        "/reporting/submissions/{s7_accepted}/act/",
        {"action": "reopen", "comment": "A figure is wrong."},
        fields("s7_accepted", "status"),
        becomes(status="returned"),
        ok=OCT,
    ),
    write(
        "page.save-values.s7_returned",
        "POST",
        "/reporting/submissions/{s7_returned}/edit/",
        {
            "base_revision": revision("s7_returned"),
            "classification": "unclassified",
            "summary": "Figures added.",
            "indicator-{ind}-total": "12",
        },
        count(IndicatorValue, submission="{s7_returned}"),
        grows(),
        ok=LEAD7,
    ),
    write(
        "page.attach.s7_draft",
        "POST",
        "/reporting/submissions/{s7_draft}/attachments/",
        {"file": a_pdf},
        count(Attachment, submission="{s7_draft}"),
        grows(),
        ok=LEAD7,
    ),
    write(
        "page.attach.s7_closed_draft",
        "POST",
        "/reporting/submissions/{s7_closed_draft}/attachments/",
        {"file": a_pdf},
        count(Attachment, submission="{s7_closed_draft}"),
        grows(),
        back=LEAD7,
    ),
    write(
        "page.detach.a7",
        "POST",
        "/reporting/submissions/{s7_draft}/attachments/{a7}/remove/",
        None,
        count(Attachment, submission="{s7_draft}"),
        grows(-1),
        ok=LEAD7,
    ),
    # --- More time: a group's leaders ask and withdraw, OCT decides (not who asked) ---
    write(
        "api.extension-ask.s7_draft",
        "POST",
        "/api/v1/extension-requests/",
        {"submission": "{s7_draft}", "until": "2026-10-20", "reason": "Waiting for field data."},
        count(ExtensionRequest, submission="{s7_draft}"),
        grows(),
        ok=LEAD7,
        forbidden=OCT,
        bad=SIGNED_IN - LEAD7 - OCT,
    ),
    write(
        "api.extension-ask.s7_closed_draft",
        "POST",
        "/api/v1/extension-requests/",
        {"submission": "{s7_closed_draft}", "until": "2026-10-20", "reason": "Waiting for field data."},
        count(ExtensionRequest, submission="{s7_closed_draft}"),
        grows(),
        forbidden=OCT,
        bad=SIGNED_IN - OCT,
    ),
    write(
        "api.extension-approve.e7",
        "POST",
        "/api/v1/extension-requests/{e7}/transitions/",
        {"action": "approve"},
        fields("e7", "status"),
        becomes(status="approved"),
        ok=OCT,
        forbidden=LEAD7,
    ),
    write(
        "api.extension-decline.e7",
        "POST",
        "/api/v1/extension-requests/{e7}/transitions/",
        {"action": "decline", "comment": "The period closes soon."},
        fields("e7", "status"),
        becomes(status="declined"),
        ok=OCT,
        forbidden=LEAD7,
    ),
    write(
        "api.extension-withdraw.e7",
        "POST",
        "/api/v1/extension-requests/{e7}/transitions/",
        {"action": "withdraw"},
        fields("e7", "status"),
        becomes(status="withdrawn"),
        ok=LEAD7,
        forbidden=OCT,
    ),
    write(
        "api.extension-approve.e7c",
        "POST",
        "/api/v1/extension-requests/{e7c}/transitions/",
        {"action": "approve"},
        fields("e7c", "status"),
        becomes(status="approved"),
        ok=OCT & CONFIDENTIAL,
        forbidden={"chair7"},
    ),
    write(
        "api.extension-approve.e5",
        "POST",
        "/api/v1/extension-requests/{e5}/transitions/",
        {"action": "approve"},
        fields("e5", "status"),
        becomes(status="approved"),
        ok=OCT - {"oct_sc"},
        four_eyes={"oct_sc"},
    ),
    write(
        "page.extension-ask.s7_draft",
        "POST",
        "/reporting/submissions/{s7_draft}/extension/",
        {"until": "2026-10-20", "reason": "Waiting for field data."},
        count(ExtensionRequest, submission="{s7_draft}"),
        grows(),
        ok=LEAD7,
    ),
    write(
        "page.extension-approve.e7",
        "POST",
        "/reporting/extensions/{e7}/act/",
        {"action": "approve"},
        fields("e7", "status"),
        becomes(status="approved"),
        ok=OCT,
    ),
    write(
        "page.extension-decline.e7",
        "POST",
        "/reporting/extensions/{e7}/act/",
        {"action": "decline", "comment": "The period closes soon."},
        fields("e7", "status"),
        becomes(status="declined"),
        ok=OCT,
    ),
    write(
        "page.extension-withdraw.e7",
        "POST",
        "/reporting/extensions/{e7}/act/",
        {"action": "withdraw"},
        fields("e7", "status"),
        becomes(status="withdrawn"),
        ok=LEAD7,
    ),
    write(
        "page.extension-approve.e5",
        "POST",
        "/reporting/extensions/{e5}/act/",
        {"action": "approve"},
        fields("e5", "status"),
        becomes(status="approved"),
        ok=OCT - {"oct_sc"},
        four_eyes={"oct_sc"},
    ),
    # --- Periods and the calendar: OCT's ---
    write(
        "api.period-create",
        "POST",
        "/api/v1/reporting-periods/",
        {
            "kind": "q1",
            "covers_from": "2027-01-01",
            "covers_until": "2027-03-31",
            "opens_on": "2027-03-15",
            "due_on": "2027-04-10",
        },
        count(ReportingPeriod, kind="q1", covers_from=datetime.date(2027, 1, 1)),
        grows(),
        ok=OCT,
        others="403",
    ),
    write(
        "api.period-open.p_q4_26",
        "POST",
        "/api/v1/reporting-periods/{p_q4_26}/open/",
        None,
        fields("p_q4_26", "state"),
        becomes(state="open"),
        ok=OCT,
        others="403",
    ),
    write(
        "api.period-close.p_q3_26",
        "POST",
        "/api/v1/reporting-periods/{p_q3_26}/close/",
        None,
        fields("p_q3_26", "state"),
        becomes(state="closed"),
        ok=OCT,
        others="403",
    ),
    write(
        "api.period-reopen.p_q3_24",
        "POST",
        "/api/v1/reporting-periods/{p_q3_24}/reopen/",
        {"closes_on": "2026-10-31", "reason": "Late data from the field."},
        fields("p_q3_24", "state"),
        becomes(state="open"),
        ok=OCT,
        others="403",
    ),
    write(
        "page.period-create",
        "POST",
        "/reporting/periods/new/",
        {
            "kind": "q1",
            "covers_from": "2027-01-01",
            "covers_until": "2027-03-31",
            "opens_on": "2027-03-15",
            "due_on": "2027-04-10",
        },
        count(ReportingPeriod, kind="q1", covers_from=datetime.date(2027, 1, 1)),
        grows(),
        ok=OCT,
    ),
    write(
        "page.period-open.p_q4_26",
        "POST",
        "/reporting/periods/{p_q4_26}/act/",
        {"action": "open"},
        fields("p_q4_26", "state"),
        becomes(state="open"),
        ok=OCT,
    ),
    write(
        "page.period-close.p_q3_26",
        "POST",
        "/reporting/periods/{p_q3_26}/act/",
        {"action": "close"},
        fields("p_q3_26", "state"),
        becomes(state="closed"),
        ok=OCT,
    ),
    write(
        "page.period-reopen.p_q3_24",
        "POST",
        "/reporting/periods/{p_q3_24}/reopen/",
        {"closes_on": "2026-10-31", "reason": "Late data from the field."},
        fields("p_q3_24", "state"),
        becomes(state="open"),
        ok=OCT,
    ),
    write(
        "api.calendar-rule.q3",
        "PATCH",
        "/api/v1/calendar-rules/q3/",
        {"due_day": 12},
        fields("rule_q3", "due_day"),
        becomes(due_day=12),
        ok=OCT,
    ),
    write(
        "page.calendar-rule.q3",
        "POST",
        "/reporting/calendar/q3/",
        rule_form(due_day=12),
        fields("rule_q3", "due_day"),
        becomes(due_day=12),
        ok=OCT,
    ),
    # --- Compiled reports: OCT writes and generates; the USG approves the annual report ---
    write(
        "page.consolidated-start.p_q3_26",
        "POST",
        "/reporting/compiled/consolidated/start/",
        {"period": "{p_q3_26}"},
        count(ConsolidatedReport, period="{p_q3_26}"),
        grows(),
        ok=OCT,
    ),
    write(
        "page.report-text.cr_prep",
        "POST",
        "/reporting/compiled/consolidated/{cr_prep}/",
        {
            "base_revision": revision("cr_prep"),
            "symbol": "",
            "text_classification": "unclassified",
            "executive_summary": "A new summary.",
            "observations": "",
        },
        fields("cr_prep", "executive_summary"),
        becomes(executive_summary="A new summary."),
        ok=OCT,
    ),
    write(
        "page.report-text.cr_conf",
        "POST",
        "/reporting/compiled/consolidated/{cr_conf}/",
        {
            "base_revision": revision("cr_conf"),
            "symbol": "",
            "text_classification": "confidential",
            "executive_summary": "A new summary.",
            "observations": "",
        },
        fields("cr_conf", "executive_summary"),
        becomes(executive_summary="A new summary."),
        ok=OCT & CONFIDENTIAL,
    ),
    write(
        "page.edition-request.cr_conf",
        "POST",
        "/reporting/compiled/consolidated/{cr_conf}/generate/",
        None,
        count(ReportEdition, consolidated_report="{cr_conf}"),
        grows(),
        ok=OCT & CONFIDENTIAL,
    ),
    write(
        "page.mark-final.ed_cr_conf",
        "POST",
        "/reporting/compiled/editions/{ed_cr_conf}/final/",
        None,
        fields("ed_cr_conf", "is_final"),
        becomes(is_final=True),
        ok=OCT & CONFIDENTIAL,
    ),
    write(
        "page.edition-request.cr_prep",
        "POST",
        "/reporting/compiled/consolidated/{cr_prep}/generate/",
        None,
        count(ReportEdition, consolidated_report="{cr_prep}"),
        grows(),
        ok=OCT,
    ),
    write(
        "page.mark-final.ed_cr_prep",
        "POST",
        "/reporting/compiled/editions/{ed_cr_prep}/final/",
        None,
        fields("ed_cr_prep", "is_final"),
        becomes(is_final=True),
        ok=OCT,
    ),
    write(
        "page.annual-early-reason.ar_2026",
        "POST",
        "/reporting/compiled/annual/{ar_2026}/early-reason/",
        {"reason": "The Secretary-General asked for it early."},
        fields("ar_2026", "early_reason"),
        changed,
        ok=OCT & CONFIDENTIAL,  # the reason is OCT's text, at its classification
    ),
    write(
        "page.annual-start.2023",
        "POST",
        "/reporting/compiled/annual/start/",
        {"year": 2023},
        count(AnnualReport, year=2023),
        grows(),
        ok=OCT,
    ),
    write(
        "page.annual-submit.ar_prep",
        "POST",
        "/reporting/compiled/annual/{ar_prep}/act/",
        {"action": "submit"},
        fields("ar_prep", "state"),
        becomes(state="awaiting-approval"),
        ok=OCT,
    ),
    write(
        "page.annual-approve.ar_await",
        "POST",
        "/reporting/compiled/annual/{ar_await}/act/",
        {"action": "approve"},
        fields("ar_await", "state"),
        becomes(state="final"),
        ok={"usg"},
    ),
    write(
        "page.annual-return.ar_await",
        "POST",
        "/reporting/compiled/annual/{ar_await}/act/",
        {"action": "return", "comment": "Shorter, please."},
        fields("ar_await", "state"),
        becomes(state="in-preparation"),
        ok={"usg"},
    ),
    # --- The Committee's meetings: OCT records them; owners close their action points ---
    write(
        "api.meeting-create",
        "POST",
        "/api/v1/committee-meetings/",
        {"date": "2026-11-20", "start_time": "10:00", "end_time": "12:00", "place": "Vienna"},
        count(Meeting, place="Vienna"),
        grows(),
        ok=OCT,
    ),
    write(
        "api.meeting-edit.m_planned",
        "PATCH",
        "/api/v1/committee-meetings/{m_planned}/",
        {"place": "Nairobi"},
        fields("m_planned", "place"),
        becomes(place="Nairobi"),
        ok=OCT,
    ),
    write(
        "api.meeting-hold.m_planned",
        "POST",
        "/api/v1/committee-meetings/{m_planned}/transitions/",
        {"action": "hold"},
        fields("m_planned", "state"),
        becomes(state="held"),
        ok=OCT,
    ),
    write(
        "api.minutes.m_held",
        "PUT",
        "/api/v1/committee-meetings/{m_held}/minutes/",
        {"minutes": "Revised minutes.", "classification": "confidential"},
        fields("m_held", "minutes"),
        becomes(minutes="Revised minutes."),
        ok=OCT & CONFIDENTIAL,
        bad={"oct_u"},
    ),
    write(
        "api.minutes-downgrade.m_held",
        "PUT",
        "/api/v1/committee-meetings/{m_held}/minutes/",
        {"minutes": "Nothing to see.", "classification": "unclassified"},
        fields("m_held", "minutes", "minutes_classification"),
        becomes(minutes="Nothing to see.", minutes_classification="unclassified"),
        ok=OCT & CONFIDENTIAL,
        bad={"oct_u"},
    ),
    write(
        "api.approve-minutes.m_held",
        "POST",
        "/api/v1/committee-meetings/{m_held}/transitions/",
        {"action": "approve_minutes"},
        fields("m_held", "state"),
        becomes(state="minutes-approved"),
        ok=OCT & CONFIDENTIAL,
    ),
    write(
        "api.decision.m_held",
        "POST",
        "/api/v1/committee-meetings/{m_held}/decisions/",
        {"text": "A second decision."},
        count(Decision, meeting="{m_held}"),
        grows(),
        ok=OCT,
    ),
    write(
        "api.action-point-add.m_held",
        "POST",
        "/api/v1/committee-meetings/{m_held}/action-points/",
        {"text": "Report back.", "due_on": "2026-11-01", "owner_entity": "UNESCO"},
        count(ActionPoint, meeting="{m_held}"),
        grows(),
        ok=OCT,
    ),
    write(
        "api.agenda-add.m_held",
        "POST",
        "/api/v1/committee-meetings/{m_held}/agenda/",
        {"kind": "other", "title": "Next meeting"},
        count(AgendaItem, meeting="{m_held}"),
        grows(),
        ok=OCT,
    ),
    write(
        "api.attendance.m_held",
        "POST",
        "/api/v1/committee-meetings/{m_held}/attendance/",
        {"entity": "OHCHR", "person_name": "B. Delegate"},
        count(Attendance, meeting="{m_held}"),
        grows(),
        ok=OCT,
    ),
    write(
        "api.briefing-pack.m_held",
        "POST",
        "/api/v1/committee-meetings/{m_held}/briefing-pack/",
        None,
        count(ReportEdition, meeting="{m_held}"),
        grows(),
        ok=OCT & STRICTLY,  # the pack reproduces WG 7's strictly confidential briefing
    ),
    write(
        "api.agenda-item-edit.i_other",
        "PATCH",
        "/api/v1/committee-agenda-items/{i_other}/",
        {"title": "AOB"},
        fields("i_other", "title"),
        becomes(title="AOB"),
        ok=OCT,
    ),
    write(
        "api.agenda-item-move.i_other",
        "POST",
        "/api/v1/committee-agenda-items/{i_other}/move/",
        {"direction": "up"},
        fields("i_other", "position"),
        changed,
        ok=OCT,
    ),
    write(
        "api.agenda-item-remove.i_other",
        "DELETE",
        "/api/v1/committee-agenda-items/{i_other}/",
        None,
        fields("i_other", "title"),
        gone,
        ok=OCT,
    ),
    write(
        "api.cascade.i_policy",
        "POST",
        "/api/v1/committee-agenda-items/{i_policy}/cascade/",
        {"group": "{wg7}", "briefed_on": "2026-09-12", "note": "Briefed the group."},
        count(CascadeBriefing, agenda_item="{i_policy}"),
        grows(),
        ok=OCT | LEAD7 | {"chair2"},
        bad={"usg"},
    ),
    write(
        "api.action-done.ap7",
        "POST",
        "/api/v1/committee-action-points/{ap7}/transitions/",
        {"action": "mark_done"},
        fields("ap7", "status"),
        becomes(status="done"),
        ok=OCT | LEAD7,
    ),
    write(
        "api.action-done.ap_unesco",
        "POST",
        "/api/v1/committee-action-points/{ap_unesco}/transitions/",
        {"action": "mark_done"},
        fields("ap_unesco", "status"),
        becomes(status="done"),
        ok=OCT | FOCAL,
    ),
    write(
        "api.action-drop.ap7",
        "POST",
        "/api/v1/committee-action-points/{ap7}/transitions/",
        {"action": "drop"},
        fields("ap7", "status"),
        becomes(status="dropped"),
        ok=OCT,
    ),
    write(
        "api.action-reopen.ap_done",
        "POST",
        "/api/v1/committee-action-points/{ap_done}/transitions/",
        {"action": "reopen"},
        fields("ap_done", "status"),
        becomes(status="open"),
        ok=OCT,
    ),
    write(
        "page.meeting-create",
        "POST",
        "/reporting/committee/new/",
        {"date": "2026-11-20", "start_time": "10:00", "end_time": "12:00", "place": "Vienna"},
        count(Meeting, place="Vienna"),
        grows(),
        ok=OCT,
    ),
    write(
        "page.meeting-hold.m_planned",
        "POST",
        "/reporting/committee/{m_planned}/act/",
        {"action": "hold"},
        fields("m_planned", "state"),
        becomes(state="held"),
        ok=OCT,
    ),
    write(
        "page.minutes.m_held",
        "POST",
        "/reporting/committee/{m_held}/minutes/",
        {"minutes": "Revised minutes.", "classification": "confidential"},
        fields("m_held", "minutes"),
        becomes(minutes="Revised minutes."),
        ok=OCT & CONFIDENTIAL,  # the editor of minutes above an officer's clearance is a 404, as its page
        hides={"MK-MINUTES-HELD": SIGNED_IN},
    ),
    write(
        "page.approve-minutes.m_held",
        "POST",
        "/reporting/committee/{m_held}/act/",
        {"action": "approve_minutes"},
        fields("m_held", "state"),
        becomes(state="minutes-approved"),
        ok=OCT & CONFIDENTIAL,
    ),
    write(
        "page.decision.m_held",
        "POST",
        "/reporting/committee/{m_held}/decisions/",
        {"text": "A second decision."},
        count(Decision, meeting="{m_held}"),
        grows(),
        ok=OCT,
    ),
    write(
        "page.action-done.ap7",
        "POST",
        "/reporting/committee/actions/{ap7}/act/",
        {"action": "mark_done"},
        fields("ap7", "status"),
        becomes(status="done"),
        ok=OCT | LEAD7,
    ),
    write(
        "page.action-done.ap_unesco",
        "POST",
        "/reporting/committee/actions/{ap_unesco}/act/",
        {"action": "mark_done"},
        fields("ap_unesco", "status"),
        becomes(status="done"),
        ok=OCT | FOCAL,
    ),
    write(
        "page.cascade.i_policy",
        "POST",
        "/reporting/committee/items/{i_policy}/cascade/",
        {"group": "{wg7}", "briefed_on": "2026-09-12", "note": "Briefed the group."},
        count(CascadeBriefing, agenda_item="{i_policy}"),
        grows(),
        ok=OCT | LEAD7 | {"chair2"},
        bad={"usg", "member"},
    ),
    write(
        "page.briefing-pack.m_held",
        "POST",
        "/reporting/committee/{m_held}/briefing-pack/",
        None,
        count(ReportEdition, meeting="{m_held}"),
        grows(),
        ok=OCT & STRICTLY,  # the pack reproduces WG 7's strictly confidential briefing
    ),
    write(
        "page.meeting-edit.m_planned",
        "POST",
        "/reporting/committee/{m_planned}/edit/",
        {"date": "2026-10-20", "start_time": "10:00", "end_time": "12:00", "place": "Nairobi"},
        fields("m_planned", "place"),
        becomes(place="Nairobi"),
        ok=OCT,
    ),
    write(
        "page.agenda-build.m_planned",
        "POST",
        "/reporting/committee/{m_planned}/agenda/build/",
        {"period": "{p_q1_26}"},
        count(AgendaItem, meeting="{m_planned}"),
        grows(),
        ok=OCT,
    ),
    write(
        "api.agenda-build.m_planned",
        "POST",
        "/api/v1/committee-meetings/{m_planned}/agenda/build/",
        {"period": "{p_q1_26}"},
        count(AgendaItem, meeting="{m_planned}"),
        grows(),
        ok=OCT,
    ),
    write(
        "page.agenda-add.m_held",
        "POST",
        "/reporting/committee/{m_held}/agenda/add/",
        {"kind": "other", "title": "Next meeting"},
        count(AgendaItem, meeting="{m_held}"),
        grows(),
        ok=OCT,
    ),
    write(
        "page.agenda-item-edit.i_other",
        "POST",
        "/reporting/committee/items/{i_other}/",
        {"title": "AOB"},
        fields("i_other", "title"),
        becomes(title="AOB"),
        ok=OCT,
    ),
    write(
        "page.agenda-item-move.i_other",
        "POST",
        "/reporting/committee/items/{i_other}/move/",
        {"direction": "up"},
        fields("i_other", "position"),
        changed,
        ok=OCT,
    ),
    write(
        "page.agenda-item-remove.i_other",
        "POST",
        "/reporting/committee/items/{i_other}/remove/",
        None,
        fields("i_other", "title"),
        gone,
        ok=OCT,
    ),
    write(
        "page.attendance.m_held",
        "POST",
        "/reporting/committee/{m_held}/attendance/",
        {"entity": entity_id("OHCHR"), "person_name": "B. Delegate"},
        count(Attendance, meeting="{m_held}"),
        grows(),
        ok=OCT,
    ),
    write(
        "page.attendance-remove.m_held",
        "POST",
        "/reporting/committee/{m_held}/attendance/{attendance_cted}/remove/",
        None,
        count(Attendance, meeting="{m_held}"),
        grows(-1),
        ok=OCT,
    ),
    write(
        "api.attendance-remove.m_held",
        "DELETE",
        "/api/v1/committee-meetings/{m_held}/attendance/{attendance_cted}/",
        None,
        count(Attendance, meeting="{m_held}"),
        grows(-1),
        ok=OCT,
    ),
    write(
        "page.action-point-add.m_held",
        "POST",
        "/reporting/committee/{m_held}/actions/",
        {"text": "Report back.", "due_on": "2026-11-01", "owner_entity": entity_id("UNESCO")},
        count(ActionPoint, meeting="{m_held}"),
        grows(),
        ok=OCT,
    ),
    # --- The programme of work: OCT edits; its adoption is recorded by someone who did not change it ---
    write(
        "api.programme-edit",
        "PATCH",
        "/api/v1/programmes/{prog}/",
        {"base_revision": revision("prog"), "title": "Programme of work, renamed"},
        fields("prog", "title"),
        becomes(title="Programme of work, renamed"),
        ok=OCT,
        forbidden=PROGRAMME_READERS - OCT,
    ),
    write(
        "api.programme-adopt",
        "POST",
        "/api/v1/programmes/{prog}/adopt/",
        {"decision": "{d_held}", "change_note": "Renamed.", "base_revision": revision("prog")},
        count(ProgrammeVersion, programme="{prog}"),
        grows(),
        ok=OCT - {"oct_sc"},
        four_eyes={"oct_sc"},
        forbidden=PROGRAMME_READERS - OCT,
    ),
    write(
        "api.reorganisation-adopt",
        "POST",
        "/api/v1/reorganisations/{reorg}/transitions/",
        {"action": "adopt", "decision": "{d_held}", "revision": revision("reorg")},
        fields("reorg", "state"),
        becomes(state="adopted"),
        ok=OCT - {"oct_sc"},
        four_eyes={"oct_sc"},
        forbidden=REORG_READERS - OCT,
    ),
    write(
        "api.reorganisation-create",
        "POST",
        "/api/v1/reorganisations/",
        {"title": "Another draft", "effective_on": "2026-09-14"},
        count(Reorganisation),
        grows(),
        ok=OCT,
        forbidden=SIGNED_IN - OCT,
    ),
    write(
        "api.reorganisation-target-add",
        "POST",
        "/api/v1/reorganisations/{reorg}/targets/",
        {"number": 8, "name": "Borders", "short_name": "Borders"},
        count(ReorganisationTarget, reorganisation="{reorg}"),
        grows(),
        ok=OCT,
        forbidden=REORG_READERS - OCT,
    ),
    write(
        "api.reorganisation-mapping",
        "PUT",
        "/api/v1/reorganisations/{reorg}/mappings/{wg7}/",
        {"targets": ["{reorg_target}"]},
        count(ReorganisationMapping, reorganisation="{reorg}"),
        grows(),
        ok=OCT,
        forbidden=REORG_READERS - OCT,
    ),
    write(
        "page.reorganisation-adopt",
        "POST",
        "/working-groups/reorganisations/{reorg}/act/",
        {"action": "adopt", "decision": "{d_held}", "base_revision": revision("reorg")},
        fields("reorg", "state"),
        becomes(state="adopted"),
        ok=OCT - {"oct_sc"},
        four_eyes={"oct_sc"},
    ),
    write(
        "page.reorganisation-edit",
        "POST",
        "/working-groups/reorganisations/{reorg}/edit/",
        {"title": "Renamed draft", "effective_on": "2026-09-14", "base_revision": revision("reorg")},
        fields("reorg", "title"),
        becomes(title="Renamed draft"),
        ok=OCT,
    ),
    write(
        "page.reorganisation-target-add",
        "POST",
        "/working-groups/reorganisations/{reorg}/targets/",
        {"number": "8", "name": "Borders", "short_name": "Borders"},
        count(ReorganisationTarget, reorganisation="{reorg}"),
        grows(),
        ok=OCT,
    ),
    write(
        "page.reorganisation-target-remove",
        "POST",
        "/working-groups/reorganisations/{reorg}/targets/{reorg_target}/remove/",
        {},
        count(ReorganisationTarget, reorganisation="{reorg}"),
        grows(-1),
        ok=OCT,
    ),
    write(
        "page.reorganisation-mapping",
        "POST",
        "/working-groups/reorganisations/{reorg}/mapping/{wg7}/",
        {"map-{wg7}-targets": ["{reorg_target}"], "map-{wg7}-carry_roles": "on"},
        count(ReorganisationMapping, reorganisation="{reorg}"),
        grows(),
        ok=OCT,
    ),
    write(
        "api.priority-add",
        "POST",
        "/api/v1/programme-priorities/",
        {"programme": "{prog}", "code": "3", "title": "Gender equality"},
        count(Priority, programme="{prog}"),
        grows(),
        ok=OCT,
        forbidden=PROGRAMME_READERS - OCT,
        bad=SIGNED_IN - PROGRAMME_READERS,
    ),
    write(
        "api.priority-edit",
        "PATCH",
        "/api/v1/programme-priorities/{pri}/",
        {"title": "Human rights, renamed"},
        fields("pri", "title"),
        becomes(title="Human rights, renamed"),
        ok=OCT,
        forbidden=PROGRAMME_READERS - OCT,
    ),
    write(
        "api.result-remove",
        "DELETE",
        "/api/v1/programme-results/{res}/",
        None,
        fields("res", "text"),
        gone,
        ok=OCT,
        forbidden=PROGRAMME_READERS - OCT,
    ),
    write(
        "page.programme-edit",
        "POST",
        "/reporting/programme/{prog}/edit/",
        {"biennium_start": 2026, "title": "Programme of work, renamed", "base_revision": revision("prog")},
        fields("prog", "title"),
        becomes(title="Programme of work, renamed"),
        ok=OCT,
    ),
    write(
        "page.programme-adopt",
        "POST",
        "/reporting/programme/{prog}/adopt/",
        {"decision": "{d_held}", "change_note": "Renamed.", "base_revision": revision("prog")},
        count(ProgrammeVersion, programme="{prog}"),
        grows(),
        ok=OCT - {"oct_sc"},
        four_eyes={"oct_sc"},
    ),
    write(
        "page.priority-add",
        "POST",
        "/reporting/programme/{prog}/priorities/new/",
        {"code": "3", "title": "Gender equality", "pillars": ["I"], "base_revision": revision("prog")},
        count(Priority, programme="{prog}"),
        grows(),
        ok=OCT,
    ),
    write(
        "page.programme-create",
        "POST",
        "/reporting/programme/new/",
        {"biennium_start": 2028, "title": "Programme of work 2028–2029"},
        count(ProgrammeOfWork, biennium_start=2028),
        grows(),
        ok=OCT,
    ),
    write(
        "page.priority-edit",
        "POST",
        "/reporting/programme/priorities/{pri}/edit/",
        {"code": "1", "title": "Human rights, renamed", "pillars": ["IV"], "base_revision": revision("prog")},
        fields("pri", "title"),
        becomes(title="Human rights, renamed"),
        ok=OCT,
    ),
    write(
        "page.result-add",
        "POST",
        "/reporting/programme/priorities/{pri}/results/new/",
        {"text": "Workshops held.", "base_revision": revision("prog")},
        count(ExpectedResult, priority="{pri}"),
        grows(),
        ok=OCT,
    ),
    write(
        "page.result-edit",
        "POST",
        "/reporting/programme/results/{res}/edit/",
        {"text": "Guidance adopted and used.", "base_revision": revision("prog")},
        fields("res", "text"),
        becomes(text="Guidance adopted and used."),
        ok=OCT,
    ),
    write(
        "page.result-remove",
        "POST",
        "/reporting/programme/results/{res}/remove/",
        None,
        fields("res", "text"),
        gone,
        ok=OCT,
    ),
    write(
        "page.priority-remove",
        "POST",
        "/reporting/programme/priorities/{pri}/remove/",
        None,
        fields("pri", "title"),
        gone,
        ok=OCT,
    ),
    write(
        "page.priority-move",
        "POST",
        "/reporting/programme/priorities/{pri2}/move/",
        {"direction": "up"},
        fields("pri2", "position"),
        changed,
        ok=OCT,
    ),
    write(
        "page.result-move",
        "POST",
        "/reporting/programme/results/{res2}/move/",
        {"direction": "up"},
        fields("res2", "position"),
        changed,
        ok=OCT,
    ),
    write(
        "api.priority-move",
        "POST",
        "/api/v1/programme-priorities/{pri2}/move/",
        {"direction": "up"},
        fields("pri2", "position"),
        changed,
        ok=OCT,
        forbidden=PROGRAMME_READERS - OCT,
    ),
    write(
        "api.result-move",
        "POST",
        "/api/v1/programme-results/{res2}/move/",
        {"direction": "up"},
        fields("res2", "position"),
        changed,
        ok=OCT,
        forbidden=PROGRAMME_READERS - OCT,
    ),
    # --- The M&E framework: OCT's ---
    write(
        "api.indicator-add",
        "POST",
        "/api/v1/indicators/",
        {
            "programme": "{prog}",
            "code": "1.3",
            "name": "Guidance notes issued",
            "definition": "Notes the group issued.",
            "unit": "notes",
            "target": "10",
        },
        count(Indicator, programme="{prog}"),
        grows(),
        ok=OCT,
        others="403",
    ),
    write(
        "api.indicator-edit",
        "PATCH",
        "/api/v1/indicators/{ind}/",
        {"name": "Officials trained, renamed"},
        fields("ind", "name"),
        becomes(name="Officials trained, renamed"),
        ok=OCT,
        forbidden=PROGRAMME_READERS - OCT,
    ),
    write(
        "api.indicator-remove",
        "DELETE",
        "/api/v1/indicators/{ind2}/",
        None,
        fields("ind2", "name"),
        gone,
        ok=OCT,
        forbidden=PROGRAMME_READERS - OCT,
    ),
    write(
        "page.indicator-remove",
        "POST",
        "/reporting/monitoring/indicators/{ind2}/remove/",
        None,
        fields("ind2", "name"),
        gone,
        ok=OCT,
    ),
    write(
        "page.indicator-add",
        "POST",
        "/reporting/monitoring/programmes/{prog}/indicators/new/",
        {
            "code": "1.3",
            "name": "Guidance notes issued",
            "definition": "Notes the group issued.",
            "unit": "notes",
            "target": "10",
            "direction": "increase",
            "aggregation": "sum",
            "frequency": "mid-year",
        },
        count(Indicator, programme="{prog}"),
        grows(),
        ok=OCT,
    ),
    write(
        "page.indicator-move",
        "POST",
        "/reporting/monitoring/indicators/{ind2}/move/",
        {"direction": "up"},
        fields("ind2", "position"),
        changed,
        ok=OCT,
    ),
    # --- Consultation rounds: OCT moves them, the consulted entities comment for themselves ---
    write(
        "api.consultation-comment-add",
        "POST",
        "/api/v1/consultation-comments/",
        {
            "round": "{cons_open}",
            "entity": "UNESCO",
            "section": "priority-{pri}",
            "text": "Ours.",
            "classification": "unclassified",
        },
        count(ConsultationComment, round="{cons_open}"),
        grows(),
        ok=OCT | FOCAL,
        forbidden={"usg", "chair7"},
        bad={"vice7", "chair2", "member", "root"},
    ),
    write(
        "page.consultation-comment-add",
        "POST",
        "/reporting/consultations/{cons_open}/comments/UNESCO/priority-{pri}/",
        {"text": "Ours.", "classification": "unclassified"},
        count(ConsultationComment, round="{cons_open}"),
        grows(),
        ok=OCT | FOCAL,
    ),
    write(
        "api.consultation-comment-edit.cm_unesco",
        "PATCH",
        "/api/v1/consultation-comments/{cm_unesco}/",
        {"revision": revision("cm_unesco"), "text": "Ours, changed.", "classification": "unclassified"},
        fields("cm_unesco", "text"),
        becomes(text="Ours, changed."),
        ok=FOCAL,
        forbidden={"usg"} | OCT,  # UNESCO's own comment: not OCT's to rewrite or withdraw
    ),
    write(
        "api.consultation-comment-withdraw.cm_unesco",
        "DELETE",
        "/api/v1/consultation-comments/{cm_unesco}/",
        None,
        fields("cm_unesco", "text"),
        gone,
        ok=FOCAL,
        forbidden={"usg"} | OCT,  # UNESCO's own comment: not OCT's to rewrite or withdraw
    ),
    write(
        "api.consultation-close.cons_open",
        "POST",
        "/api/v1/consultation-rounds/{cons_open}/transitions/",
        {"action": "close"},
        fields("cons_open", "state"),
        becomes(state="closed"),
        ok=OCT,
        forbidden={"usg", "focal", "chair7"},
    ),
    write(
        "page.consultation-open.cons_draft",
        "POST",
        "/reporting/consultations/{cons_draft}/act/",
        {"action": "open"},
        fields("cons_draft", "state"),
        becomes(state="open"),
        ok=OCT,
    ),
    # --- The biennial review: OCT runs it, focal points comment, who wrote the outcome does not conclude ---
    write(
        "api.review-edit.rev_open",
        "PATCH",
        "/api/v1/biennial-reviews/{rev_open}/",
        {"revision": revision("rev_open"), "title": "Review of the Compact, renamed"},
        fields("rev_open", "title"),
        becomes(title="Review of the Compact, renamed"),
        ok=OCT,
        forbidden=REVIEW_READERS - OCT,
    ),
    write(
        "api.review-open.rev_prep",
        "POST",
        "/api/v1/biennial-reviews/{rev_prep}/transitions/",
        {"action": "open"},
        fields("rev_prep", "state"),
        becomes(state="open"),
        ok=OCT,
    ),
    write(
        "api.review-close.rev_open",
        "POST",
        "/api/v1/biennial-reviews/{rev_open}/transitions/",
        {"action": "close"},
        fields("rev_open", "state"),
        becomes(state="closed"),
        ok=OCT,
        forbidden=REVIEW_READERS - OCT,
    ),
    write(
        "api.review-conclude.rev_closed",
        "POST",
        "/api/v1/biennial-reviews/{rev_closed}/transitions/",
        {"action": "conclude"},
        fields("rev_closed", "state"),
        becomes(state="concluded"),
        ok=(OCT & CONFIDENTIAL) - {"oct_sc"},
        four_eyes={"oct_sc"},
        forbidden=(REVIEW_READERS - OCT) | {"oct_u"},
    ),
    write(
        "api.review-outcome.rev_closed",
        "PATCH",
        "/api/v1/biennial-reviews/{rev_closed}/",
        {"revision": revision("rev_closed"), "outcome": "A new synthesis.", "outcome_classification": "confidential"},
        fields("rev_closed", "outcome"),
        becomes(outcome="A new synthesis."),
        ok=OCT & CONFIDENTIAL,
        forbidden=REVIEW_READERS - OCT,
    ),
    write(
        "api.review-reopen.rev_closed",
        "POST",
        "/api/v1/biennial-reviews/{rev_closed}/transitions/",
        {"action": "reopen", "reason": "A late letter from a member."},
        fields("rev_closed", "state"),
        becomes(state="open"),
        ok=OCT,
        forbidden=REVIEW_READERS - OCT,
    ),
    write(
        "api.comment-add.rev_open2",
        "POST",
        "/api/v1/review-comments/",
        {"review": "{rev_open2}", "entity": "UNESCO", "text": "Our comment.", "classification": "unclassified"},
        count(ReviewComment, review="{rev_open2}"),
        grows(),
        ok=OCT | FOCAL,
        forbidden=COMMITTEE - OCT,
        bad={"root"},
    ),
    write(
        "api.comment-add.other-entity",
        "POST",
        "/api/v1/review-comments/",
        {"review": "{rev_open2}", "entity": "OHCHR", "text": "Their comment.", "classification": "unclassified"},
        count(ReviewComment, review="{rev_open2}"),
        grows(),
        ok=OCT,
        forbidden=(COMMITTEE - OCT) | FOCAL,
        bad={"root"},
    ),
    write(
        "api.comment-edit.c_unesco",
        "PATCH",
        "/api/v1/review-comments/{c_unesco}/",
        {"revision": revision("c_unesco"), "text": "Our comment, changed.", "classification": "unclassified"},
        fields("c_unesco", "text"),
        becomes(text="Our comment, changed."),
        ok=OCT | FOCAL,
        forbidden=COMMITTEE - OCT,
    ),
    write(
        "api.comment-above-clearance.c_unesco",
        "PATCH",
        "/api/v1/review-comments/{c_unesco}/",
        {"revision": revision("c_unesco"), "text": "Our comment, changed.", "classification": "strictly-confidential"},
        fields("c_unesco", "text", "classification"),
        becomes(classification="strictly-confidential"),
        ok=OCT & STRICTLY,
        bad=(OCT | FOCAL) - STRICTLY,
        forbidden=COMMITTEE - OCT,
    ),
    write(
        "api.comment-edit.c_ohchr",
        "PATCH",
        "/api/v1/review-comments/{c_ohchr}/",
        {"revision": revision("c_ohchr"), "text": "Changed.", "classification": "confidential"},
        fields("c_ohchr", "text"),
        becomes(text="Changed."),
        ok=OCT & CONFIDENTIAL,
        forbidden=(COMMITTEE - OCT) & CONFIDENTIAL,
    ),
    write(
        "api.comment-add.rev_closed",
        "POST",
        "/api/v1/review-comments/",
        {"review": "{rev_closed}", "entity": "UNESCO", "text": "Too late.", "classification": "unclassified"},
        count(ReviewComment, review="{rev_closed}"),
        grows(),
        bad=(OCT | FOCAL | {"root"}),
        forbidden=COMMITTEE - OCT,
    ),
    write(
        "page.comment.rev_closed",
        "POST",
        "/review/{rev_closed}/comments/UNESCO/",
        {"text": "Too late.", "classification": "unclassified"},
        count(ReviewComment, review="{rev_closed}"),
        grows(),
    ),
    write(
        "page.comment.rev_open2",
        "POST",
        "/review/{rev_open2}/comments/UNESCO/",
        {"text": "Our comment.", "classification": "unclassified"},
        count(ReviewComment, review="{rev_open2}"),
        grows(),
        ok=OCT | FOCAL,
    ),
    write(
        "page.review-open.rev_prep",
        "POST",
        "/review/{rev_prep}/act/",
        {"action": "open"},
        fields("rev_prep", "state"),
        becomes(state="open"),
        ok=OCT,
    ),
    write(
        "page.review-conclude.rev_closed",
        "POST",
        "/review/{rev_closed}/act/",
        {"action": "conclude"},
        fields("rev_closed", "state"),
        becomes(state="concluded"),
        ok=(OCT & CONFIDENTIAL) - {"oct_sc"},
        four_eyes={"oct_sc"},
    ),
    write(
        "page.review-create",
        "POST",
        "/review/new/",
        {
            "biennium": 2033,
            "title": "Review of the Compact 2033–2034",
            "resolution_symbol": "A/RES/77/298",
            "opens_on": "2033-09-01",
            "comments_due_on": "2033-10-01",
            "outcome_classification": "unclassified",
        },
        count(BiennialReview, biennium=2033),
        grows(),
        ok=OCT,
    ),
    # --- Briefings to Member States: the USG's and OCT's (OCT alone publishes); notes above clearance not theirs ---
    write(
        "api.briefing-create",
        "POST",
        "/api/v1/member-state-briefings/",
        {"date": "2026-09-10", "audience": "Group of Friends", "title": "An update"},
        count(MemberStateBriefing, title="An update"),
        grows(),
        ok=BRIEFERS,
    ),
    write(
        "api.briefing-create.above-clearance",
        "POST",
        "/api/v1/member-state-briefings/",
        {
            "date": "2026-09-10",
            "audience": "Group of Friends",
            "title": "A confidential update",
            "notes": "Notes.",
            "notes_classification": "confidential",
        },
        count(MemberStateBriefing, title="A confidential update"),
        grows(),
        ok=BRIEFERS & CONFIDENTIAL,
        bad={"oct_u"},
    ),
    write(
        "api.briefing-edit.c",
        "PATCH",
        "/api/v1/member-state-briefings/{br_draft}/",
        {"title": "The Compact in 2026, renamed"},
        fields("br_draft", "title"),
        becomes(title="The Compact in 2026, renamed"),
        ok=BRIEFERS & CONFIDENTIAL,
    ),
    write(
        "api.briefing-publish.c",
        "POST",
        "/api/v1/member-state-briefings/{br_draft}/transitions/",
        {"action": "publish", "confirm_unclassified": True},
        fields("br_draft", "state"),
        becomes(state="published"),
        ok=OCT,
        forbidden={"usg"},  # reads the briefing, but only OCT publishes
    ),
    write(
        "api.briefing-draft-summary",
        "POST",
        "/api/v1/member-state-briefings/{br_draft}/draft-summary/",
        {"mode": "replace"},
        fields("br_draft", "public_summary"),
        changed,
        ok=BRIEFERS & CONFIDENTIAL,  # the briefing's notes are confidential: not an uncleared officer's to change
    ),
    write(
        "api.briefing-unpublish",
        "POST",
        "/api/v1/member-state-briefings/{br_published}/transitions/",
        {"action": "unpublish", "reason": "Outdated."},
        fields("br_published", "state"),
        becomes(state="draft"),
        ok=OCT,
        forbidden={"usg"},  # reads the briefing, but only OCT publishes
    ),
    write(
        "page.briefing-edit.sc",
        "POST",
        "/outreach/briefings/{br_draft_sc}/edit/",
        {
            "date": "2026-09-01",
            "audience": "Member States, New York",
            "title": "Sensitive briefing, renamed",
            "notes": "MK-NOTES-SC",
            "notes_classification": "strictly-confidential",
            "public_summary": "The Under-Secretary-General briefed Member States.",
        },
        fields("br_draft_sc", "title"),
        becomes(title="Sensitive briefing, renamed"),
        ok=BRIEFERS & STRICTLY,
    ),
    write(
        "page.briefing-publish.c",
        "POST",
        "/outreach/briefings/{br_draft}/act/",
        {"action": "publish", "confirm_unclassified": "on"},
        fields("br_draft", "state"),
        becomes(state="published"),
        ok=OCT,
        forbidden={"usg"},  # reads the briefing, but only OCT publishes
    ),
    write(
        "page.briefing-create",
        "POST",
        "/outreach/briefings/new/",
        {
            "date": "2026-09-10",
            "audience": "Group of Friends",
            "title": "An update",
            "notes": "Notes.",
            "notes_classification": "unclassified",
            "public_summary": "",
        },
        count(MemberStateBriefing, title="An update"),
        grows(),
        ok=BRIEFERS,
    ),
    write(
        "page.briefing-draft-summary.c",
        "POST",
        "/outreach/briefings/{br_draft}/draft-summary/",
        {"mode": "replace"},
        fields("br_draft", "public_summary"),
        changed,
        ok=BRIEFERS & CONFIDENTIAL,
    ),
    write(
        "api.briefing-cadence-set",
        "PUT",
        "/api/v1/briefing-cadence/",
        {"every_months": 3, "first_due_on": "2026-12-01", "reminder_days": [14], "active": True},
        count(BriefingCadence, every_months=3),
        grows(),
        ok=BRIEFERS,
    ),
    write(
        "page.briefing-cadence-set",
        "POST",
        "/outreach/briefings/cadence/",
        {"every_months": "4", "first_due_on": "2026-12-01", "reminder_days": "14", "active": "on"},
        count(BriefingCadence, every_months=4),
        grows(),
        ok=BRIEFERS,
    ),
    # --- The Trust Fund: OCT records contributions and earmarks them, within clearance ---
    write(
        "page.trust-fund.earmark-create",
        "POST",
        "/trust-fund/contributions/{tf_u}/earmarks/",
        {"amount_usd": "5", "working_group": "{wg7}", "note": "MK-NEW-EARMARK"},
        count(Earmark, note="MK-NEW-EARMARK"),
        grows(),
        ok=OCT,
    ),
    write(
        "api.trust-fund.earmark-create",
        "POST",
        "/api/v1/trust-fund/earmarks/",
        {"contribution": "{tf_u}", "amount_usd": "5", "working_group": "{wg7}", "note": "MK-API-EARMARK"},
        count(Earmark, note="MK-API-EARMARK"),
        grows(),
        ok=OCT,
    ),
    write(
        "api.trust-fund.earmark-delete.c",
        "DELETE",
        "/api/v1/trust-fund/earmarks/{em_c}/",
        None,
        fields("em_c", "amount_usd"),
        gone,
        ok=OCT & CONFIDENTIAL,
    ),
    write(
        "page.trust-fund.earmark-remove.u",
        "POST",
        "/trust-fund/earmarks/{em_u}/remove/",
        {},
        fields("em_u", "amount_usd"),
        gone,
        ok=OCT,
    ),
    write(
        "api.trust-fund.contribution-change.c",
        "PATCH",
        "/api/v1/trust-fund/contributions/{tf_c}/",
        {"received_usd": "300"},
        fields("tf_c", "received_usd"),
        changed,
        ok=OCT & CONFIDENTIAL,
    ),
    # --- The matrix: OCT edits all; a focal point their entity's, within clearance ---
    write(
        "api.project-edit.own",
        "PATCH",
        "/api/v1/projects/{pj_u}/",
        {"title": "Media literacy, renamed"},
        fields("pj_u", "title"),
        becomes(title="Media literacy, renamed"),
        ok=OCT | FOCAL,
        forbidden=SIGNED_IN - OCT - FOCAL,
    ),
    # --- CTED's country visits: CTED records and moves them, OCT follows them up (within clearance) ---
    write(
        "api.visit-create",
        "POST",
        "/api/v1/country-visits/",
        {"country": "ML", "starts_on": "2026-11-02", "ends_on": "2026-11-06"},
        count(CountryVisit, country="ML"),
        grows(),
        ok=CTED,
    ),
    write(
        "page.visit-create",
        "POST",
        "/visits/new/",
        {"country": "ML", "starts_on": "2026-11-02", "ends_on": "2026-11-06", "classification": "confidential"},
        count(CountryVisit, country="ML"),
        grows(),
        ok=CTED,
    ),
    write(
        "api.visit-inform-oct",
        "POST",
        "/api/v1/country-visits/{v_planned_u}/transitions/",
        {"action": "inform-oct", "oct_informed_on": "2026-09-01"},
        fields("v_planned_u", "state"),
        becomes(state="oct_informed"),
        ok=CTED,
    ),
    write(
        "page.visit-cancel",
        "POST",
        "/visits/{v_planned_u}/act/",
        {"action": "cancel", "reason": "Postponed by the Member State."},
        fields("v_planned_u", "state"),
        becomes(state="cancelled"),
        ok=CTED,
    ),
    write(
        "api.visit-edit",
        "PATCH",
        "/api/v1/country-visits/{v_planned_u}/",
        {"ends_on": "2026-10-08"},
        fields("v_planned_u", "ends_on"),
        changed,
        ok=CTED,
    ),
    write(
        "api.visit-follow-up.withheld",
        "POST",
        "/api/v1/country-visits/{v_withheld}/transitions/",
        {"action": "follow-up", "followup_on": "2026-09-10", "followup_support": "Legislative drafting."},
        fields("v_withheld", "state"),
        becomes(state="followed_up"),
        ok=OCT & CONFIDENTIAL,
        hides={"MK-VISIT-WITHHELD-C": ALL - CTED},
    ),
    write(
        "page.visit-follow-up.shared",
        "POST",
        "/visits/{v_shared}/act/",
        {"action": "follow-up", "followup_on": "2026-09-10", "followup_support": "Training."},
        fields("v_shared", "state"),
        becomes(state="followed_up"),
        ok=OCT & CONFIDENTIAL,
    ),
    # --- A project's lifecycle and HRDDP assessments: the project's editors, within clearance ---
    write(
        "api.project-lifecycle.own",
        "POST",
        "/api/v1/projects/{pj_u}/lifecycle/",
        {"action": "place-idea", "reached_on": "2026-09-01"},
        fields("pj_u", "stage"),
        becomes(stage="idea"),
        ok=OCT | FOCAL,
        forbidden=SIGNED_IN - OCT - FOCAL,
    ),
    write(
        "api.project-lifecycle.c",
        "POST",
        "/api/v1/projects/{pj_c}/lifecycle/",
        {"action": "place-idea", "reached_on": "2026-09-01"},
        fields("pj_c", "stage"),
        becomes(stage="idea"),
        ok=(OCT | FOCAL) & CONFIDENTIAL,
        forbidden=CONFIDENTIAL - OCT - FOCAL,
    ),
    write(
        "api.project-hrddp.own",
        "POST",
        "/api/v1/projects/{pj_u}/hrddp/",
        {"assessed_on": "2026-09-01", "outcome": "low"},
        fields("pj_u", "supports_security_forces"),
        becomes(supports_security_forces=True),
        ok=OCT | FOCAL,
        forbidden=SIGNED_IN - OCT - FOCAL,
    ),
    write(
        "page.project-lifecycle.own",
        "POST",
        "/projects/{pj_u}/lifecycle/",
        {"action": "place-idea", "reached_on": "2026-09-01"},
        fields("pj_u", "stage"),
        becomes(stage="idea"),
        ok=OCT | FOCAL,
    ),
    write(
        "page.project-security-forces.own",
        "POST",
        "/projects/{pj_u}/security-forces/",
        {"supports": "no"},
        fields("pj_u", "supports_security_forces"),
        becomes(supports_security_forces=False),
        ok=OCT | FOCAL,
    ),
    write(
        "page.project-hrddp.c",
        "POST",
        "/projects/{pj_c}/hrddp/",
        {"assessed_on": "2026-09-01", "outcome": "low"},
        fields("pj_c", "supports_security_forces"),
        becomes(supports_security_forces=True),
        ok=(OCT | FOCAL) & CONFIDENTIAL,
    ),
    write(
        "api.project-edit.other",
        "PATCH",
        "/api/v1/projects/{pj_u2}/",
        {"title": "Rule of law, renamed"},
        fields("pj_u2", "title"),
        becomes(title="Rule of law, renamed"),
        ok=OCT,
        forbidden=SIGNED_IN - OCT,
    ),
    write(
        "api.project-edit.c",
        "PATCH",
        "/api/v1/projects/{pj_c}/",
        {"title": "Prison reform, renamed"},
        fields("pj_c", "title"),
        becomes(title="Prison reform, renamed"),
        ok=OCT & CONFIDENTIAL,
        forbidden=CONFIDENTIAL - OCT,
    ),
    write(
        "api.project-edit.sc",
        "PATCH",
        "/api/v1/projects/{pj_sc}/",
        {"title": "Witness protection, renamed"},
        fields("pj_sc", "title"),
        becomes(title="Witness protection, renamed"),
        ok=OCT & STRICTLY,
        forbidden=STRICTLY - OCT,
    ),
    write(
        "api.overlap-review.c",
        "POST",
        "/api/v1/projects/overlaps/review/",
        {"first": "{pj_c}", "second": "{pj_u2}", "note": "Checked."},
        count(OverlapReview),
        grows(),
        ok=OCT & CONFIDENTIAL,
    ),
    write(
        "api.project-delete.own",
        "DELETE",
        "/api/v1/projects/{pj_u}/",
        None,
        fields("pj_u", "title"),
        gone,
        ok=OCT | FOCAL,
        forbidden=SIGNED_IN - OCT - FOCAL,
    ),
    write(
        "api.project-create.own",
        "POST",
        "/api/v1/projects/",
        {"title": "A new UNESCO project", "status": "ongoing", "lead_entity": "UNESCO"},
        count(Project, title="A new UNESCO project"),
        grows(),
        ok=OCT | FOCAL,
        forbidden=SIGNED_IN - OCT - FOCAL,
    ),
    write(
        "api.project-create.above-clearance",
        "POST",
        "/api/v1/projects/",
        {
            "title": "A strictly confidential project",
            "status": "ongoing",
            "lead_entity": "UNESCO",
            "classification": "strictly-confidential",
        },
        count(Project, title="A strictly confidential project"),
        grows(),
        ok=OCT & STRICTLY,
        forbidden=SIGNED_IN - (OCT & STRICTLY),
    ),
    write(
        "api.project-create.other",
        "POST",
        "/api/v1/projects/",
        {"title": "A new OHCHR project", "status": "ongoing", "lead_entity": "OHCHR"},
        count(Project, title="A new OHCHR project"),
        grows(),
        ok=OCT,
        forbidden=SIGNED_IN - OCT,
    ),
    write(
        "api.overlap-review",
        "POST",
        "/api/v1/projects/overlaps/review/",
        {"first": "{pj_u}", "second": "{pj_u2}", "note": "Checked: complementary."},
        count(OverlapReview),
        grows(),
        ok=OCT,
    ),
    write(
        "api.matrix-import",
        "POST",
        "/api/v1/matrix-imports/commit/",
        matrix_file,
        count(Project, title="Imported by the matrix test"),
        grows(),
        ok=OCT,
        others="403",
        multipart=True,
    ),
    write(
        "page.project-edit.own",
        "POST",
        "/projects/{pj_u}/edit/",
        {
            "title": "Media literacy, renamed",
            "status": "ongoing",
            "lead_entity": entity_id("UNESCO"),
            "classification": "unclassified",
            "pillars": ["I"],
            "countries": ["JO"],
        },
        fields("pj_u", "title"),
        becomes(title="Media literacy, renamed"),
        ok=OCT | FOCAL,
    ),
    write(
        "page.project-delete.own",
        "POST",
        "/projects/{pj_u}/delete/",
        None,
        fields("pj_u", "title"),
        gone,
        ok=OCT | FOCAL,
    ),
    write(
        "page.matrix-mention-map",
        "POST",
        "/projects/quality/map/",
        {"name": "A name nobody knows", "target": "none"},
        count(NonEntityName),
        grows(),
        ok=OCT,
    ),
    write(
        "page.overlap-review",
        "POST",
        "/projects/overlaps/review/",
        {"first": "{pj_u}", "second": "{pj_u2}", "note": "Checked: complementary."},
        count(OverlapReview),
        grows(),
        ok=OCT,
    ),
    # --- Sign-on requests: OCT decides, not an officer who applied for their own organisation ---
    write(
        "api.signon-note.so_cons",
        "POST",
        "/api/v1/sign-on-requests/{so_cons}/transitions/",
        {"action": "add_note", "message": "Asked CTED for its view."},
        count(SignOnStep, request="{so_cons}"),
        grows(),
        ok=OCT,
    ),
    write(
        "api.signon-ask.so_cons",
        "POST",
        "/api/v1/sign-on-requests/{so_cons}/transitions/",
        {"action": "request_information", "message": "Please send the mandate."},
        fields("so_cons", "state"),
        becomes(state="information-requested"),
        ok=OCT,
    ),
    write(
        "api.signon-approve.so_cons",
        "POST",
        "/api/v1/sign-on-requests/{so_cons}/transitions/",
        {"action": "approve", "status": "member"},
        fields("so_cons", "state"),
        becomes(state="approved"),
        ok=OCT,
    ),
    write(
        "api.signon-decline.so_own",
        "POST",
        "/api/v1/sign-on-requests/{so_own}/transitions/",
        {"action": "decline", "message": "Not eligible."},
        fields("so_own", "state"),
        becomes(state="declined"),
        ok=OCT - {"oct_sc"},
        four_eyes={"oct_sc"},
    ),
    write(
        "api.signon-assign.so_cons",
        "POST",
        "/api/v1/sign-on-requests/{so_cons}/assign/",
        {"handler": user_id("oct2")},
        fields("so_cons", "handler"),
        changed,
        ok=OCT,
    ),
    write(
        "page.signon-decline.so_cons",
        "POST",
        "/sign-on/review/{so_cons}/act/",
        {"action": "decline", "message": "Not eligible."},
        fields("so_cons", "state"),
        becomes(state="declined"),
        ok=OCT,
    ),
    write(
        "page.signon-decline.so_own",
        "POST",
        "/sign-on/review/{so_own}/act/",
        {"action": "decline", "message": "Not eligible."},
        fields("so_own", "state"),
        becomes(state="declined"),
        ok=OCT - {"oct_sc"},
        four_eyes={"oct_sc"},
    ),
    # --- The registry: an entity's profile and focal points (OCT, and the entity's own focal points) ---
    write(
        "page.entity-edit.own",
        "POST",
        "/entities/UNESCO/edit/",
        entity_form("UNESCO", "United Nations Educational, Scientific and Cultural Organization"),
        lambda world: Entity.objects.filter(acronym="UNESCO").values("website").first(),
        becomes(website="https://www.example.org/edited"),
        ok=OCT | FOCAL,
    ),
    # A focal point's form has no acronym, kind, flag or evidence: what they send of those is ignored.
    write(
        "page.entity-rename.own",
        "POST",
        "/entities/UNESCO/edit/",
        entity_form("UNESCO-X", "United Nations Educational, Scientific and Cultural Organization"),
        fields("ent_unesco", "acronym"),
        becomes(acronym="UNESCO-X"),
        ok=OCT,
        back=FOCAL,
    ),
    write(
        "page.entity-edit.other",
        "POST",
        "/entities/OHCHR/edit/",
        entity_form("OHCHR", "Office of the United Nations High Commissioner for Human Rights"),
        lambda world: Entity.objects.filter(acronym="OHCHR").values("website").first(),
        becomes(website="https://www.example.org/edited"),
        ok=OCT,
    ),
    write(
        "page.focal-invite.own",
        "POST",
        "/entities/UNESCO/focal-points/invite/",
        {"email": "new.person@unesco.example", "given_name": "New", "family_name": "Person", "title": "Officer"},
        count(User, email="new.person@unesco.example"),
        grows(),
        ok=OCT | FOCAL,
    ),
    write(
        "page.focal-invite.other",
        "POST",
        "/entities/OHCHR/focal-points/invite/",
        {"email": "new.person@ohchr.example", "given_name": "New", "family_name": "Person", "title": "Officer"},
        count(User, email="new.person@ohchr.example"),
        grows(),
        ok=OCT,
    ),
    write(
        "page.focal-remove.own",
        "POST",
        "/entities/UNESCO/focal-points/remove/",
        {"user": "{focal_b}"},
        focal_points_of("UNESCO"),
        grows(-1),
        ok=OCT | FOCAL,
    ),
    write(
        "page.signon-assign.so_cons",
        "POST",
        "/sign-on/review/{so_cons}/assign/",
        {"handler": user_id("oct2")},
        fields("so_cons", "handler"),
        changed,
        ok=OCT,
    ),
    write(
        "page.lockout-clear",
        "POST",
        "/system/lockouts/clear/",
        {"username": "focal_b", "ip_address": "192.0.2.7"},
        count(AccessAttempt, username="focal_b"),
        grows(-1),
        ok=OCT,
    ),
    # --- Work plans: a group's leaders (and OCT) ---
    write(
        "page.work-plan-output.wg7",
        "POST",
        "/working-groups/{wg7}/work-plans/2026/outputs/new/",
        {"title": "Regional guidance"},
        count(WorkPlanOutput, work_plan__working_group="{wg7}"),
        grows(),
        ok=OCT | LEAD7,
    ),
    write(
        "page.work-plan-activity.wg7",
        "POST",
        "/working-groups/{wg7}/work-plans/2026/outputs/{wp_output}/activities/new/",
        {"title": "Train trainers", "status": "planned", "pillars": ["IV"]},
        count(WorkPlanActivity, output="{wp_output}"),
        grows(),
        ok=OCT | LEAD7,
    ),
    write(
        "page.work-plan-activity-remove.wg7",
        "POST",
        "/working-groups/{wg7}/work-plans/2026/activities/{wp_activity}/remove/",
        None,
        fields("wp_activity", "title"),
        gone,
        ok=OCT | LEAD7,
    ),
    write(
        "page.work-plan-output-edit.wg7",
        "POST",
        "/working-groups/{wg7}/work-plans/2026/outputs/{wp_output}/",
        {"title": "Guidance, renamed"},
        fields("wp_output", "title"),
        becomes(title="Guidance, renamed"),
        ok=OCT | LEAD7,
    ),
    write(
        "page.work-plan-create.wg2",
        "POST",
        "/working-groups/{wg2}/work-plans/new/",
        {"biennium_start": 2026, "summary": "Our plan."},
        count(WorkPlan, working_group="{wg2}"),
        grows(),
        ok=OCT | {"chair2"},
    ),
]

ROWS = READS + WRITES
names = [row.name for row in ROWS]
assert len(names) == len(set(names)), f"row names repeat: {sorted(n for n in names if names.count(n) > 1)}"

# --- Where the app disagrees with the table: findings for the lead (strict xfails) ----------------------------

HOLES: dict[tuple[str, str], str] = {}

_CELLS = {(row.name, persona) for row in ROWS for persona in PERSONAS}
_CELLS |= {(f"list.{listing.name}", persona) for listing in LISTINGS for persona in PERSONAS}
assert set(HOLES) <= _CELLS, f"HOLES names cells that do not exist: {sorted(set(HOLES) - _CELLS)}"


# --- Running it ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once in a transaction of its own: each test runs in a savepoint of it
    (pytest-django's transaction) and rolls back; the module's end rolls the world back."""
    media = tmp_path_factory.mktemp("access-media")
    with (
        time_machine.travel(WORLD_DAY, tick=False),
        override_settings(MEDIA_ROOT=media, IATI_REPORTING_ORG_REF="XM-TEST-ORG"),
        shared_until_rolled_back(django_db_blocker, world_build) as world,
    ):
        yield world


@pytest.fixture(scope="module")
def world_task_counts(world, django_db_blocker) -> dict[str, int]:
    """Each persona's menu count in the world as built, under the cache key the menu reads it
    from: what the first page of every cell counts, since every cell starts from that world (in
    the persona's own time zone, as ``UserTimeZoneMiddleware`` sets it for a page)."""
    counts = {}
    with django_db_blocker.unblock():
        for persona in world.people.values():
            user = fresh(persona)
            with timezone.override(zone_of(user)):
                counts[task_count_key(user)] = task_count_for(user, today=timezone.localdate())
    return counts


@pytest.fixture(autouse=True)
def _fresh_cache(world_task_counts):
    """The suite's fresh cache for each cell (rate-limit counters start from none), but with
    each persona's menu count remembered, as a person's is remembered from page to page
    (``portal.inbox.task_count_of_request``, TASK_COUNT_SECONDS). Counted afresh for every
    cell, it took up to an eighth of the matrix's CPU (six permission-scoped queries a page).
    Remembering what the last cell left would carry a count taken after that cell's change;
    this is the world's own. A cell's own POST still drops it, as in production; tests/portal
    checks the number itself."""
    cache.clear()
    cache.set_many(world_task_counts, TASK_COUNT_SECONDS)
    yield


def _cells(rows: list[Row]):
    for row in rows:
        for persona in PERSONAS:
            marks = []
            hole = HOLES.get((row.name, persona))
            if hole:
                marks.append(pytest.mark.xfail(strict=True, reason=hole))
            yield pytest.param(row, persona, id=f"{row.name}-{persona}-{row.expect[persona]}", marks=marks)


@pytest.mark.parametrize(("row", "persona"), list(_cells(ROWS)))
def test_each_persona_gets_what_the_rules_say(world, row: Row, persona: str):
    run(world, row, persona)


def _list_cells():
    for listing in LISTINGS:
        for persona in PERSONAS:
            marks = []
            hole = HOLES.get((f"list.{listing.name}", persona))
            if hole:
                marks.append(pytest.mark.xfail(strict=True, reason=hole))
            yield pytest.param(listing, persona, id=f"list.{listing.name}-{persona}", marks=marks)


@pytest.mark.parametrize(("listing", "persona"), list(_list_cells()))
def test_each_persona_finds_listed_exactly_what_it_may_read(world, listing: Listing, persona: str):
    if persona == "anon":
        assert client_for(world, persona, api=True).get(listing.path).status_code == 401
        return
    expected = {key for key, who in listing.members.items() if persona in who}
    assert listed(world, listing, persona) == expected
