"""The API's page numbers: a whole number from 1, within the database's range for integers."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from rest_framework import exceptions, pagination
from rest_framework.request import Request

from compact.core.api.fields import IntegerField


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers. A ``page`` that is not a whole number from 1 (or ``last``) is a 400
    naming it, in the words of any integer field; a page past the last one stays a 404."""

    def page_field(self) -> IntegerField:
        return IntegerField(min_value=1)

    def get_page_number(self, request: Request, paginator: Paginator) -> Any:
        number = super().get_page_number(request, paginator)
        try:
            return self.page_field().run_validation(str(number))
        except exceptions.ValidationError as error:
            raise exceptions.ValidationError({self.page_query_param: error.detail}) from error

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        field = self.page_field()
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": field.min_value, "maximum": field.max_value}
        return parameters
