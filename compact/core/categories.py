"""What each e-mail is about (its category), how a person wants each kind delivered, and which
kinds the Compact does not let anyone turn off or delay.

Every ``email_queue`` call names a category. A person chooses per category: at once, in one
daily digest, or not by e-mail (the in-app notification list has it whatever they choose).
The required categories are always e-mailed at once, whatever the person chose, for the
reasons ``required_reason`` gives.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailCategory(models.TextChoices):
    """The kinds of e-mail the product sends; a person chooses how to receive each one."""

    REPORTS_TO_REVIEW = "reports-to-review", _("Reports to review or decide")
    REPORT_DECISIONS = "report-decisions", _("Decisions on your reports")
    APPROVALS = "approvals", _("Annual report approvals")
    MEETINGS = "meetings", _("Meetings and briefing packs")
    ACTION_POINTS = "action-points", _("Action points assigned to you")
    BIENNIAL_REVIEW = "biennial-review", _("Biennial review")
    SIGNON = "sign-on", _("Sign-on requests")
    EXTENSIONS = "extensions", _("Extensions of deadlines")
    DEADLINES = "deadlines", _("Reminders and deadlines")
    ACCOUNT = "account", _("Your account")
    # The daily digest itself: always sent when due, never listed in the notifications (it
    # would list itself) nor offered on the settings page.
    DIGEST = "digest", _("Daily digest")


class Delivery(models.TextChoices):
    """How a person wants the e-mails of one category."""

    IMMEDIATELY = "immediately", _("At once")
    DAILY_DIGEST = "daily-digest", _("In a daily digest")
    OFF = "off", _("No e-mail")


def required_reason(category: str) -> str:
    """Why the Compact does not let e-mails of ``category`` be turned off or delayed (in the
    reader's language), or "" for a category a person may choose for."""
    reasons = {
        EmailCategory.DEADLINES: str(
            _(
                "The Compact's reporting cycle (Annex III of A/72/840) depends on reminders and "
                "escalations reaching whoever owes a report or an action in time: they are always "
                "e-mailed at once."
            )
        ),
        EmailCategory.ACCOUNT: str(
            _(
                "Invitations and password resets carry a link that expires and is the only way to "
                "set a password: they are always e-mailed at once."
            )
        ),
        EmailCategory.DIGEST: str(_("The digest is how the e-mails you chose to receive daily reach you.")),
    }
    return reasons.get(category, "")


REQUIRED_CATEGORIES = frozenset({EmailCategory.DEADLINES, EmailCategory.ACCOUNT, EmailCategory.DIGEST})
# Categories the in-app list does not record (the digest would list itself).
UNLISTED_CATEGORIES = frozenset({EmailCategory.DIGEST})


def is_required(category: str | None) -> bool:
    """Whether e-mails of ``category`` go out at once whatever the person chose. An e-mail
    without a category (none should remain: a test checks every call) is treated as required,
    as every e-mail was before people could choose."""
    return category is None or category in REQUIRED_CATEGORIES


def choosable_categories() -> list[EmailCategory]:
    """The categories shown on the settings page, required ones included (shown fixed)."""
    return [category for category in EmailCategory if category not in UNLISTED_CATEGORIES]


def delivery_of(settings_map: dict[str, str] | None, category: str | None) -> str:
    """How an e-mail of ``category`` reaches a person whose saved choices are ``settings_map``
    (category → delivery): at once by default, at once for a required category, and at once
    for a stored value that is no longer a delivery."""
    if is_required(category):
        return Delivery.IMMEDIATELY
    chosen = (settings_map or {}).get(str(category), Delivery.IMMEDIATELY)
    return chosen if chosen in Delivery.values else Delivery.IMMEDIATELY
