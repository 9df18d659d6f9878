"""Attacks on the data-quality page and its mapping: only OCT reads or maps; bad input, wrong
methods and missing CSRF tokens change nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from compact.matrix.models import NonEntityName, ProjectMention
from compact.matrix.services import project_save
from compact.registry.models import EntityAlias
from tests.helpers import oct_person


@pytest.fixture
def mention(db):
    project = project_save(project=None, actor=None, fields={"title": "Secret-ish", "status": "ongoing"})
    return ProjectMention.objects.create(project=project, position=1, name="XYZ Office")


@pytest.mark.parametrize("persona", ["focal_point", "committee_member", "outsider"])
def test_only_oct_sees_the_page_or_maps(request, client, mention, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse("matrix-quality")).status_code == 404
    assert client.post(reverse("matrix-mention-map"), {"name": "XYZ Office", "target": "none"}).status_code == 404
    assert not NonEntityName.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, mention):
    assert client.get(reverse("matrix-quality")).status_code == 302
    client.post(reverse("matrix-mention-map"), {"name": "XYZ Office", "target": "none"})
    assert not NonEntityName.objects.exists()


def test_mapping_needs_post_and_csrf(mention):
    user = oct_person("octs", "strictly-confidential")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(reverse("matrix-mention-map")).status_code == 405
    assert client.post(reverse("matrix-mention-map"), {"name": "XYZ Office", "target": "none"}).status_code == 403
    assert not NonEntityName.objects.exists()


@pytest.mark.parametrize("target", ["entity:999999", "organization:abc", "entity", "drop table", ""])
def test_bad_targets_change_nothing(client, mention, target):
    client.force_login(oct_person("octb", "strictly-confidential"))
    response = client.post(reverse("matrix-mention-map"), {"name": "XYZ Office", "target": target})
    assert response.status_code == 302
    assert not NonEntityName.objects.exists() and not EntityAlias.objects.filter(name="XYZ Office").exists()
    mention.refresh_from_db()
    assert not mention.is_linked and not mention.not_an_entity


def test_a_name_only_in_a_project_above_the_clearance_is_not_shown(client, db):
    hidden = project_save(
        project=None,
        actor=None,
        fields={"title": "Hidden", "status": "ongoing", "classification": "strictly-confidential"},
    )
    ProjectMention.objects.create(project=hidden, position=1, name="Codename Heron")
    client.force_login(oct_person("octlow", "unclassified"))
    body = client.get(reverse("matrix-quality") + "?show=mentions").content.decode()
    assert "Codename Heron" not in body
    assert reverse("project-detail", args=[hidden.pk]) not in body
