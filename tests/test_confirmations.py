"""Confirmations before actions that e-mail many people or cannot be undone (issue 17).

Every move of every workflow's transition table is decided here: asked (its form carries a
data-confirm sentence that says what happens, with the number of people told where the page
knows it) or not asked (a reversible step, or one that tells one person). A new move, or a
new table, fails ``test_every_workflow_move_is_decided`` until someone decides; a move decided
as asked fails ``test_each_asked_move_renders_its_confirmation`` until its page asks.
"""

from __future__ import annotations

import datetime
import importlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compact.core.models import Classification
from compact.lib.workflow import TransitionTable
from compact.matrix.workflow import LIFECYCLE_TRANSITIONS
from compact.registry.models import Membership
from compact.registry.services import focal_point_appoint, person_create
from tests.factories import EntityFactory, MembershipFactory
from tests.helpers import Node, html_tree, pdf_bytes, signon_in_consultation

pytestmark = pytest.mark.django_db
D = datetime.date

SUBMISSION = "reporting.submissions.workflow:TRANSITIONS"
PERIOD = "reporting.submissions.workflow:PERIOD_TRANSITIONS"
EXTENSION = "reporting.calendar.workflow:EXTENSION_TRANSITIONS"
MEETING = "reporting.committee.workflow:MEETING_TRANSITIONS"
ACTION_POINT = "reporting.committee.workflow:ACTION_TRANSITIONS"
ANNUAL = "reporting.compiled.workflow:ANNUAL_TRANSITIONS"
CONSOLIDATED = "reporting.compiled.workflow:CONSOLIDATED_TRANSITIONS"
EDITION = "reporting.compiled.workflow:EDITION_TRANSITIONS"
REVIEW = "reporting.review.workflow:REVIEW_TRANSITIONS"
SIGNON = "compact.signon.workflow:TRANSITIONS"
BRIEFING = "compact.outreach.workflow:BRIEFING_TRANSITIONS"
LIFECYCLE = "compact.matrix.workflow:LIFECYCLE_TRANSITIONS"
REORGANISATION = "reporting.reorganisation.workflow:REORGANISATION_TRANSITIONS"
VISIT = "compact.visits.workflow:VISIT_TRANSITIONS"
CONSULTATION = "reporting.consultation.workflow:CONSULTATION_TRANSITIONS"

# Moves whose form asks first, and why (what the sentence must make clear).
ASKED = {
    (SUBMISSION, "submit"): "the input is locked until OCT returns it",
    (SUBMISSION, "resubmit"): "the input is locked again",
    (PERIOD, "open"): "creates a draft per group and e-mails every chair and vice-chair",
    (PERIOD, "close"): "every group's input is locked until the period is reopened",
    (PERIOD, "reopen"): "e-mails the leaders of every group whose input is not accepted",
    (MEETING, "approve_minutes"): "the meeting's record can never change again",
    (MEETING, "cancel"): "tells the Committee and cannot be undone",
    (ANNUAL, "submit"): "the text is locked until the USG decides",
    (ANNUAL, "approve"): "the annual report becomes final",
    (CONSOLIDATED, "make_final"): "the report becomes final",
    (REVIEW, "open"): "e-mails the focal points of every party",
    (REVIEW, "close"): "every party's comments are locked",
    (REVIEW, "conclude"): "final, and e-mails the focal points of every party",
    (REVIEW, "reopen"): "e-mails the focal points of every party",
    (SIGNON, "approve"): "admits the entity and e-mails an invitation; no way back",
    (SIGNON, "decline"): "closes the request for good",
    (SIGNON, "withdraw"): "closes the request for good",
    (BRIEFING, "publish"): "the summary is public at once",
    (REORGANISATION, "adopt"): "the old groups end and everything the preview lists moves; no way back",
    (VISIT, "share"): "OCT reads CTED's assessment at once; it cannot be taken back",
    (VISIT, "cancel"): "the visit is closed for good",
    (CONSULTATION, "open"): "freezes the document and e-mails the focal points of every consulted entity",
    (CONSULTATION, "close"): "the entities' comments are locked for good",
    (CONSULTATION, "respond"): "every consulted entity reads every comment and response; final",
    (CONSULTATION, "cancel"): "ends the consultation for good and e-mails the consulted entities",
}

