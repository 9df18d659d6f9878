"""What every page's context knows of the reader (portal/context_processors.py): worked out only
when a template reads it, once per render, and the same as the rights it stands for."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

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
    assert bool(context["user_is_oct"]) is is_oct(_fresh(user))
    assert bool(context["user_reads_meetings"]) is can_read_meetings(_fresh(user))


def test_the_oct_officer_and_the_focal_point_differ(oct_officer, focal_point):
    # So that the test above cannot pass by every value being the same.
    assert bool(roles(_request_of(_fresh(oct_officer)))["user_is_oct"]) is True
    assert bool(roles(_request_of(_fresh(focal_point)))["user_is_oct"]) is False
    assert bool(roles(_request_of(_fresh(focal_point)))["user_reads_meetings"]) is False


@pytest.mark.parametrize("persona", ["committee_member", "focal_point"])
def test_a_page_that_reads_no_right_asks_the_database_nothing_for_them(persona, request):
    user = _fresh(request.getfixturevalue(persona))
    with CaptureQueriesContext(connection) as queries:
        context = roles(_request_of(user))
        Template("{{ 1 }}").render(Context(context))
    assert len(queries) == 0


def test_a_right_read_many_times_in_a_page_is_worked_out_once(committee_member):
    read_once = Template("{% if user_reads_meetings %}yes{% endif %}")
    read_often = Template("{% for i in items %}{% if user_reads_meetings %}yes{% endif %}{% endfor %}")
    with CaptureQueriesContext(connection) as once:
        assert read_once.render(Context(roles(_request_of(_fresh(committee_member))))) == "yes"
    with CaptureQueriesContext(connection) as often:
        rendered = read_often.render(Context({**roles(_request_of(_fresh(committee_member))), "items": range(5)}))
    assert rendered == "yes" * 5
    assert len(once) > 0 and len(often) == len(once)
