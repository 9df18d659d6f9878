"""A person's own settings on "Your account": how each kind of e-mail reaches them (required
ones fixed, with the reason) and their time zone, which every page then shows times in."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from compact.core.categories import Delivery, EmailCategory, choosable_categories, is_required, required_reason
from compact.core.middleware import UserTimeZoneMiddleware
from compact.core.models import AuditEvent, Notification, User
from tests.compact.notifications_support import notify

pytestmark = pytest.mark.django_db

ACCOUNT = "/account/"


def settings_post(client: Client, **choices: str):
    data = {"section": "notifications"}
    data.update({f"category-{c.value}": Delivery.IMMEDIATELY for c in EmailCategory if c.value in _choosable()})
    data.update({f"category-{key.replace('_', '-')}": value for key, value in choices.items()})
    return client.post(ACCOUNT, data)


def _choosable() -> set[str]:
    return {c.value for c in choosable_categories() if not is_required(c)}


def checked(html: str, name: str) -> str:
    """The value of the radio button of ``name`` that is checked on the page."""
    (value,) = re.findall(rf'<input type="radio" name="{name}" value="([^"]+)"[^>]*checked', html)
    return value


def test_the_page_shows_a_table_of_categories_with_the_required_ones_fixed(client_for, chair):
    html = client_for(chair).get(ACCOUNT).content.decode()
    assert 'class="notification-settings"' in html
    assert 'name="category-extensions" value="daily-digest"' in html
    assert 'name="category-deadlines"' not in html and 'name="category-account"' not in html
    assert str(required_reason(EmailCategory.DEADLINES)) in html.replace("&#x27;", "'")
    assert html.count('type="radio"') == 3 * len(_choosable())


def test_saving_the_choices_stores_them_with_an_audit_row(client_for, chair):
    response = settings_post(client_for(chair), extensions=Delivery.OFF, meetings=Delivery.DAILY_DIGEST)
    assert response.status_code == 302 and response["Location"].endswith("#notifications")
    chair.refresh_from_db()
    assert chair.notification_settings["extensions"] == Delivery.OFF
    assert chair.notification_settings["meetings"] == Delivery.DAILY_DIGEST
    event = AuditEvent.objects.get(verb="person.notification_settings_set")
    assert event.actor == chair and event.after["notification_settings"]["extensions"] == "off"
    page = client_for(chair).get(ACCOUNT).content.decode()
    assert checked(page, "category-extensions") == "off"
    assert checked(page, "category-meetings") == "daily-digest"
    assert checked(page, "category-approvals") == "immediately"


def test_an_unknown_delivery_is_refused_and_nothing_is_saved(client_for, chair):
    response = settings_post(client_for(chair), extensions="weekly", meetings=Delivery.OFF)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    chair.refresh_from_db()
    assert chair.notification_settings == {}
    assert not AuditEvent.objects.filter(verb="person.notification_settings_set").exists()


def test_a_required_category_cannot_be_switched_off_through_the_form(client_for, chair):
    settings_post(client_for(chair), deadlines=Delivery.OFF, account=Delivery.OFF)
    chair.refresh_from_db()
    assert "deadlines" not in chair.notification_settings and "account" not in chair.notification_settings


def test_the_service_refuses_required_and_unknown_categories(chair):
    from django.core.exceptions import ValidationError

    from compact.accounts.services import user_notification_settings_set

    for choices in ({"deadlines": "off"}, {"account": "daily-digest"}, {"digest": "off"}, {"nonsense": "off"}):
        with pytest.raises(ValidationError):
            user_notification_settings_set(user=chair, choices=choices)
    with pytest.raises(ValidationError):
        user_notification_settings_set(user=chair, choices={"extensions": "weekly"})
    chair.refresh_from_db()
    assert chair.notification_settings == {}


def test_a_time_zone_is_validated_then_saved_and_audited(client_for, chair):
    client = client_for(chair)
    refused = client.post(ACCOUNT, {"section": "time_zone", "time_zone": "Mars/Olympus_Mons"})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert User.objects.get(pk=chair.pk).time_zone == ""
    saved = client.post(ACCOUNT, {"section": "time_zone", "time_zone": "Asia/Tokyo"})
    assert saved.status_code == 302
    assert User.objects.get(pk=chair.pk).time_zone == "Asia/Tokyo"
    assert AuditEvent.objects.get(verb="person.time_zone_set").after == {"time_zone": "Asia/Tokyo"}
    client.post(ACCOUNT, {"section": "time_zone", "time_zone": ""})
    assert User.objects.get(pk=chair.pk).time_zone == ""


def test_the_service_refuses_a_zone_that_does_not_exist(chair):
    from django.core.exceptions import ValidationError

    from compact.accounts.services import user_time_zone_set

    with pytest.raises(ValidationError):
        user_time_zone_set(user=chair, time_zone="Europe/Atlantis")


def test_the_language_form_still_saves_without_a_section(client_for, chair):
    client_for(chair).post(ACCOUNT, {"language": "es"})
    assert User.objects.get(pk=chair.pk).language == "es"


def test_times_on_the_pages_are_in_the_readers_zone(client_for, chair, time_machine, settings):
    settings.TIME_ZONE = "America/New_York"
    moment = datetime.datetime(2026, 5, 4, 12, 0, tzinfo=datetime.UTC)
    time_machine.move_to(moment, tick=False)
    notify(chair)
    Notification.objects.update(created_at=moment)
    client = client_for(chair)
    client.post(ACCOUNT, {"section": "time_zone", "time_zone": "Asia/Tokyo"})
    html = client.get(reverse("notifications")).content.decode()
    tokyo = date_format(moment.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")), "DATETIME_FORMAT")
    new_york = date_format(moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)), "DATETIME_FORMAT")
    assert tokyo in html and new_york not in html and "Asia/Tokyo" in html
    client.post(ACCOUNT, {"section": "time_zone", "time_zone": ""})
    html = client.get(reverse("notifications")).content.decode()
    assert new_york in html and tokyo not in html


def test_the_middleware_activates_the_zone_for_a_signed_in_person_only(rf, chair, settings):
    from django.contrib.auth.models import AnonymousUser

    seen = []

    def view(request):
        seen.append(timezone.get_current_timezone_name())
        from django.http import HttpResponse

        return HttpResponse()

    middleware = UserTimeZoneMiddleware(view)
    chair.time_zone = "Africa/Nairobi"
    for user in (chair, AnonymousUser()):
        request = rf.get("/")
        request.user = user
        middleware(request)
    chair.time_zone = "Not/AZone"  # a stored value that is no longer a zone falls back to the site's
    request = rf.get("/")
    request.user = chair
    middleware(request)
    assert seen == ["Africa/Nairobi", settings.TIME_ZONE, settings.TIME_ZONE]
    timezone.deactivate()