# Moves taken without a question, and why that is right.
NOT_ASKED = {
    (SUBMISSION, "close"): "taken by a reorganisation's adoption (asked there), never a button",
    (REORGANISATION, "withdraw"): "it asks for a reason; the draft can be taken up again",
    (REORGANISATION, "redraft"): "a withdrawn draft becomes a draft again; nothing is applied",
    (SUBMISSION, "return"): "the chair revises and resubmits; one group is told",
    (SUBMISSION, "accept"): "OCT can reopen an accepted input; one group is told",
    (SUBMISSION, "reopen"): "it asks for a reason already; one group is told",
    (EXTENSION, "approve"): "a decision for one group, which is told",
    (EXTENSION, "decline"): "a decision for one group, with a reason typed first",
    (EXTENSION, "withdraw"): "the chair may ask again",
    (MEETING, "hold"): "nobody is e-mailed; the minutes are written afterwards",
    (ACTION_POINT, "mark_done"): "OCT can reopen it",
    (ACTION_POINT, "drop"): "OCT can reopen it",
    (ACTION_POINT, "reopen"): "undoes a step",
    (ANNUAL, "return"): "sends the report back for changes, with a reason typed first",
    (EDITION, "claim"): "taken by the worker, never a button",
    (EDITION, "store"): "taken by the worker, never a button",
    (EDITION, "fail"): "taken by the worker, never a button",
    (EDITION, "requeue"): "taken by the sweep, never a button",
    (EDITION, "give_up"): "taken by the sweep, never a button",
    (SIGNON, "confirm_email"): "the applicant's own link",
    (SIGNON, "start_consultation"): "internal, nobody is e-mailed",
    (SIGNON, "add_note"): "an internal note",
    (SIGNON, "request_information"): "the applicant answers and the request goes on; a message is typed first",
    (SIGNON, "provide_information"): "the applicant sends their own changes",
    (BRIEFING, "unpublish"): "it can be published again; a reason is typed first",
    # CTED's country visits: facts recorded on one visit, nobody e-mailed. Keeping the assessment
    # (the Member State asked) shows OCT nothing; OCT's follow-up adds to what the visit records.
    (VISIT, "inform-oct"): "records a day on one visit",
    (VISIT, "carry-out"): "records that one visit took place; nobody is told",
    (VISIT, "withhold"): "the assessment stays with CTED: nobody else reads anything new",
    (VISIT, "follow-up"): "records OCT's consultation on one visit; nobody is told",
    (CONSULTATION, "expire"): "taken by the scheduler at the deadline, never a button",
    # A project's lifecycle: a step is recorded with its date on the project's own page, nobody
    # is e-mailed, and a step back (with a reason) undoes a step forward.
    **{
        (LIFECYCLE, action): "records a step of one project; a step back undoes it"
        for action in LIFECYCLE_TRANSITIONS.actions()
    },
}


def workflow_tables() -> dict[str, TransitionTable]:
    """Every transition table of every ``workflow`` module of the project's own apps, by its place."""
    tables = {}
    base = Path(settings.BASE_DIR)
    for app in apps.get_app_configs():
        if not Path(app.path).is_relative_to(base):
            continue
        for path in sorted(Path(app.path).rglob("workflow.py")):
            module = importlib.import_module(".".join(path.relative_to(base).with_suffix("").parts))
            for name, value in vars(module).items():
                if isinstance(value, TransitionTable):
                    tables[f"{module.__name__}:{name}"] = value
    return tables


def test_every_workflow_move_is_decided():
    moves = {(place, move.action) for place, table in workflow_tables().items() for move in table}
    assert not ASKED.keys() & NOT_ASKED.keys()
    undecided = moves - ASKED.keys() - NOT_ASKED.keys()
    assert not undecided, f"Decide whether these moves ask first (ASKED or NOT_ASKED): {sorted(undecided)}"
    assert not (ASKED.keys() | NOT_ASKED.keys()) - moves, "a decided move no longer exists"


# --- The pages, as the role that sees each button -------------------------------------------------


def action_form(page: Node, url: str, action: str | None = None) -> Node:
    """The one form posting to ``url`` (with the hidden ``action`` if given)."""
    forms = [
        form
        for form in page.find_all("form", action=url)
        if action is None or form.find_all("input", name="action", value=action)
    ]
    assert len(forms) == 1, f"{len(forms)} forms for {url} {action}"
    return forms[0]


