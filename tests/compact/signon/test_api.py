"""The sign-on API: the public submission with the web form's rules and limits, and OCT's
queue, history and moves; everyone else finds nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from compact.core.models import AuditEvent
from compact.core.roles import Role
from compact.lib.workflow import StaleStateError
from compact.registry.services import person_create
from compact.signon.forms import SignOnForm
from compact.signon.links import signon_confirmation_token
from compact.signon.models import SignOnRequest
from compact.signon.services import LETTER_MAX_BYTES, signon_act, signon_email_confirm
from tests.factories import EntityFactory
from tests.helpers import assert_confirmation_link, deliver_emails, pdf_bytes, signon_form_data

pytestmark = pytest.mark.django_db

State = SignOnRequest.State
URL = "/api/v1/sign-on-requests/"


def payload(**overrides) -> dict:
    """The form's valid data as a JSON body: the declaration is ``true``, not a checkbox's "on"."""
    data = signon_form_data(**overrides)
    if data.get("declaration") == "on":
        data["declaration"] = True
    return data


def submit(api_for, **overrides):
    return api_for(None).post(URL, payload(**overrides), format="json")


def letter(content: bytes, name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def submit_with_letter(api_for, upload: SimpleUploadedFile):
    data = {**signon_form_data(), "supporting_letter": upload}
    return api_for(None).post(URL, data, format="multipart")


def confirmed_request(api_for, **overrides) -> SignOnRequest:
    assert submit(api_for, **overrides).status_code == 201
    signon = SignOnRequest.objects.get(acronym=overrides.get("acronym", "ICAO"))
    return signon_email_confirm(token=signon_confirmation_token(signon))


def stored(signon: SignOnRequest) -> tuple[dict, list[dict]]:
    """The request's row and its steps as the database holds them, to compare before and after."""
    return SignOnRequest.objects.filter(pk=signon.pk).values().get(), list(signon.steps.order_by("pk").values())


def act(api_for, user, signon: SignOnRequest, **body):
    return api_for(user).post(f"{URL}{signon.pk}/transitions/", body, format="json")


# --- Public submission ------------------------------------------------------------------------


def test_anyone_may_submit_and_gets_only_the_private_link(roster, api_for):
    response = submit(api_for)
    assert response.status_code == 201
    signon = SignOnRequest.objects.get()
    assert response.json() == {
        "acronym": "ICAO",
        "state": "awaiting-confirmation",
        "status_url": f"http://127.0.0.1:8000/sign-on/requests/{signon.access_key}/",
    }
    assert signon.state == State.AWAITING_CONFIRMATION
    assert signon.pillars == ["II", "III"] and signon.submitted_from == "127.0.0.1"
    outbox = deliver_emails()
    assert [m.to for m in outbox] == [["amina.obrien@icao.example"]]
    assert_confirmation_link(outbox[0].body, signon)


def test_a_signed_in_session_without_csrf_token_may_still_submit(roster, outsider):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(outsider)
    response = browser.post(URL, payload(), content_type="application/json")
    assert response.status_code == 201


def test_a_stale_token_does_not_stop_a_submission(roster, client):
    response = client.post(URL, payload(), content_type="application/json", HTTP_AUTHORIZATION="Token stale")
    assert response.status_code == 201


def test_the_working_groups_of_interest_are_stored(roster, api_for):
    assert submit(api_for, working_groups=[roster.group.pk]).status_code == 201
    assert list(SignOnRequest.objects.get().working_groups.all()) == [roster.group]


def test_a_multipart_submission_stores_the_letter(roster, api_for):
    response = submit_with_letter(api_for, letter(pdf_bytes(), "Letter from the SG.pdf"))
    assert response.status_code == 201
    signon = SignOnRequest.objects.get()
    assert signon.supporting_letter_name == "Letter from the SG.pdf"
    assert signon.supporting_letter.read().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("organization_name", None),
        ("acronym", "!!!"),
        ("acronym", "1540"),
        ("acronym", "A" * 33),
        ("organization_kind", "club"),
        ("head_name", ""),
        ("focal_email", "not-an-address"),
        ("focal_phone", "call me"),
        ("website", "not a url"),
        ("mandate", "Too short."),
        ("mandate", "x" * 5001),
        ("pillars", []),
        ("pillars", ["V"]),
        ("pillars", "II"),
        ("working_groups", [999999]),
        ("requested_status", "sponsor"),
        ("declaration", False),
        ("declaration", None),
        ("acronym", ["ICAO"]),
        ("organization_name", {"en": "ICAO"}),
    ],
)
def test_bad_input_is_refused_on_its_field(roster, api_for, field, value):
    response = submit(api_for, **{field: value})
    assert response.status_code == 400
    assert field in response.json()
    assert not SignOnRequest.objects.exists()


