"""Audit rows read as sentences (compact/core/verbs.py:verb_sentence) on OCT's home page and
the audit log: a classified project's title never reaches an officer not cleared for it, and a
name typed with markup or direction controls is text inside its own isolate, never HTML."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from compact.core.audit import audit_record
from compact.core.models import Classification
from compact.matrix.services import project_save
from tests.helpers import html_tree, oct_person

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Covert border programme"


@pytest.fixture
def secret_project(roster, oct_officer):
    fields = {"title": SECRET_TITLE, "status": "ongoing", "lead_entity": roster.unodc, "classification": "confidential"}
    return project_save(project=None, actor=oct_officer, fields=fields)


def test_an_uncleared_officer_reads_no_sentence_naming_a_confidential_project(
    secret_project, roster, oct_officer, client_for
):
    junior = oct_person("junior", Classification.UNCLASSIFIED, entity=roster.unoct)
    for url in (reverse("home"), reverse("audit-log"), reverse("audit-log") + "?verb=project."):
        page = client_for(junior).get(url).content.decode()
        assert SECRET_TITLE not in page, url
    sentences = [
        span.text
        for span in html_tree(client_for(oct_officer).get(reverse("home"))).find_all("span", class_="event-sentence")
    ]
    assert any(SECRET_TITLE in sentence for sentence in sentences)


def test_markup_in_a_name_is_shown_as_text_inside_its_isolate(roster, oct_officer, client_for):
    from compact.registry.models import Entity

    unodc = Entity.objects.get(acronym="UNODC")
    # The row keeps the record's name as it was when written (object_repr); an unsaved,
    # crafted name stands for one that slipped past validation.
    unodc.acronym = '<img src=x onerror="alert(1)">'
    with transaction.atomic():
        audit_record(actor=oct_officer, verb="entity.updated", obj=unodc)
    for url in (reverse("home"), reverse("audit-log")):
        html = client_for(oct_officer).get(url).content.decode()
        assert "<img src=x" not in html, url
        assert "<bdi>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</bdi>" in html, url