def person(username: str, entity, *, focal: bool = False, roles=()):
    user = person_create(
        username=username,
        email=f"{username}@example.org",
        first_name=username.title(),
        last_name="Tester",
        entity=entity,
        roles=roles,
        clearance=Classification.UNCLASSIFIED,
        password="pw",
        actor=None,
    )
    if focal:
        focal_point_appoint(user=user, entity=entity, actor=None)
    return user


@pytest.fixture
def parties_focal_points(roster, focal_point):
    """Three focal points of parties (UNESCO's, OHCHR's and the observer INTERPOL's) and one of
    an applicant (ICAO), who is not told of the review."""
    person("ohchr.focal", roster.ohchr, focal=True)
    interpol = EntityFactory(acronym="INTERPOL", name="International Criminal Police Organization")
    MembershipFactory(entity=interpol, status=Membership.Status.OBSERVER)
    person("interpol.focal", interpol, focal=True)
    icao = EntityFactory(acronym="ICAO", name="International Civil Aviation Organization")
    MembershipFactory(entity=icao, status=Membership.Status.APPLICANT)
    person("icao.focal", icao, focal=True)


def _review(request, state: str):
    from reporting.review.services import review_act, review_create

    request.getfixturevalue("time_machine").move_to(
        datetime.datetime(2026, 10, 25, 15, tzinfo=datetime.UTC), tick=False
    )
    request.getfixturevalue("parties_focal_points")
    officer = request.getfixturevalue("oct_officer")
    review = review_create(
        actor=officer,
        biennium=2027,
        title="Review of the Compact 2027–2028",
        resolution_symbol="A/RES/77/298",
        resolution_url="https://docs.un.org/en/A/RES/77/298",
        opens_on=D(2026, 10, 20),
        comments_due_on=D(2026, 11, 10),
    )
    for action in {"preparing": [], "open": ["open"], "closed": ["open", "close"]}[state]:
        review = review_act(review=review, action=action, actor=officer)
    client = request.getfixturevalue("client_for")(officer)
    return html_tree(client.get(reverse("review-detail", args=[review.pk]))), reverse("review-act", args=[review.pk])


def review_open(request):
    page, url = _review(request, "preparing")
    return action_form(page, url, "open"), "Open the review for comments? 3 focal points are e-mailed at once."


def review_close(request):
    page, url = _review(request, "open")
    return action_form(page, url, "close"), (
        "Close the comments? Focal points can no longer write or change their comments until you reopen the review."
    )


def review_conclude(request):
    page, url = _review(request, "closed")
    return action_form(page, url, "conclude"), (
        "Conclude the review? Its record and outcome can no longer change, and 3 focal points are e-mailed at once."
    )


def review_reopen(request):
    page, url = _review(request, "closed")
    return action_form(page, url, "reopen"), (
        "Reopen the review for comments? 3 focal points are e-mailed your reason at once."
    )


def _period_page(request, period):
    client = request.getfixturevalue("client_for")(request.getfixturevalue("oct_officer"))
    return html_tree(client.get(reverse("reporting-period", args=[period.pk])))


def period_open(request):
    from reporting.submissions.periods.services import period_create

    request.getfixturevalue("roster")
    # Before the period opens, whatever today is.
    request.getfixturevalue("time_machine").move_to(datetime.datetime(2026, 12, 1, 15, tzinfo=datetime.UTC))
    period = period_create(
        kind="q4",
        covers_from=D(2026, 10, 1),
        covers_until=D(2026, 12, 31),
        opens_on=D(2026, 12, 15),
        due_on=D(2027, 1, 10),
        actor=None,
    )
    url = reverse("reporting-period-act", args=[period.pk])
    return action_form(_period_page(request, period), url, "open"), (
        "Open this period now? It creates 2 drafts, one for each working group active at its end, "
        "and e-mails their chairs and vice-chairs."
    )


def period_close(request):
    period = request.getfixturevalue("report_period")
    url = reverse("reporting-period-act", args=[period.pk])
    return action_form(_period_page(request, period), url, "close"), (
        "Close this period now? The working groups can no longer change, submit or ask more time for "
        "their inputs until you reopen it."
    )


