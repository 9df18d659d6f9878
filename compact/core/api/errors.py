"""How the API answers a service's refusal, in one place: its field errors become DRF's 400
(``service_error_detail``), and its PermissionDenied a 404 where the pages answer 404 (the
caller may not know the object exists) or a 403 where the caller may read the object."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.settings import api_settings

FIELD_ERRORS = OpenApiResponse(description="Field errors, each under its field (or ``non_field_errors``).")


def service_error_detail(error: DjangoValidationError) -> dict[str, Any]:
    """A service's (or form's) Django ValidationError as DRF's ``{field: [errors]}``, with
    errors that belong to no field under DRF's ``non_field_errors``."""
    detail = serializers.as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


def service_call(call: Callable[[], Any], *, refusal: Literal[403, 404] = 404) -> Any:
    """Run one service: its field errors become a 400; its refusal a 404 (as on the pages, for
    an object the caller is not to know of) or, with ``refusal=403``, a 403 with its reason."""
    try:
        return call()
    except DjangoValidationError as error:
        raise serializers.ValidationError(service_error_detail(error)) from error
    except DjangoPermissionDenied as error:
        if refusal == 403:
            raise PermissionDenied(str(error) or None) from error
        raise Http404 from None
