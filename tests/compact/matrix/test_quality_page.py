"""OCT's data-quality page and its one-step mapping; the attacks on it are in
tests/security/test_matrix_quality_security.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from compact.matrix.models import NonEntityName, ProjectMention
from compact.registry.models import EntityAlias
from tests.factories import EntityFactory
from tests.helpers import html_tree, oct_person


@pytest.fixture
def mention(db):
    from compact.matrix.services import project_save

    project = project_save(project=None, actor=None, fields={"title": "Border work", "status": "ongoing"})
    return ProjectMention.objects.create(project=project, position=1, name="XYZ Office")


@pytest.fixture
def oct_client(client, db):
    user = oct_person("octq", "strictly-confidential")
    client.force_login(user)
    return client


def test_the_page_lists_an_unlinked_name_with_a_mapping_form(oct_client, mention):
    page = oct_client.get(reverse("matrix-quality") + "?show=mentions")
    assert page.status_code == 200
    body = page.content.decode()
    assert "XYZ Office" in body and reverse("matrix-mention-map") in body
    assert f"{reverse('project-detail', args=[mention.project_id])}" in body
    # The project behind the name is shown by its title, as people find it in the report.
    rows = [row for row in html_tree(body).find_all("tr") if "XYZ Office" in row.text]
    assert len(rows) == 1 and "Border work" in rows[0].text


def test_mapping_to_an_entity_saves_an_alias_and_links_the_mention(oct_client, mention):
    entity = EntityFactory(acronym="DPO", name="Department of Peace Operations")
    response = oct_client.post(reverse("matrix-mention-map"), {"name": "XYZ Office", "target": f"entity:{entity.pk}"})
    assert response.status_code == 302
    assert EntityAlias.objects.get(name="XYZ Office").entity == entity
    mention.refresh_from_db()
    assert mention.entity == entity


def test_mapping_to_not_an_entity(oct_client, mention):
    oct_client.post(reverse("matrix-mention-map"), {"name": "XYZ Office", "target": "none"})
    assert NonEntityName.objects.filter(name="XYZ Office").exists()
    mention.refresh_from_db()
    assert mention.not_an_entity and not mention.is_linked


def test_the_figures_show_their_share_and_rows(oct_client, mention):
    body = oct_client.get(reverse("matrix-quality")).content.decode()
    assert "0 of 1" in body and "0.0%" in body and "?show=mentions" in body


def test_a_sahel_project_is_on_malis_page_marked_regional(oct_client, db):
    from compact.matrix.services import project_save

    project_save(
        project=None, actor=None, fields={"title": "Sahel border posts", "status": "ongoing"}, regions=["sahel"]
    )
    mali = oct_client.get(reverse("project-country", args=["ML"])).content.decode()
    assert "Sahel border posts" in mali and 'class="badge regional"' in mali
    france = oct_client.get(reverse("project-country", args=["FR"])).content.decode()
    assert "Sahel border posts" not in france