def period_reopen(request):
    from reporting.submissions.models import Submission
    from reporting.submissions.periods.services import period_close

    period = request.getfixturevalue("report_period")
    # One of the two inputs is accepted: only the other group is told.
    Submission.objects.filter(period=period, working_group__number=2).update(status=Submission.Status.ACCEPTED)
    period_close(period=period, actor=None)
    url = reverse("reporting-period-reopen", args=[period.pk])
    return action_form(_period_page(request, period), url), (
        "Reopen this period? 1 working group whose input is not accepted may change and submit it again, "
        "and its chair and vice-chairs are e-mailed your reason."
    )


def _meeting_page(request, *, held: bool):
    from reporting.committee.services import meeting_act, meeting_create

    officer = request.getfixturevalue("oct_officer")
    meeting = meeting_create(
        start_time=datetime.time(10), end_time=datetime.time(12), actor=officer, date=D(2026, 10, 20), place="New York"
    )
    if held:
        meeting_act(meeting=meeting, action="hold", actor=officer)
    client = request.getfixturevalue("client_for")(officer)
    url = reverse("committee-meeting-act", args=[meeting.pk])
    return html_tree(client.get(reverse("committee-meeting", args=[meeting.pk]))), url


def meeting_cancel(request):
    page, url = _meeting_page(request, held=False)
    return action_form(page, url, "cancel"), (
        "Cancel this meeting? The Committee and the secretariat are told at once, and it leaves their "
        "calendars. It cannot be planned again: plan a new meeting instead."
    )


def meeting_approve_minutes(request):
    page, url = _meeting_page(request, held=True)
    return action_form(page, url, "approve_minutes"), (
        "Approve the minutes? They become the meeting’s final record: the minutes, agenda and decisions "
        "can no longer change."
    )


def _draft(request, status: str):
    from reporting.submissions.models import Submission

    period = request.getfixturevalue("report_period")
    chair = request.getfixturevalue("chair")
    draft = Submission.objects.get(period=period, working_group__number=7)
    Submission.objects.filter(pk=draft.pk).update(status=status)
    page = html_tree(request.getfixturevalue("client_for")(chair).get(reverse("reporting-submission", args=[draft.pk])))
    return page, reverse("reporting-submission-act", args=[draft.pk])


def submission_submit(request):
    page, url = _draft(request, "draft")
    return action_form(page, url, "submit"), (
        "Submit this input to the OCT secretariat? You can no longer change it unless OCT returns it for revision."
    )


def submission_resubmit(request):
    page, url = _draft(request, "returned")
    return action_form(page, url, "resubmit"), (
        "Resubmit this input to the OCT secretariat? You can no longer change it unless OCT returns it again."
    )


def _signon_page(request):
    officer = request.getfixturevalue("oct_officer")
    signon = signon_in_consultation(officer)
    page = html_tree(
        request.getfixturevalue("client_for")(officer).get(reverse("signon-review-detail", args=[signon.pk]))
    )
    return page, reverse("signon-review-act", args=[signon.pk]), signon.organization_name


def signon_approve(request):
    page, url, name = _signon_page(request)
    return action_form(page, url, "approve"), (
        f"Approve the request of {name}? The entity is admitted to the Compact, its focal point’s account is "
        "created and e-mailed an invitation, and the applicant is told. An approval cannot be taken back here."
    )


def signon_decline(request):
    page, url, name = _signon_page(request)
    return action_form(page, url, "decline"), (
        f"Decline the request of {name}? The applicant is e-mailed your reason, and the request is closed for "
        "good: they must send a new one."
    )


def signon_withdraw(request):
    signon = signon_in_consultation(request.getfixturevalue("oct_officer"))
    page = html_tree(
        request.getfixturevalue("client_for")(None).get(reverse("signon-status", args=[signon.access_key]))
    )
    return action_form(page, reverse("signon-withdraw", args=[signon.access_key])), (
        "Withdraw your request? It is closed for good and the OCT secretariat stops considering it: to apply "
        "again you must send a new request."
    )


