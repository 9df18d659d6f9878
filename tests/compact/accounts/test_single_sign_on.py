"""Signing in with the organisation's account (issue 21, compact/accounts/oidc.py), end to end
against a real OpenID Connect provider running on loopback in its own process
(tests/oidc_provider.py): discovery, the authorization code flow with PKCE, RS256 ID tokens,
the token and userinfo endpoints, all over HTTP. The test plays the browser: it follows the
redirects between the app (Django's test client) and the provider (HTTP), and names the person
at the provider with ``login_hint``, as a person would pick their account there.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from config.settings import authentication_backends
from tests.processes import Process, wait_for

pytestmark = pytest.mark.django_db

CLIENT_ID, SECRET = "compact-tracker", "s3cret-for-the-loopback-provider"
PEOPLE = {
    "officer": {"email": "Officer@Example.org", "email_verified": True, "name": "The officer"},
    "unverified": {"email": "chair@example.org", "email_verified": False},
    "silent": {"email": "chair@example.org"},  # the provider says nothing of verification
    "stranger": {"email": "nobody@example.org", "email_verified": True},
    "twin": {"email": "twin@example.org", "email_verified": True},
    "other-audience": {"email": "officer@example.org", "email_verified": True, "aud": "another-client"},
    "other-issuer": {"email": "officer@example.org", "email_verified": True, "iss": "https://evil.example"},
    "forged": {"email": "officer@example.org", "email_verified": True, "sign_with_other_key": True},
    "expired": {"email": "officer@example.org", "email_verified": True, "expired": True},
    "switched": {"email": "officer@example.org", "email_verified": True, "userinfo_sub": "someone-else"},
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc")
    people = folder / "people.json"
    people.write_text(json.dumps(PEOPLE))
    process = Process(
        "oidc-provider",
        ["tests/oidc_provider.py", "--people", str(people), "--client-id", CLIENT_ID, "--client-secret", SECRET],
        folder / "provider.log",
        env={},
    )
    process.wait_until(lambda out: out.startswith("http://"), "the provider listens", seconds=30)
    issuer = process.output.splitlines()[0].strip()
    assert wait_for(lambda: requests.get(f"{issuer}/jwks", timeout=2).ok, seconds=10)
    yield issuer
    process.stop()


@pytest.fixture
def sso(settings, provider):
    """The app configured from the provider's discovery document, as an operator would."""
    discovery = requests.get(f"{provider}/.well-known/openid-configuration", timeout=5).json()
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, SECRET
    settings.OIDC_OP_ISSUER = discovery["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.OIDC_PROVIDER_NAME = "UN Login"
    settings.AUTHENTICATION_BACKENDS = authentication_backends(single_sign_on=True, passwords=True)
    return settings


def sign_in_as(client: Client, login: str, *, next_url: str = "") -> tuple[Client, object]:
    """The whole round trip: the app sends the browser to the provider, the person signs in
    there, the provider sends the browser back; returns the app's last answer."""
    start = client.get(reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start
    authorize = start["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["client_id"] == [CLIENT_ID] and query["code_challenge_method"] == ["S256"] and query["nonce"]
    at_provider = requests.get(f"{authorize}&login_hint={login}", allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == reverse("oidc_authentication_callback")
    return client, client.get(f"{back.path}?{back.query}")


def signed_in_user_id(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_an_account_is_found_by_its_verified_address_and_signed_in(sso, oct_officer):
    client, answer = sign_in_as(Client(), "officer", next_url="/reporting/")
    assert answer.status_code == 302 and answer["Location"] == "/reporting/"
    assert signed_in_user_id(client) == oct_officer.pk
    assert client.get(reverse("home")).status_code == 200


def test_an_unverified_address_is_refused(sso, chair):
    client, answer = sign_in_as(Client(), "unverified")
    assert answer.status_code == 302 and answer["Location"] == reverse("login")
    assert signed_in_user_id(client) is None
    page = client.get(reverse("login")).content.decode()
    assert "did not work" in page and "verified" in page


def test_an_address_the_provider_says_nothing_about_is_refused_unless_the_deployment_trusts_it(sso, chair):
    client, _answer = sign_in_as(Client(), "silent")
    assert signed_in_user_id(client) is None
    sso.OIDC_EMAILS_VERIFIED_BY_PROVIDER = True
    client, _answer = sign_in_as(Client(), "silent")
    assert signed_in_user_id(client) == chair.pk


def test_no_account_is_ever_created_and_no_role_taken_from_the_provider(sso, roster, django_user_model):
    before = django_user_model.objects.count()
    client, answer = sign_in_as(Client(), "stranger")
    assert signed_in_user_id(client) is None and answer["Location"] == reverse("login")
    assert django_user_model.objects.count() == before


def test_two_accounts_with_one_address_are_not_guessed_between(sso, roster, django_user_model):
    from tests.factories import UserFactory

    UserFactory(username="twin-a", email="twin@example.org")
    UserFactory(username="twin-b", email="TWIN@example.org")
    client, _answer = sign_in_as(Client(), "twin")
    assert signed_in_user_id(client) is None


def test_a_deactivated_account_is_not_signed_in(sso, oct_officer):
    type(oct_officer).objects.filter(pk=oct_officer.pk).update(is_active=False)
    client, _answer = sign_in_as(Client(), "officer")
    assert signed_in_user_id(client) is None


def test_the_sign_in_page_offers_the_provider_beside_the_password(sso, client):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with UN Login" in page and reverse("oidc_authentication_init") in page
    assert 'name="password"' in page


def test_without_configuration_the_single_sign_on_addresses_do_not_exist(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback") + "?code=x&state=y").status_code == 404
    assert "Sign in with" not in client.get(reverse("login")).content.decode()


def test_with_passwords_off_only_the_organisations_account_signs_in(sso, oct_officer, client):
    sso.LOCAL_PASSWORDS = False
    sso.AUTHENTICATION_BACKENDS = authentication_backends(single_sign_on=True, passwords=False)
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' not in page and "Sign in with UN Login" in page
    refused = client.post(reverse("login"), {"username": "officer", "password": "pw"})
    assert refused.status_code == 400 and "Passwords are not used here" in refused.content.decode()
    assert signed_in_user_id(client) is None
    for name in ("password_reset", "password_change", "password_reset_done"):
        assert client.get(reverse(name)).status_code == 404
    signed, _answer = sign_in_as(Client(), "officer")
    assert signed_in_user_id(signed) == oct_officer.pk
    assert signed.get(reverse("password_change")).status_code == 404


def test_with_passwords_off_an_invitation_says_to_sign_in_with_the_organisations_account(sso, roster):
    from compact.registry.services import account_invitation_queue
    from tests.factories import UserFactory
    from tests.helpers import deliver_emails

    sso.LOCAL_PASSWORDS = False
    invited = UserFactory(username="newcomer", email="newcomer@example.org")
    account_invitation_queue(user=invited, entity=roster.unesco, occasion="test-invitation")
    (message,) = [m for m in deliver_emails() if "newcomer@example.org" in m.to]
    assert "/accounts/login/" in message.body and "password/set" not in message.body
    assert "Sign in with your organisation's account" in message.body
