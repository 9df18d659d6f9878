"""What every page's context knows of the reader (portal/context_processors.py): the same as the
rights it stands for, for every persona."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from compact.core.permissions import is_oct
from portal.context_processors import roles
from reporting.committee.permissions import can_read_meetings

pytestmark = pytest.mark.django_db

PERSONAS = ["oct_officer", "usg", "committee_member", "chair", "focal_point", "outsider"]


def _request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _fresh(user):
    """The user as a page's request gets it: nothing about their roles remembered yet."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_rights_stand_for_the_readers_own(persona, request):
    user = request.getfixturevalue(persona)
    context = roles(_request_of(_fresh(user)))
    assert context["user_is_oct"] is is_oct(_fresh(user))
    assert context["user_reads_meetings"] is can_read_meetings(_fresh(user))


def test_the_oct_officer_and_the_focal_point_differ(oct_officer, focal_point):
    # So that the test above cannot pass by every value being the same.
    assert roles(_request_of(_fresh(oct_officer)))["user_is_oct"] is True
    assert roles(_request_of(_fresh(focal_point)))["user_is_oct"] is False
    assert roles(_request_of(_fresh(focal_point)))["user_reads_meetings"] is False


def test_no_page_reads_what_the_context_no_longer_carries():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    texts = "".join(path.read_text(encoding="utf-8") for path in templates.rglob("*.html"))
    assert "user_reads_reviews" not in texts and "user_roles" not in texts
