"""The notifications page and the menu's unread count: one's own notifications, newest first,
unread ones in bold and labelled, opening one marks it read and goes to its page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compact.core.models import Notification
from tests.compact.notifications_support import notify

pytestmark = pytest.mark.django_db

LIST = "/notifications/"


def make(person, count: int, *, start: int = 0) -> list[Notification]:
    for number in range(start, start + count):
        notify(person, occasion=f"test:{number}", url=f"/reporting/submissions/{number}/")
    notes = list(Notification.objects.filter(recipient=person).order_by("id"))
    base = datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    for offset, note in enumerate(notes):
        Notification.objects.filter(pk=note.pk).update(
            created_at=base + datetime.timedelta(hours=offset), title=f"Title number {offset}"
        )
    return notes


def titles(html: str) -> list[str]:
    return re.findall(r"Title number \d+", html)


def test_the_list_shows_ones_own_notifications_newest_first(client_for, chair, vice_chair):
    make(chair, 3)
    notify(vice_chair, occasion="other")
    Notification.objects.filter(recipient=vice_chair).update(title="Vice-chair's own title")
    html = client_for(chair).get(LIST).content.decode()
    assert titles(html) == ["Title number 2", "Title number 1", "Title number 0"]
    assert "Vice-chair&#x27;s own title" not in html and "Vice-chair's own title" not in html


def test_unread_ones_are_labelled_in_words_and_read_ones_are_not(client_for, chair):
    first, _second = make(chair, 2)
    Notification.objects.filter(pk=first.pk).update(read_at=datetime.datetime(2026, 5, 2, tzinfo=datetime.UTC))
    html = client_for(chair).get(LIST).content.decode()
    items = re.findall(r'<li class="notification[^"]*">.*?</li>', html, flags=re.S)
    assert len(items) == 2
    unread, read = items  # newest (the second, unread) first
    assert 'class="notification unread"' in unread and ">Unread</span>" in unread
    assert "unread" not in read.split(">", 1)[0] and ">Unread</span>" not in read


def test_opening_one_marks_it_read_and_goes_to_its_page(client_for, chair):
    (note,) = make(chair, 1)
    response = client_for(chair).post(reverse("notification-open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/reporting/submissions/0/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_one_without_a_link_goes_back_to_the_list(client_for, chair):
    (note,) = make(chair, 1)
    Notification.objects.filter(pk=note.pk).update(link="")
    response = client_for(chair).post(reverse("notification-open", args=[note.pk]), {"show": "unread"})
    assert response["Location"] == "/notifications/?show=unread"


def test_the_unread_filter_and_mark_all_as_read(client_for, chair):
    notes = make(chair, 3)
    Notification.objects.filter(pk=notes[0].pk).update(read_at=datetime.datetime(2026, 5, 2, tzinfo=datetime.UTC))
    client = client_for(chair)
    assert titles(client.get(LIST + "?show=unread").content.decode()) == ["Title number 2", "Title number 1"]
    assert len(titles(client.get(LIST + "?show=nonsense").content.decode())) == 3  # all
    response = client.post(reverse("notifications-read-all"), follow=True)
    assert "2 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "Nothing unread." in client.get(LIST + "?show=unread").content.decode()


def test_the_list_is_paginated(client_for, chair):
    make(chair, 27)
    client = client_for(chair)
    first = client.get(LIST).content.decode()
    assert len(titles(first)) == 25 and "Page 1 of 2" in first
    second = client.get(LIST + "?page=2").content.decode()
    assert titles(second) == ["Title number 1", "Title number 0"]


def test_the_menu_counts_the_unread_ones_once_per_request(client_for, chair):
    make(chair, 3)
    client = client_for(chair)
    html = client.get(reverse("account")).content.decode()
    assert "3 unread notifications" in html
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("account"))
    counting = [q["sql"] for q in queries.captured_queries if "compact_notification" in q["sql"]]
    assert len(counting) == 1
    client.post(reverse("notifications-read-all"))
    assert "unread notification" not in client.get(reverse("account")).content.decode()


def test_an_empty_list_says_so(client_for, outsider):
    html = client_for(outsider).get(LIST).content.decode()
    assert "No notifications yet." in html


def test_the_list_asks_a_visitor_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