def reorganisation_adopt(request):
    from reporting.reorganisation.services import reorganisation_create

    officer = request.getfixturevalue("oct_officer")
    draft = reorganisation_create(title="Fewer groups", effective_on=D(2026, 7, 1), actor=officer)
    # The officer drafted it: their colleague is the one offered the adoption.
    client = request.getfixturevalue("client_for")(request.getfixturevalue("oct_colleague"))
    page = html_tree(client.get(reverse("reorganisation-detail", args=[draft.pk])))
    return action_form(page, reverse("reorganisation-act", args=[draft.pk]), "adopt"), (
        "Record the adoption? The old groups end, the new ones start and everything the preview lists "
        "moves at once; only another reorganisation can undo it."
    )


def briefing_publish(request):
    from compact.outreach.services import briefing_create

    officer = request.getfixturevalue("oct_officer")
    briefing = briefing_create(
        actor=officer,
        date=D(2026, 5, 4),
        audience="Member States, New York",
        title="Briefing on the Compact's implementation",
        place="ECOSOC Chamber",
        public_summary="A public summary.",
    )
    client = request.getfixturevalue("client_for")(officer)
    page = html_tree(client.get(reverse("outreach-briefing-detail", args=[briefing.pk])))
    return action_form(page, reverse("outreach-briefing-act", args=[briefing.pk]), "publish"), (
        "Publish the public summary? Anyone can read it on the public page at once, without signing in."
    )


def _visit_page(request, *, confidential: bool):
    from compact.visits.services import visit_act, visit_create

    request.getfixturevalue("time_machine").move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC))
    cted = request.getfixturevalue("committee_member")
    visit = visit_create(
        actor=cted, country="TN", starts_on=D(2026, 6, 1), ends_on=D(2026, 6, 5), confidentiality_requested=confidential
    )
    if not confidential:
        visit_act(visit=visit, action="carry-out", actor=cted)
    page = html_tree(request.getfixturevalue("client_for")(cted).get(reverse("visit-detail", args=[visit.pk])))
    return page, reverse("visit-act", args=[visit.pk])


def visit_share(request):
    page, url = _visit_page(request, confidential=False)
    return action_form(page, url, "share"), (
        "Share the assessment with OCT? OCT can read it at once, and it cannot be taken back."
    )


def visit_cancel(request):
    page, url = _visit_page(request, confidential=True)
    return action_form(page, url, "cancel"), "Cancel the visit? This cannot be undone."


def _in_template(template: str, pattern: str):
    """For a page that needs a generated PDF edition to show its button: the template's form
    for the move, as written (the submissions and compiled tests render it)."""

    def check(request):
        source = (Path(settings.BASE_DIR) / "templates" / template).read_text()
        found = re.search(pattern, source)
        assert found, f"{template}: no {pattern}"
        return Node("form", {"data-confirm": found["text"]}), found["text"]

    return check


def _consultation(request, state: str):
    from tests.reporting.consultation.helpers import NOW, programme_draft, round_on

    request.getfixturevalue("time_machine").move_to(NOW, tick=False)
    roster = request.getfixturevalue("roster")
    officer = request.getfixturevalue("oct_officer")
    programme, _priority = programme_draft(officer)
    round_ = round_on(officer, programme, [roster.unesco, roster.ohchr, roster.cted], state=state)
    client = request.getfixturevalue("client_for")(officer)
    page = html_tree(client.get(reverse("consultation-detail", args=[round_.pk])))
    return page, reverse("consultation-act", args=[round_.pk])


def consultation_open(request):
    page, url = _consultation(request, "draft")
    return action_form(page, url, "open"), (
        "Open the consultation? The document is frozen as it stands and the focal points of 3 entities are "
        "e-mailed at once."
    )


def consultation_close(request):
    page, url = _consultation(request, "open")
    return action_form(page, url, "close"), (
        "Close the comments? The entities can no longer write, change or withdraw them."
    )


def consultation_respond(request):
    page, url = _consultation(request, "closed")
    return action_form(page, url, "respond"), (
        "Publish the responses? Every consulted entity then reads every comment and OCT's response; they no "
        "longer change."
    )


def consultation_cancel(request):
    page, url = _consultation(request, "open")
    return action_form(page, url, "cancel"), (
        "Cancel the consultation for good? If it is open, its entities' focal points are e-mailed your reason."
    )


