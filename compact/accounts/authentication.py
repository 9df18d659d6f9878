"""Who is asking, and how guessing is slowed down.

- ``client_address``: the caller's address, from the header the rate limiter reads
  (``RATELIMIT_IP_META_KEY``; behind a proxy, one the proxy sets), as it is (a sign-on request
  records it).
- ``lockout_address``: the same, an IPv6 address standing for its /64 as in the rate limiter.
  django-axes counts sign-in failures per account and address with it (``AXES_CLIENT_IP_CALLABLE``).
- ``axes_username``: the account a sign-in names, as the database knows it (usernames are
  unique whatever their case), so "USG" and "usg" count as one account (``AXES_USERNAME_CALLABLE``).
- ``LockoutTokenAuthentication``: DRF's token authentication, with failed tokens counted per
  client address (django-ratelimit, in the shared cache): after a few, every token from that
  address is answered 429 with ``Retry-After`` until the window ends, a valid one too.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.request import Request

from compact.accounts.services import lockout_record

logger = logging.getLogger(__name__)

TOKEN_FAILURE_GROUP = "api-token-failures"
USERNAME_MAX_LENGTH = 150
# One IPv6 client holds a /64: django-ratelimit's default mask, which the API and password-reset
# limits use (its RATELIMIT_IPV6_MASK setting, followed here too if it is ever set).
IPV6_PREFIX = 64


def client_address(request: HttpRequest) -> str | None:
    """The caller's IP address as the rate limiter sees it, or ``REMOTE_ADDR`` if that header is
    missing or holds no address (a value that is not an address is never stored or counted); an
    IPv4-mapped one (``::ffff:192.0.2.1``, from a dual-stack socket) is given as its IPv4."""
    address = _address(request)
    if address is None:
        return None
    return str(address.ipv4_mapped) if address.version == 6 and address.ipv4_mapped else str(address)


def lockout_address(request: HttpRequest) -> str | None:
    """``client_address``, with an IPv6 address given as the network address of its /64
    (``2001:db8:1:2::``): one host holds a whole /64, so counting its addresses apart would give
    it fresh guesses at will."""
    address = _address(request)
    return None if address is None else _counted_address(address)


def _address(request: HttpRequest) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    for value in (request.META.get(settings.RATELIMIT_IP_META_KEY), request.META.get("REMOTE_ADDR")):
        try:
            return ipaddress.ip_address((value or "").strip())
        except ValueError:
            continue
    return None


def _counted_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    prefix = getattr(settings, "RATELIMIT_IPV6_MASK", IPV6_PREFIX)
    return str(ipaddress.IPv6Network((address, prefix), strict=False).network_address)


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The username a sign-in attempt names, lower-cased as the database compares them."""
    name = (credentials or getattr(request, "data", request.POST)).get("username")
    if not isinstance(name, str) or not name.strip():
        return None
    return name.strip().lower()[:USERNAME_MAX_LENGTH]


class TokenLockoutError(Throttled):
    """429 for a locked-out address; DRF adds ``Retry-After`` from ``wait``."""

    default_detail = _("Too many failed attempts with API tokens from your network.")
    default_code = "token_lockout"


def ratelimit_usage(request: HttpRequest, *, group: str, key: Any, rate: str, increment: bool = True) -> dict | None:
    """django-ratelimit's count for ``group`` (``get_usage``), or None when the cache cannot
    tell: a cache outage lets requests through, logged, rather than failing or slowing them."""
    try:
        usage = get_usage(request, group=group, key=key, rate=rate, increment=increment)
    except Exception:
        logger.warning("Rate limit %s not applied: the cache is unavailable.", group, exc_info=True)
        return None
    if usage is None or usage["limit"] == 0:  # django-ratelimit's answer when the cache failed quietly
        return None
    return usage


def _token_failures(request: Request, *, count_one: bool) -> dict[str, Any] | None:
    """This address's failed tokens in the current window, counting one more if asked."""
    return ratelimit_usage(
        request, group=TOKEN_FAILURE_GROUP, key="ip", rate=settings.API_TOKEN_FAILURE_RATE, increment=count_one
    )


def _locked(usage: dict[str, Any] | None) -> bool:
    return usage is not None and usage["count"] >= usage["limit"]


class LockoutTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused with 429 for an address that sent too many bad
    tokens (``API_TOKEN_FAILURE_RATE``, e.g. 10 in 15 minutes)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        if not self._offers_token(request):
            return None
        usage = _token_failures(request, count_one=False)
        if _locked(usage):
            raise TokenLockoutError(wait=max(usage["time_left"], 1))
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            self._count_failure(request)
            raise

    def _offers_token(self, request: Request) -> bool:
        parts = get_authorization_header(request).split()
        return bool(parts) and parts[0].lower() == self.keyword.lower().encode()

    def _count_failure(self, request: Request) -> None:
        usage = _token_failures(request, count_one=True)
        if not _locked(usage):
            return
        if usage["count"] == usage["limit"]:  # the failure that locks the address: recorded once
            lockout_record(
                username=None,
                ip_address=lockout_address(request),
                failures=usage["count"],
                channel="api",
                page=request.path,
            )
        raise TokenLockoutError(wait=max(usage["time_left"], 1))


@receiver(user_locked_out, dispatch_uid="compact.lockout_audited")
def lockout_audited(
    sender: object, request: HttpRequest, username: str | None, ip_address: str | None, **_: Any
) -> None:
    """django-axes has just locked ``username`` out at ``ip_address``: tell OCT (an audit row).

    axes signals a lockout again for every attempt refused during it; only the failure that
    started it carries a count (``axes_failures_since_start``), so each lockout is written once."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    lockout_record(username=username, ip_address=ip_address, failures=failures, channel="sign-in", page=request.path)
