"""Membership history: the current status is whatever entry is in force on the day asked."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from compact.core.models import AuditEvent
from compact.registry.models import Membership
from compact.registry.selectors import entities_with_status, entity_status_on, registry_summary
from compact.registry.services import membership_record
from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def ipu():
    entity = EntityFactory(acronym="IPU")
    membership_record(entity=entity, status="applicant", effective_from=D(2021, 3, 1), actor=None)
    membership_record(
        entity=entity, status="observer", effective_from=D(2021, 6, 1), signed_on=D(2021, 6, 1), actor=None
    )
    membership_record(entity=entity, status="member", effective_from=D(2021, 10, 1), actor=None)
    return entity


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2021, 2, 28), None),
        (D(2021, 3, 1), "applicant"),
        (D(2021, 5, 31), "applicant"),
        (D(2021, 6, 1), "observer"),
        (D(2021, 9, 30), "observer"),
        (D(2021, 10, 1), "member"),
        (D(2026, 1, 1), "member"),
    ],
)
def test_status_on_a_day_is_the_latest_entry_in_force(ipu, day, expected):
    assert entity_status_on(ipu, day) == expected
    assert entities_with_status(on=day).get(pk=ipu.pk).status == expected


def test_a_withdrawal_ends_membership(ipu):
    membership_record(entity=ipu, status="withdrawn", effective_from=D(2024, 1, 1), actor=None)
    assert entity_status_on(ipu, D(2023, 12, 31)) == "member"
    assert entity_status_on(ipu, D(2024, 1, 1)) == "withdrawn"


def test_status_since_is_the_date_of_the_entry_in_force(ipu):
    assert entities_with_status(on=D(2022, 1, 1)).get(pk=ipu.pk).status_since == D(2021, 10, 1)


def test_it_refuses_two_entries_on_one_day(ipu):
    with pytest.raises(ValidationError):
        membership_record(entity=ipu, status="withdrawn", effective_from=D(2021, 10, 1), actor=None)
    assert ipu.memberships.count() == 3


def test_only_parties_sign_the_compact():
    entity = EntityFactory()
    with pytest.raises(ValidationError):
        membership_record(
            entity=entity, status="applicant", effective_from=D(2022, 1, 1), signed_on=D(2022, 1, 1), actor=None
        )
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            entity=entity, status="withdrawn", effective_from=D(2022, 1, 1), signed_on=D(2022, 1, 1)
        )


def test_each_entry_is_audited(ipu):
    events = AuditEvent.objects.filter(verb="membership.recorded", object_id=str(ipu.pk))
    assert [e.after["status"] for e in events.order_by("id")] == ["applicant", "observer", "member"]


def test_registry_summary_counts_statuses_on_a_day(ipu):
    other = EntityFactory()
    membership_record(entity=other, status="observer", effective_from=D(2018, 2, 23), actor=None)
    assert registry_summary(on=D(2021, 7, 1))["observers"] == 2
    assert registry_summary(on=D(2022, 1, 1)) | {"unverified_entities": 0} == {
        "members": 1,
        "observers": 1,
        "applicants": 0,
        "withdrawn": 0,
        "unverified_entities": 0,
    }