RENDERED: dict[tuple[str, str], Callable] = {
    (CONSULTATION, "open"): consultation_open,
    (CONSULTATION, "close"): consultation_close,
    (CONSULTATION, "respond"): consultation_respond,
    (CONSULTATION, "cancel"): consultation_cancel,
    (SUBMISSION, "submit"): submission_submit,
    (SUBMISSION, "resubmit"): submission_resubmit,
    (PERIOD, "open"): period_open,
    (PERIOD, "close"): period_close,
    (PERIOD, "reopen"): period_reopen,
    (MEETING, "approve_minutes"): meeting_approve_minutes,
    (MEETING, "cancel"): meeting_cancel,
    (ANNUAL, "submit"): _in_template(
        "reporting/compiled/annual.html",
        r"""class="inline approval-submit" data-confirm="(?P<text>\{% blocktranslate[^"]+Submit edition[^"]+)">""",
    ),
    (ANNUAL, "approve"): _in_template(
        "reporting/compiled/annual.html",
        r"""value="approve" data-confirm="(?P<text>[^"]+can no longer change[^"]+)">""",
    ),
    (CONSOLIDATED, "make_final"): _in_template(
        "reporting/compiled/_editions.html",
        r"""edition-final' edition\.pk %\}" class="inline" data-confirm="(?P<text>[^"]+no longer change[^"]+)">""",
    ),
    (REVIEW, "open"): review_open,
    (REVIEW, "close"): review_close,
    (REVIEW, "conclude"): review_conclude,
    (REVIEW, "reopen"): review_reopen,
    (SIGNON, "approve"): signon_approve,
    (SIGNON, "decline"): signon_decline,
    (SIGNON, "withdraw"): signon_withdraw,
    (BRIEFING, "publish"): briefing_publish,
    (REORGANISATION, "adopt"): reorganisation_adopt,
    (VISIT, "share"): visit_share,
    (VISIT, "cancel"): visit_cancel,
}


def test_each_asked_move_has_its_page_here():
    assert RENDERED.keys() == ASKED.keys()


@pytest.mark.parametrize("move", sorted(ASKED), ids=lambda move: f"{move[0].rsplit(':')[1]}-{move[1]}")
def test_each_asked_move_renders_its_confirmation(request, move):
    form, expected = RENDERED[move](request)
    assert form.attrs.get("data-confirm") == expected


# --- Removing and replacing: no workflow table, the same question --------------------------------


def test_deleting_a_project_names_it_and_says_it_is_for_good(client_for, roster, oct_officer):
    from compact.matrix.services import project_save

    fields = {"title": "Border security", "status": "ongoing", "lead_entity": roster.unodc, "pillars": ["I"]}
    project = project_save(project=None, actor=None, fields=fields)
    page = html_tree(client_for(oct_officer).get(reverse("project-detail", args=[project.pk])))
    form = action_form(page, reverse("project-delete", args=[project.pk]))
    assert form.attrs["data-confirm"] == (
        "Delete the project “Border security”? It leaves the matrix for good; only the audit log keeps what it was."
    )


def test_removing_a_focal_point_names_them_and_the_entity(client_for, roster, oct_officer, focal_point):
    page = html_tree(client_for(oct_officer).get(reverse("entity-detail", args=[roster.unesco.acronym])))
    (form,) = [
        form
        for form in page.find_all("form", action=reverse("entity-focal-point-dismiss", args=["UNESCO"]))
        if form.find_all("input", name="user", value=str(focal_point.pk))
    ]
    assert form.attrs["data-confirm"] == (
        "Remove Focal Tester as focal point of UNESCO? They can no longer act for the entity; to restore it "
        "they must be invited again."
    )


def test_removing_a_priority_counts_the_expected_results_going_with_it(client_for, oct_officer, work_plan):
    from reporting.programme.services import priority_add, programme_create, result_add

    programme = programme_create(actor=oct_officer, biennium_start=2026, title="Programme 2026–2027")
    priority = priority_add(programme=programme, actor=oct_officer, code="1", title="Human rights", pillars=["IV"])
    result_add(priority=priority, actor=oct_officer, text="Guidance used.", outputs=[])
    result_add(priority=priority, actor=oct_officer, text="Training given.", outputs=[])
    page = html_tree(client_for(oct_officer).get(reverse("programme-detail", args=[programme.pk])))
    form = action_form(page, reverse("programme-priority-remove", args=[priority.pk]))
    assert form.attrs["data-confirm"] == (
        "Remove priority 1? Its 2 expected results are removed with it; adopted versions keep them."
    )


