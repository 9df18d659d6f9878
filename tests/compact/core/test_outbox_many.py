"""``emails_queue_many`` queues many occasions at once with exactly the rules of ``email_queue``
(languages, markings, notifications, delivery choices, once per occasion and recipient), in a
fixed number of queries, with one send task per call; ``rows_insert_new`` under it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from compact.core import outbox
from compact.core.bulk import rows_insert_new
from compact.core.categories import Delivery, EmailCategory
from compact.core.models import Classification, Notification, OutboundEmail
from compact.core.outbox import OutgoingMessage, email_queue, emails_queue_many
from compact.tasks import emails_send_task
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTEXT = {"user": {"username": "amina", "get_full_name": "Amina O'Brien"}, "url": "/reporting/7/"}


@pytest.fixture
def people():
    """One of each kind of recipient email_queue tells apart."""
    french = UserFactory(username="french", language="fr")
    digest = UserFactory(username="digest", notification_settings={EmailCategory.MEETINGS: Delivery.DAILY_DIGEST})
    muted = UserFactory(username="muted", notification_settings={EmailCategory.MEETINGS: Delivery.OFF})
    gone = UserFactory(username="gone", is_active=False, language="ar")
    for person in (french, digest, muted, gone):
        ProfileFactory(user=person)
    return {"french": french, "digest": digest, "muted": muted, "gone": gone}


def recipients(people) -> list[str]:
    return [
        "French@Example.org",  # the account's address in other letter case: French, notified
        "french@example.org",  # the same address again: one e-mail, not two
        people["digest"].email,  # wants meetings in the daily digest: notified, not e-mailed
        people["muted"].email,  # wants no e-mail: notified only
        people["gone"].email,  # an inactive account: e-mailed in its language, not notified
        "outsider@example.net",  # no account: e-mailed in the message's language
    ]


def message(occasion: str, people, **overrides) -> OutgoingMessage:
    values = {
        "occasion": occasion,
        "recipients": recipients(people),
        "template": "password-reset",
        "context": CONTEXT,
        "language": "es",
        "classification": Classification.CONFIDENTIAL,
        "category": EmailCategory.MEETINGS,
    }
    return OutgoingMessage(**{**values, **overrides})


def what_was_stored(occasion: str) -> tuple[list[tuple], list[tuple]]:
    emails = OutboundEmail.objects.filter(occasion=occasion).order_by("recipient")
    notifications = Notification.objects.filter(occasion=occasion).order_by("recipient__username")
    email_fields = ("recipient", "subject", "body_text", "body_html", "classification", "attachments")
    notification_fields = ("recipient__username", "category", "title", "link", "delivery", "classification")
    return list(emails.values_list(*email_fields)), list(notifications.values_list(*notification_fields))


def test_it_stores_what_email_queue_stores_for_the_same_messages(people):
    overrides = [{}, {"category": EmailCategory.DEADLINES}, {"category": EmailCategory.DIGEST, "link": ""}]
    with transaction.atomic():
        for number, extra in enumerate(overrides):
            one = message(f"one:{number}", people, **extra)
            email_queue(**{name: getattr(one, name) for name in one.__dataclass_fields__})
        many = [message(f"many:{number}", people, **extra) for number, extra in enumerate(overrides)]
        emails_queue_many(messages=many)
    for number in range(len(overrides)):
        assert what_was_stored(f"many:{number}") == what_was_stored(f"one:{number}")
    # And what that is: each rule applied once per address, in the recipient's language.
    emails, notifications = what_was_stored("many:0")
    assert [row[0] for row in emails] == ["French@Example.org", "gone@example.org", "outsider@example.net"]
    subjects = {row[0]: row[1] for row in emails}
    assert subjects["French@Example.org"] == "Réinitialisation de votre mot de passe Compact Tracker"
    assert subjects["outsider@example.net"] != subjects["gone@example.org"]  # Spanish, Arabic
    assert {row[4] for row in emails} == {Classification.CONFIDENTIAL}
    assert [(row[0], row[3], row[4]) for row in notifications] == [
        ("digest", "/reporting/7/", Delivery.DAILY_DIGEST),
        ("french", "/reporting/7/", Delivery.IMMEDIATELY),
        ("muted", "/reporting/7/", Delivery.OFF),
    ]
    # A required category is e-mailed at once whatever was chosen; the digest is not listed.
    assert len(what_was_stored("many:1")[0]) == 5
    assert what_was_stored("many:2")[1] == []


def test_an_occasion_queued_again_is_skipped_whoever_queued_it_first(people):
    with transaction.atomic():
        email_queue(occasion="again", recipients=["outsider@example.net"], template="password-reset", context=CONTEXT)
        Notification.objects.create(
            recipient=people["french"], category=EmailCategory.MEETINGS, occasion="again", title="Before"
        )
        queued = emails_queue_many(messages=[message("again", people), message("again", people)])
    # The outsider had the e-mail already; the French account's notification was recorded before
    # (its e-mail handled then); the second copy of the message adds nothing.
    assert [email.recipient for email in queued] == ["gone@example.org"]
    assert OutboundEmail.objects.filter(occasion="again").count() == 2
    assert Notification.objects.filter(occasion="again").count() == 3


def test_it_costs_the_same_queries_for_one_message_or_fifty(people):
    def queries_for(count: int, prefix: str) -> int:
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            emails_queue_many(messages=[message(f"{prefix}:{n}", people) for n in range(count)])
        return len(captured.captured_queries)

    assert queries_for(50, "fifty") == queries_for(1, "one")
    assert OutboundEmail.objects.filter(occasion__startswith="fifty:").count() == 150


def test_it_publishes_one_task_after_commit_that_sends_each_email_once(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr(outbox, "_enqueue_send_many", published.append)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            queued = emails_queue_many(messages=[message(f"batch:{n}", people) for n in range(3)])
        assert published == []  # not before the commit
    assert len(callbacks) == 1 and published == [[email.pk for email in queued]]
    assert emails_send_task(published[0]) == 9
    assert emails_send_task(published[0]) == 0  # delivered twice: nothing sent twice
    assert sorted(m.to[0] for m in mail.outbox) == sorted(email.recipient for email in queued)


def test_nothing_queued_publishes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        assert emails_queue_many(messages=[]) == []
    assert callbacks == []


@pytest.mark.django_db(transaction=True)
def test_it_must_run_inside_the_callers_transaction(people):
    with pytest.raises(RuntimeError):
        emails_queue_many(messages=[message("outside", people)])
    assert not OutboundEmail.objects.exists()


def test_rows_insert_new_returns_only_the_rows_it_inserted_with_their_keys():
    existing = OutboundEmail.objects.create(occasion="x", recipient="b@example.org", subject="s", body_text="t")
    rows = [OutboundEmail(occasion="x", recipient=f"{name}@example.org", subject="s", body_text="t") for name in "abc"]
    with transaction.atomic():
        new = rows_insert_new(rows, identity=["occasion", "recipient"])
    assert new == [rows[0], rows[2]]
    assert all(row.pk and not row._state.adding for row in new)
    assert OutboundEmail.objects.get(recipient="b@example.org").pk == existing.pk
    assert set(OutboundEmail.objects.filter(occasion="x").values_list("pk", flat=True)) == {
        existing.pk,
        rows[0].pk,
        rows[2].pk,
    }
    assert rows_insert_new([], identity=["occasion"]) == []


def test_rows_insert_new_refuses_a_model_without_its_own_automatic_key():
    from django.contrib.sessions.models import Session

    with pytest.raises(TypeError):
        rows_insert_new([Session(session_key="k", session_data="")], identity=["session_key"])


def test_a_batch_that_runs_out_of_time_leaves_the_rest_to_the_sweep(people, monkeypatch):
    with transaction.atomic():
        queued = emails_queue_many(messages=[message(f"slow:{n}", people) for n in range(2)])
    monkeypatch.setattr(outbox, "BATCH_SEND_SECONDS", -1)  # the mail server was slow: time is up
    assert emails_send_task([email.pk for email in queued]) == 0
    assert OutboundEmail.objects.filter(sent_at__isnull=True).count() == 6
    assert outbox.emails_send_pending() == 6
