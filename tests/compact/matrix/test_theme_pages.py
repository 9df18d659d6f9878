"""OCT's themes page: the suggestions with their reasons, confirming many, changing one; and
the suggestions on the project form and page."""

from __future__ import annotations

import pytest

from compact.matrix.models import Project
from compact.matrix.services import project_save


@pytest.fixture
def coded(roster):
    """The roster's two groups with the codes the theme rules use."""
    roster.group.code, roster.other_group.code = "ctitf-2018-07", "ctitf-2018-02"
    roster.group.save(update_fields=["code"])
    roster.other_group.save(update_fields=["code"])
    return roster


def project(title: str, lead, **fields) -> Project:
    return project_save(
        project=None, actor=None, fields={"title": title, "status": "ongoing", "lead_entity": lead, **fields}
    )


def test_the_page_lists_suggestions_with_their_reasons(client_for, oct_officer, coded):
    rights = project("Human rights training for police", coded.ohchr)
    page = client_for(oct_officer).get("/projects/themes/").content.decode()
    row = page[page.index(f'id="project-{rights.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "7. Human rights" in row
    assert "keyword “human rights” in the title" in row
    assert "lead entity OHCHR" in row
    assert "1 of 1 projects have a suggested theme; 0 have confirmed themes." in page


def test_ticked_projects_are_confirmed_at_once(client_for, oct_officer, coded):
    rights = project("Human rights training", coded.ohchr)
    money = project("Countering the financing of terrorism in the Sahel", coded.unodc)
    untouched = project("Human rights guide", coded.ohchr)
    response = client_for(oct_officer).post(
        "/projects/themes/confirm/", {"projects": [rights.pk, money.pk], "back": "/projects/themes/?state=all"}
    )
    assert response.status_code == 302 and response.url == "/projects/themes/?state=all"
    assert list(rights.themes.all()) == [coded.group]
    assert list(money.themes.all()) == [coded.other_group]
    untouched.refresh_from_db()
    assert untouched.themes_confirmed_at is None and not untouched.themes.exists()
    page = client_for(oct_officer).get("/projects/themes/").content.decode()  # "to confirm" by default
    assert f'id="project-{untouched.pk}"' in page and f'id="project-{rights.pk}"' not in page


def test_one_project_is_changed(client_for, oct_officer, coded):
    rights = project("Human rights training", coded.ohchr)
    client = client_for(oct_officer)
    form = client.get(f"/projects/{rights.pk}/themes/")
    assert form.context["form"].initial["working_groups"] == [coded.group.pk]  # the suggestion, ticked
    assert "keyword “human rights” in the title" in form.content.decode()
    response = client.post(f"/projects/{rights.pk}/themes/", {"working_groups": [coded.other_group.pk]})
    assert response.status_code == 302
    rights.refresh_from_db()
    assert list(rights.themes.all()) == [coded.other_group] and rights.themes_confirmed_at is not None
    empty = client.post(f"/projects/{rights.pk}/themes/", {})
    assert empty.status_code == 400 and "Choose at least one working group." in empty.content.decode()
    assert list(rights.themes.all()) == [coded.other_group]


def test_the_form_shows_the_suggestions_for_what_was_typed(client_for, focal_point, coded):
    # An empty title brings the form back with errors, and the suggestions from what was typed.
    response = client_for(focal_point).post(
        "/projects/new/", {"title": "", "main_activities": "Training on human rights", "status": "ongoing"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Suggested working groups" in page and "keyword “human rights” in the main activities" in page


def test_the_project_page_shows_the_suggestions_and_the_confirmation(client_for, oct_officer, coded):
    rights = project("Human rights training", coded.ohchr)
    page = client_for(oct_officer).get(f"/projects/{rights.pk}/").content.decode()
    assert "Suggested by the rules" in page and "Confirmed by OCT" not in page
    client_for(oct_officer).post("/projects/themes/confirm/", {"projects": [rights.pk]})
    assert "Confirmed by OCT" in client_for(oct_officer).get(f"/projects/{rights.pk}/").content.decode()
