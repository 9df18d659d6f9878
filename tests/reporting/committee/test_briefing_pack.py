"""A Committee meeting's briefing pack: the agenda with the working groups' briefings it links
and the action points still open, as a PDF made by a worker like the consolidated report's
editions. What the PDF says (read back with pypdf), who may generate and read it, and when it
is refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from compact.core.models import AuditEvent, Classification
from reporting.committee.briefing_pack import briefing_pack_contents
from reporting.committee.models import ActionPoint, Meeting
from reporting.committee.services import (
    action_point_act,
    action_point_add,
    agenda_build_from_briefings,
    agenda_item_add,
    meeting_act,
    meeting_create,
    minutes_save,
)
from reporting.compiled.editions import edition_mark_final, edition_render, edition_request
from reporting.compiled.models import ReportEdition
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_act
from tests.reporting import pdf_fixtures as fx
from tests.reporting.compiled.test_pdf_contents import (
    _flat,
    assert_every_page_marked,
    assert_pages_numbered,
    assert_toc_matches_headings,
)

pytestmark = pytest.mark.django_db
D = datetime.date
MEETING_DAY = D(2026, 10, 20)
WG7_MARKER = "The group's guidance on fair trials was circulated to every member on 3 September."
WG2_MARKER = "The financing group's survey is being reopened for corrections."
OPEN_POINT = "CTED to circulate the revised mapping of regional strategies."
LATER_POINT = "A point agreed after this meeting must not be in its pack."
DONE_POINT = "UNESCO shared the toolkit; this point is done."


def _accepted(period, group, *, marker: str, classification: str = Classification.UNCLASSIFIED) -> Submission:
    submission = period.submissions.get(working_group=group)
    fields = {"work_plan_progress": marker, "issues_of_concern": "None this quarter.", "upcoming_activities": ""}
    return fx.accept_directly(submission, fields=fields, classification=classification)


def _earlier_points(oct_officer, roster) -> None:
    """An open, overdue action point of an earlier meeting; a done one; and one of a later
    meeting. Only the first belongs in the pack."""
    earlier = meeting_act(
        meeting=meeting_create(
            start_time=datetime.time(10),
            end_time=datetime.time(12),
            actor=oct_officer,
            date=D(2026, 7, 1),
            place="Geneva",
        ),
        action="hold",
        actor=oct_officer,
    )
    action_point_add(
        meeting=earlier, actor=oct_officer, text=OPEN_POINT, due_on=D(2026, 9, 30), owner_entity=roster.cted
    )
    done = action_point_add(
        meeting=earlier, actor=oct_officer, text=DONE_POINT, due_on=D(2026, 9, 30), owner_entity=roster.unesco
    )
    action_point_act(point=done, action="mark_done", actor=oct_officer)
    later = meeting_act(
        meeting=meeting_create(
            start_time=datetime.time(10),
            end_time=datetime.time(12),
            actor=oct_officer,
            date=D(2026, 12, 1),
            is_virtual=True,
            join_url="https://meet.example.org/committee",
        ),
        action="hold",
        actor=oct_officer,
    )
    action_point_add(
        meeting=later, actor=oct_officer, text=LATER_POINT, due_on=D(2027, 1, 30), owner_group=roster.group
    )


@pytest.fixture
def meeting(oct_officer, usg) -> Meeting:
    return meeting_create(
        start_time=datetime.time(10), end_time=datetime.time(12), actor=oct_officer, date=MEETING_DAY, place="New York"
    )


@pytest.fixture
def agenda(meeting, briefing_period, roster, oct_officer) -> Meeting:
    """WG 7's and WG 2's accepted briefings, a policy briefing and any other business;
    then WG 2's briefing is reopened, so the pack lists it without reproducing it."""
    _accepted(briefing_period, roster.group, marker=WG7_MARKER)
    wg2 = _accepted(briefing_period, roster.other_group, marker=WG2_MARKER)
    assert agenda_build_from_briefings(meeting=meeting, period=briefing_period, actor=oct_officer) == 2
    agenda_item_add(
        meeting=meeting,
        actor=oct_officer,
        kind="policy-briefing",
        title="Developments in the Security Council's sanctions regimes",
        presenter=roster.cted,
    )
    agenda_item_add(meeting=meeting, actor=oct_officer, kind="other", title="Any other business")
    submission_act(submission=wg2, action="reopen", actor=oct_officer, comment="Figures to be corrected.")
    _earlier_points(oct_officer, roster)
    return meeting


