"""The Trust Fund's contributions, read-only: everyone signed in, within clearance."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from compact.core.api import viewsets
from compact.core.api.fields import ModelSerializer
from compact.funding.models import Contribution, Donor
from compact.funding.selectors import contributions_visible_to


class DonorSerializer(ModelSerializer):
    class Meta:
        model = Donor
        fields = ["code", "name", "kind", "evidence", "source"]
        read_only_fields = fields


class ContributionSerializer(ModelSerializer):
    donor = DonorSerializer(read_only=True)

    class Meta:
        model = Contribution
        fields = ["id", "donor", "year", "rank", "amount_usd", "classification", "evidence", "source"]
        read_only_fields = fields


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=1990, max_value=2100, help_text="Only this year's contributions."
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[YearSerializer],
        description="Contributions to the Trust Fund for Counter-Terrorism, newest year first, then by "
        "rank (largest first). A/72/840, Annex V ranks the 2018 contributors without amounts: "
        "``amount_usd`` is null where no source gives one.",
    )
)
class ContributionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ContributionSerializer

    def get_queryset(self) -> QuerySet[Contribution]:
        query = YearSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return contributions_visible_to(self.request.user, year=query.validated_data.get("year"))
