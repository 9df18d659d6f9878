"""Attacks on the bulk outbox (``emails_queue_many``) and its insert (``rows_insert_new``):
hostile text is stored as text, never run as SQL; a link off the site never becomes a
notification's link; a confidential record still marks what quotes it; a recipient's choice
to turn e-mails off holds in bulk too."""

from __future__ import annotations

import pytest
from django.db import transaction

from compact.core.categories import Delivery, EmailCategory
from compact.core.models import Classification, Notification, OutboundEmail
from compact.core.outbox import OutgoingMessage, emails_queue_many
from reporting.submissions.models import Submission
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = "x'); DROP TABLE compact_outboundemail; --"


def queue(**values) -> list[OutboundEmail]:
    defaults = {
        "occasion": "attack",
        "recipients": ["reader@example.org"],
        "template": "password-reset",
        "context": {"user": {"username": HOSTILE}, "reset_url": "http://x/reset"},
        "category": EmailCategory.MEETINGS,
    }
    with transaction.atomic():
        return emails_queue_many(messages=[OutgoingMessage(**{**defaults, **values})])


@pytest.fixture
def reader():
    person = UserFactory(username="reader")
    ProfileFactory(user=person)
    return person


def test_sql_in_an_occasion_or_the_text_is_stored_as_text(reader):
    (email,) = queue(occasion=HOSTILE)
    assert OutboundEmail.objects.get(pk=email.pk).occasion == HOSTILE
    assert Notification.objects.get(recipient=reader).occasion == HOSTILE
    assert OutboundEmail.objects.count() == 1  # the table is still there


@pytest.mark.parametrize(
    "link", ["https://evil.example/phish", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/a\nb"]
)
def test_a_link_off_the_site_is_not_kept_on_the_notification(reader, link):
    queue(link=link)
    assert Notification.objects.get(recipient=reader).link == ""


def test_a_confidential_record_in_the_context_marks_the_email_and_the_notification(reader, roster, report_period):
    draft = Submission.objects.get(period=report_period, working_group=roster.group)
    Submission.objects.filter(pk=draft.pk).update(classification=Classification.STRICTLY_CONFIDENTIAL)
    draft.refresh_from_db()
    (email,) = queue(context={"user": {"username": "x"}, "reset_url": "http://x/reset", "submission": draft})
    assert email.classification == Classification.STRICTLY_CONFIDENTIAL
    assert Notification.objects.get(recipient=reader).classification == Classification.STRICTLY_CONFIDENTIAL


def test_someone_who_turned_a_category_off_gets_no_email_in_bulk_either(reader):
    reader.notification_settings = {EmailCategory.MEETINGS: Delivery.OFF}
    reader.save()
    assert queue() == []
    assert Notification.objects.get(recipient=reader).delivery == Delivery.OFF
