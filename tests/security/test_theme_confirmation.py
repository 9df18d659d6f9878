"""Attacks on the themes page: people who are not OCT, projects above the officer's
clearance, other methods, forged ids, redirects elsewhere, missing CSRF tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from compact.core.models import Classification
from compact.matrix.models import Project
from compact.matrix.services import project_save
from tests.helpers import admin_person, oct_person


@pytest.fixture
def rights(roster):
    roster.group.code = "ctitf-2018-07"
    roster.group.save(update_fields=["code"])
    return project_save(
        project=None,
        actor=None,
        fields={"title": "Human rights training", "status": "ongoing", "lead_entity": roster.ohchr},
    )


def unconfirmed(project: Project) -> bool:
    project.refresh_from_db()
    return project.themes_confirmed_at is None and not project.themes.exists()


@pytest.mark.parametrize("persona", ["focal_point", "chair", "committee_member", "outsider"])
def test_people_who_are_not_oct_get_404_and_change_nothing(request, client_for, rights, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/projects/themes/").status_code == 404
    assert client.post("/projects/themes/confirm/", {"projects": [rights.pk]}).status_code == 404
    assert client.post(f"/projects/{rights.pk}/themes/", {"working_groups": [rights.pk]}).status_code == 404
    assert unconfirmed(rights)


def test_a_site_administrator_without_the_oct_role_is_refused(client_for, rights):
    client = client_for(admin_person("root", superuser=True))
    assert client.post("/projects/themes/confirm/", {"projects": [rights.pk]}).status_code == 404
    assert unconfirmed(rights)


def test_a_project_above_the_officers_clearance_is_neither_shown_nor_confirmed(client_for, roster, rights):
    Project.objects.filter(pk=rights.pk).update(classification=Classification.CONFIDENTIAL)
    officer = oct_person("low", Classification.UNCLASSIFIED)
    client = client_for(officer)
    assert f'id="project-{rights.pk}"' not in client.get("/projects/themes/").content.decode()
    response = client.post("/projects/themes/confirm/", {"projects": [rights.pk]}, follow=True)
    assert "Select a valid choice" in response.content.decode()
    assert client.get(f"/projects/{rights.pk}/themes/").status_code == 404
    assert client.post(f"/projects/{rights.pk}/themes/", {"working_groups": [roster.group.pk]}).status_code == 404
    assert unconfirmed(rights)


def test_confirming_needs_a_post(client_for, oct_officer, rights):
    assert client_for(oct_officer).get(f"/projects/themes/confirm/?projects={rights.pk}").status_code == 405
    assert unconfirmed(rights)


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1", ""])
def test_forged_ids_are_refused_with_a_message(client_for, oct_officer, rights, value):
    response = client_for(oct_officer).post("/projects/themes/confirm/", {"projects": [value]}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/projects/themes/"
    assert unconfirmed(rights)


def test_the_way_back_never_leaves_the_site(client_for, oct_officer, rights):
    response = client_for(oct_officer).post(
        "/projects/themes/confirm/", {"projects": [rights.pk], "back": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/projects/themes/"


def test_confirming_without_a_csrf_token_is_refused(oct_officer, rights):
    client = Client(enforce_csrf_checks=True)
    client.force_login(oct_officer)
    assert client.post("/projects/themes/confirm/", {"projects": [rights.pk]}).status_code == 403
    assert unconfirmed(rights)
