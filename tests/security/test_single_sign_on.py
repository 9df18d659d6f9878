"""Attacks on signing in with the organisation's account (issue 21): a provider, or someone
between it and the browser, trying to sign in as somebody else. Every case runs the whole flow
against the loopback provider (tests/oidc_provider.py) behaving as a hostile one would."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from tests.compact.accounts.test_single_sign_on import provider, sign_in_as, signed_in_user_id, sso  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "login",
    [
        "other-audience",  # a token the provider issued to another application
        "other-issuer",  # a token naming another issuer
        "forged",  # signed with a key that is not the provider's
        "expired",
        "switched",  # userinfo about someone else than the token
    ],
)
def test_a_token_that_is_not_for_this_sign_in_signs_nobody_in(sso, oct_officer, login):  # noqa: F811
    client, answer = sign_in_as(Client(), login)
    assert answer.status_code == 302 and answer["Location"] == reverse("login")
    assert signed_in_user_id(client) is None


def _authorize(client: Client, login: str) -> tuple[str, str]:
    """The provider's answer for ``login``: the callback path and its query."""
    start = client.get(reverse("oidc_authentication_init"))
    back = urlsplit(
        requests.get(f"{start['Location']}&login_hint={login}", allow_redirects=False, timeout=5).headers["Location"]
    )
    return back.path, back.query


def test_a_callback_from_another_browser_is_refused(sso, oct_officer):  # noqa: F811
    """Login CSRF: an attacker's own code and state, sent to a victim's browser, sign no one in."""
    path, query = _authorize(Client(), "officer")  # the attacker's session started the flow
    victim = Client()
    answer = victim.get(f"{path}?{query}")
    assert answer.status_code == 302 and answer["Location"] == reverse("login")
    assert signed_in_user_id(victim) is None


def test_a_code_is_good_once_and_a_state_once(sso, oct_officer):  # noqa: F811
    client = Client()
    path, query = _authorize(client, "officer")
    assert client.get(f"{path}?{query}").status_code == 302
    assert signed_in_user_id(client) == oct_officer.pk
    client.logout()
    replay = client.get(f"{path}?{query}")
    assert replay["Location"] == reverse("login") and signed_in_user_id(client) is None


def test_a_changed_state_or_code_is_refused(sso, oct_officer):  # noqa: F811
    client = Client()
    path, query = _authorize(client, "officer")
    values = {key: value[0] for key, value in parse_qs(query).items()}
    for changed in ({**values, "state": "forged"}, {**values, "code": "forged"}):
        answer = client.get(f"{path}?{urlencode(changed)}")
        assert answer["Location"] == reverse("login")
        assert signed_in_user_id(client) is None


def test_an_error_from_the_provider_signs_nobody_in(sso, oct_officer):  # noqa: F811
    client = Client()
    path, query = _authorize(client, "nobody-at-the-provider")  # the provider answers access_denied
    assert "error=access_denied" in query
    assert client.get(f"{path}?{query}")["Location"] == reverse("login")
    assert signed_in_user_id(client) is None


def test_a_provider_that_does_not_answer_gives_a_message_not_an_error(sso, oct_officer):  # noqa: F811
    client = Client()
    path, query = _authorize(client, "officer")
    sso.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # nothing listens there
    answer = client.get(f"{path}?{query}")
    assert answer.status_code == 302 and answer["Location"] == reverse("login")
    assert signed_in_user_id(client) is None


def test_next_cannot_send_the_signed_in_person_elsewhere(sso, oct_officer):  # noqa: F811
    client, answer = sign_in_as(Client(), "officer", next_url="https://evil.example/")
    assert signed_in_user_id(client) == oct_officer.pk
    assert not answer["Location"].startswith("https://evil.example")


def test_signing_in_never_changes_the_accounts_roles_or_clearance(sso, oct_officer, focal_point):  # noqa: F811
    from compact.core.roles import user_roles
    from compact.registry.models import Profile

    before = (user_roles(oct_officer), Profile.objects.get(user=oct_officer).clearance)
    client, _answer = sign_in_as(Client(), "officer")
    after = type(oct_officer).objects.get(pk=oct_officer.pk)
    assert (user_roles(after), Profile.objects.get(user=after).clearance) == before
    assert signed_in_user_id(client) == oct_officer.pk != focal_point.pk
