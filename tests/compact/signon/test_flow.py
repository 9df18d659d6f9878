"""The sign-on workflow through its services: submit, confirm, consult, decide."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from compact.core.models import AuditEvent, OutboundEmail
from compact.lib.workflow import StaleStateError, TransitionNotAllowedError
from compact.registry.models import Membership
from compact.registry.selectors import entity_status_on
from compact.signon.links import signon_confirmation_token
from compact.signon.models import SignOnRequest, SignOnStep
from compact.signon.services import signon_act, signon_email_confirm, signon_submit, signon_withdraw
from compact.signon.workflow import TRANSITIONS as SIGNON_TRANSITIONS
from tests.helpers import assert_confirmation_link, deliver_emails, fresh, signon_form_data

pytestmark = pytest.mark.django_db

State = SignOnRequest.State


def submit(**overrides) -> SignOnRequest:
    data = signon_form_data(**overrides)
    fields = {k: v for k, v in data.items() if k not in ("declaration", "homepage")}
    return signon_submit(fields=fields, working_groups=[], letter=None, submitted_from="192.0.2.1", language="en")


def confirmed(**overrides) -> SignOnRequest:
    request = submit(**overrides)
    return signon_email_confirm(token=signon_confirmation_token(request))


def in_consultation(officer, **overrides) -> SignOnRequest:
    request = confirmed(**overrides)
    return signon_act(request=request, action="start_consultation", actor=officer, message="Asked CTED.")


def test_submitting_stores_the_request_and_mails_the_confirmation_link(roster):
    request = submit()
    assert request.state == State.AWAITING_CONFIRMATION
    assert request.pillars == ["II", "III"]
    assert len(request.access_key) >= 40
    outbox = deliver_emails()
    assert [m.to for m in outbox] == [["amina.obrien@icao.example"]]
    body = outbox[0].body
    assert "O'Brien" in body  # plain text is not HTML-escaped
    assert_confirmation_link(body, request)
    assert f"/sign-on/requests/{request.access_key}/" in body
    assert AuditEvent.objects.filter(verb="signon.submitted", actor_label="applicant").exists()


def test_confirming_puts_the_request_in_octs_queue_and_tells_both(roster, settings):
    request = submit()
    deliver_emails()
    mail.outbox.clear()
    signon_email_confirm(token=signon_confirmation_token(request))
    request.refresh_from_db()
    assert request.state == State.NEW and request.email_confirmed_at is not None
    recipients = sorted(m.to[0] for m in deliver_emails())
    assert recipients == sorted(["amina.obrien@icao.example", settings.OCT_SECRETARIAT_EMAIL])


def test_confirming_twice_changes_nothing_and_sends_nothing_more(roster):
    request = confirmed()
    deliver_emails()
    sent = len(mail.outbox)
    signon_email_confirm(token=signon_confirmation_token(request))
    assert deliver_emails()[sent:] == []
    assert request.steps.filter(action="confirm_email").count() == 1


def test_a_tampered_confirmation_link_is_refused(roster):
    from compact.signon.links import SignOnLinkInvalidError

    request = submit()
    token = signon_confirmation_token(request)
    with pytest.raises(SignOnLinkInvalidError):
        signon_email_confirm(token=token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    request.refresh_from_db()
    assert request.state == State.AWAITING_CONFIRMATION


def test_an_expired_confirmation_link_is_refused(roster, time_machine):
    from compact.signon.links import SignOnLinkExpiredError

    time_machine.move_to("2026-01-01 12:00Z")
    request = submit()
    token = signon_confirmation_token(request)
    time_machine.move_to("2026-01-08 12:01Z")
    with pytest.raises(SignOnLinkExpiredError):
        signon_email_confirm(token=token)


def test_approval_creates_the_entity_membership_account_and_invitation(roster, oct_officer):
    request = in_consultation(oct_officer)
    deliver_emails()
    mail.outbox.clear()
    signon_act(request=request, action="approve", actor=oct_officer, status="observer", message="Welcome.")
    request.refresh_from_db()
    assert request.state == State.APPROVED and request.decided_at is not None
    entity = request.entity
    assert (entity.acronym, entity.name, entity.kind) == (
        "ICAO",
        "International Civil Aviation Organization",
        "specialized-agency",
    )
    assert entity_status_on(entity) == Membership.Status.OBSERVER
    user = fresh(request.focal_user)
    assert user.email == "amina.obrien@icao.example" and not user.has_usable_password()
    assert user.profile.entity == entity and user.profile.title == "Aviation Security Officer"
    assert user.has_perm("compact.manage_entity_profile", entity)
    assert not user.has_perm("compact.manage_entity_profile", roster.unodc)
    subjects = {m.to[0]: m.subject for m in deliver_emails()}
    assert "approved" in subjects["amina.obrien@icao.example"] or "invited" in subjects["amina.obrien@icao.example"]
    bodies = [m.body for m in mail.outbox if m.to == ["amina.obrien@icao.example"]]
    assert any("/accounts/password/set/" in body for body in bodies)
    assert any("Welcome." in body for body in bodies)
    assert len(bodies) == 2  # the decision and the invitation


def test_a_failed_approval_leaves_nothing_half_saved(roster, oct_officer):
    from compact.registry.services import person_create

    request = in_consultation(oct_officer)
    # The focal point's address already belongs to a person of another entity: approval stops.
    person_create(
        username="someone",
        email="amina.obrien@icao.example",
        first_name="A",
        last_name="B",
        entity=roster.unodc,
        actor=None,
    )
    with pytest.raises(ValidationError):
        signon_act(request=request, action="approve", actor=oct_officer, status="member")
    request.refresh_from_db()
    assert request.state == State.IN_CONSULTATION and request.entity is None
    from compact.registry.models import Entity

    assert not Entity.objects.filter(acronym="ICAO").exists()
    assert not OutboundEmail.objects.filter(occasion__contains=":invitation:").exists()


def test_declining_needs_a_reason_that_reaches_the_applicant(roster, oct_officer):
    request = confirmed()
    with pytest.raises(ValidationError):
        signon_act(request=request, action="decline", actor=oct_officer, message="  ")
    deliver_emails()
    mail.outbox.clear()
    signon_act(request=request, action="decline", actor=oct_officer, message="Outside the Compact's scope.")
    request.refresh_from_db()
    assert request.state == State.DECLINED
    applicant = [m for m in deliver_emails() if m.to == ["amina.obrien@icao.example"]]
    assert len(applicant) == 1 and "Outside the Compact's scope." in applicant[0].body


def test_only_oct_may_act(roster, chair, focal_point):
    request = confirmed()
    for user in (chair, focal_point):
        with pytest.raises(PermissionDenied):
            signon_act(request=request, action="start_consultation", actor=user)
    request.refresh_from_db()
    assert request.state == State.NEW


def test_a_stale_move_is_refused(roster, oct_officer):
    request = confirmed()
    stale = SignOnRequest.objects.get(pk=request.pk)
    signon_act(request=request, action="start_consultation", actor=oct_officer)
    with pytest.raises(StaleStateError):
        signon_act(request=stale, action="request_information", actor=oct_officer, message="Why?")


def test_the_first_officer_to_act_handles_the_request(roster, oct_officer):
    request = confirmed()
    signon_act(request=request, action="start_consultation", actor=oct_officer)
    assert request.handler == oct_officer


def test_the_applicant_withdraws(roster):
    request = confirmed()
    signon_withdraw(request=request, message="We will apply next year.")
    request.refresh_from_db()
    assert request.state == State.WITHDRAWN
    assert SignOnStep.objects.filter(request=request, action="withdraw", shared_with_applicant=True).exists()


# --- The transition table, walked exhaustively ----------------------------------------------------

OCT_ACTIONS = [t.action for t in SIGNON_TRANSITIONS if t.by == "oct"]


def _request_in(state: str, roster) -> SignOnRequest:
    """A request put straight into ``state`` (an approved one needs its entity)."""
    request = submit(acronym=f"T{SignOnRequest.State.values.index(state)}", organization_name=f"Test org {state}")
    entity = roster.unesco if state == State.APPROVED else None
    SignOnRequest.objects.filter(pk=request.pk).update(state=state, entity=entity)
    request.refresh_from_db()
    return request


@pytest.mark.parametrize("state", SignOnRequest.State.values)
@pytest.mark.parametrize("action", OCT_ACTIONS)
def test_every_oct_move_from_every_state_follows_the_table(roster, oct_officer, state, action):
    request = _request_in(state, roster)
    transition = SIGNON_TRANSITIONS.get(action)
    allowed = state in transition.sources
    kwargs = {
        "message": "A message." if transition.message != "none" else "",
        "status": "member" if action == "approve" else None,
    }
    if allowed:
        signon_act(request=request, action=action, actor=oct_officer, **kwargs)
        request.refresh_from_db()
        assert request.state == transition.target
        assert AuditEvent.objects.filter(verb=f"signon.{action}", object_id=str(request.pk)).count() == 1
        assert request.steps.filter(action=action, from_state=state, to_state=transition.target).count() == 1
    else:
        with pytest.raises(TransitionNotAllowedError):
            signon_act(request=request, action=action, actor=oct_officer, **kwargs)
        request.refresh_from_db()
        assert request.state == state
        assert not AuditEvent.objects.filter(verb=f"signon.{action}").exists()


@pytest.mark.parametrize("state", SignOnRequest.State.values)
def test_withdrawal_follows_the_table(roster, oct_officer, state):
    request = _request_in(state, roster)
    if state in SIGNON_TRANSITIONS.get("withdraw").sources:
        signon_withdraw(request=request)
        request.refresh_from_db()
        assert request.state == State.WITHDRAWN
    else:
        with pytest.raises(TransitionNotAllowedError):
            signon_withdraw(request=request)


def test_the_table_is_what_the_process_says():
    table = {(t.action, t.by): (sorted(t.sources), t.target) for t in SIGNON_TRANSITIONS}
    assert table[("approve", "oct")] == (["in-consultation"], "approved")
    assert table[("decline", "oct")][0] == sorted(["new", "in-consultation", "information-requested"])
    assert table[("confirm_email", "applicant")] == (["awaiting-confirmation"], "new")
    assert table[("provide_information", "applicant")] == (["information-requested"], "in-consultation")
    # No move leaves a decided request.
    assert all(not {"approved", "declined", "withdrawn"} & set(sources) for sources, _ in table.values())


def test_status_links_are_unguessable_and_unique(roster):
    first, second = submit(), submit(acronym="ITU", organization_name="International Telecommunication Union")
    assert first.access_key != second.access_key
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", first.access_key)