def test_removing_a_work_plan_output_counts_its_activities(client_for, chair, work_plan):
    output = work_plan.outputs.get()
    args = [work_plan.working_group_id, work_plan.biennium_start]
    page = html_tree(client_for(chair).get(reverse("workplan-output-edit", args=[*args, output.pk])))
    form = action_form(page, reverse("workplan-output-remove", args=[*args, output.pk]))
    assert form.attrs["data-confirm"] == (
        "Remove this output? Its 2 activities are removed with it. Reports already written keep them as they were."
    )


def test_removing_an_indicator_names_it(client_for, oct_officer):
    from reporting.monitoring.services import indicator_create
    from reporting.programme.services import programme_create

    programme = programme_create(actor=oct_officer, biennium_start=2026, title="Programme 2026–2027")
    indicator = indicator_create(
        programme=programme,
        actor=oct_officer,
        code="1.1",
        name="Officials trained",
        definition="People who completed a training course.",
        unit="people",
        target=500,
        direction="increase",
        aggregation="sum",
        frequency="mid-year",
        pillars=["IV"],
    )
    page = html_tree(client_for(oct_officer).get(reverse("monitoring-indicator", args=[indicator.pk])))
    form = action_form(page, reverse("monitoring-indicator-remove", args=[indicator.pk]))
    assert form.attrs["data-confirm"] == (
        "Remove indicator 1.1? Its definition, baseline and target are deleted; adopted versions of the "
        "programme keep it."
    )


def test_removing_an_agenda_item_names_it(client_for, oct_officer):
    from reporting.committee.services import agenda_item_add, meeting_create

    meeting = meeting_create(
        start_time=datetime.time(10), end_time=datetime.time(12), actor=oct_officer, date=D(2026, 12, 20), place="NY"
    )
    item = agenda_item_add(meeting=meeting, actor=oct_officer, kind="other", title="Any other business")
    page = html_tree(client_for(oct_officer).get(reverse("committee-meeting", args=[meeting.pk])))
    form = action_form(page, reverse("committee-item-remove", args=[item.pk]))
    assert form.attrs["data-confirm"] == (
        "Remove the agenda item “Any other business”? It is deleted with what was written on it, and the "
        "items after it move up."
    )


def test_removing_an_attachment_names_the_file(client_for, report_period, chair):
    from reporting.submissions.models import Submission

    draft = Submission.objects.get(period=report_period, working_group__number=7)
    client = client_for(chair)
    client.post(
        reverse("reporting-attachment-add", args=[draft.pk]),
        {"file": SimpleUploadedFile("annex.pdf", pdf_bytes(), content_type="application/pdf")},
    )
    attachment = draft.attachments.get()
    page = html_tree(client.get(reverse("reporting-submission-edit", args=[draft.pk])))
    form = action_form(page, reverse("reporting-attachment-remove", args=[draft.pk, attachment.pk]))
    assert (
        form.attrs["data-confirm"]
        == "Remove the attachment “annex.pdf”? The file is deleted; to keep it, upload it again."
    )


def test_replacing_the_calendar_feed_address_says_the_old_one_stops(client_for, chair):
    page = html_tree(client_for(chair).get(reverse("reporting-feed-settings")))
    form = action_form(page, reverse("reporting-feed-settings"))
    assert form.attrs["data-confirm"] == (
        "Replace the address of your calendar feed? The old address stops working at once: calendars "
        "subscribed with it no longer update."
    )


def test_saving_a_draft_asks_nothing(client_for, report_period, chair):
    """Reversible saves go through without a question: only the submit button asks."""
    from reporting.submissions.models import Submission

    draft = Submission.objects.get(period=report_period, working_group__number=7)
    page = html_tree(client_for(chair).get(reverse("reporting-submission-edit", args=[draft.pk])))
    (editor,) = [form for form in page.find_all("form") if form.find_all("button", name="intent", value="submit")]
    assert "data-confirm" not in editor.attrs
    asking = [button.attrs.get("value") for button in editor.find_all("button") if "data-confirm" in button.attrs]
    assert asking == ["submit"]