def _render(meeting: Meeting) -> fx.Rendered:
    contents = briefing_pack_contents(meeting, today=MEETING_DAY)
    return fx.render_compiled(contents, template="reporting/pdf/briefing_pack.html")


# --- What the pack says ------------------------------------------------------------------------------


def test_the_pack_has_the_agenda_in_order_and_each_accepted_briefing_under_its_heading(agenda):
    texts = _render(agenda).texts
    body = " ".join(_flat(text) for text in texts[2:])
    agenda_text = body[body.index("1. Provisional agenda") : body.index("2. Briefings of the working groups")]
    positions = [
        agenda_text.index(title)
        for title in (
            "Briefing by working group 2",
            "Briefing by working group 7",
            "Developments in the Security Council's sanctions regimes",
            "Any other business",
        )
    ]
    assert positions == sorted(positions)
    assert "CTED" in agenda_text  # the presenter
    briefings = body[body.index("2. Briefings of the working groups") : body.index("3. Action points")]
    wg7 = briefings[briefings.index("2.1 Working group 7: Human rights and the rule of law") :]
    assert WG7_MARKER in wg7
    assert "Chair: OHCHR" in wg7
    # WG 2's briefing was reopened after the agenda was built: named, not reproduced.
    assert WG2_MARKER not in body
    status = Submission.objects.get(working_group__number=2).get_status_display()
    named = "“Briefing by working group 2: Countering the financing of terrorism”:"
    assert f"{named} The briefing is not reproduced: it was “{status}”" in briefings


def test_the_pack_follows_up_the_open_action_points_of_earlier_meetings_only(agenda):
    body = " ".join(_flat(text) for text in _render(agenda).texts[2:])
    follow_up = body[body.index("3. Action points of earlier meetings still open") :]
    assert OPEN_POINT in follow_up and "(overdue)" in follow_up
    assert DONE_POINT not in body and LATER_POINT not in body


def test_the_contents_name_the_right_pages_and_every_page_is_numbered_and_marked(agenda):
    texts = _render(agenda).texts
    headings = assert_toc_matches_headings(texts)
    assert headings[0].startswith("1. Provisional agenda")
    assert any(heading.startswith("2.1 Working group 7") for heading in headings)
    assert_pages_numbered(texts)
    assert_every_page_marked(texts, "UNCLASSIFIED")
    assert "Document symbol" not in _flat(texts[0])  # a working paper has none


def test_a_confidential_briefing_marks_the_whole_pack_confidential(meeting, briefing_period, roster, oct_officer):
    _accepted(briefing_period, roster.group, marker=WG7_MARKER, classification=Classification.CONFIDENTIAL)
    agenda_build_from_briefings(meeting=meeting, period=briefing_period, actor=oct_officer)
    contents = briefing_pack_contents(meeting, today=MEETING_DAY)
    assert contents.classification == Classification.CONFIDENTIAL
    assert_every_page_marked(_render(meeting).texts, "CONFIDENTIAL")


# --- Generating it --------------------------------------------------------------------------------------


