"""The sign-on API: the public submission (the web form's twin) and OCT's review queue.

``POST /sign-on-requests/`` is open to anyone, like the form at ``/sign-on/``: it runs the
same ``SignOnForm``, so no rule differs between the two channels, shares the form's rate
limit and honeypot, and answers only what the applicant may know (their private link).
Everything else is OCT's: the queue, one request with its history, the moves of the
transition table, and the handler. Anyone else sees an empty queue and a 404 for a request,
exactly as for one that does not exist.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from compact.core.api import viewsets
from compact.core.api.fields import IntegerField, ModelSerializer, PrimaryKeyRelatedField
from compact.core.api.filters import FilterSet
from compact.lib.emails import absolute_url
from compact.lib.workflow import SeparationOfDutiesError, StaleStateError, TransitionNotAllowedError
from compact.registry.api_permissions import CanReadRegistry
from compact.registry.models import Entity, Pillar
from compact.registry.serializers import WorkingGroupRefSerializer, person_name, service_error_detail
from compact.signon.forms import ACRONYM_PATTERN, PHONE_PATTERN, SignOnForm
from compact.signon.links import signon_links
from compact.signon.models import SignOnRequest, SignOnStep
from compact.signon.selectors import get_signon_request_for_user_or_404, signon_requests_visible_to
from compact.signon.services import FORM_FIELDS, signon_act, signon_applicant_among, signon_assign, signon_submit
from compact.signon.views import client_address, signon_rate_limited
from compact.signon.workflow import OCT
from compact.signon.workflow import TRANSITIONS as SIGNON_TRANSITIONS

User = get_user_model()

# OCT's moves, in table order (also the ``SignOnActionEnum`` of the schema).
OCT_ACTIONS = [(t.action, str(t.label)) for t in SIGNON_TRANSITIONS if t.by == OCT]


# --- Public submission ------------------------------------------------------------------------


class SignOnSubmitSerializer(serializers.Serializer):
    """A sign-on request, with the fields of the public form at /sign-on/.

    The checks are the web form's own (``SignOnForm`` runs on the input), so both accept and
    refuse exactly the same things, with the same messages; the fields document them.
    """

    MULTI_VALUED = ("pillars", "working_groups")

    organization_name = serializers.CharField(max_length=255)
    acronym = serializers.RegexField(
        ACRONYM_PATTERN, max_length=32, help_text="As the organization writes it, e.g. UNODC or UN-Habitat."
    )
    organization_kind = serializers.ChoiceField(choices=Entity.Kind.choices)
    head_name = serializers.CharField(max_length=150)
    head_title = serializers.CharField(max_length=255)
    focal_given_name = serializers.CharField(max_length=150)
    focal_family_name = serializers.CharField(max_length=150)
    focal_title = serializers.CharField(max_length=255)
    focal_email = serializers.EmailField(
        help_text="The confirmation link goes to this address; the request reaches OCT once it is followed."
    )
    focal_phone = serializers.RegexField(
        PHONE_PATTERN, max_length=32, help_text="With its country code, e.g. +1 212 963 1234."
    )
    website = serializers.URLField(max_length=200, help_text="https:// is assumed when no scheme is given.")
    mandate = serializers.CharField(
        min_length=50, max_length=5000, help_text="Mandate and relevance to the Strategy (50 to 5,000 characters)."
    )
    pillars = serializers.ListField(
        child=serializers.ChoiceField(choices=Pillar.choices), min_length=1, help_text="At least one pillar."
    )
    working_groups = serializers.ListField(
        child=IntegerField(), required=False, help_text="Ids of active working groups of interest."
    )
    requested_status = serializers.ChoiceField(choices=SignOnRequest.RequestedStatus.choices)
    supporting_letter = serializers.FileField(
        required=False, help_text="A PDF of at most 5 MB (multipart requests only)."
    )
    declaration = serializers.BooleanField(
        help_text="Must be true: the organization will abide by and implement the principles and "
        "objectives of the Compact."
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [_("Send the request's fields as an object.")]}
            )
        if not isinstance(data, QueryDict):
            self._refuse_nested_values(data)
        request = self.context["request"]
        self.form = SignOnForm(data, request.FILES)
        if not self.form.is_valid():
            raise serializers.ValidationError(service_error_detail(DjangoValidationError(self.form.errors.as_data())))
        return self.form.cleaned_data

    def _refuse_nested_values(self, data: Mapping[str, Any]) -> None:
        # A form only ever sees strings; a JSON list or object where one value belongs would
        # otherwise be read as its Python text.
        errors = {
            name: [_("Send one value, not a list or an object.")]
            for name, value in data.items()
            if name not in self.MULTI_VALUED and isinstance(value, list | dict)
        }
        if errors:
            raise serializers.ValidationError(errors)


class SignOnReceiptSerializer(serializers.Serializer):
    """What the applicant learns: where their request stands, and their private link to it."""

    acronym = serializers.CharField()
    state = serializers.ChoiceField(choices=SignOnRequest.State.choices)
    status_url = serializers.URLField(help_text="The applicant's private page for the request; keep it to yourself.")


class SignOnRateLimitedError(Throttled):
    """429, with the web form's words for it."""

    default_detail = gettext_lazy("Too many requests were sent from your network. Please try again in an hour.")


