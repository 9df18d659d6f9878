"""Helpers for the notification tests: queue an e-mail of a category as a service would."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from compact.core.categories import EmailCategory
from compact.core.models import Classification, OutboundEmail
from compact.core.outbox import email_queue


def notify(
    *people_or_addresses: object,
    occasion: str = "test:1",
    category: str = EmailCategory.EXTENSIONS,
    url: str = "/reporting/",
    classification: str = Classification.UNCLASSIFIED,
) -> list[OutboundEmail]:
    """Queue the password-reset template (any template does) to each person or address."""
    addresses = [getattr(p, "email", p) for p in people_or_addresses]
    context = {
        "user": {"username": "amina", "get_full_name": "Amina"},
        "reset_url": "x",
        "url": settings.SITE_URL.rstrip("/") + url,
    }
    with transaction.atomic():
        return email_queue(
            occasion=occasion,
            recipients=addresses,
            template="password-reset",
            context=context,
            category=category,
            classification=classification,
        )
