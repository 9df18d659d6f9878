"""What guarding the front door needs to remember: password resets asked for and not yet handled.

(Sign-in failures and lockouts are django-axes' own ``AccessAttempt`` rows.)
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordResetRequest(models.Model):
    """An address someone asked a password-reset link for, until the worker has handled it.

    The web request only writes this row, whether or not an account has the address, so the
    answer takes the same time either way and tells nothing. The worker looks the accounts up,
    queues their e-mails through the outbox and deletes the row in one transaction; a row the
    broker never delivered is handled by the minute sweep.
    """

    email = models.EmailField(_("e-mail address"), max_length=254)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"password reset #{self.pk}"