# --- OCT's review ------------------------------------------------------------------------------


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user: Any) -> str | None:
        return person_name(user)


class SignOnActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=OCT_ACTIONS)
    label = serializers.CharField()
    message = serializers.ChoiceField(
        choices=["required", "optional", "none"], help_text="Whether the move takes a message."
    )


class SignOnStepSerializer(ModelSerializer):
    by = serializers.CharField(source="actor_label", help_text="The officer's username, or 'applicant'.")

    class Meta:
        model = SignOnStep
        fields = ["action", "from_state", "to_state", "by", "message", "shared_with_applicant", "created_at"]


class SignOnRequestSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-signon-request-detail")
    handler = PersonRefSerializer(read_only=True, allow_null=True)
    matched_entity = serializers.SlugRelatedField(
        slug_field="acronym",
        read_only=True,
        allow_null=True,
        help_text="The registered entity the request is about, if any.",
    )
    entity = serializers.SlugRelatedField(
        slug_field="acronym", read_only=True, allow_null=True, help_text="The entity that joined on approval."
    )

    class Meta:
        model = SignOnRequest
        fields = [
            "id",
            "url",
            "acronym",
            "organization_name",
            "organization_kind",
            "requested_status",
            "state",
            "state_changed_at",
            "submitted_at",
            "email_confirmed_at",
            "decided_at",
            "handler",
            "matched_entity",
            "entity",
        ]
        read_only_fields = fields


class SignOnRequestDetailSerializer(SignOnRequestSerializer):
    pillars = serializers.ListField(child=serializers.ChoiceField(choices=Pillar.choices), read_only=True)
    working_groups = WorkingGroupRefSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField()
    steps = SignOnStepSerializer(many=True, read_only=True, help_text="The history, internal notes included.")
    review_url = serializers.SerializerMethodField()

    class Meta(SignOnRequestSerializer.Meta):
        fields = [
            *SignOnRequestSerializer.Meta.fields,
            # Everything the applicant typed that the list does not show already.
            *(name for name in FORM_FIELDS if name not in SignOnRequestSerializer.Meta.fields),
            "working_groups",
            "supporting_letter_name",
            "language",
            "confirm_by",
            "available_actions",
            "steps",
            "review_url",
        ]
        read_only_fields = fields

    @extend_schema_field(SignOnActionSerializer(many=True))
    def get_available_actions(self, signon: SignOnRequest) -> list[dict[str, Any]]:
        actor = self.context["request"].user
        proposer = signon_applicant_among(signon, actor)
        moves = SIGNON_TRANSITIONS.available(signon.state, by=OCT, actor=actor, proposer=proposer)
        return [{"action": t.action, "label": str(t.label), "message": t.message} for t in moves]

    def get_review_url(self, signon: SignOnRequest) -> str:
        """OCT's page for the request on the site (with the supporting letter)."""
        return absolute_url(reverse("signon-review-detail", args=[signon.pk]))


class SignOnTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=OCT_ACTIONS)
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10000,
        help_text="Required to request information, record a note or decline; shared with the applicant "
        "except for notes.",
    )
    status = serializers.ChoiceField(
        choices=SignOnRequest.RequestedStatus.choices,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="When approving (and only then): whether the entity joins as a member or an observer.",
    )


class SignOnAssignSerializer(serializers.Serializer):
    handler = PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        allow_null=True,
        help_text="The id of the OCT officer who handles the request, or null for nobody.",
    )


class SignOnConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    available_actions = serializers.ListField(child=serializers.ChoiceField(choices=OCT_ACTIONS))


class SignOnRequestFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=SignOnRequest.State.choices)
    requested_status = django_filters.ChoiceFilter(choices=SignOnRequest.RequestedStatus.choices)

    class Meta:
        model = SignOnRequest
        fields = ["state", "requested_status"]


