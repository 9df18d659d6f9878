"""The Trust Fund's API: donors, contributions and earmarks, within the reader's clearance.
Everyone signed in reads; only OCT records a contribution, changes it or earmarks it (404 for
anyone else, as on the pages)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.api.errors import FIELD_ERRORS, service_call
from compact.core.api.fields import ModelSerializer, PrimaryKeyRelatedField
from compact.core.models import Classification
from compact.core.permissions import readable_levels
from compact.funding.models import Contribution, Donor, Earmark
from compact.funding.permissions import can_manage_trust_fund
from compact.funding.selectors import (
    contributions_visible_to,
    donor_summary,
    donors_visible_to,
    earmarks_visible_to,
    get_contribution_for_user_or_404,
    get_donor_for_user_or_404,
    get_earmark_for_user_or_404,
)
from compact.funding.services import MAX_AMOUNT, contribution_add, contribution_update, earmark_add, earmark_remove
from compact.registry.models import Evidence

OCT_ONLY_404 = OpenApiResponse(description="No such row within the caller's clearance, or the caller is not OCT.")


def _amount(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, max_value=MAX_AMOUNT, **kwargs)


class DonorSerializer(ModelSerializer):
    class Meta:
        model = Donor
        fields = ["code", "name", "kind", "evidence", "source"]
        read_only_fields = fields


class ContributionSerializer(ModelSerializer):
    donor = DonorSerializer(read_only=True)
    pledged_usd = serializers.DecimalField(
        source="amount_usd", max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = Contribution
        fields = [
            "id",
            "donor",
            "year",
            "rank",
            "amount_usd",
            "pledged_usd",
            "received_usd",
            "classification",
            "evidence",
            "source",
        ]
        read_only_fields = fields


# What a PATCH may change of a contribution.
EDITABLE_FIELDS = ("pledged_usd", "received_usd", "classification", "evidence", "source")


class ContributionWriteSerializer(serializers.Serializer):
    """A contribution's fields: POST needs ``donor`` (ISO code) and ``year``; PATCH changes the
    others (the pledge never drops below what is earmarked from it)."""

    donor = serializers.SlugRelatedField(slug_field="code", queryset=Donor.objects.all(), help_text="ISO code.")
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    pledged_usd = _amount(required=False, allow_null=True)
    received_usd = _amount(required=False, allow_null=True)
    classification = serializers.ChoiceField(choices=Classification.choices, default=Classification.UNCLASSIFIED)
    evidence = serializers.ChoiceField(choices=Evidence.choices)
    source = serializers.CharField(max_length=500)


class EarmarkSerializer(ModelSerializer):
    contribution = serializers.IntegerField(source="contribution_id", read_only=True)
    donor = serializers.CharField(source="contribution.donor.code", read_only=True)
    year = serializers.IntegerField(source="contribution.year", read_only=True)

    class Meta:
        model = Earmark
        fields = ["id", "contribution", "donor", "year", "project", "working_group", "amount_usd", "note"]
        fields += ["classification"]
        read_only_fields = fields


class EarmarkWriteSerializer(serializers.Serializer):
    """One project or one working group; an amount above zero, at most what is left of the pledge."""

    contribution = PrimaryKeyRelatedField(queryset=Contribution.objects.all())
    amount_usd = _amount()
    project = PrimaryKeyRelatedField(
        queryset=Earmark.project.field.related_model.objects.all(), required=False, allow_null=True
    )
    working_group = PrimaryKeyRelatedField(
        queryset=Earmark.working_group.field.related_model.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        """Only the contributions and projects ``user`` may read are choices: one beyond their
        clearance is refused exactly as one that does not exist (the schema's copy has no user)."""
        super().__init__(*args, **kwargs)
        if user is None:
            return
        self.fields["contribution"].queryset = contributions_visible_to(user)
        self.fields["project"].queryset = Earmark.project.field.related_model.objects.filter(
            classification__in=readable_levels(user)
        )


class DonorDetailSerializer(DonorSerializer):
    contributions = ContributionSerializer(many=True, read_only=True)
    earmarks = EarmarkSerializer(many=True, read_only=True)
    projects = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    working_groups = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    pledged_usd = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    received_usd = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    earmarked_usd = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta(DonorSerializer.Meta):
        fields = [*DonorSerializer.Meta.fields, "contributions", "earmarks", "projects", "working_groups"]
        fields += ["pledged_usd", "received_usd", "earmarked_usd"]
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
        "``amount_usd`` (the pledge, also as ``pledged_usd``) is null where no source gives one.",
    ),
    retrieve=extend_schema(responses={200: ContributionSerializer, 404: OCT_ONLY_404}),
)
class ContributionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ContributionSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Contribution]:
        query = YearSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return contributions_visible_to(self.request.user, year=query.validated_data.get("year"))

    def get_object(self) -> Contribution:
        return get_contribution_for_user_or_404(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        request=ContributionWriteSerializer,
        responses={201: ContributionSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    def create(self, request: Request) -> Response:
        """Record a donor's contribution for a year (OCT): pledged and received amounts, source."""
        if not can_manage_trust_fund(request.user):
            raise Http404
        form = ContributionWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        data.setdefault("pledged_usd", None)
        data.setdefault("received_usd", None)
        contribution = service_call(lambda: contribution_add(actor=request.user, **data))
        return Response(ContributionSerializer(contribution).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ContributionWriteSerializer,
        responses={200: ContributionSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change a contribution's amounts, classification or source (OCT); donor and year stay."""
        if not can_manage_trust_fund(request.user):
            raise Http404
        contribution = self.get_object()
        form = ContributionWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        # Only what was sent of what may change (donor and year stay): the service keeps the
        # rest as the locked row holds it.
        data = {name: value for name, value in form.validated_data.items() if name in EDITABLE_FIELDS}
        service_call(lambda: contribution_update(contribution=contribution, actor=request.user, **data))
        return Response(ContributionSerializer(get_contribution_for_user_or_404(request.user, contribution.pk)).data)


@extend_schema_view(
    list=extend_schema(description="Every donor (Member States, Permanent Observers, the EU) by name."),
    retrieve=extend_schema(
        description="A donor with its contributions, earmarks, the projects and working groups it funds and "
        "their totals, all within the caller's clearance: the totals add up only the rows returned."
    ),
)
class DonorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z]{2}"

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return DonorSerializer if self.action == "list" else DonorDetailSerializer

    def get_queryset(self) -> QuerySet[Donor]:
        return donors_visible_to(self.request.user)

    def retrieve(self, request: Request, code: str) -> Response:
        donor = get_donor_for_user_or_404(request.user, code)
        summary = donor_summary(request.user, donor)
        body = DonorSerializer(donor).data | {
            "contributions": ContributionSerializer(summary["contributions"], many=True).data,
            "earmarks": EarmarkSerializer(summary["earmarks"], many=True).data,
            "projects": [project.pk for project in summary["projects"]],
            "working_groups": [group.pk for group in summary["groups"]],
            "pledged_usd": f"{summary['pledged']:.2f}",
            "received_usd": f"{summary['received']:.2f}",
            "earmarked_usd": f"{summary['earmarked']:.2f}",
        }
        return Response(body)


class EarmarkFilterSerializer(serializers.Serializer):
    donor = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, help_text="A donor's ISO code.")
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    project = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


@extend_schema_view(
    list=extend_schema(
        parameters=[EarmarkFilterSerializer],
        description="Earmarks of contributions to projects or working groups, within the caller's clearance "
        "(the earmark's, its contribution's and its project's classification).",
    ),
    retrieve=extend_schema(responses={200: EarmarkSerializer, 404: OCT_ONLY_404}),
)
class EarmarkViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = EarmarkSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Earmark]:
        query = EarmarkFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        earmarks = earmarks_visible_to(self.request.user)
        if "donor" in query.validated_data:
            earmarks = earmarks.filter(contribution__donor__code=query.validated_data["donor"].upper())
        if "year" in query.validated_data:
            earmarks = earmarks.filter(contribution__year=query.validated_data["year"])
        if "project" in query.validated_data:
            earmarks = earmarks.filter(project=query.validated_data["project"])
        return earmarks

    def get_object(self) -> Earmark:
        return get_earmark_for_user_or_404(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        request=EarmarkWriteSerializer, responses={201: EarmarkSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404}
    )
    def create(self, request: Request) -> Response:
        """Earmark part of a contribution to one project or one working group (OCT). The
        earmarks of a contribution never add up to more than its pledge."""
        if not can_manage_trust_fund(request.user):
            raise Http404
        form = EarmarkWriteSerializer(data=request.data, user=request.user)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        contribution = data.pop("contribution")
        earmark = service_call(lambda: earmark_add(contribution=contribution, actor=request.user, **data))
        return Response(EarmarkSerializer(earmark).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, 404: OCT_ONLY_404})
    def destroy(self, request: Request, pk: str) -> Response:
        """Remove an earmark (OCT): its amount is free to earmark again."""
        if not can_manage_trust_fund(request.user):
            raise Http404
        earmark = self.get_object()
        service_call(lambda: earmark_remove(earmark=earmark, actor=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)
