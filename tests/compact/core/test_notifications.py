"""Each e-mail is also an in-app notification for a recipient with an account, and reaches them
as they chose for its category: at once, in one daily digest, or not by e-mail; the categories
the Compact requires always at once."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from compact.accounts.services import user_language_set, user_notification_settings_set, user_time_zone_set
from compact.core.categories import Delivery, EmailCategory
from compact.core.models import Classification, Notification, OutboundEmail
from compact.core.notifications import digest_occasion, notification_digests_send
from compact.core.outbox import emails_send_pending
from compact.registry.models import Profile
from compact.tasks import notification_digests_send_task
from tests.compact.notifications_support import notify

pytestmark = pytest.mark.django_db

# 08:00 in New York (the site's zone), a Monday.
MORNING = datetime.datetime(2026, 5, 4, 12, 0, tzinfo=datetime.UTC)


def choose(person, **choices: str) -> None:
    user_notification_settings_set(
        user=person, choices={category.replace("_", "-"): value for category, value in choices.items()}
    )


def test_a_recipient_with_an_account_gets_a_notification_titled_with_the_subject_in_their_language(chair):
    user_language_set(user=chair, language="fr")
    notify(chair, url="/reporting/submissions/1/#history")
    (note,) = Notification.objects.filter(recipient=chair)
    email = OutboundEmail.objects.get(recipient=chair.email)
    assert note.title == email.subject and note.title != "Reset your Compact Tracker password"
    assert note.link == "/reporting/submissions/1/#history"  # the site's path, never the host
    assert note.category == EmailCategory.EXTENSIONS and note.delivery == Delivery.IMMEDIATELY
    assert note.read_at is None


def test_an_address_without_an_account_is_e_mailed_and_gets_no_notification(chair):
    notify("shared-mailbox@example.org", chair)
    assert OutboundEmail.objects.filter(recipient="shared-mailbox@example.org").exists()
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["chair"]


def test_an_inactive_account_gets_no_notification(chair):
    chair.is_active = False
    chair.save(update_fields=["is_active"])
    notify(chair)
    assert not Notification.objects.exists()


def test_the_address_is_matched_whatever_its_case(chair):
    notify(chair.email.upper())
    assert Notification.objects.filter(recipient=chair).count() == 1


def test_queuing_the_same_occasion_twice_records_one_notification_and_one_email(chair):
    notify(chair)
    assert notify(chair) == []
    assert Notification.objects.count() == 1 and OutboundEmail.objects.count() == 1


def test_off_records_the_notification_and_sends_no_email(chair):
    choose(chair, extensions=Delivery.OFF)
    assert notify(chair) == []
    assert not OutboundEmail.objects.exists()
    note = Notification.objects.get(recipient=chair)
    assert note.delivery == Delivery.OFF
    assert notify(chair) == [] and Notification.objects.count() == 1  # still once


def test_off_for_one_category_leaves_the_others_at_once(chair):
    choose(chair, extensions=Delivery.OFF)
    notify(chair, category=EmailCategory.MEETINGS, occasion="meeting:1")
    assert OutboundEmail.objects.filter(recipient=chair.email).count() == 1


@pytest.mark.parametrize("category", [EmailCategory.DEADLINES, EmailCategory.ACCOUNT])
def test_required_categories_are_e_mailed_at_once_whatever_was_stored(chair, category):
    # The service refuses to store this; a value stored before a category became required
    # (or written by hand) must not silence it either.
    chair.notification_settings = {category.value: Delivery.OFF}
    chair.save(update_fields=["notification_settings"])
    notify(chair, category=category)
    assert OutboundEmail.objects.filter(recipient=chair.email).count() == 1
    assert Notification.objects.get(recipient=chair).delivery == Delivery.IMMEDIATELY


def test_the_digest_sends_each_person_one_email_a_day_exactly_once(chair, vice_chair, time_machine):
    time_machine.move_to(MORNING - datetime.timedelta(hours=3), tick=False)
    for person in (chair, vice_chair):
        choose(person, extensions=Delivery.DAILY_DIGEST, meetings=Delivery.DAILY_DIGEST)
    notify(chair, vice_chair, occasion="extension:1")
    notify(chair, occasion="meeting:1", category=EmailCategory.MEETINGS, url="/reporting/meetings/1/")
    assert not OutboundEmail.objects.exists()
    assert notification_digests_send() == 0  # 05:00 in New York: not their morning yet
    time_machine.move_to(MORNING, tick=False)
    assert notification_digests_send() == 2
    assert notification_digests_send() == 0  # a double run sends nothing twice
    notification_digests_send_task.apply()
    digests = OutboundEmail.objects.filter(occasion__startswith="notification-digest:")
    assert sorted(digests.values_list("recipient", flat=True)) == [chair.email, vice_chair.email]
    assert OutboundEmail.objects.count() == 2
    emails_send_pending()
    (to_chair,) = [m for m in mail.outbox if m.to == [chair.email]]
    assert "2 notifications" in to_chair.subject
    assert "http://127.0.0.1:8000/reporting/meetings/1/" in to_chair.body
    assert not Notification.objects.filter(digested_at__isnull=True).exists()


def test_what_arrives_after_todays_digest_waits_for_tomorrows(chair, time_machine):
    time_machine.move_to(MORNING, tick=False)
    choose(chair, extensions=Delivery.DAILY_DIGEST)
    notify(chair, occasion="extension:1")
    assert notification_digests_send() == 1
    notify(chair, occasion="extension:2")
    assert notification_digests_send() == 0
    assert Notification.objects.get(occasion="extension:2").digested_at is None
    time_machine.move_to(MORNING + datetime.timedelta(days=1), tick=False)
    assert notification_digests_send() == 1
    assert OutboundEmail.objects.filter(recipient=chair.email).count() == 2


def test_the_digest_comes_in_the_persons_morning_and_language(chair, time_machine):
    user_time_zone_set(user=chair, time_zone="Asia/Tokyo")
    user_language_set(user=chair, language="fr")
    choose(chair, extensions=Delivery.DAILY_DIGEST)
    time_machine.move_to(datetime.datetime(2026, 5, 4, 21, 0, tzinfo=datetime.UTC), tick=False)  # 06:00 in Tokyo
    notify(chair)
    assert notification_digests_send() == 0
    time_machine.move_to(datetime.datetime(2026, 5, 4, 22, 30, tzinfo=datetime.UTC), tick=False)  # 07:30
    assert notification_digests_send() == 1
    digest = OutboundEmail.objects.get(recipient=chair.email)
    assert digest.occasion == digest_occasion(chair, datetime.date(2026, 5, 5))  # Tokyo's date
    assert '<html lang="fr"' in digest.body_html  # written in their language (translated after merging)
    assert "Asia/Tokyo" in digest.body_text


def test_the_digest_never_shows_a_title_above_the_persons_clearance_today(chair, time_machine):
    time_machine.move_to(MORNING, tick=False)
    Profile.objects.filter(user=chair).update(clearance=Classification.CONFIDENTIAL)
    chair.refresh_from_db()
    choose(chair, extensions=Delivery.DAILY_DIGEST)
    notify(chair, occasion="extension:1", classification=Classification.CONFIDENTIAL)
    Notification.objects.filter(occasion="extension:1").update(title="MK-SECRET-TITLE")
    notify(chair, occasion="extension:2")
    Profile.objects.filter(user=chair).update(clearance=Classification.UNCLASSIFIED)  # lowered since
    assert notification_digests_send() == 1
    digest = OutboundEmail.objects.get(recipient=chair.email)
    assert "MK-SECRET-TITLE" not in digest.body_text + digest.body_html + digest.subject
    assert "1 more notification is marked above your current clearance" in digest.body_text
    assert digest.classification == Classification.UNCLASSIFIED
    assert not Notification.objects.filter(digested_at__isnull=True).exists()


def test_a_digest_of_off_or_immediate_notifications_is_never_sent(chair, time_machine):
    time_machine.move_to(MORNING, tick=False)
    choose(chair, extensions=Delivery.OFF)
    notify(chair, occasion="extension:1")
    notify(chair, occasion="meeting:1", category=EmailCategory.MEETINGS)
    assert notification_digests_send() == 0
    assert OutboundEmail.objects.filter(occasion__startswith="notification-digest:").count() == 0