# --- Views ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(description="OCT's queue, oldest move first; empty for anyone but OCT."),
    retrieve=extend_schema(description="One request with its history (internal notes included). OCT only."),
)
class SignOnRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sign-on requests: submitted by anyone, reviewed and decided by the OCT secretariat."""

    lookup_value_regex = r"[0-9]+"
    filterset_class = SignOnRequestFilter
    search_fields = ["acronym", "organization_name"]
    ordering_fields = ["submitted_at", "state_changed_at", "acronym"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_authenticators(self) -> list[BaseAuthentication]:
        # The submission ignores credentials: an applicant has no account, and a stale token or
        # a session without its CSRF token must not stop them. DRF authenticates before it sets
        # ``self.action``, so the route's action is read from the method.
        action_name = getattr(self, "action", None) or self.action_map.get(self.request.method.lower())
        if action_name == "create":
            return []
        return super().get_authenticators()

    def get_permissions(self) -> list[BasePermission]:
        if self.action == "create":
            return [AllowAny()]
        return [CanReadRegistry()]

    def get_queryset(self) -> QuerySet[SignOnRequest]:
        requests = signon_requests_visible_to(self.request.user)
        if self.action == "list":
            return requests
        return requests.prefetch_related("working_groups", "steps")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "list":
            return SignOnRequestSerializer
        return SignOnRequestDetailSerializer

    def get_object(self) -> SignOnRequest:
        signon = get_signon_request_for_user_or_404(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, signon)
        return signon

    def _detail(self, signon: SignOnRequest) -> Response:
        signon = self.get_queryset().get(pk=signon.pk)
        return Response(SignOnRequestDetailSerializer(signon, context=self.get_serializer_context()).data)

    @extend_schema(
        request=SignOnSubmitSerializer,
        responses={
            201: SignOnReceiptSerializer,
            400: OpenApiResponse(description="Field errors, as the web form gives them."),
            429: OpenApiResponse(description="Too many submissions from this network."),
        },
    )
    def create(self, request: Request) -> Response:
        """Submit a sign-on request, as the public form does (no sign-in).

        The applicant gets an e-mail with a confirmation link; the request reaches OCT once it is
        followed. Submissions share the form's rate limit per network address."""
        submission = SignOnSubmitSerializer(data=request.data, context=self.get_serializer_context())
        submission.is_valid(raise_exception=True)
        form = submission.form
        if form.is_bot():
            # Tell a bot nothing: the same answer a person gets, and nothing is stored.
            return self._receipt(form.cleaned_data["acronym"], secrets.token_urlsafe(32))
        if signon_rate_limited(request):
            raise SignOnRateLimitedError
        try:
            signon = signon_submit(
                fields=form.service_fields(),
                working_groups=form.cleaned_data["working_groups"],
                letter=form.cleaned_data["supporting_letter"],
                submitted_from=client_address(request),
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        return self._receipt(signon.acronym, signon.access_key, status_url=signon_links(signon)["status_url"])

    def _receipt(self, acronym: str, access_key: str, status_url: str | None = None) -> Response:
        status_url = status_url or absolute_url(reverse("signon-status", args=[access_key]))
        receipt = {"acronym": acronym, "state": SignOnRequest.State.AWAITING_CONFIRMATION, "status_url": status_url}
        return Response(SignOnReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SignOnTransitionSerializer,
        responses={
            200: SignOnRequestDetailSerializer,
            400: OpenApiResponse(description="Field errors: a missing message, or a status outside approval."),
            404: OpenApiResponse(description="No such request, or the caller is not OCT."),
            409: SignOnConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        """Take one of OCT's moves: start consultation, record a note, request information,
        approve (with ``status``) or decline. A move the table does not allow from the request's
        state, or one someone else made first, is a 409."""
        signon = self.get_object()
        move = SignOnTransitionSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        try:
            signon_act(
                request=signon,
                action=move.validated_data["action"],
                actor=request.user,
                message=move.validated_data.get("message", ""),
                status=move.validated_data.get("status") or None,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        except TransitionNotAllowedError:
            return self._conflict(signon, _not_allowed(move.validated_data["action"], signon.state))
        except StaleStateError as error:
            return self._conflict(signon, str(error))
        except SeparationOfDutiesError:
            raise  # a 403 that says why
        except PermissionDenied:
            raise Http404 from None
        return self._detail(signon)

    def _conflict(self, signon: SignOnRequest, detail: str) -> Response:
        signon.refresh_from_db(fields=["state"])
        actor = self.request.user
        proposer = signon_applicant_among(signon, actor)
        moves = [t.action for t in SIGNON_TRANSITIONS.available(signon.state, by=OCT, actor=actor, proposer=proposer)]
        return Response({"detail": detail, "available_actions": moves}, status=status.HTTP_409_CONFLICT)

    @extend_schema(
        request=SignOnAssignSerializer,
        responses={
            200: SignOnRequestDetailSerializer,
            400: OpenApiResponse(description="The handler is not an active OCT officer."),
            404: OpenApiResponse(description="No such request, or the caller is not OCT."),
        },
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        """Give the request to an OCT officer, or to nobody (``"handler": null``)."""
        signon = self.get_object()
        choice = SignOnAssignSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        try:
            signon_assign(request=signon, handler=choice.validated_data["handler"], actor=request.user)
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        except PermissionDenied:
            raise Http404 from None
        return self._detail(signon)


def _not_allowed(action_name: str, state: str) -> str:
    label = SIGNON_TRANSITIONS.get(action_name).label
    return _("“%(action)s” is not possible while the request is “%(state)s”.") % {
        "action": label,
        "state": SignOnRequest.State(state).label,
    }