def test_an_api_error_reads_as_the_web_forms(roster, api_for):
    data = signon_form_data(mandate="Too short.")
    form = SignOnForm(data)
    assert not form.is_valid()
    assert submit(api_for, mandate="Too short.").json() == {"mandate": form.errors["mandate"]}


def test_the_schema_documents_every_field_of_the_web_form(roster, oct_officer, api_for):
    schema = api_for(oct_officer).get("/api/v1/schema/", {"format": "json"}).json()
    documented = set(schema["components"]["schemas"]["SignOnSubmit"]["properties"])
    assert documented == set(SignOnForm.base_fields) - {"homepage"}  # the honeypot stays unadvertised


def test_a_letter_that_is_not_a_pdf_is_refused(roster, api_for):
    response = submit_with_letter(api_for, letter(b"PK\x03\x04 a Word file", "letter.pdf"))
    assert response.status_code == 400
    assert "not a PDF" in response.json()["supporting_letter"][0]
    assert not SignOnRequest.objects.exists()


def test_a_letter_over_five_megabytes_is_refused(roster, api_for):
    padded = pdf_bytes() + b"%" + b"0" * LETTER_MAX_BYTES  # a readable PDF, one comment too long
    response = submit_with_letter(api_for, letter(padded))
    assert response.status_code == 400
    assert "the limit is 5.0" in response.json()["supporting_letter"][0]
    assert not SignOnRequest.objects.exists()


def test_an_entity_that_is_already_a_member_is_refused_on_its_acronym(roster, api_for):
    response = submit(api_for, acronym="unodc")
    assert response.status_code == 400
    assert "already a member" in response.json()["acronym"][0]
    assert not SignOnRequest.objects.exists()


def test_a_filled_honeypot_gets_a_receipt_and_nothing_is_stored(roster, api_for, client):
    response = submit(api_for, homepage="http://spam.example")
    assert response.status_code == 201
    assert response.json()["state"] == "awaiting-confirmation"
    assert client.get(response.json()["status_url"].removeprefix("http://127.0.0.1:8000")).status_code == 404
    assert not SignOnRequest.objects.exists()
    assert deliver_emails() == []


def test_submissions_over_the_rate_limit_get_429(roster, api_for, settings):
    settings.SIGNON_RATE_LIMIT = "2/h"
    assert submit(api_for).status_code == 201
    assert submit(api_for, acronym="IMO", organization_name="International Maritime Organization").status_code == 201
    response = submit(api_for, acronym="WCO", organization_name="World Customs Organization")
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many requests were sent from your network. Please try again in an hour."}
    assert SignOnRequest.objects.count() == 2


def test_invalid_submissions_do_not_count_towards_the_rate_limit(roster, api_for, settings):
    settings.SIGNON_RATE_LIMIT = "2/h"
    for _ in range(3):
        assert submit(api_for, mandate="Too short.").status_code == 400
    assert submit(api_for).status_code == 201


def test_the_api_and_the_web_form_share_one_rate_limit(roster, api_for, client, settings):
    settings.SIGNON_RATE_LIMIT = "2/h"
    assert client.post("/sign-on/", signon_form_data()).status_code == 302
    assert submit(api_for, acronym="IMO", organization_name="International Maritime Organization").status_code == 201
    assert submit(api_for, acronym="WCO", organization_name="World Customs Organization").status_code == 429


# --- OCT's queue -----------------------------------------------------------------------------


def test_oct_lists_the_queue_and_filters_it_by_state(roster, oct_officer, api_for):
    confirmed_request(api_for)
    submit(api_for, acronym="IMO", organization_name="International Maritime Organization")
    body = api_for(oct_officer).get(URL).json()
    assert body["count"] == 2
    assert {r["acronym"]: r["state"] for r in body["results"]} == {"ICAO": "new", "IMO": "awaiting-confirmation"}
    only_new = api_for(oct_officer).get(URL, {"state": "new"}).json()
    assert [r["acronym"] for r in only_new["results"]] == ["ICAO"]
    by_acronym = api_for(oct_officer).get(URL, {"ordering": "-acronym"}).json()
    assert [r["acronym"] for r in by_acronym["results"]] == ["IMO", "ICAO"]
    assert api_for(oct_officer).get(URL, {"state": "nonsense"}).status_code == 400


