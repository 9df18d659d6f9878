"""The sign-on pages: the public form, the applicant's private pages, OCT's review."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from compact.core.models import OutboundEmail
from compact.registry.models import Entity
from compact.signon.links import signon_confirmation_token
from compact.signon.models import SignOnRequest
from compact.signon.services import signon_act, signon_email_confirm, signon_submit
from tests.helpers import deliver_emails, html_tree, pdf_bytes, signon_form_data

pytestmark = pytest.mark.django_db

State = SignOnRequest.State
FORM = "/sign-on/"


def post_form(client: Client | None = None, letter: SimpleUploadedFile | None = None, **overrides):
    data = signon_form_data(**overrides)
    if letter is not None:
        data["supporting_letter"] = letter
    return (client or Client()).post(FORM, data)


def a_request(**overrides) -> SignOnRequest:
    data = signon_form_data(**overrides)
    fields = {k: v for k, v in data.items() if k not in ("declaration", "homepage")}
    return signon_submit(fields=fields, working_groups=[], letter=None, submitted_from=None, language="en")


# --- The public form ------------------------------------------------------------------------------


def test_the_form_is_public_and_shows_the_compacts_objectives(roster):
    import datetime

    from django.utils import timezone

    from tests.factories import WorkingGroupFactory

    today = timezone.localdate()
    roster.other_group.retired_on = today - datetime.timedelta(days=1)
    roster.other_group.save(update_fields=["retired_on"])
    WorkingGroupFactory(number=40, name="Future group", established_on=today + datetime.timedelta(days=1))
    response = Client().get(FORM)
    assert response.status_code == 200
    html = response.content.decode()
    for letter in "abcdefghijk":
        assert f"({letter})" in html
    assert "A commitment to timely information-sharing" in html
    assert 'name="csrfmiddlewaretoken"' in html
    # The active groups are offered; a retired group and one not yet established are not.
    offered = [
        (choice.find("input").attrs["value"], choice.text)
        for choice in html_tree(html).find_all("label", class_="choice")
        if choice.find_all("input", name="working_groups")
    ]
    assert offered == [(str(roster.group.pk), "7. Human rights and the rule of law")]


def test_the_form_states_that_the_compact_binds_no_entity_next_to_the_declaration(roster):
    """Annex III, III.e: whoever signs on reads, inside the declaration they accept, that the
    Compact creates no agency relationship, partnership or binding responsibility and is without
    prejudice to their mandates."""
    html = Client().get(FORM).content.decode()
    status = html_tree(html).find("div", class_="principles").find("p", class_="compact-status")
    text = " ".join(status.text.split())
    assert text.startswith("Nothing in this Compact shall be construed as creating an agency relationship")
    assert text.endswith(
        "without prejudice to, any existing partnership frameworks, decision-making processes, or mandates of the "
        "Entities."
    )
    # Read before the box is ticked: the statement comes before the declaration's checkbox.
    assert html.index('class="compact-status"') < html.index('name="declaration"')


def test_the_statement_of_status_is_translated_and_marked_unofficial_in_french(roster):
    html = Client().get(FORM, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    status = " ".join(html_tree(html).find("p", class_="compact-status").text.split())
    assert status.startswith("Rien dans le présent Pacte")
    assert "Unofficial translation" not in html and "Traduction non officielle" in html


def test_the_form_needs_a_csrf_token(roster):
    client = Client(enforce_csrf_checks=True)
    assert client.post(FORM, signon_form_data()).status_code == 403
    assert not SignOnRequest.objects.exists()


def test_a_valid_request_leads_to_its_private_status_page(roster):
    response = post_form(letter=SimpleUploadedFile("Letter of intent.pdf", pdf_bytes(), "application/pdf"))
    request = SignOnRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("signon-status", args=[request.access_key])
    assert request.supporting_letter_name == "Letter of intent.pdf"
    assert request.supporting_letter.name.startswith("signon/letters/") and request.supporting_letter.name.endswith(
        ".pdf"
    )
    page = Client().get(response["Location"])
    assert "Awaiting e-mail confirmation" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("organization_name", ""),
        ("acronym", ""),
        ("acronym", "<script>"),
        ("acronym", "1234"),
        ("acronym", "A" * 33),
        ("organization_kind", "government"),
        ("head_name", ""),
        ("head_title", ""),
        ("focal_given_name", ""),
        ("focal_family_name", ""),
        ("focal_title", ""),
        ("focal_email", "not-an-address"),
        ("focal_phone", "call me"),
        ("website", "not a url"),
        ("mandate", "Too short."),
        ("mandate", "x" * 5001),
        ("pillars", []),
        ("pillars", ["V"]),
        ("working_groups", ["999999"]),
        ("requested_status", "partner"),
        ("declaration", ""),
    ],
)
def test_bad_input_gets_a_field_message_and_keeps_what_was_typed(roster, field, value):
    response = post_form(**{field: value})
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert not SignOnRequest.objects.exists()
    assert not OutboundEmail.objects.exists()
    html = response.content.decode()
    if field != "organization_name":
        assert "International Civil Aviation Organization" in html  # typed text kept
    if field != "focal_email":
        assert "amina.obrien@icao.example" in html


def test_a_file_that_is_not_a_pdf_is_refused_by_content(roster):
    fake = SimpleUploadedFile("letter.pdf", b"PK\x03\x04 this is a Word file", "application/pdf")
    response = post_form(letter=fake)
    assert response.status_code == 400
    assert "not a PDF" in " ".join(response.context["form"].errors["supporting_letter"])
    assert not SignOnRequest.objects.exists()


def test_a_damaged_pdf_is_refused(roster):
    broken = SimpleUploadedFile("letter.pdf", b"%PDF-1.7\n garbage without objects", "application/pdf")
    response = post_form(letter=broken)
    assert response.status_code == 400
    assert "supporting_letter" in response.context["form"].errors
    assert not SignOnRequest.objects.exists() and not OutboundEmail.objects.exists()


def test_a_pdf_over_5_mb_is_refused(roster, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    big = pdf_bytes() + b"%" + b" " * (5 * 1024 * 1024)
    response = post_form(letter=SimpleUploadedFile("big.pdf", big, "application/pdf"))
    assert response.status_code == 400
    assert "limit is 5" in " ".join(response.context["form"].errors["supporting_letter"])
    assert not list(tmp_path.rglob("*.pdf"))  # nothing written to storage


def test_an_existing_members_acronym_is_flagged(roster):
    response = post_form(acronym="unodc", organization_name="Drugs and crime office")
    assert response.status_code == 400
    assert "UNODC is already a member of the Compact" in " ".join(response.context["form"].errors["acronym"])


def test_a_name_known_as_an_alias_is_flagged(roster):
    from compact.registry.services import entity_alias_add

    entity_alias_add(entity=roster.unodc, name="Drugs and Crime Office", actor=None)
    response = post_form(acronym="DCO", organization_name="Drugs and crime office")
    assert "organization_name" in response.context["form"].errors


def test_a_request_already_under_review_is_flagged(roster):
    first = a_request()
    first = signon_email_confirm(token=signon_confirmation_token(first))
    response = post_form(focal_email="someone.else@icao.example")
    assert response.status_code == 400
    assert "already under review by OCT" in " ".join(response.context["form"].errors["acronym"])


def test_an_unconfirmed_duplicate_is_allowed_but_only_one_reaches_oct(roster):
    first, second = a_request(), a_request()
    first = signon_email_confirm(token=signon_confirmation_token(first))
    response = Client().post(reverse("signon-confirm", args=[signon_confirmation_token(second)]))
    assert response.status_code == 409
    second.refresh_from_db()
    assert second.state == State.AWAITING_CONFIRMATION


def test_an_observer_may_ask_to_become_a_member(roster):
    from compact.registry.services import membership_record

    membership_record(
        entity=roster.unesco,
        status="observer",
        effective_from=roster.group.established_on or __import__("datetime").date(2025, 1, 1),
        actor=None,
    )
    response = post_form(acronym="UNESCO", organization_name=roster.unesco.name, requested_status="member")
    assert response.status_code == 302
    assert SignOnRequest.objects.get().matched_entity == roster.unesco


def test_the_honeypot_stores_nothing_and_tells_the_bot_nothing(roster):
    response = post_form(homepage="http://spam.example")
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert not SignOnRequest.objects.exists() and not OutboundEmail.objects.exists()


def test_submissions_are_rate_limited_per_address(roster, settings):
    settings.SIGNON_RATE_LIMIT = "2/h"
    for number in range(2):
        response = post_form(acronym=f"ORG{number}", organization_name=f"Organization {number}")
        assert response.status_code == 302
    response = post_form(acronym="ORG3", organization_name="Organization 3")
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert "Organization 3" in response.content.decode()  # nothing typed is lost
    assert SignOnRequest.objects.count() == 2
    other_address = Client(REMOTE_ADDR="198.51.100.7")
    assert post_form(other_address, acronym="ORG4", organization_name="Organization 4").status_code == 302


def test_mistakes_do_not_count_against_the_rate_limit(roster, settings):
    settings.SIGNON_RATE_LIMIT = "1/h"
    for _ in range(3):
        assert post_form(focal_phone="nope").status_code == 400
    assert post_form().status_code == 302


# --- Confirmation link ------------------------------------------------------------------------------


def test_the_confirmation_link_asks_for_a_click_then_confirms(roster):
    request = a_request()
    url = reverse("signon-confirm", args=[signon_confirmation_token(request)])
    assert Client().get(url).status_code == 200
    request.refresh_from_db()
    assert request.state == State.AWAITING_CONFIRMATION  # a mail scanner's GET changes nothing
    response = Client().post(url)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == State.NEW


def test_a_tampered_link_gets_a_clear_page(roster):
    request = a_request()
    token = signon_confirmation_token(request)
    response = Client().post(reverse("signon-confirm", args=["x" + token[1:]]))
    assert response.status_code == 404
    assert "The link is not valid" in response.content.decode()


def test_an_expired_link_gets_a_clear_page(roster, time_machine):
    time_machine.move_to("2026-03-01 09:00Z")
    request = a_request()
    token = signon_confirmation_token(request)
    time_machine.move_to("2026-03-09 09:00Z")
    response = Client().post(reverse("signon-confirm", args=[token]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_an_unknown_status_link_is_404(roster):
    a_request()
    assert Client().get(reverse("signon-status", args=["nope" * 10])).status_code == 404


# --- The applicant answers a request for information ---------------------------------------------------


def test_the_applicant_edits_the_request_when_asked_and_it_returns_to_oct(roster, oct_officer):
    request = a_request()
    request = signon_email_confirm(token=signon_confirmation_token(request))
    signon_act(request=request, action="request_information", actor=oct_officer, message="Which pillars exactly?")
    status_page = Client().get(reverse("signon-status", args=[request.access_key])).content.decode()
    assert "Which pillars exactly?" in status_page
    edit_url = reverse("signon-edit", args=[request.access_key])
    form_page = Client().get(edit_url)
    assert "Which pillars exactly?" in form_page.content.decode()
    data = signon_form_data(pillars=["I", "IV"], message="Pillars I and IV.")
    del data["focal_email"], data["declaration"], data["homepage"]
    response = Client().post(edit_url, data)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == State.IN_CONSULTATION and request.pillars == ["I", "IV"]
    assert request.steps.filter(action="provide_information", message="Pillars I and IV.").exists()


def test_the_applicant_cannot_change_the_confirmed_address(roster, oct_officer):
    request = a_request()
    request = signon_email_confirm(token=signon_confirmation_token(request))
    signon_act(request=request, action="request_information", actor=oct_officer, message="More?")
    data = signon_form_data(focal_email="attacker@evil.example")
    del data["declaration"], data["homepage"]
    Client().post(reverse("signon-edit", args=[request.access_key]), data)
    request.refresh_from_db()
    assert request.focal_email == "amina.obrien@icao.example"


def test_editing_is_closed_unless_information_was_requested(roster):
    request = a_request()
    response = Client().post(reverse("signon-edit", args=[request.access_key]), signon_form_data(acronym="XYZ"))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.acronym == "ICAO"


def test_bad_input_on_edit_saves_nothing(roster, oct_officer):
    request = a_request()
    request = signon_email_confirm(token=signon_confirmation_token(request))
    signon_act(request=request, action="request_information", actor=oct_officer, message="More?")
    data = signon_form_data(mandate="short")
    del data["focal_email"], data["declaration"], data["homepage"]
    response = Client().post(reverse("signon-edit", args=[request.access_key]), data)
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.state == State.INFORMATION_REQUESTED and request.mandate.startswith("ICAO sets")


def test_the_applicant_can_withdraw_from_the_status_page(roster):
    request = a_request()
    response = Client().post(reverse("signon-withdraw", args=[request.access_key]), {"message": "Not now."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == State.WITHDRAWN


def test_the_letter_is_served_only_through_the_private_link_or_to_oct(roster, oct_officer, chair, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    post_form(letter=SimpleUploadedFile("letter.pdf", pdf_bytes(), "application/pdf"))
    request = SignOnRequest.objects.get()
    response = Client().get(reverse("signon-letter", args=[request.access_key]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    review_letter = reverse("signon-review-letter", args=[request.pk])
    officer = Client()
    officer.force_login(oct_officer)
    assert officer.get(review_letter).status_code == 200
    other = Client()
    other.force_login(chair)
    assert other.get(review_letter).status_code == 404


# --- OCT's review ------------------------------------------------------------------------------------------


@pytest.fixture
def officer_client(oct_officer):
    client = Client()
    client.force_login(oct_officer)
    return client


def test_the_queue_lists_requests_by_state_with_age_and_handler(roster, oct_officer, officer_client):
    waiting = a_request()
    new = a_request(
        acronym="ITU", organization_name="International Telecommunication Union", focal_email="x@itu.example"
    )
    new = signon_email_confirm(token=signon_confirmation_token(new))
    signon_act(request=new, action="start_consultation", actor=oct_officer)
    page = officer_client.get(reverse("signon-review-list")).content.decode()
    assert "ICAO" in page and "ITU" in page and "Officer Tester" in page
    consulting = officer_client.get(reverse("signon-review-list") + "?state=in-consultation").content.decode()
    assert "ITU" in consulting and "ICAO" not in consulting
    assert waiting.state == State.AWAITING_CONFIRMATION


@pytest.mark.parametrize("persona", ["chair", "vice_chair", "focal_point", "committee_member", "usg", "outsider"])
def test_nobody_but_oct_sees_or_acts_on_requests(roster, persona, request):
    user = request.getfixturevalue(persona)
    signon = a_request()
    signon = signon_email_confirm(token=signon_confirmation_token(signon))
    client = Client()
    client.force_login(user)
    assert client.get(reverse("signon-review-list")).status_code == 404
    assert client.get(reverse("signon-review-detail", args=[signon.pk])).status_code == 404
    response = client.post(reverse("signon-review-act", args=[signon.pk]), {"action": "start_consultation"})
    assert response.status_code == 404
    signon.refresh_from_db()
    assert signon.state == State.NEW


def test_anonymous_visitors_are_sent_to_sign_in(roster):
    response = Client().get(reverse("signon-review-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_oct_consults_and_approves_from_the_review_page(roster, oct_officer, officer_client):
    signon = a_request()
    signon = signon_email_confirm(token=signon_confirmation_token(signon))
    act = reverse("signon-review-act", args=[signon.pk])
    assert officer_client.post(act, {"action": "start_consultation", "message": "CTED supports."}).status_code == 302
    response = officer_client.post(act, {"action": "approve", "status": "member"})
    assert response.status_code == 302
    signon.refresh_from_db()
    assert signon.state == State.APPROVED
    assert Entity.objects.filter(acronym="ICAO").exists()
    detail = officer_client.get(reverse("signon-review-detail", args=[signon.pk])).content.decode()
    assert "CTED supports." in detail and "Send a new invitation" in detail


def test_a_decline_without_reason_comes_back_with_a_message(roster, officer_client):
    signon = a_request()
    signon = signon_email_confirm(token=signon_confirmation_token(signon))
    response = officer_client.post(reverse("signon-review-act", args=[signon.pk]), {"action": "decline", "message": ""})
    assert response.status_code == 400
    assert "Write a message for this step." in response.content.decode()
    signon.refresh_from_db()
    assert signon.state == State.NEW


def test_a_move_the_table_forbids_is_explained(roster, officer_client):
    signon = a_request()
    signon = signon_email_confirm(token=signon_confirmation_token(signon))
    before = SignOnRequest.objects.filter(pk=signon.pk).values().get(), signon.steps.count()
    response = officer_client.post(
        reverse("signon-review-act", args=[signon.pk]), {"action": "approve", "status": "member"}
    )
    assert response.status_code == 400
    assert "This step is not possible while the request is “New”." in response.content.decode()
    assert (SignOnRequest.objects.filter(pk=signon.pk).values().get(), signon.steps.count()) == before
    assert not Entity.objects.filter(acronym="ICAO").exists()


def test_approving_without_a_status_is_refused(roster, oct_officer, officer_client):
    signon = a_request()
    signon = signon_email_confirm(token=signon_confirmation_token(signon))
    signon_act(request=signon, action="start_consultation", actor=oct_officer)
    response = officer_client.post(reverse("signon-review-act", args=[signon.pk]), {"action": "approve"})
    assert response.status_code == 400
    assert not Entity.objects.filter(acronym="ICAO").exists()


def test_internal_notes_never_reach_the_applicant(roster, oct_officer):
    signon = a_request()
    signon = signon_email_confirm(token=signon_confirmation_token(signon))
    signon_act(request=signon, action="start_consultation", actor=oct_officer)
    deliver_emails()
    signon_act(request=signon, action="add_note", actor=oct_officer, message="OHCHR has doubts.")
    outbox = deliver_emails()
    assert not any("OHCHR has doubts." in m.body for m in outbox if m.to == [signon.focal_email])
    assert any("OHCHR has doubts." in m.body for m in outbox if m.to != [signon.focal_email])
    status_page = Client().get(reverse("signon-status", args=[signon.access_key])).content.decode()
    assert "OHCHR has doubts." not in status_page


def test_oct_assigns_a_handler(roster, oct_officer, officer_client):
    from compact.core.models import User

    signon = a_request()
    response = officer_client.post(reverse("signon-review-assign", args=[signon.pk]), {"handler": oct_officer.pk})
    assert response.status_code == 302
    signon.refresh_from_db()
    assert signon.handler == oct_officer
    not_oct = User.objects.create(username="plain")
    officer_client.post(reverse("signon-review-assign", args=[signon.pk]), {"handler": not_oct.pk})
    signon.refresh_from_db()
    assert signon.handler == oct_officer


def test_octs_home_page_counts_the_queue(roster, oct_officer, officer_client):
    signon = a_request()
    signon_email_confirm(token=signon_confirmation_token(signon))
    response = officer_client.get(reverse("home"))
    assert response.context["signon_counts"]["new"] == 1
    assert "?state=new" in response.content.decode()
