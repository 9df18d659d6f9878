"""The sign-on request's private links: the e-mail confirmation token (signed, valid for a week)
and the applicant's status and edit pages."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from compact.lib.emails import absolute_url
from compact.signon.models import SignOnRequest

CONFIRMATION_SALT = "compact.signon.confirm-email"

CONFIRMATION_DAYS = 7


def signon_confirmation_token(request: SignOnRequest) -> str:
    """A signed, dated token for the confirmation link, bound to the request and its address."""
    return signing.dumps({"r": request.pk, "e": request.focal_email.lower()}, salt=CONFIRMATION_SALT)


def signon_links(request: SignOnRequest) -> dict[str, str]:
    """Absolute links for e-mails: the private status page, its edit page, and confirmation."""
    return {
        "status_url": absolute_url(reverse("signon-status", args=[request.access_key])),
        "edit_url": absolute_url(reverse("signon-edit", args=[request.access_key])),
        "confirm_url": absolute_url(reverse("signon-confirm", args=[signon_confirmation_token(request)])),
        "review_url": absolute_url(reverse("signon-review-detail", args=[request.pk])),
    }


class SignOnLinkInvalidError(Exception):
    """A confirmation link that was altered, or for a request that no longer exists."""


class SignOnLinkExpiredError(Exception):
    """A confirmation link older than its validity."""
