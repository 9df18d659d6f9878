"""Briefings to Member States (Annex III, V.14) and the public page.

The heart of it: the public summary can only ever carry unclassified content. Classified
submissions, projects and notes are planted with marker strings, the summary is drafted,
published and read on the public page anonymously, and no marker appears anywhere.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from compact.core.models import AuditEvent, Classification
from compact.lib.workflow import TransitionNotAllowedError
from compact.matrix.models import Project
from compact.outreach.models import MemberStateBriefing
from compact.outreach.services import (
    briefing_act,
    briefing_create,
    briefing_public_summary_draft,
    briefing_summary_fill,
    briefing_update,
)
from compact.outreach.workflow import BRIEFING_TRANSITIONS
from compact.registry.models import Membership
from compact.signon.principles import STATUS as COMPACT_STATUS
from reporting.submissions.models import Submission
from tests.factories import COMPACT_SIGNED, EntityFactory, MembershipFactory
from tests.helpers import html_tree, oct_person

pytestmark = pytest.mark.django_db

U, C, SC = Classification.UNCLASSIFIED, Classification.CONFIDENTIAL, Classification.STRICTLY_CONFIDENTIAL
State = MemberStateBriefing.State
MARKERS = [f"SECRET-MARKER-{n}" for n in range(1, 8)]


def _briefing(actor, **overrides) -> MemberStateBriefing:
    values = {
        "date": datetime.date(2026, 5, 4),
        "audience": "Member States, New York",
        "title": "Briefing on the Compact's implementation",
        "place": "ECOSOC Chamber",
        "notes": "Internal notes.",
        "notes_classification": C,
    }
    return briefing_create(actor=actor, **{**values, **overrides})


def _published(actor, **overrides) -> MemberStateBriefing:
    briefing = _briefing(actor, **{"public_summary": "A public summary.", **overrides})
    return briefing_act(briefing=briefing, action="publish", actor=actor, confirm_unclassified=True)


def _in_state(actor, state: str) -> MemberStateBriefing:
    return _published(actor) if state == State.PUBLISHED else _briefing(actor, public_summary="Text.")


def _audits(briefing: MemberStateBriefing) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(briefing.pk), verb__startswith="outreach.")
        .order_by("id")
        .values_list("verb", flat=True)
    )


# --- The no-leak proof ---------------------------------------------------------------------


@pytest.fixture
def classified_world(roster, report_period, briefing_period):
    """Accepted inputs and projects at every level, the classified ones carrying markers."""
    wg7 = Submission.objects.get(period=report_period, working_group=roster.group)
    wg2 = Submission.objects.get(period=report_period, working_group=roster.other_group)
    Submission.objects.filter(pk=wg7.pk).update(status="accepted", classification=U, summary="Public progress.")
    Submission.objects.filter(pk=wg2.pk).update(
        status="accepted", classification=C, summary=MARKERS[0], challenges=MARKERS[0]
    )
    Submission.objects.filter(period=briefing_period, working_group=roster.group).update(
        status="accepted", classification=SC, issues_of_concern=MARKERS[1]
    )
    Project.objects.create(title="Open project", status=Project.Status.ONGOING, classification=U)
    Project.objects.create(
        title=MARKERS[2], main_activities=MARKERS[2], status=Project.Status.ONGOING, classification=C
    )
    Project.objects.create(
        title=MARKERS[3], main_activities=MARKERS[3], status=Project.Status.COMPLETED, classification=SC
    )
    observer = EntityFactory(acronym="IPU", name="Inter-Parliamentary Union")
    MembershipFactory(entity=observer, status=Membership.Status.OBSERVER)
    return roster


def test_the_public_summary_never_carries_classified_content(classified_world, oct_officer, client_for):
    confidential = _briefing(oct_officer, notes=f"Talking points {MARKERS[4]}", notes_classification=C)
    strict = _briefing(
        oct_officer, title="Group of Friends", audience="Group of Friends", notes=MARKERS[5], notes_classification=SC
    )
    for briefing in (confidential, strict):
        filled = briefing_summary_fill(briefing=briefing, actor=oct_officer)
        for marker in MARKERS:
            assert marker not in filled.public_summary
        briefing_act(briefing=filled, action="publish", actor=oct_officer, confirm_unclassified=True)
    _briefing(oct_officer, title="Not yet public", public_summary=MARKERS[6], notes_classification=U)

    with CaptureQueriesContext(connection) as queries:
        response = client_for(None).get(reverse("public-compact"))
    html = response.content.decode()
    assert response.status_code == 200
    for marker in MARKERS:
        assert marker not in html
    # The public page never even reads the notes column.
    assert not any('"notes"' in query["sql"] for query in queries.captured_queries)
    # And the published summaries carry the unclassified facts.
    assert "1 progress report was accepted" in html
    assert classified_world.group.name in html
    assert "1 public project" in html


def test_the_draft_is_built_from_unclassified_facts_only(classified_world, oct_officer):
    briefing = _briefing(oct_officer, notes=MARKERS[4], notes_classification=C)
    text = briefing_public_summary_draft(briefing=briefing, actor=oct_officer)
    assert "the Compact has 5 member entities and 1 observer." in text
    assert "Working group 7, Human rights and the rule of law: OHCHR" in text
    assert "Working group 2, Countering the financing of terrorism: UNODC" in text
    assert "1 progress report was accepted, from: Human rights and the rule of law." in text
    assert "lists 1 public project (Ongoing: 1)" in text
    assert "Countering the financing of terrorism." not in text.split("accepted")[1]
    for marker in MARKERS:
        assert marker not in text


def test_unclassified_notes_go_into_the_draft(roster, oct_officer):
    briefing = _briefing(oct_officer, notes="The USG thanked Member States.", notes_classification=U)
    assert "The USG thanked Member States." in briefing_public_summary_draft(briefing=briefing, actor=oct_officer)


def test_reports_accepted_more_than_a_year_ago_are_not_counted(roster, report_period, oct_officer):
    old = timezone.now() - datetime.timedelta(days=400)
    Submission.objects.filter(period=report_period).update(status="accepted", status_changed_at=old)
    text = briefing_public_summary_draft(briefing=_briefing(oct_officer), actor=oct_officer)
    assert "progress report" not in text


# --- Filling the summary ----------------------------------------------------------------------


def test_filling_keeps_octs_text_unless_told_to_replace_it(roster, oct_officer):
    briefing = _briefing(oct_officer, public_summary="OCT's own opening.")
    with pytest.raises(ValidationError) as error:
        briefing_summary_fill(briefing=briefing, actor=oct_officer)
    assert "mode" in error.value.message_dict
    briefing.refresh_from_db()
    assert briefing.public_summary == "OCT's own opening."

    appended = briefing_summary_fill(briefing=briefing, actor=oct_officer, mode="append")
    assert appended.public_summary.startswith("OCT's own opening.\n\nBriefing to Member States, New York")
    replaced = briefing_summary_fill(briefing=briefing, actor=oct_officer, mode="replace")
    assert replaced.public_summary.startswith("Briefing to Member States, New York")


def test_an_empty_summary_is_filled_without_asking(roster, oct_officer):
    filled = briefing_summary_fill(briefing=_briefing(oct_officer), actor=oct_officer)
    assert "member entities" in filled.public_summary


# --- Transitions --------------------------------------------------------------------------------


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("action", BRIEFING_TRANSITIONS.actions())
def test_every_action_from_every_state(roster, oct_officer, action, state):
    briefing = _in_state(oct_officer, state)
    transition = BRIEFING_TRANSITIONS.get(action)
    kwargs = {"reason": "Superseded.", "confirm_unclassified": True}
    if state in transition.sources:
        moved = briefing_act(briefing=briefing, action=action, actor=oct_officer, **kwargs)
        assert moved.state == transition.target
        step = moved.steps.get(action=action)
        assert (step.from_state, step.to_state, step.actor) == (state, transition.target, oct_officer)
        assert moved.is_published == (transition.target == State.PUBLISHED)
        assert (moved.published_at is not None) == moved.is_published
    else:
        with pytest.raises(TransitionNotAllowedError):
            briefing_act(briefing=briefing, action=action, actor=oct_officer, **kwargs)
        briefing.refresh_from_db()
        assert briefing.state == state


@pytest.mark.parametrize("persona", ["usg", "committee_member", "chair", "focal_point", "outsider"])
@pytest.mark.parametrize("action", BRIEFING_TRANSITIONS.actions())
def test_only_oct_moves_a_briefing(roster, oct_officer, request, persona, action):
    briefing = _published(oct_officer) if action == "unpublish" else _briefing(oct_officer, public_summary="x")
    with pytest.raises(PermissionDenied):
        briefing_act(
            briefing=briefing,
            action=action,
            actor=request.getfixturevalue(persona),
            reason="r",
            confirm_unclassified=True,
        )


def test_an_unknown_action_is_refused(roster, oct_officer):
    with pytest.raises(TransitionNotAllowedError):
        briefing_act(briefing=_briefing(oct_officer), action="delete", actor=oct_officer)


def test_publishing_needs_the_confirmation_and_a_summary(roster, oct_officer):
    briefing = _briefing(oct_officer, public_summary="Text.")
    with pytest.raises(ValidationError) as error:
        briefing_act(briefing=briefing, action="publish", actor=oct_officer)
    assert "confirm_unclassified" in error.value.message_dict
    empty = _briefing(oct_officer)
    with pytest.raises(ValidationError) as error:
        briefing_act(briefing=empty, action="publish", actor=oct_officer, confirm_unclassified=True)
    assert "public_summary" in error.value.message_dict
    for each in (briefing, empty):
        each.refresh_from_db()
        assert each.state == State.DRAFT and not each.steps.exists()
        assert _audits(each) == ["outreach.briefing_created"]


def test_withdrawing_needs_a_reason(roster, oct_officer):
    briefing = _published(oct_officer)
    with pytest.raises(ValidationError) as error:
        briefing_act(briefing=briefing, action="unpublish", actor=oct_officer, reason="  ")
    assert "reason" in error.value.message_dict
    briefing.refresh_from_db()
    assert briefing.is_published


def test_a_published_briefing_is_not_edited(roster, oct_officer):
    with pytest.raises(ValidationError):
        briefing_update(briefing=_published(oct_officer), actor=oct_officer, public_summary="Changed.")


# --- Validation and clearance -------------------------------------------------------------------


def test_required_fields_are_checked(roster, oct_officer):
    with pytest.raises(ValidationError) as error:
        _briefing(oct_officer, audience=" ", title="")
    assert {"audience", "title"} <= set(error.value.message_dict)
    assert not MemberStateBriefing.objects.exists()


def test_notes_are_not_marked_above_the_officers_clearance(roster):
    officer = oct_person("lowofficer", C)
    with pytest.raises(ValidationError) as error:
        _briefing(officer, notes_classification=SC)
    assert "notes_classification" in error.value.message_dict


def test_an_officer_below_the_notes_classification_cannot_edit(roster, oct_officer, client_for):
    briefing = _briefing(oct_officer, notes=MARKERS[0], notes_classification=SC)
    officer = oct_person("lowofficer", C)
    with pytest.raises(PermissionDenied):
        briefing_update(briefing=briefing, actor=officer, title="New")
    client = client_for(officer)
    edit = reverse("outreach-briefing-edit", args=[briefing.pk])
    assert client.get(edit).status_code == 404
    before = MemberStateBriefing.objects.filter(pk=briefing.pk).values().get()
    form = {"date": "2026-05-04", "audience": "Member States", "title": "New", "place": "", "notes": "Overwritten."}
    assert client.post(edit, {**form, "notes_classification": C, "public_summary": ""}).status_code == 404
    assert MemberStateBriefing.objects.filter(pk=briefing.pk).values().get() == before
    assert _audits(briefing) == ["outreach.briefing_created"]
    detail = client.get(reverse("outreach-briefing-detail", args=[briefing.pk]))
    assert detail.status_code == 200 and MARKERS[0] not in detail.content.decode()


# --- Audit ----------------------------------------------------------------------------------------


def test_every_change_is_audited_without_the_notes_text(roster, oct_officer):
    briefing = _briefing(oct_officer, notes=MARKERS[0])
    briefing_update(briefing=briefing, actor=oct_officer, notes=MARKERS[1], public_summary="Summary.")
    briefing_update(briefing=briefing, actor=oct_officer, public_summary="Summary.")  # no change, no row
    briefing_act(briefing=briefing, action="publish", actor=oct_officer, confirm_unclassified=True)
    briefing_act(briefing=briefing, action="unpublish", actor=oct_officer, reason="A correction is due.")
    assert _audits(briefing) == [
        "outreach.briefing_created",
        "outreach.briefing_updated",
        "outreach.briefing_published",
        "outreach.briefing_unpublished",
    ]
    events = AuditEvent.objects.filter(object_id=str(briefing.pk), verb__startswith="outreach.")
    assert all(event.actor == oct_officer for event in events)
    assert events.get(verb="outreach.briefing_unpublished").note == "A correction is due."
    assert events.get(verb="outreach.briefing_published").after["confirmed_unclassified"] is True
    for event in events:
        assert MARKERS[0] not in str(event.before) + str(event.after)
        assert MARKERS[1] not in str(event.before) + str(event.after)


# --- Pages: permissions -------------------------------------------------------------------------

# Everyone but the USG and OCT, who record briefings (only OCT publishes).
NON_OCT = ["committee_member", "chair", "vice_chair", "focal_point", "outsider"]


def _oct_pages(briefing: MemberStateBriefing) -> list[tuple[str, str]]:
    return [
        ("get", reverse("outreach-briefing-list")),
        ("get", reverse("outreach-briefing-new")),
        ("post", reverse("outreach-briefing-new")),
        ("get", reverse("outreach-briefing-detail", args=[briefing.pk])),
        ("get", reverse("outreach-briefing-edit", args=[briefing.pk])),
        ("post", reverse("outreach-briefing-edit", args=[briefing.pk])),
        ("post", reverse("outreach-briefing-draft", args=[briefing.pk])),
        ("post", reverse("outreach-briefing-act", args=[briefing.pk])),
    ]


@pytest.mark.parametrize("persona", ["oct_officer", "usg"])
def test_the_usg_and_oct_open_every_page(roster, oct_officer, request, client_for, persona):
    briefing = _briefing(oct_officer)
    client = client_for(request.getfixturevalue(persona))
    for method, url in _oct_pages(briefing):
        if method == "get":
            assert client.get(url).status_code == 200, url
    assert client.get(reverse("outreach-briefing-cadence")).status_code == 200


def test_the_usg_records_a_briefing_on_the_pages_but_is_refused_publishing(roster, usg, oct_officer, client_for):
    client = client_for(usg)
    form = {
        "date": "2026-06-01",
        "audience": "Member States, Geneva",
        "title": "USG's briefing",
        "notes_classification": C,
        "public_summary": "The USG briefed Member States.",
    }
    response = client.post(reverse("outreach-briefing-new"), form)
    briefing = MemberStateBriefing.objects.get(title="USG's briefing")
    assert response.status_code == 302 and briefing.created_by == usg
    detail = client.get(reverse("outreach-briefing-detail", args=[briefing.pk])).content.decode()
    assert 'name="action" value="publish"' not in detail and "Publish the public summary" not in detail
    act = reverse("outreach-briefing-act", args=[briefing.pk])
    assert client.post(act, {"action": "publish", "confirm_unclassified": "on"}).status_code == 403
    briefing.refresh_from_db()
    assert briefing.state == State.DRAFT and _audits(briefing) == ["outreach.briefing_created"]
    officer_page = client_for(oct_officer).get(reverse("outreach-briefing-detail", args=[briefing.pk]))
    assert "Publish the public summary" in officer_page.content.decode()


@pytest.mark.parametrize("persona", NON_OCT)
def test_everyone_else_gets_404(roster, oct_officer, request, client_for, persona):
    briefing = _briefing(oct_officer)
    client = client_for(request.getfixturevalue(persona))
    for method, url in _oct_pages(briefing):
        assert getattr(client, method)(url, {"action": "publish"} if method == "post" else None).status_code == 404
    assert client.get(reverse("outreach-briefing-detail", args=[briefing.pk + 99])).status_code == 404
    briefing.refresh_from_db()
    assert briefing.state == State.DRAFT and _audits(briefing) == ["outreach.briefing_created"]


def test_anonymous_visitors_are_sent_to_sign_in(roster, oct_officer, client_for):
    client = client_for(None)
    for method, url in _oct_pages(_briefing(oct_officer)):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_missing_briefing_is_404_for_oct(roster, oct_officer, client_for):
    assert client_for(oct_officer).get(reverse("outreach-briefing-detail", args=[999])).status_code == 404


# --- Pages: OCT's flow ----------------------------------------------------------------------------


def test_oct_records_drafts_publishes_and_withdraws_through_the_pages(roster, oct_officer, client_for):
    client = client_for(oct_officer)
    response = client.post(
        reverse("outreach-briefing-new"),
        {
            "date": "2026-05-04",
            "audience": "Group of Friends",
            "title": "Spring briefing",
            "place": "",
            "virtual": "on",
            "notes": "Private.",
            "notes_classification": C,
            "public_summary": "",
        },
    )
    briefing = MemberStateBriefing.objects.get()
    assert response.status_code == 302 and briefing.virtual and briefing.created_by == oct_officer

    assert client.post(reverse("outreach-briefing-draft", args=[briefing.pk])).status_code == 302
    briefing.refresh_from_db()
    assert "member entities" in briefing.public_summary
    # Drafting again asks whether to replace or append: the page says so, nothing changes.
    response = client.post(reverse("outreach-briefing-draft", args=[briefing.pk]))
    assert response.status_code == 400 and "choose whether the draft replaces it" in response.content.decode()

    act = reverse("outreach-briefing-act", args=[briefing.pk])
    response = client.post(act, {"action": "publish"})
    assert response.status_code == 400 and "only unclassified information" in response.content.decode()
    assert client.post(act, {"action": "publish", "confirm_unclassified": "on"}).status_code == 302
    briefing.refresh_from_db()
    assert briefing.is_published and briefing.published_by == oct_officer
    detail = client.get(reverse("outreach-briefing-detail", args=[briefing.pk])).content.decode()
    assert (
        "published" in detail and "Withdraw from the public page" in detail and "Draft the public summary" not in detail
    )
    response = client.get(reverse("outreach-briefing-edit", args=[briefing.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "outreach-briefing-detail", args=[briefing.pk]
    )
    response = client.post(act, {"action": "publish", "confirm_unclassified": "on"})
    assert response.status_code == 400 and "not possible" in response.content.decode()
    assert client.post(act, {"action": "unpublish", "reason": "Wrong date."}).status_code == 302
    briefing.refresh_from_db()
    assert briefing.state == State.DRAFT


def test_a_bad_form_keeps_nothing(roster, oct_officer, client_for):
    response = client_for(oct_officer).post(
        reverse("outreach-briefing-new"), {"date": "", "audience": "", "title": "", "notes_classification": C}
    )
    assert response.status_code == 400 and not MemberStateBriefing.objects.exists()


# --- The public page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", [None, "oct_officer", "usg", "committee_member", "chair", "focal_point", "outsider"]
)
def test_the_public_page_is_open_to_all(roster, request, client_for, persona):
    user = request.getfixturevalue(persona) if persona else None
    assert client_for(user).get(reverse("public-compact")).status_code == 200


def test_the_public_page_lists_parties_groups_and_published_summaries(roster, oct_officer, chair, client_for):
    observer = EntityFactory(acronym="IPU", name="Inter-Parliamentary Union")
    MembershipFactory(entity=observer, status=Membership.Status.OBSERVER)
    withdrawn = EntityFactory(acronym="GONE", name="Former party")
    MembershipFactory(entity=withdrawn, status=Membership.Status.WITHDRAWN, effective_from=COMPACT_SIGNED)
    _published(oct_officer, date=datetime.date(2025, 3, 1), title="Older briefing", public_summary="Older text.")
    _published(oct_officer, date=datetime.date(2026, 3, 1), title="Newer briefing", public_summary="Newer text.")
    _briefing(oct_officer, title="Draft briefing", public_summary="Draft text.")
    withdrawn_summary = _published(oct_officer, title="Withdrawn briefing", public_summary="Withdrawn text.")
    briefing_act(briefing=withdrawn_summary, action="unpublish", actor=oct_officer, reason="Error.")

    response = client_for(None).get(reverse("public-compact"))
    html = response.content.decode()
    page = response.context["compact"]
    assert [e.acronym for e in page.members] == ["CTED", "OHCHR", "UNESCO", "UNOCT", "UNODC"]
    assert [e.acronym for e in page.observers] == ["IPU"]
    assert "GONE" not in html
    wg7 = next(group for group in page.groups if group.number == 7)
    assert (wg7.chairs, wg7.vice_chairs) == (("OHCHR",), ("UNODC",))
    assert [s.title for s in page.summaries] == ["Newer briefing", "Older briefing"]
    assert html.index("Newer text.") < html.index("Older text.")
    assert "Draft text." not in html and "Withdrawn text." not in html
    # Entities only: not the people who represent them.
    assert chair.email not in html and chair.get_full_name() not in html


UNOFFICIAL = (
    "Unofficial translation: Annex III to A/72/840 was issued in English only, and its English text is the one "
    "entities commit to."
)


def test_the_public_page_states_the_status_of_the_compact(roster, client_for):
    """Annex III, III.e on the page anyone can read, with its source; in another language with
    the note that the English text is the one that counts."""
    tree = html_tree(client_for(None).get(reverse("public-compact")).content.decode())
    section = tree.find("section", class_="compact-status")
    text = " ".join(section.text.split())
    assert "Nothing in this Compact shall be construed as creating an agency relationship" in text
    assert "Annex III to A/72/840, section III.e." in text
    assert "Unofficial translation" not in text
    arabic = html_tree(
        client_for(None).get(reverse("public-compact"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    ).find("section", class_="compact-status")
    with translation.override("ar"):
        statement, unofficial = str(COMPACT_STATUS), gettext(UNOFFICIAL)
    with translation.override("en"):
        assert unofficial != UNOFFICIAL and statement != str(COMPACT_STATUS)  # the catalogue has both
    assert statement in arabic.text and unofficial in arabic.text
    assert "Nothing in this Compact" not in arabic.text


def test_the_public_page_needs_no_session_and_may_be_cached(roster, client_for):
    response = client_for(None).get(reverse("public-compact"))
    assert "sessionid" not in response.cookies
    assert "max-age=300" in response["Cache-Control"]


def test_the_public_page_flips_for_arabic(roster, client_for):
    response = client_for(None).get(reverse("public-compact"), HTTP_ACCEPT_LANGUAGE="ar")
    assert 'dir="rtl"' in response.content.decode()


def test_anonymous_visitors_find_the_public_page_in_the_menu(roster, client_for):
    html = client_for(None).get(reverse("login")).content.decode()
    assert f'href="{reverse("public-compact")}"' in html


# --- Admin ----------------------------------------------------------------------------------


def test_the_admin_shows_briefings_read_only_without_notes(roster, oct_officer, client_for):
    from compact.core.models import User
    from compact.registry.services import person_create

    admin = person_create(
        username="root",
        email="root@example.org",
        first_name="Root",
        last_name="Admin",
        clearance=Classification.STRICTLY_CONFIDENTIAL,
        actor=None,
    )
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    briefing = _published(oct_officer, title="Autumn briefing", notes=MARKERS[0])
    # A site administrator not cleared for the notes does not find the briefing at all.
    uncleared = User.objects.create_superuser("root2", "root2@example.org", "pw")
    listed = client_for(uncleared).get(reverse("admin:compact_memberstatebriefing_changelist")).content.decode()
    assert briefing.title not in listed
    client = client_for(User.objects.get(pk=admin.pk))
    changelist = client.get(reverse("admin:compact_memberstatebriefing_changelist"))
    assert changelist.status_code == 200 and briefing.title in changelist.content.decode()
    page = client.get(reverse("admin:compact_memberstatebriefing_change", args=[briefing.pk]))
    assert page.status_code == 200 and MARKERS[0] not in page.content.decode()
    assert client.get(reverse("admin:compact_memberstatebriefing_add")).status_code == 403