def test_oct_generates_a_pack_through_a_worker_and_every_pack_is_kept(
    agenda, oct_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = edition_request(report=agenda, actor=oct_officer)
    assert len(callbacks) == 1  # the task is queued after commit
    assert (first.meeting, first.number, first.status) == (agenda, 1, ReportEdition.Status.QUEUED)
    with pytest.raises(ValidationError):  # one at a time
        edition_request(report=agenda, actor=oct_officer)
    assert edition_render(edition_id=first.pk) is True
    assert edition_render(edition_id=first.pk) is False  # a task delivered twice renders once
    first.refresh_from_db()
    assert first.status == ReportEdition.Status.DONE and first.pages >= 4 and len(first.sha256) == 64
    assert WG7_MARKER in " ".join(_flat(text) for text in fx.page_texts(first.file.read()))
    second = edition_request(report=agenda, actor=oct_officer)
    assert second.number == 2 and agenda.briefing_packs.count() == 2
    assert AuditEvent.objects.filter(verb="reporting.edition_requested", object_id=str(agenda.pk)).count() == 2


def test_a_pack_is_refused_when_the_agenda_is_empty_or_the_record_closed(meeting, oct_officer):
    with pytest.raises(ValidationError):
        edition_request(report=meeting, actor=oct_officer)
    agenda_item_add(meeting=meeting, actor=oct_officer, kind="other", title="Any other business")
    held = meeting_act(meeting=meeting, action="hold", actor=oct_officer)
    minutes_save(meeting=held, actor=oct_officer, minutes="The Committee met.", classification="unclassified")
    closed = meeting_act(meeting=held, action="approve_minutes", actor=oct_officer)
    with pytest.raises(ValidationError):
        edition_request(report=closed, actor=oct_officer)
    assert not ReportEdition.objects.exists()


@pytest.mark.parametrize("persona", ("usg", "committee_member", "chair", "focal_point", "outsider"))
def test_only_oct_generates_a_pack(request, agenda, persona):
    with pytest.raises(PermissionDenied):
        edition_request(report=agenda, actor=request.getfixturevalue(persona))
    assert not ReportEdition.objects.exists()


def test_an_officer_cannot_generate_a_pack_above_their_clearance(meeting, briefing_period, roster, oct_officer):
    _accepted(briefing_period, roster.group, marker=WG7_MARKER, classification=Classification.STRICTLY_CONFIDENTIAL)
    agenda_build_from_briefings(meeting=meeting, period=briefing_period, actor=oct_officer)
    oct_officer.profile.clearance = Classification.CONFIDENTIAL
    oct_officer.profile.save()
    with pytest.raises(PermissionDenied):
        edition_request(report=meeting, actor=oct_officer)


def test_a_pack_is_never_made_final(agenda, oct_officer):
    pack = edition_request(report=agenda, actor=oct_officer)
    edition_render(edition_id=pack.pk)
    pack.refresh_from_db()
    with pytest.raises(ValidationError):
        edition_mark_final(edition=pack, actor=oct_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportEdition.objects.filter(pk=pack.pk).update(is_final=True)


def test_an_edition_belongs_to_exactly_one_document(agenda, oct_officer, report_period):
    from reporting.compiled.models import ConsolidatedReport

    report = ConsolidatedReport.objects.create(period=report_period)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportEdition.objects.create(meeting=agenda, consolidated_report=report, number=1, requested_by=oct_officer)


# --- Pages and downloads -------------------------------------------------------------------------------


def _done_pack(meeting: Meeting, officer) -> ReportEdition:
    pack = edition_request(report=meeting, actor=officer)
    edition_render(edition_id=pack.pk)
    pack.refresh_from_db()
    return pack


def test_oct_asks_for_a_pack_from_the_meeting_page(client_for, agenda, oct_officer):
    client = client_for(oct_officer)
    page = client.get(reverse("committee-meeting", args=[agenda.pk])).content.decode()
    assert reverse("committee-briefing-pack", args=[agenda.pk]) in page
    response = client.post(reverse("committee-briefing-pack", args=[agenda.pk]), follow=True)
    assert response.status_code == 200
    pack = agenda.briefing_packs.get()
    assert pack.status == ReportEdition.Status.QUEUED
    assert "Briefing pack 1 was requested" in response.content.decode()
    assert reverse("reporting-edition-status", args=[pack.pk]) in response.content.decode()  # the progress bar


def test_an_empty_agenda_gets_a_message_not_a_pack(client_for, meeting, oct_officer):
    response = client_for(oct_officer).post(reverse("committee-briefing-pack", args=[meeting.pk]), follow=True)
    assert "The agenda is empty" in response.content.decode()
    assert not ReportEdition.objects.exists()


@pytest.mark.parametrize("persona", ("usg", "committee_member", "chair", "focal_point", "outsider"))
def test_nobody_but_oct_asks_for_a_pack(request, client_for, agenda, persona):
    response = client_for(request.getfixturevalue(persona)).post(reverse("committee-briefing-pack", args=[agenda.pk]))
    assert response.status_code == 404
    assert not ReportEdition.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client_for, agenda, oct_officer):
    pack = _done_pack(agenda, oct_officer)
    for url in (
        reverse("committee-briefing-pack", args=[agenda.pk]),
        reverse("reporting-edition-download", args=[pack.pk]),
    ):
        response = client_for(None).post(url) if "briefing-pack" in url else client_for(None).get(url)
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "reads"),
    [
        ("oct_officer", True),
        ("usg", True),
        ("committee_member", True),
        ("chair", True),
        ("focal_point", False),
        ("outsider", False),
    ],
)
def test_the_committee_downloads_generated_packs(request, client_for, agenda, oct_officer, persona, reads):
    pack = _done_pack(agenda, oct_officer)
    client = client_for(request.getfixturevalue(persona))
    download = client.get(reverse("reporting-edition-download", args=[pack.pk]))
    assert download.status_code == (200 if reads else 404)
    if reads:
        assert download["Content-Type"] == "application/pdf"
        assert "committee-briefing-pack-2026-10-20-1.pdf" in download["Content-Disposition"]
        page = client.get(reverse("committee-meeting", args=[agenda.pk])).content.decode()
        assert reverse("reporting-edition-download", args=[pack.pk]) in page


