"""``/api/v1/notifications/``: the caller's own notifications, marking one or all read."""

from __future__ import annotations

import pytest

from compact.core.models import Notification
from tests.compact.notifications_support import notify

pytestmark = pytest.mark.django_db

API = "/api/v1/notifications/"


def test_the_list_has_only_the_callers_own_newest_first(api_for, chair, vice_chair):
    notify(chair, vice_chair, occasion="one", url="/reporting/")
    notify(chair, occasion="two", url="/review/")
    response = api_for(chair).get(API)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["url"] for r in results] == ["http://testserver/review/", "http://testserver/reporting/"]
    own = set(Notification.objects.filter(recipient=chair).values_list("pk", flat=True))
    assert {r["id"] for r in results} == own
    assert results[0]["unread"] is True and results[0]["withheld"] is False and results[0]["title"]
    assert results[0]["category"] == "extensions"


def test_unread_filter_mark_one_and_mark_all(api_for, chair):
    notify(chair, occasion="one")
    notify(chair, occasion="two")
    notify(chair, occasion="three")
    client = api_for(chair)
    first = Notification.objects.get(occasion="one")
    marked = client.post(f"{API}{first.pk}/read/")
    assert marked.status_code == 200 and marked.json()["unread"] is False and marked.json()["read_at"]
    assert len(client.get(API + "?unread=true").json()["results"]) == 2
    assert client.post(API + "read-all/").json() == {"marked": 2}
    assert client.get(API + "?unread=true").json()["results"] == []
    assert client.post(API + "read-all/").json() == {"marked": 0}


def test_anonymous_callers_are_refused(api_for, chair):
    notify(chair)
    assert api_for(None).get(API).status_code in (401, 403)
    assert api_for(None).post(API + "read-all/").status_code in (401, 403)
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_the_schema_documents_the_endpoints(api_for, chair):
    schema = api_for(chair).get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/notifications/", "/api/v1/notifications/{id}/read/", "/api/v1/notifications/read-all/"):
        assert path in schema
