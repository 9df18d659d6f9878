"""Server-rendered pages: who sees what, and what anonymous visitors get."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from compact.core.models import Heartbeat
from tests.helpers import html_tree

pytestmark = pytest.mark.django_db

PAGES = ["/", "/entities/", "/entities/UNOCT/", "/working-groups/", "/committee/", "/audit/", "/system/"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(roster, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_the_login_page_signs_people_in(roster, chair, client):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "chair", "password": "pw"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_wrong_credentials_get_a_clear_message(roster, chair, client):
    response = client.post(reverse("login"), {"username": "chair", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "shows", "hides"),
    [
        ("oct_officer", ["OCT secretariat", "Recent changes"], ["Your working groups", "Focal point for"]),
        ("usg", ["Coordination Committee", "seats today"], ["Recent changes", "Your working groups"]),
        ("committee_member", ["seats today"], ["Recent changes", "Focal point for"]),
        (
            "chair",
            ["Your working groups", "WG 7: Human rights", "Chair for OHCHR", "seats today"],
            ["Recent changes", "Focal point for"],
        ),
        ("vice_chair", ["Your working groups", "Vice-chair for UNODC", "seats today"], ["Recent changes"]),
        (
            "focal_point",
            ["Focal point for UNESCO", "Membership status:"],
            ["Recent changes", "Your working groups", "seats today"],
        ),
        (
            "outsider",
            ["You can read the Compact's registry."],
            ["Recent changes", "Your working groups", "Focal point for"],
        ),
    ],
)
def test_each_role_gets_its_own_home_page(request, client_for, persona, shows, hides):
    user = request.getfixturevalue(persona)
    page = html_tree(client_for(user).get("/")).text  # the words, as read: names are isolated in <bdi>
    for text in shows:
        assert text in page, text
    for text in hides:
        assert text not in page, text


def test_the_entity_list_filters_by_status_and_search(roster, outsider, client_for):
    import datetime

    from compact.registry.services import membership_record

    membership_record(entity=roster.unesco, status="observer", effective_from=datetime.date(2020, 1, 1), actor=None)
    page = client_for(outsider).get("/entities/", {"status": "observer"}).content.decode()
    assert 'href="/entities/UNESCO/"' in page and 'href="/entities/UNODC/"' not in page
    page = client_for(outsider).get("/entities/", {"q": "drugs"}).content.decode()
    assert 'href="/entities/UNODC/"' in page and 'href="/entities/UNESCO/"' not in page


def section(page, heading: str):
    return page.find("section", **{"aria-labelledby": heading})


def test_the_entity_page_shows_history_and_roles(roster, outsider, client_for):
    page = html_tree(client_for(outsider).get("/entities/ohchr/"))
    history = section(page, "history-heading").find("tbody").find_all("tr")
    assert [[cell.text for cell in row.find_all("td")][:3] for row in history] == [["23 Feb 2018", "Member", "—"]]
    roles = section(page, "roles-heading").find_all("li")
    assert [role.text for role in roles] == ["WG 7: Human rights — Chair since 23 Feb 2018"]


def test_an_alias_in_the_address_leads_to_the_entity(roster, outsider, client_for):
    from compact.registry.services import entity_alias_add

    entity_alias_add(entity=roster.unoct, name="UNCCT", actor=None)
    response = client_for(outsider).get("/entities/UNCCT/")
    assert response.status_code == 302 and response["Location"] == "/entities/UNOCT/"


def test_a_missing_entity_is_a_404(roster, outsider, client_for):
    assert client_for(outsider).get("/entities/NOPE/").status_code == 404


def test_working_group_pages_show_chairs_and_vice_chairs(roster, chair, client_for):
    listing = client_for(chair).get("/working-groups/").content.decode()
    assert "Human rights and the rule of law" in listing
    detail = client_for(chair).get(f"/working-groups/{roster.group.pk}/")
    seats = html_tree(detail).find("dl", class_="roster").find_all("div")
    assert {seat.find("dt").text: seat.find("dd").text for seat in seats} == {
        "Chairs": "OHCHR (Chair Tester)",
        "Vice-chairs": "UNODC",
        "Members": "none recorded",
    }
    assert "You lead this group" in detail.content.decode()
    from workinggroups.models import WorkingGroup

    missing = (WorkingGroup.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    assert client_for(chair).get(f"/working-groups/{missing}/").status_code == 404  # whatever ids the suite used


@pytest.mark.parametrize("url", ["/audit/", "/system/"])
@pytest.mark.parametrize("persona", ["usg", "committee_member", "chair", "focal_point", "outsider"])
def test_secretariat_pages_are_hidden_from_everyone_else(request, client_for, url, persona):
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 404


def test_the_secretariat_reads_the_audit_log_and_system_status(roster, oct_officer, client_for):
    page = client_for(oct_officer).get("/audit/", {"verb": "workinggroup."}).content.decode()
    assert "workinggroup.role_assigned" in page and "person.created" not in page
    Heartbeat.objects.create(name="worker", seen_at=timezone.now())
    status = html_tree(client_for(oct_officer).get("/system/"))
    facts = status.find("dl", class_="facts").find_all("div")
    broker = settings.CELERY_BROKER_URL.split("@")[-1]  # without a password
    assert {fact.find("dt").text: fact.find("dd").text for fact in facts} == {
        "Database": connection.vendor,
        "Task broker": f"{broker} — ok",
    }
    (worker,) = [item.text for item in status.find_all("li") if "last seen" in item.text]
    assert worker.startswith("worker: last seen") and worker.endswith("ago running")


def test_pages_flip_right_to_left_in_arabic(roster, outsider, client_for):
    client = client_for(outsider)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    page = client.get("/entities/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_healthz_answers_without_login(db, client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_groups_not_yet_established_are_listed_apart(roster, outsider, client_for):
    import datetime

    from tests.factories import WorkingGroupFactory

    WorkingGroupFactory(number=40, short_name="Future", established_on=datetime.date(2099, 1, 1))
    page = client_for(outsider).get("/working-groups/").content.decode()
    assert "Groups to be established" in page and "WG 40: Future" in page
    assert "Retired groups" not in page


def test_oct_records_an_entitys_official_names_and_pages_show_them_in_each_language(
    roster, client_for, oct_officer, chair
):
    from compact.accounts.services import user_language_set
    from compact.registry.models import Entity

    unodc = Entity.objects.get(acronym="UNODC")
    edit = reverse("entity-edit", args=["UNODC"])
    names = [field.attrs["name"] for field in html_tree(client_for(oct_officer).get(edit)).find_all("input")]
    assert {"name_ar", "name_zh_hans", "name_fr", "name_ru", "name_es"} <= set(names)
    profile = {"acronym": "UNODC", "name": unodc.name, "kind": unodc.kind, "evidence": unodc.evidence, "website": ""}
    french = "Office des Nations Unies contre la drogue et le crime"
    names = {"name_ar": "", "name_zh_hans": "", "name_fr": french, "name_ru": "", "name_es": ""}
    assert client_for(oct_officer).post(edit, {**profile, **names}).status_code == 302
    unodc.refresh_from_db()
    assert unodc.name_translations == {"fr": {"name": french}}
    user_language_set(user=chair, language="fr")
    assert french in html_tree(client_for(chair).get(reverse("entity-detail", args=["UNODC"]))).find("h1").text
    user_language_set(user=chair, language="ar")
    page = client_for(chair).get(reverse("entity-detail", args=["UNODC"])).content.decode()
    assert '<small lang="en"><bdi>United Nations Office on Drugs and Crime</bdi></small>' in page
    # Emptying the French name removes it.
    assert client_for(oct_officer).post(edit, {**profile, **names, "name_fr": ""}).status_code == 302
    unodc.refresh_from_db()
    assert unodc.name_translations == {}


def test_an_edit_that_does_not_send_the_names_in_other_languages_keeps_them(roster, client_for, oct_officer):
    from compact.registry.models import Entity
    from compact.registry.services import entity_update

    unodc = Entity.objects.get(acronym="UNODC")
    entity_update(entity=unodc, actor=oct_officer, name_translations={"es": {"name": "Oficina de las Naciones Unidas"}})
    response = client_for(oct_officer).post(
        reverse("entity-edit", args=["UNODC"]),
        {"acronym": "UNODC", "name": unodc.name, "kind": unodc.kind, "evidence": unodc.evidence, "website": ""},
    )
    assert response.status_code == 302
    unodc.refresh_from_db()
    assert unodc.name_translations == {"es": {"name": "Oficina de las Naciones Unidas"}}