def test_oct_reads_a_request_with_its_whole_history(roster, oct_officer, api_for):
    signon = confirmed_request(api_for, working_groups=[roster.group.pk])
    signon_act(request=signon, action="start_consultation", actor=oct_officer)
    signon_act(request=signon, action="add_note", actor=oct_officer, message="CTED sees no objection.")
    body = api_for(oct_officer).get(f"{URL}{signon.pk}/").json()
    assert (body["acronym"], body["state"], body["pillars"]) == ("ICAO", "in-consultation", ["II", "III"])
    assert body["handler"]["username"] == "officer"
    assert body["working_groups"] == [{"id": roster.group.pk, "number": 7, "short_name": "Human rights"}]
    assert [s["action"] for s in body["steps"]] == ["submit", "confirm_email", "start_consultation", "add_note"]
    assert body["steps"][-1]["message"] == "CTED sees no objection."  # internal, but OCT reads it
    assert [a["action"] for a in body["available_actions"]] == ["add_note", "request_information", "approve", "decline"]


def test_a_request_about_a_registered_entity_names_it(roster, oct_officer, api_for):
    EntityFactory(acronym="ICAO", name="International Civil Aviation Organization")  # registered, not a party
    signon = confirmed_request(api_for)
    body = api_for(oct_officer).get(f"{URL}{signon.pk}/").json()
    assert (body["matched_entity"], body["entity"]) == ("ICAO", None)


@pytest.mark.parametrize("persona", ["chair", "focal_point", "outsider", "committee_member", "usg"])
def test_anyone_but_oct_finds_no_request(request, roster, api_for, persona):
    signon = confirmed_request(api_for)
    user = request.getfixturevalue(persona)
    assert api_for(user).get(URL).json()["count"] == 0
    assert api_for(user).get(f"{URL}{signon.pk}/").status_code == 404
    assert act(api_for, user, signon, action="start_consultation").status_code == 404
    assert api_for(user).post(f"{URL}{signon.pk}/assign/", {"handler": user.pk}, format="json").status_code == 404
    signon.refresh_from_db()
    assert (signon.state, signon.handler) == (State.NEW, None)


def test_a_missing_request_is_404_for_oct(roster, oct_officer, api_for):
    assert api_for(oct_officer).get(f"{URL}999999/").status_code == 404


@pytest.mark.parametrize("path", ["", "1/"])
def test_anonymous_callers_may_not_read_the_queue(roster, api_for, path):
    response = api_for(None).get(f"{URL}{path}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_callers_may_not_act(roster, oct_officer, api_for):
    signon = confirmed_request(api_for)
    before = stored(signon)
    assert act(api_for, None, signon, action="start_consultation").status_code == 401
    assign = {"handler": oct_officer.pk}
    assert api_for(None).post(f"{URL}{signon.pk}/assign/", assign, format="json").status_code == 401
    assert stored(signon) == before


# --- OCT's moves ------------------------------------------------------------------------------


def test_oct_consults_and_approves_which_creates_the_entity(roster, oct_officer, api_for):
    signon = confirmed_request(api_for)
    response = act(api_for, oct_officer, signon, action="start_consultation", message="Asked CTED.")
    assert response.status_code == 200
    assert response.json()["state"] == "in-consultation"
    response = act(api_for, oct_officer, signon, action="approve", status="observer", message="Welcome.")
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["entity"], body["available_actions"]) == ("approved", "ICAO", [])
    signon.refresh_from_db()
    assert signon.entity.acronym == "ICAO" and signon.focal_user.email == "amina.obrien@icao.example"
    assert AuditEvent.objects.filter(verb="signon.approve", actor=oct_officer).exists()


def test_declining_sends_the_reason_to_the_applicant(roster, oct_officer, api_for):
    signon = confirmed_request(api_for)
    deliver_emails().clear()
    response = act(api_for, oct_officer, signon, action="decline", message="Not a counter-terrorism mandate.")
    assert response.status_code == 200 and response.json()["state"] == "declined"
    applicant_mail = [m for m in deliver_emails() if m.to == ["amina.obrien@icao.example"]]
    assert "Not a counter-terrorism mandate." in applicant_mail[0].body