def test_a_pack_being_generated_is_shown_to_oct_only(client_for, agenda, oct_officer, committee_member):
    pack = edition_request(report=agenda, actor=oct_officer)
    status_url = reverse("reporting-edition-status", args=[pack.pk])
    assert status_url in client_for(oct_officer).get(reverse("committee-meeting", args=[agenda.pk])).content.decode()
    member_page = client_for(committee_member).get(reverse("committee-meeting", args=[agenda.pk])).content.decode()
    assert status_url not in member_page and "No briefing pack yet." in member_page
    assert client_for(committee_member).get(status_url).status_code == 404


def test_a_confidential_pack_is_hidden_from_readers_without_clearance(
    client_for, meeting, briefing_period, roster, oct_officer, committee_member, chair
):
    _accepted(briefing_period, roster.group, marker=WG7_MARKER, classification=Classification.CONFIDENTIAL)
    agenda_build_from_briefings(meeting=meeting, period=briefing_period, actor=oct_officer)
    pack = _done_pack(meeting, oct_officer)
    assert pack.classification == Classification.CONFIDENTIAL
    url = reverse("reporting-edition-download", args=[pack.pk])
    assert client_for(committee_member).get(url).status_code == 200  # cleared for confidential
    assert client_for(chair).get(url).status_code == 404  # unclassified clearance
    assert url not in client_for(chair).get(reverse("committee-meeting", args=[meeting.pk])).content.decode()


def test_open_action_points_are_still_action_points(agenda):
    # The pack reads them; it never changes them.
    before = list(ActionPoint.objects.values_list("pk", "status"))
    briefing_pack_contents(agenda, today=MEETING_DAY)
    assert list(ActionPoint.objects.values_list("pk", "status")) == before
