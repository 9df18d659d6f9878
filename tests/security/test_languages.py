"""Attacks on what the six languages added: the language menu's redirect, language codes that
are not languages, markup and direction tricks in names and their translations, the
filters that isolate what people wrote, and a briefing pack asked for in a bogus language."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from compact.accounts.services import user_language_set
from compact.core.models import AuditEvent
from compact.registry.models import Entity
from compact.registry.services import entity_update
from reporting.committee.services import agenda_item_add, meeting_create
from reporting.compiled.models import ReportEdition
from tests.helpers import fresh
from workinggroups.services import workinggroup_update

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script>"


def test_the_language_menu_never_sends_a_visitor_off_the_site():
    response = Client().post(reverse("set_language"), {"language": "fr", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil.example")
    response = Client().post(reverse("set_language"), {"language": "fr", "next": "//evil.example/x"})
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize("language", ["de", "xx-YY", HOSTILE, "fr\n", "../../etc/passwd", "e" * 500])
def test_a_code_that_is_not_one_of_the_six_languages_is_never_stored(client_for, chair, language):
    client_for(chair).post(reverse("set_language"), {"language": language, "next": "/"})
    client_for(chair).post(reverse("account"), {"language": language})
    with pytest.raises(ValidationError):
        user_language_set(user=chair, language=language)
    assert fresh(chair).language == ""
    assert not AuditEvent.objects.filter(verb="person.language_set").exists()


def test_a_visitor_cannot_set_anyones_language(chair):
    response = Client().post(reverse("account"), {"language": "ar"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert fresh(chair).language == ""


def test_the_isolating_filters_escape_what_people_wrote():
    html = Template("{{ x|isolate }}|{{ x|linebreaks_auto }}|{{ x|linebreaksbr_auto }}").render(Context({"x": HOSTILE}))
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") == 3
    assert html.startswith("<bdi>&lt;script&gt;") and '<p dir="auto">&lt;script&gt;' in html
    assert Template("[{{ x|isolate }}]").render(Context({"x": ""})) == "[]"  # nothing to isolate


@pytest.mark.parametrize(
    ("names", "why"),
    [
        ({"de": {"name": "Büro"}}, "not one of the six"),
        ({"en": {"name": "Another English name"}}, "English is the name itself"),
        ({"fr": "Bureau"}, "not a mapping of fields"),
        ({"fr": {"acronym": "BLT"}}, "not a translatable field"),
        ({"fr": {"name": "Bureau \u202eetrevuo"}}, "a right-to-left override"),
        ({"fr": {"name": "Bureau <b>gras</b>"}}, "markup"),
        (["fr", "Bureau"], "not a mapping at all"),
    ],
)
def test_a_bad_translation_of_a_name_is_refused_and_nothing_changes(roster, oct_officer, names, why):
    entity = Entity.objects.get(acronym="UNODC")
    with pytest.raises(ValidationError):
        entity_update(entity=entity, actor=oct_officer, name_translations=names)
    with pytest.raises(ValidationError):
        workinggroup_update(group=roster.group, actor=oct_officer, name_translations=names)
    entity.refresh_from_db()
    roster.group.refresh_from_db()
    assert entity.name_translations == {} and roster.group.name_translations == {}, why


def test_a_translated_name_reaches_pages_escaped_and_isolated(roster, oct_officer, client_for, chair):
    entity = Entity.objects.get(acronym="UNODC")
    entity_update(entity=entity, actor=oct_officer, name_translations={"ar": {"name": "مكتب الأمم المتحدة & co"}})
    user_language_set(user=chair, language="ar")
    page = client_for(chair).get(reverse("entity-detail", args=["UNODC"])).content.decode()
    assert "<bdi>مكتب الأمم المتحدة &amp; co</bdi>" in page


def test_a_briefing_pack_in_a_bogus_language_is_a_400_and_nothing_is_queued(api_for, oct_officer, usg):
    meeting = meeting_create(
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        actor=oct_officer,
        date=datetime.date(2026, 10, 20),
        place="New York",
    )
    agenda_item_add(meeting=meeting, actor=oct_officer, kind="other", title="Any other business")
    url = f"/api/v1/committee-meetings/{meeting.pk}/briefing-pack/"
    for language in ("de", HOSTILE, ["fr"], {"code": "fr"}):
        response = api_for(oct_officer).post(url, {"language": language}, format="json")
        assert response.status_code == 400 and "language" in response.json(), response.content
    assert not ReportEdition.objects.exists()
    queued = api_for(oct_officer).post(url, {"language": "ar"}, format="json")
    assert queued.status_code == 202 and queued.json()["language"] == "ar"


def test_an_edition_asked_for_in_a_bogus_language_from_the_page_queues_nothing(client_for, oct_officer, report_period):
    from reporting.compiled.services import consolidated_report_start

    report = consolidated_report_start(period=report_period, actor=oct_officer)
    url = reverse("reporting-edition-request", args=["consolidated", report.pk])
    response = client_for(oct_officer).post(url, {"language": "xx"}, follow=True)
    assert response.status_code == 200 and not ReportEdition.objects.exists()
    assert "six official languages" in response.content.decode()
