from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compact.core.api.errors import service_error_detail  # noqa: F401 (imported from here by many APIs)
from compact.core.api.fields import ModelSerializer
from compact.registry.dates import EARLIEST_DAY
from compact.registry.models import Entity, EntityAlias, Membership


def person_name(user: AbstractBaseUser | None) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class EntityAliasSerializer(ModelSerializer):
    class Meta:
        model = EntityAlias
        fields = ["name", "kind", "used_until", "note"]


class MembershipSerializer(ModelSerializer):
    class Meta:
        model = Membership
        fields = ["status", "effective_from", "signed_on", "evidence", "source_note"]


class EntitySerializer(ModelSerializer):
    status = serializers.CharField(read_only=True, allow_null=True, help_text="Membership status today.")
    status_since = serializers.DateField(read_only=True, allow_null=True)
    aliases = EntityAliasSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-entity-detail", lookup_field="acronym")

    class Meta:
        model = Entity
        fields = [
            "url",
            "acronym",
            "name",
            "kind",
            "website",
            "is_active",
            "evidence",
            "status",
            "status_since",
            "aliases",
        ]


class EntityDetailSerializer(EntitySerializer):
    memberships = serializers.SerializerMethodField()

    class Meta(EntitySerializer.Meta):
        fields = [*EntitySerializer.Meta.fields, "note", "memberships"]

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, entity: Entity) -> list[dict[str, Any]]:
        entries = entity.memberships.order_by("effective_from", "id")
        return MembershipSerializer(entries, many=True).data


class EntityRefSerializer(serializers.Serializer):
    acronym = serializers.CharField()
    name = serializers.CharField()


class WorkingGroupRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    short_name = serializers.CharField()


class SeatSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    entity = EntityRefSerializer(allow_null=True)
    person = serializers.SerializerMethodField()
    working_group = WorkingGroupRefSerializer(allow_null=True)
    since = serializers.DateField(allow_null=True)
    evidence = serializers.CharField(allow_blank=True)

    def get_person(self, seat: Any) -> str | None:
        return person_name(seat.person)


class CommitteeSerializer(serializers.Serializer):
    on = serializers.DateField()
    seats = SeatSerializer(many=True)
    entities = EntityRefSerializer(many=True)


class OnDateQuerySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="Day to show (YYYY-MM-DD, from 2018-01-01); today by default.")

    def validate_on(self, day: datetime.date) -> datetime.date:
        if day < EARLIEST_DAY:
            raise serializers.ValidationError("The Compact dates from 2018; choose a later date.")
        return day
