"""Signing in with the organisation's account: OpenID Connect (mozilla-django-oidc).

A deployment that sets ``OIDC_RP_CLIENT_ID`` (and the provider's endpoints, docs/operations.md)
offers "Sign in with <provider>" on the sign-in page. The provider proves who the person is;
Compact Tracker decides what they may do:

- the identity is matched to an **existing, active account by its verified e-mail address**
  (one account only: two with the same address are refused, never guessed between);
- **no account is ever created** from a sign-in, and **no role, clearance or entity is ever
  taken from the provider's claims**: those come from OCT, as for every account;
- an address the provider does not say it verified is refused (``email_verified``), unless the
  deployment declares that its provider only issues addresses it controls
  (``OIDC_EMAILS_VERIFIED_BY_PROVIDER``, e.g. an organisation's own directory);
- the ID token must be for this client (``aud``/``azp``) and from the configured issuer
  (``iss``), signed with the provider's key, unexpired, with the nonce of this sign-in; the
  userinfo answer must be about the same subject (``sub``) as the token. mozilla-django-oidc
  checks the signature, the expiry, the nonce and the state; the rest is checked here.

``LOCAL_PASSWORDS=0`` turns passwords off: the sign-in page shows the provider only, password
sign-in and resets are refused (``local_passwords_allowed``).
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from compact.accounts.backends import ProfileModelBackend

logger = logging.getLogger(__name__)


def sso_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def local_passwords_allowed() -> bool:
    return bool(getattr(settings, "LOCAL_PASSWORDS", True))


def _email_verified(claims: dict[str, Any]) -> bool:
    verified = claims.get("email_verified")
    if verified is True or (isinstance(verified, str) and verified.lower() == "true"):
        return True
    return bool(settings.OIDC_EMAILS_VERIFIED_BY_PROVIDER) and verified is None


class OrganisationAccountBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, matching an existing account by verified e-mail only.
    ``get_user`` reads the profile with the user, as ``ProfileModelBackend`` does."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not claims.get("email"):
            logger.warning("Single sign-on refused: the provider gave no e-mail address.")
            return False
        if not _email_verified(claims):
            logger.warning("Single sign-on refused: the provider did not verify %s.", claims.get("email"))
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet:
        email = (claims.get("email") or "").strip()
        if not email:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> Any:
        # OIDC_CREATE_USER is False; this is the second lock: accounts come from OCT only.
        raise SuspiciousOperation("Single sign-on never creates an account.")

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        return user  # nothing from the provider changes the account: roles are OCT's

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        audiences = payload.get("aud")
        audiences = audiences if isinstance(audiences, list) else [audiences]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is for another client.")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The ID token was issued to another party.")
        issuer = settings.OIDC_OP_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        self._token_subject = payload.get("sub")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        claims = super().get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo answer is about another subject than the ID token.")
        return claims

    def get_user(self, user_id: Any) -> Any:
        return ProfileModelBackend().get_user(user_id)


class SignInRequestView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider; a 404 where single sign-on is not configured."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        return super().get(request)


class SignInCallbackView(OIDCAuthenticationCallbackView):
    """Back from the provider: signed in, or back on the sign-in page with the reason."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            return super().get(request)
        except (SuspiciousOperation, jwt.PyJWTError) as error:  # forged, replayed, expired, someone else's
            logger.warning("Single sign-on refused: %s", error)
        except requests.RequestException as error:  # the provider did not answer
            logger.warning("Single sign-on failed: the provider did not answer (%s).", type(error).__name__)
        return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "Signing in with your organisation's account did not work: it must have a verified "
                "e-mail address that is the address of one active account here. Ask the OCT "
                "secretariat if you need an account."
            ),
        )
        return HttpResponseRedirect(reverse("login"))
