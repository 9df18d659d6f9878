"""The API of the USG's briefings to Member States: OCT's briefings for every persona, the
publish/withdraw workflow with its confirmation rules, notes within clearance, refused input
leaving nothing half-saved, and the anonymous endpoint that serves published public summaries
only — never a note, never an unpublished summary."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compact.core.models import AuditEvent, Classification
from compact.outreach.models import MemberStateBriefing
from compact.outreach.services import briefing_act, briefing_create
from compact.outreach.workflow import BRIEFING_TRANSITIONS
from tests.helpers import oct_person

pytestmark = pytest.mark.django_db

BRIEFINGS = "/api/v1/member-state-briefings/"
PUBLIC = "/api/v1/public/briefing-summaries/"
U, C, SC = Classification.UNCLASSIFIED, Classification.CONFIDENTIAL, Classification.STRICTLY_CONFIDENTIAL
State = MemberStateBriefing.State
# Everyone but the USG and OCT, who record briefings (only OCT publishes).
NOT_OCT = ["committee_member", "chair", "vice_chair", "focal_point", "outsider"]
SECRET = "SECRET-NOTE-MARKER"


def _briefing(actor, **overrides) -> MemberStateBriefing:
    values = {
        "date": datetime.date(2026, 5, 4),
        "audience": "Member States, New York",
        "title": "Briefing on the Compact's implementation",
        "place": "ECOSOC Chamber",
        "notes": f"Talking points {SECRET}.",
        "notes_classification": C,
    }
    return briefing_create(actor=actor, **{**values, **overrides})


def _published(actor, **overrides) -> MemberStateBriefing:
    briefing = _briefing(actor, **{"public_summary": "A public summary.", **overrides})
    return briefing_act(briefing=briefing, action="publish", actor=actor, confirm_unclassified=True)


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def post(api, url: str, body: dict | None = None):
    return api.post(url, body or {}, format="json")


def audits() -> int:
    return AuditEvent.objects.filter(verb__startswith="outreach.").count()


@pytest.fixture
def draft(roster, oct_officer) -> MemberStateBriefing:
    return _briefing(oct_officer, public_summary="The USG briefed Member States.")


# --- Anonymous callers and the schema ------------------------------------------------------------------

ENDPOINTS = [
    ("get", BRIEFINGS),
    ("post", BRIEFINGS),
    ("get", f"{BRIEFINGS}1/"),
    ("patch", f"{BRIEFINGS}1/"),
    ("get", f"{BRIEFINGS}1/draft-summary/"),
    ("post", f"{BRIEFINGS}1/draft-summary/"),
    ("post", f"{BRIEFINGS}1/transitions/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_callers_are_refused_octs_briefings(roster, api_for, method, path):
    api = api_for(None)
    response = api.get(path) if method == "get" else getattr(api, method)(path, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_schema_documents_the_outreach_endpoints(roster, outsider, api_for):
    schema = api_for(outsider).get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/member-state-briefings/"]) == {"get", "post"}
    assert set(paths["/api/v1/member-state-briefings/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/member-state-briefings/{id}/draft-summary/"]) == {"get", "post"}
    assert set(paths["/api/v1/member-state-briefings/{id}/transitions/"]["post"]["responses"]) >= {"200", "404", "409"}
    public = paths["/api/v1/public/briefing-summaries/"]
    assert set(public) == {"get"} and public["get"]["security"] == [{}]
    summary = schema["components"]["schemas"]["PublicSummary"]["properties"]
    assert set(summary) == {"date", "audience", "title", "text"}
    assert schema["components"]["schemas"]["MemberStateBriefingActionEnum"]["enum"] == ["publish", "unpublish"]


def test_the_outreach_schema_generates_without_warnings(roster):
    from tests.reporting.committee.test_api import schema_warnings

    assert schema_warnings("compact.outreach.api_urls") == ({}, {})


# --- The USG and OCT alone -------------------------------------------------------------------------


def test_the_usg_records_and_edits_a_briefing_but_only_oct_publishes_it(api_for, roster, usg, oct_officer):
    api = api_for(usg)
    created = post(api, BRIEFINGS, {"date": "2026-06-01", "audience": "Member States", "title": "USG's briefing"})
    assert created.status_code == 201, created.json()
    briefing = MemberStateBriefing.objects.get(pk=created.json()["id"])
    assert briefing.created_by == usg and created.json()["available_actions"] == []
    url = f"{BRIEFINGS}{briefing.pk}/"
    assert api.patch(url, {"public_summary": "The USG briefed."}, format="json").status_code == 200
    assert ids(api.get(BRIEFINGS)) == [briefing.pk]
    refused = post(api, f"{url}transitions/", {"action": "publish", "confirm_unclassified": True})
    assert refused.status_code == 403 and "OCT" in refused.json()["detail"]
    briefing.refresh_from_db()
    assert briefing.state == State.DRAFT and briefing.published_at is None
    assert api_for(oct_officer).get(url).json()["available_actions"][0]["action"] == "publish"
    published = post(api_for(oct_officer), f"{url}transitions/", {"action": "publish", "confirm_unclassified": True})
    assert published.status_code == 200 and published.json()["state"] == State.PUBLISHED


@pytest.mark.parametrize("persona", NOT_OCT)
def test_no_one_but_oct_sees_or_changes_briefings(request, api_for, draft, oct_officer, persona):
    published = _published(oct_officer, title="Published one")
    before = audits()
    api = api_for(request.getfixturevalue(persona))
    assert ids(api.get(BRIEFINGS)) == []
    for briefing in (draft, published):
        url = f"{BRIEFINGS}{briefing.pk}/"
        assert api.get(url).status_code == 404
        assert api.patch(url, {"title": "Changed"}, format="json").status_code == 404
        assert api.get(f"{url}draft-summary/").status_code == 404
        assert post(api, f"{url}draft-summary/", {"mode": "replace"}).status_code == 404
    body = {"action": "publish", "confirm_unclassified": True}
    assert post(api, f"{BRIEFINGS}{draft.pk}/transitions/", body).status_code == 404
    unpublish = {"action": "unpublish", "reason": "No."}
    assert post(api, f"{BRIEFINGS}{published.pk}/transitions/", unpublish).status_code == 404
    create = {"date": "2026-06-01", "audience": "Member States", "title": "New"}
    assert post(api, BRIEFINGS, create).status_code == 404
    assert MemberStateBriefing.objects.count() == 2 and audits() == before
    draft.refresh_from_db()
    assert (draft.state, draft.title) == (State.DRAFT, "Briefing on the Compact's implementation")
    assert MemberStateBriefing.objects.get(pk=published.pk).state == State.PUBLISHED


def test_oct_records_drafts_and_publishes_a_briefing_through_the_api(api_for, roster, oct_officer):
    api = api_for(oct_officer)
    created = post(
        api,
        BRIEFINGS,
        {
            "date": "2026-06-02",
            "audience": " Group of Friends ",
            "title": "Mid-year briefing",
            "virtual": True,
            "notes": f"Sensitive {SECRET}",
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    url = f"{BRIEFINGS}{body['id']}/"
    assert (body["audience"], body["state"], body["notes_classification"]) == (
        "Group of Friends",
        "draft",
        "confidential",
    )
    assert body["available_actions"] == [
        {"action": "publish", "label": "Publish the public summary", "message": "none"}
    ]
    assert ids(api.get(BRIEFINGS)) == [body["id"]]
    preview = api.get(f"{url}draft-summary/")
    assert preview.status_code == 200 and "member entities" in preview.json()["text"]
    assert SECRET not in preview.json()["text"]  # confidential notes never go into the draft
    assert MemberStateBriefing.objects.get().public_summary == ""  # a preview saves nothing
    filled = post(api, f"{url}draft-summary/")
    assert filled.status_code == 200 and filled.json()["public_summary"] == preview.json()["text"]
    edited = api.patch(url, {"public_summary": "The USG briefed the Group of Friends."}, format="json")
    assert edited.status_code == 200 and edited.json()["public_summary"] == "The USG briefed the Group of Friends."
    published = post(api, f"{url}transitions/", {"action": "publish", "confirm_unclassified": True})
    assert published.status_code == 200, published.json()
    body = published.json()
    assert body["state"] == "published" and body["published_by"]["id"] == oct_officer.pk and body["published_at"]
    assert [step["action"] for step in body["steps"]] == ["publish"]
    assert (
        body["available_actions"][0]["action"] == "unpublish" and body["available_actions"][0]["message"] == "required"
    )
    withdrawn = post(api, f"{url}transitions/", {"action": "unpublish", "reason": "A figure was wrong."})
    assert withdrawn.json()["state"] == "draft" and withdrawn.json()["steps"][-1]["message"] == "A figure was wrong."
    verbs = list(AuditEvent.objects.filter(verb__startswith="outreach.").order_by("id").values_list("verb", flat=True))
    assert verbs == [
        "outreach.briefing_created",
        "outreach.briefing_updated",
        "outreach.briefing_updated",
        "outreach.briefing_published",
        "outreach.briefing_unpublished",
    ]


def test_briefings_filter_by_state_and_dates(api_for, draft, oct_officer):
    published = _published(oct_officer, date=datetime.date(2026, 9, 1))
    api = api_for(oct_officer)
    assert ids(api.get(BRIEFINGS)) == [published.pk, draft.pk]
    assert ids(api.get(BRIEFINGS, {"state": "published"})) == [published.pk]
    assert ids(api.get(BRIEFINGS, {"date_after": "2026-06-01"})) == [published.pk]
    assert ids(api.get(BRIEFINGS, {"date_before": "2026-06-01"})) == [draft.pk]
    assert api.get(BRIEFINGS, {"state": "secret"}).status_code == 400


# --- Notes within clearance ---------------------------------------------------------------------------


def test_notes_above_the_officers_clearance_are_hidden_and_lock_the_briefing(api_for, roster, oct_officer):
    strict = _briefing(oct_officer, notes=SECRET, notes_classification=SC)
    junior = oct_person("junior", C)
    api = api_for(junior)
    url = f"{BRIEFINGS}{strict.pk}/"
    body = api.get(url).json()
    assert (body["notes_readable"], body["notes"], body["notes_classification"]) == (False, None, SC)
    assert SECRET not in api.get(url).content.decode() and SECRET not in api.get(BRIEFINGS).content.decode()
    assert api.patch(url, {"title": "Changed"}, format="json").status_code == 404
    assert MemberStateBriefing.objects.get().title == "Briefing on the Compact's implementation"
    assert api_for(oct_officer).get(url).json()["notes"] == SECRET


def test_an_officer_cannot_mark_notes_above_their_clearance(api_for, roster):
    junior = oct_person("junior", C)
    body = {"date": "2026-06-01", "audience": "Member States", "title": "x", "notes_classification": SC}
    response = post(api_for(junior), BRIEFINGS, body)
    assert response.status_code == 400
    assert response.json() == {"notes_classification": ["You cannot mark notes above your own clearance."]}
    assert not MemberStateBriefing.objects.exists() and audits() == 0


# --- Refused input leaves nothing half-saved ----------------------------------------------------------------


def test_missing_and_bad_fields_are_named(api_for, roster, oct_officer):
    api = api_for(oct_officer)
    missing = post(api, BRIEFINGS, {"title": "No date"})
    assert missing.status_code == 400 and set(missing.json()) == {"date", "audience"}
    blank = post(api, BRIEFINGS, {"date": "2026-06-01", "audience": "   ", "title": "x"})
    assert blank.status_code == 400 and "audience" in blank.json()
    unknown = post(api, BRIEFINGS, {"date": "2026-06-01", "audience": "x", "title": "x", "notes_classification": "top"})
    assert unknown.status_code == 400 and "notes_classification" in unknown.json()
    assert not MemberStateBriefing.objects.exists() and audits() == 0


def test_a_published_briefing_is_withdrawn_before_it_is_edited(api_for, roster, oct_officer):
    published = _published(oct_officer)
    response = api_for(oct_officer).patch(f"{BRIEFINGS}{published.pk}/", {"public_summary": "Edited."}, format="json")
    assert response.status_code == 400 and "withdraw it" in response.json()["non_field_errors"][0]
    assert MemberStateBriefing.objects.get().public_summary == "A public summary."


def test_filling_asks_before_replacing_octs_text(api_for, draft, oct_officer):
    api = api_for(oct_officer)
    url = f"{BRIEFINGS}{draft.pk}/draft-summary/"
    unasked = post(api, url)
    assert unasked.status_code == 400 and "mode" in unasked.json()
    assert MemberStateBriefing.objects.get().public_summary == "The USG briefed Member States."
    assert post(api, url, {"mode": "sideways"}).status_code == 400
    appended = post(api, url, {"mode": "append"}).json()["public_summary"]
    assert appended.startswith("The USG briefed Member States.\n\nBriefing to Member States, New York")
    replaced = post(api, url, {"mode": "replace"}).json()["public_summary"]
    assert replaced.startswith("Briefing to Member States, New York")


# --- Publishing: the confirmation rules and the table --------------------------------------------------------


def test_publishing_needs_a_summary_and_the_confirmation(api_for, roster, oct_officer):
    api = api_for(oct_officer)
    empty = _briefing(oct_officer)
    no_text = post(api, f"{BRIEFINGS}{empty.pk}/transitions/", {"action": "publish", "confirm_unclassified": True})
    assert no_text.status_code == 400 and "public_summary" in no_text.json()
    written = _briefing(oct_officer, public_summary="Text.")
    unconfirmed = post(api, f"{BRIEFINGS}{written.pk}/transitions/", {"action": "publish"})
    assert unconfirmed.status_code == 400
    assert unconfirmed.json() == {
        "confirm_unclassified": ["Confirm that the summary contains only unclassified information."]
    }
    refused = post(api, f"{BRIEFINGS}{written.pk}/transitions/", {"action": "publish", "confirm_unclassified": False})
    assert refused.status_code == 400
    assert not MemberStateBriefing.objects.filter(state=State.PUBLISHED).exists()
    assert api_for(None).get(PUBLIC).json()["results"] == []


def test_withdrawing_needs_a_reason(api_for, roster, oct_officer):
    published = _published(oct_officer)
    response = post(api_for(oct_officer), f"{BRIEFINGS}{published.pk}/transitions/", {"action": "unpublish"})
    assert response.status_code == 400 and response.json() == {"reason": ["Say why the summary is withdrawn."]}
    assert MemberStateBriefing.objects.get().state == State.PUBLISHED
    assert published.steps.count() == 1


@pytest.mark.parametrize(("state", "action"), list(itertools.product(State.values, BRIEFING_TRANSITIONS.actions())))
def test_briefing_moves_follow_the_table_through_the_api(api_for, roster, oct_officer, state, action):
    briefing = _published(oct_officer) if state == State.PUBLISHED else _briefing(oct_officer, public_summary="T.")
    body = {"action": action, "reason": "Superseded.", "confirm_unclassified": True}
    response = post(api_for(oct_officer), f"{BRIEFINGS}{briefing.pk}/transitions/", body)
    briefing.refresh_from_db()
    transition = BRIEFING_TRANSITIONS.get(action)
    if state in transition.sources:
        assert response.status_code == 200
        assert briefing.state == transition.target == response.json()["state"]
    else:
        assert response.status_code == 409
        assert response.json()["state"] == state == briefing.state
        assert response.json()["available_actions"] == [
            t.action for t in BRIEFING_TRANSITIONS.available(state, by="oct")
        ]
        assert "is not possible while the briefing is" in response.json()["detail"]


def test_an_unknown_move_is_a_400(api_for, draft, oct_officer):
    response = post(api_for(oct_officer), f"{BRIEFINGS}{draft.pk}/transitions/", {"action": "leak"})
    assert response.status_code == 400 and "action" in response.json()


# --- The public summaries ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [None, "outsider", "focal_point", "committee_member", "oct_officer"])
def test_the_public_endpoint_serves_published_summaries_only(request, api_for, roster, oct_officer, persona):
    public = _published(
        oct_officer,
        date=datetime.date(2026, 9, 1),
        title="September briefing",
        notes=f"Strict {SECRET}-1",
        notes_classification=SC,
        public_summary="What the public may read.",
    )
    older = _published(oct_officer, notes=f"Unclassified notes {SECRET}-2", notes_classification=U)
    _briefing(oct_officer, title="Not yet public", public_summary=f"Draft summary {SECRET}-3", notes=f"{SECRET}-4")
    withdrawn = _published(oct_officer, title="Withdrawn", public_summary=f"Withdrawn summary {SECRET}-5")
    briefing_act(briefing=withdrawn, action="unpublish", actor=oct_officer, reason="Wrong.")
    user = request.getfixturevalue(persona) if persona else None
    with CaptureQueriesContext(connection) as queries:
        response = api_for(user).get(PUBLIC)
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert response.json()["results"] == [
        {
            "date": "2026-09-01",
            "audience": "Member States, New York",
            "title": public.title,
            "text": public.public_summary,
        },
        {
            "date": "2026-05-04",
            "audience": "Member States, New York",
            "title": older.title,
            "text": "A public summary.",
        },
    ]
    assert SECRET not in response.content.decode()
    # The endpoint never even reads the notes column.
    assert not any('"notes"' in query["sql"] for query in queries.captured_queries)


def test_the_public_endpoint_ignores_credentials(roster, client):
    # A stale token must not turn a public read into a 401.
    response = client.get(PUBLIC, HTTP_AUTHORIZATION="Token not-a-real-key")
    assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_public_endpoint_is_read_only(api_for, roster, method):
    response = getattr(api_for(None), method)(PUBLIC, {"text": "x"}, format="json")
    assert response.status_code == 405
    assert not MemberStateBriefing.objects.exists()
