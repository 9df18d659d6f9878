"""Issue 14, hole 10: oversized fields.

A 10 MB value in a field of the public form was answered with Django's bare "Bad Request"
(the body was over ``DATA_UPLOAD_MAX_MEMORY_SIZE``). Now it comes back as the form, with an
"at most N characters" error on that field, the other values kept and nothing saved; the API
names the field the same way. A body over the limit (12 MB of text, files apart) is a 413
that states the limits, as a page or as JSON.
"""

from __future__ import annotations

import json

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from rest_framework.test import APIClient

from compact.core.models import OutboundEmail
from compact.registry.forms import EntityProfileForm, FocalPointInviteForm
from compact.registry.models import Entity
from compact.signon.forms import SignOnActionForm, SignOnEditForm, SignOnForm, SignOnWithdrawForm
from compact.signon.models import SignOnRequest
from tests.helpers import pdf_bytes, signon_form_data

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024
THIRTEEN_MB = 13 * 1024 * 1024
# Every field of the public form, with the length it takes (choices and checkboxes: 1,000).
PUBLIC_FORM_FIELDS = {
    "organization_name": 255,
    "acronym": 32,
    "organization_kind": 1000,
    "head_name": 150,
    "head_title": 255,
    "focal_given_name": 150,
    "focal_family_name": 150,
    "focal_title": 255,
    "focal_email": 254,
    "focal_phone": 32,
    "website": 200,
    "mandate": 5000,
    "pillars": 1000,
    "working_groups": 1000,
    "requested_status": 1000,
    "declaration": 1000,
    "homepage": 200,
}


def with_oversized(field: str, length: int = TEN_MB) -> dict:
    value = "A" * length
    return signon_form_data(**{field: [value] if field in ("pillars", "working_groups") else value})


def too_long(limit: int, length: int = TEN_MB) -> str:
    return f"Ensure this value has at most {limit} characters (it has {length})."


def assert_nothing_saved() -> None:
    assert not SignOnRequest.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(("field", "limit"), PUBLIC_FORM_FIELDS.items())
def test_a_10_mb_field_on_the_public_form_is_a_field_error_with_the_rest_kept(db, client, field, limit):
    data = with_oversized(field)
    data["supporting_letter"] = SimpleUploadedFile("letter.pdf", pdf_bytes(), "application/pdf")
    response = client.post(reverse("signon-form"), data)  # multipart, as the browser sends it
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[field] == [too_long(limit)]
    assert set(form.errors) == {field}
    kept = "head_title" if field != "head_title" else "head_name"
    assert form[kept].value() == signon_form_data()[kept]
    assert len(response.content) < 200_000  # the 10 MB are not echoed back
    assert_nothing_saved()


@pytest.mark.parametrize("field", ["organization_name", "focal_email", "mandate", "pillars", "requested_status"])
def test_a_10_mb_field_on_the_api_is_named_in_the_answer(db, field):
    body = {**with_oversized(field), "declaration": True}
    response = APIClient().post("/api/v1/sign-on-requests/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [too_long(PUBLIC_FORM_FIELDS[field])]}
    assert_nothing_saved()


def test_a_10_mb_field_in_a_multipart_api_request_is_named_in_the_answer(db):
    response = APIClient().post("/api/v1/sign-on-requests/", with_oversized("head_name"), format="multipart")
    assert response.status_code == 400
    assert response.json() == {"head_name": [too_long(150)]}
    assert_nothing_saved()


def test_a_body_over_the_limit_is_a_413_page_that_states_the_limits(db):
    body = encode_multipart("BoUnDaRy", with_oversized("mandate", THIRTEEN_MB))
    response = Client().post(reverse("signon-form"), body, content_type="multipart/form-data; boundary=BoUnDaRy")
    assert response.status_code == 413
    page = response.content.decode()
    assert "at most 12 MB of text" in page and "Nothing was saved" in page
    assert_nothing_saved()


@pytest.mark.parametrize("content_type", ["application/json", MULTIPART_CONTENT])
def test_a_body_over_the_limit_is_a_413_on_the_api(db, content_type):
    data = {**with_oversized("mandate", THIRTEEN_MB), "declaration": "true"}
    body = json.dumps(data) if content_type == "application/json" else encode_multipart("BoUnDaRy", data)
    if content_type == MULTIPART_CONTENT:
        content_type = "multipart/form-data; boundary=BoUnDaRy"
    response = APIClient().post("/api/v1/sign-on-requests/", body, content_type=content_type)
    assert response.status_code == 413
    assert "at most 12 MB of text" in response.json()["detail"]
    assert_nothing_saved()


def test_a_10_mb_note_on_the_entity_profile_is_a_field_error(focal_point, roster, client_for):
    data = {"name": roster.unesco.name, "website": "", "note": "A" * TEN_MB}
    response = client_for(focal_point).post(reverse("entity-edit", args=["UNESCO"]), data)
    assert response.context["form"].errors["note"] == [too_long(5000)]
    assert Entity.objects.get(pk=roster.unesco.pk).note == roster.unesco.note


@pytest.mark.parametrize(
    "form_class",
    [SignOnForm, SignOnEditForm, EntityProfileForm, FocalPointInviteForm, SignOnActionForm, SignOnWithdrawForm],
)
def test_every_text_input_has_a_maximum_length(form_class):
    unbounded = [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.CharField) and not field.max_length
    ]
    assert unbounded == []
