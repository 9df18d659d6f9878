"""After approval: the invited focal point sets a password, signs in, manages only their entity
and its focal points. Also: purging unconfirmed requests and resetting passwords."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from compact.accounts.services import password_resets_send_pending
from compact.core.models import AuditEvent, OutboundEmail
from compact.registry.models import Entity
from compact.registry.services import focal_point_appoint
from compact.signon.links import signon_confirmation_token
from compact.signon.models import SignOnRequest
from compact.signon.services import signon_act, signon_email_confirm, signon_purge_expired, signon_submit
from tests.helpers import deliver_emails, fresh, signon_form_data

pytestmark = pytest.mark.django_db


def approved_request(officer, **overrides) -> SignOnRequest:
    data = signon_form_data(**overrides)
    fields = {k: v for k, v in data.items() if k not in ("declaration", "homepage")}
    request = signon_submit(fields=fields, working_groups=[], letter=None, submitted_from=None, language="en")
    request = signon_email_confirm(token=signon_confirmation_token(request))
    signon_act(request=request, action="start_consultation", actor=officer)
    signon_act(request=request, action="approve", actor=officer, status="member")
    request.refresh_from_db()
    return request


def link_in(body: str, prefix: str) -> str:
    match = re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S+)", body)
    assert match, body
    return match.group(1)


def test_the_invited_focal_point_sets_a_password_and_edits_only_their_entity(roster, oct_officer):
    request = approved_request(oct_officer)
    invitation = next(m for m in deliver_emails() if "/accounts/password/set/" in m.body)
    assert invitation.to == ["amina.obrien@icao.example"]
    client = Client()
    form_url = client.get(link_in(invitation.body, "/accounts/password/set/"), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Kestrel-Harbour-81", "new_password2": "Kestrel-Harbour-81"})
    assert response.status_code == 302
    signed_in = client.post(
        reverse("login"), {"username": "amina.obrien@icao.example", "password": "Kestrel-Harbour-81"}
    )
    assert signed_in.status_code == 302
    edit = reverse("entity-edit", args=["ICAO"])
    response = client.post(
        edit, {"name": "International Civil Aviation Organization", "website": "https://icao.int/security", "note": ""}
    )
    assert response.status_code == 302
    assert Entity.objects.get(acronym="ICAO").website == "https://icao.int/security"
    assert client.get(reverse("entity-edit", args=["UNODC"])).status_code == 404
    assert client.post(reverse("entity-edit", args=["UNODC"]), {"name": "Hacked"}).status_code == 404
    assert Entity.objects.get(acronym="UNODC").name == "United Nations Office on Drugs and Crime"
    assert request.entity.acronym == "ICAO"


def test_an_invitation_link_works_once(roster, oct_officer):
    approved_request(oct_officer)
    invitation = next(m for m in deliver_emails() if "/accounts/password/set/" in m.body)
    link = link_in(invitation.body, "/accounts/password/set/")
    client = Client()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "Kestrel-Harbour-81", "new_password2": "Kestrel-Harbour-81"})
    again = Client().get(link, follow=True)
    assert "This link has expired or was already used." in again.content.decode()


def test_oct_can_send_a_new_invitation_until_a_password_is_set(roster, oct_officer):
    request = approved_request(oct_officer)
    deliver_emails()
    client = Client()
    client.force_login(oct_officer)
    client.post(reverse("signon-review-resend", args=[request.pk]))
    client.post(reverse("signon-review-resend", args=[request.pk]))
    invitations = [m for m in deliver_emails() if "/accounts/password/set/" in m.body]
    assert len(invitations) == 3
    assert AuditEvent.objects.filter(verb="signon.invitation_resent").count() == 2


def test_approving_an_existing_person_reuses_their_account(roster, oct_officer):
    from compact.registry.services import person_create

    person = person_create(
        username="amina",
        email="Amina.OBrien@icao.example",
        first_name="Amina",
        last_name="O'Brien",
        actor=None,
        password="pw",
    )
    request = approved_request(oct_officer)
    assert request.focal_user == person
    assert fresh(person).has_perm("compact.manage_entity_profile", request.entity)
    assert not [m for m in deliver_emails() if "/accounts/password/set/" in m.body]  # they have a password


# --- Focal points manage focal points -------------------------------------------------------------------


def test_a_focal_point_invites_a_colleague_who_can_then_manage_the_entity(roster, focal_point):
    client = Client()
    client.force_login(focal_point)
    url = reverse("entity-focal-point-invite", args=["UNESCO"])
    response = client.post(
        url, {"given_name": "Li", "family_name": "Wei", "title": "Programme officer", "email": "li.wei@unesco.example"}
    )
    assert response.status_code == 302
    from compact.core.models import User

    colleague = User.objects.get(email="li.wei@unesco.example")
    assert fresh(colleague).has_perm("compact.manage_entity_profile", roster.unesco)
    assert colleague.profile.entity == roster.unesco
    (invitation,) = [m for m in deliver_emails() if m.to == ["li.wei@unesco.example"]]
    assert "/accounts/password/set/" in invitation.body and "UNESCO" in invitation.subject


def test_a_focal_point_cannot_manage_another_entitys_focal_points(roster, focal_point, vice_chair):
    client = Client()
    client.force_login(focal_point)
    url = reverse("entity-focal-point-invite", args=["UNODC"])
    response = client.post(url, {"given_name": "X", "family_name": "Y", "email": "x@evil.example"})
    assert response.status_code == 404
    assert not OutboundEmail.objects.filter(recipient="x@evil.example").exists()
    focal_point_appoint(user=vice_chair, entity=roster.unodc, actor=None)  # UNODC's own focal point
    dismiss = client.post(reverse("entity-focal-point-dismiss", args=["UNODC"]), {"user": vice_chair.pk})
    assert dismiss.status_code == 404
    assert fresh(vice_chair).has_perm("compact.manage_entity_profile", roster.unodc)


def test_inviting_a_person_of_another_entity_is_refused_with_a_message(roster, focal_point, vice_chair):
    client = Client()
    client.force_login(focal_point)
    response = client.post(
        reverse("entity-focal-point-invite", args=["UNESCO"]),
        {"given_name": "V", "family_name": "C", "email": vice_chair.email},
    )
    assert response.status_code == 400
    assert "belongs to a person of another entity" in response.content.decode()
    vice_chair = fresh(vice_chair)
    assert not vice_chair.has_perm("compact.manage_entity_profile", roster.unesco)
    assert vice_chair.profile.entity == roster.unodc
    assert not OutboundEmail.objects.filter(recipient=vice_chair.email).exists()


def test_the_last_focal_point_cannot_remove_themselves_but_oct_can(roster, focal_point, oct_officer):
    client = Client()
    client.force_login(focal_point)
    client.post(reverse("entity-focal-point-dismiss", args=["UNESCO"]), {"user": focal_point.pk})
    assert fresh(focal_point).has_perm("compact.manage_entity_profile", roster.unesco)
    officer = Client()
    officer.force_login(oct_officer)
    officer.post(reverse("entity-focal-point-dismiss", args=["UNESCO"]), {"user": focal_point.pk})
    assert not fresh(focal_point).has_perm("compact.manage_entity_profile", roster.unesco)


# --- Housekeeping ----------------------------------------------------------------------------------------


def test_unconfirmed_requests_are_purged_after_7_days(
    roster, time_machine, tmp_path, settings, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.helpers import pdf_bytes

    settings.MEDIA_ROOT = tmp_path
    time_machine.move_to("2026-06-01 08:00Z")
    data = signon_form_data()
    fields = {k: v for k, v in data.items() if k not in ("declaration", "homepage")}
    letter = SimpleUploadedFile("l.pdf", pdf_bytes(), "application/pdf")
    stale = signon_submit(fields=fields, working_groups=[], letter=letter, submitted_from=None, language="en")
    time_machine.move_to("2026-06-07 08:00Z")
    fresh_fields = {**fields, "acronym": "ITU", "organization_name": "ITU org"}
    recent = signon_submit(fields=fresh_fields, working_groups=[], letter=None, submitted_from=None, language="en")
    time_machine.move_to("2026-06-08 08:01Z")
    assert list(tmp_path.rglob("*.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        assert signon_purge_expired() == 1
    assert not list(tmp_path.rglob("*.pdf"))  # the letter went with the request
    assert list(SignOnRequest.objects.all()) == [recent]
    assert AuditEvent.objects.filter(verb="signon.purged", object_id=str(stale.pk)).exists()
    assert signon_purge_expired() == 0


def test_forgotten_passwords_are_reset_through_the_outbox(roster, focal_point):
    response = Client().post(reverse("password_reset"), {"email": focal_point.email})
    assert response.status_code == 302
    assert mail.outbox == []  # recorded; the worker finds the account and queues the e-mail
    password_resets_send_pending()
    (message,) = deliver_emails()
    assert message.to == [focal_point.email] and "/accounts/password/set/" in message.body
