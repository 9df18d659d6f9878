"""Factories for test set-up. Behaviour under test goes through the services instead."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model

from compact.core.models import Classification
from compact.registry.models import Entity, Evidence, Membership, Profile
from workinggroups.models import RoleAssignment, WorkingGroup

COMPACT_SIGNED = datetime.date(2018, 2, 23)


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity
        django_get_or_create = ("acronym",)

    acronym = factory.Sequence(lambda n: f"ENT{n}")
    name = factory.LazyAttribute(lambda o: f"{o.acronym} full name")
    kind = Entity.Kind.SECRETARIAT
    evidence = Evidence.SEED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    entity = factory.SubFactory(EntityFactory)
    status = Membership.Status.MEMBER
    effective_from = COMPACT_SIGNED
    evidence = Evidence.SEED


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("pw")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    entity = factory.SubFactory(EntityFactory)
    clearance = Classification.UNCLASSIFIED


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Working group {o.number}")
    short_name = factory.LazyAttribute(lambda o: f"Group {o.number}")
    evidence = Evidence.SEED


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    working_group = factory.SubFactory(WorkingGroupFactory)
    entity = factory.SubFactory(EntityFactory)
    role = RoleAssignment.Role.MEMBER
    starts_on = COMPACT_SIGNED