def test_an_approval_refused_by_the_service_is_a_non_field_error(roster, oct_officer, chair, api_for):
    signon = confirmed_request(api_for, focal_email=chair.email)  # a person of OHCHR
    signon_act(request=signon, action="start_consultation", actor=oct_officer)
    response = act(api_for, oct_officer, signon, action="approve", status="member")
    assert response.status_code == 400
    assert "another entity" in response.json()["non_field_errors"][0]
    signon.refresh_from_db()
    assert signon.state == State.IN_CONSULTATION and signon.entity is None


def test_a_move_the_table_does_not_allow_is_a_conflict(roster, oct_officer, api_for):
    signon = confirmed_request(api_for)
    response = act(api_for, oct_officer, signon, action="approve", status="member")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "“Approve” is not possible while the request is “New”.",
        "available_actions": ["start_consultation", "request_information", "decline"],
    }
    signon.refresh_from_db()
    assert signon.state == State.NEW and signon.entity is None


def test_a_move_someone_else_made_first_is_a_conflict(roster, oct_officer, api_for, monkeypatch):
    signon = confirmed_request(api_for)

    def lose_the_race(**kwargs):
        raise StaleStateError("This request was changed by someone else meanwhile; reload it and try again.")

    monkeypatch.setattr("compact.signon.api.signon_act", lose_the_race)
    response = act(api_for, oct_officer, signon, action="start_consultation")
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]


def test_declining_without_a_message_is_refused_on_the_message(roster, oct_officer, api_for):
    signon = confirmed_request(api_for)
    response = act(api_for, oct_officer, signon, action="decline", message="  ")
    assert response.status_code == 400
    assert list(response.json()) == ["message"]
    signon.refresh_from_db()
    assert signon.state == State.NEW


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "approve"}, "status"),  # approve needs member or observer
        ({"action": "start_consultation", "status": "member"}, "status"),  # only approve takes one
        ({"action": "withdraw"}, "action"),  # the applicant's move, not OCT's
        ({"action": "confirm_email"}, "action"),
        ({}, "action"),
    ],
)
def test_a_bad_move_is_refused_on_its_field(roster, oct_officer, api_for, body, field):
    signon = confirmed_request(api_for)
    signon_act(request=signon, action="start_consultation", actor=oct_officer)
    before = stored(signon)
    response = act(api_for, oct_officer, signon, **body)
    assert response.status_code == 400
    assert field in response.json()
    assert stored(signon) == before


def test_oct_assigns_a_handler_and_unassigns(roster, oct_officer, api_for):
    colleague = person_create(
        username="colleague",
        email="colleague@example.org",
        first_name="Col",
        last_name="League",
        entity=roster.unoct,
        roles=(Role.OCT,),
        actor=None,
    )
    signon = confirmed_request(api_for)
    url = f"{URL}{signon.pk}/assign/"
    response = api_for(oct_officer).post(url, {"handler": colleague.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["handler"]["username"] == "colleague"
    assert api_for(oct_officer).post(url, {"handler": None}, format="json").json()["handler"] is None
    signon.refresh_from_db()
    assert signon.handler is None


def test_only_an_oct_officer_can_handle_a_request(roster, oct_officer, outsider, api_for):
    signon = confirmed_request(api_for)
    url = f"{URL}{signon.pk}/assign/"
    before = stored(signon)
    response = api_for(oct_officer).post(url, {"handler": outsider.pk}, format="json")
    assert response.status_code == 400
    assert "handler" in response.json()
    assert api_for(oct_officer).post(url, {"handler": 999999}, format="json").status_code == 400
    assert stored(signon) == before


# --- Schema ------------------------------------------------------------------------------------


def test_the_schema_describes_every_sign_on_endpoint(roster, oct_officer, api_for):
    paths = api_for(oct_officer).get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert set(paths[URL]) >= {"get", "post"}
    assert "get" in paths[URL + "{id}/"]
    assert "post" in paths[URL + "{id}/transitions/"]
    assert "post" in paths[URL + "{id}/assign/"]
    assert {"201", "400", "429"} <= set(paths[URL]["post"]["responses"])
    assert "409" in paths[URL + "{id}/transitions/"]["post"]["responses"]
