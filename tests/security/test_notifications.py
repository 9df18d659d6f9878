"""Attacks on the notifications: someone else's, a link that leads off the site, a forged
mark-read, the wrong method, and titles marked above the reader's clearance."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from compact.core.models import Classification, Notification
from compact.core.outbox import is_site_path, site_path
from compact.registry.models import Profile
from tests.compact.notifications_support import notify

pytestmark = pytest.mark.django_db

API = "/api/v1/notifications/"


@pytest.fixture
def chairs_note(chair) -> Notification:
    notify(chair, occasion="private", url="/reporting/submissions/7/")
    Notification.objects.filter(recipient=chair).update(title="MK-CHAIRS-OWN")
    return Notification.objects.get(recipient=chair)


def test_someone_elses_notification_cannot_be_opened_nor_marked(client_for, api_for, chairs_note, vice_chair):
    assert client_for(vice_chair).post(reverse("notification-open", args=[chairs_note.pk])).status_code == 404
    assert api_for(vice_chair).post(f"{API}{chairs_note.pk}/read/").status_code == 404
    assert api_for(vice_chair).post(API + "read-all/").json() == {"marked": 0}
    client_for(vice_chair).post(reverse("notifications-read-all"))
    chairs_note.refresh_from_db()
    assert chairs_note.read_at is None
    assert "MK-CHAIRS-OWN" not in client_for(vice_chair).get("/notifications/").content.decode()
    assert "MK-CHAIRS-OWN" not in api_for(vice_chair).get(API).content.decode()


def test_a_missing_or_out_of_range_id_is_a_404_or_400(client_for, api_for, chair):
    assert client_for(chair).post("/notifications/99999999999999999999/open/").status_code == 404
    assert api_for(chair).post(f"{API}99999999999999999999/read/").status_code == 400
    assert api_for(chair).post(f"{API}abc/read/").status_code == 404
    assert api_for(chair).post(f"{API}123456/read/").status_code == 404


@pytest.mark.parametrize(
    "link",
    [
        "//evil.example/phish",
        "https://evil.example/phish",
        "/\\evil.example/phish",
        "/\\/evil.example",
        "javascript:alert(1)",
        "http://127.0.0.1:8000.evil.example/x",
        " //evil.example",
        "/\t/evil.example",
    ],
)
def test_a_link_off_the_site_is_never_followed_nor_stored(client_for, chair, chairs_note, link):
    assert site_path(link) == ""
    Notification.objects.filter(pk=chairs_note.pk).update(link=link)  # as if it had got in
    response = client_for(chair).post(reverse("notification-open", args=[chairs_note.pk]))
    assert response.status_code == 302 and response["Location"] == "/notifications/"


def test_a_link_too_long_to_keep_whole_is_dropped_not_cut(settings):
    assert site_path("/reporting/?q=" + "x" * 600) == ""
    assert site_path(settings.SITE_URL.rstrip("/") + "/reporting/1/") == "/reporting/1/"
    assert site_path(settings.SITE_URL.rstrip("/") + ".evil.example/reporting/1/") == ""


def test_a_queued_link_to_another_site_is_dropped(chair):
    notify(chair, occasion="x", url="/reporting/")
    assert is_site_path(Notification.objects.get(occasion="x").link)
    from django.db import transaction

    from compact.core.categories import EmailCategory
    from compact.core.outbox import email_queue

    with transaction.atomic():
        email_queue(
            occasion="y",
            recipients=[chair.email],
            template="password-reset",
            context={"user": chair, "reset_url": "x"},
            category=EmailCategory.EXTENSIONS,
            link="https://evil.example/phish",
        )
    assert Notification.objects.get(occasion="y").link == ""


def test_marking_read_needs_the_csrf_token(chair, chairs_note):
    client = Client(enforce_csrf_checks=True)
    client.force_login(chair)
    client.get("/notifications/")  # the CSRF cookie is set; the form's token is not sent
    assert client.post(reverse("notification-open", args=[chairs_note.pk])).status_code == 403
    assert client.post(reverse("notifications-read-all")).status_code == 403
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(chair)
    assert api.post(f"{API}{chairs_note.pk}/read/").status_code == 403
    assert api.post(API + "read-all/").status_code == 403
    chairs_note.refresh_from_db()
    assert chairs_note.read_at is None


def test_opening_or_marking_takes_post_only(client_for, api_for, chair, chairs_note):
    assert client_for(chair).get(reverse("notification-open", args=[chairs_note.pk])).status_code == 405
    assert client_for(chair).get(reverse("notifications-read-all")).status_code == 405
    assert api_for(chair).get(f"{API}{chairs_note.pk}/read/").status_code == 405
    assert api_for(chair).delete(f"{API}{chairs_note.pk}/").status_code in (404, 405)
    chairs_note.refresh_from_db()
    assert chairs_note.read_at is None and Notification.objects.filter(pk=chairs_note.pk).exists()


def test_a_title_above_the_readers_clearance_today_is_withheld(client_for, api_for, chair):
    Profile.objects.filter(user=chair).update(clearance=Classification.CONFIDENTIAL)
    chair.refresh_from_db()
    notify(chair, occasion="secret", classification=Classification.CONFIDENTIAL, url="/reporting/submissions/9/")
    Notification.objects.filter(occasion="secret").update(title="MK-CONFIDENTIAL-TITLE")
    note = Notification.objects.get(occasion="secret")
    assert note.classification == Classification.CONFIDENTIAL
    assert "MK-CONFIDENTIAL-TITLE" in client_for(chair).get("/notifications/").content.decode()  # cleared: shown
    Profile.objects.filter(user=chair).update(clearance=Classification.UNCLASSIFIED)  # lowered since
    chair.refresh_from_db()
    html = client_for(chair).get("/notifications/").content.decode()
    assert "MK-CONFIDENTIAL-TITLE" not in html and "above your current clearance" in html
    body = api_for(chair).get(API).json()["results"][0]
    assert body["title"] is None and body["url"] is None and body["withheld"] is True
    response = client_for(chair).post(reverse("notification-open", args=[note.pk]))
    assert response["Location"] == "/notifications/"  # not to the page it is about


def test_the_digest_never_carries_a_title_above_the_readers_clearance(chair, time_machine):
    import datetime

    from compact.accounts.services import user_notification_settings_set
    from compact.core.models import OutboundEmail
    from compact.core.notifications import notification_digests_send

    time_machine.move_to(datetime.datetime(2026, 5, 4, 15, 0, tzinfo=datetime.UTC), tick=False)
    user_notification_settings_set(user=chair, choices={"extensions": "daily-digest"})
    Profile.objects.filter(user=chair).update(clearance=Classification.STRICTLY_CONFIDENTIAL)
    chair.refresh_from_db()
    notify(chair, occasion="sc", classification=Classification.STRICTLY_CONFIDENTIAL, url="/reporting/submissions/3/")
    Notification.objects.filter(occasion="sc").update(title="MK-STRICTLY-TITLE")
    Profile.objects.filter(user=chair).update(clearance=Classification.CONFIDENTIAL)
    assert notification_digests_send() == 1
    digest = OutboundEmail.objects.get(recipient=chair.email)
    everything = digest.subject + digest.body_text + digest.body_html
    assert "MK-STRICTLY-TITLE" not in everything and "/reporting/submissions/3/" not in everything
    assert "above your current clearance" in digest.body_text
