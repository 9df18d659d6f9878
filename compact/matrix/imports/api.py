"""The matrix import API (OCT): preview a file, commit it, list past imports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.api.fields import ModelSerializer
from compact.matrix.api import CanManageMatrix
from compact.matrix.imports.files import MAX_BYTES, MatrixPreview, matrix_file_check
from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview
from compact.matrix.models import MatrixImport
from compact.registry.serializers import service_error_detail

IMPORT_ACTIONS = ["create", "update", "unchanged", "error"]
OCT_ONLY = OpenApiResponse(description="The caller is not the OCT secretariat.")
REFUSED_FILE = (
    "No file, or a file refused unread, with the reason on `file`: over 5 MB, a zip or XML bomb, "
    "or a workbook beyond 50,000 rows or 100 columns."
)


# --- Imports (OCT) ------------------------------------------------------------------------------


class MatrixImportSerializer(ModelSerializer):
    imported_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = MatrixImport
        fields = [
            "id",
            "file_name",
            "sha256",
            "file_format",
            "imported_by",
            "imported_at",
            "created",
            "updated",
            "unchanged",
            "warnings",
        ]
        read_only_fields = fields


class MatrixUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,
        help_text="The matrix as text (the report's format), or the CSV or XLSX template; at most 5 MB.",
    )

    def validate_file(self, upload: Any) -> Any:
        # Refused before it is read into memory, in the service's words.
        if upload.size > MAX_BYTES:
            raise serializers.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)}
            )
        # A zip or XML bomb, or a workbook beyond the rows and columns read: a 400 on "file".
        upload.seek(0)
        try:
            matrix_file_check(data=upload.read())
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["file"]) from error
        return upload

    def file_bytes(self) -> bytes:
        upload = self.validated_data["file"]
        upload.seek(0)
        return upload.read()


class MatrixCommitSerializer(MatrixUploadSerializer):
    sha256 = serializers.RegexField(r"^[0-9a-f]{64}$", help_text="The sha256 the preview gave for this file.")


class PreviewRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    line = serializers.IntegerField(help_text="Where the row starts in the file.")
    title = serializers.CharField()
    action = serializers.ChoiceField(choices=IMPORT_ACTIONS, help_text="What the commit would do with the row.")
    parsed = serializers.SerializerMethodField(help_text="The parsed fields, as people read them.")
    countries = serializers.ListField(child=serializers.CharField())
    regions = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    errors = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_parsed(self, row: Any) -> dict[str, str]:
        return {str(label): value for label, value in row.summary.items()}


class MatrixPreviewSerializer(serializers.Serializer):
    file_name = serializers.CharField()
    sha256 = serializers.CharField(help_text="Send it back with the same file to commit.")
    file_format = serializers.CharField(help_text="report, csv or xlsx (empty when the file cannot be read).")
    ok = serializers.BooleanField(help_text="Whether the file can be committed.")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Rows per action.")
    errors = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    declared = serializers.DictField(
        child=serializers.IntegerField(), help_text="Rows per pillar the report's headings declare."
    )
    found = serializers.DictField(child=serializers.IntegerField(), help_text="Rows per pillar found.")
    rows = PreviewRowSerializer(many=True)


@extend_schema_view(
    list=extend_schema(description="Committed imports, latest first. OCT only."),
    retrieve=extend_schema(description="One committed import with its warnings. OCT only."),
)
class MatrixImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Imports of the matrix: a dry run (preview) of a file, then its commit in one
    transaction. Re-importing the same file changes nothing. The OCT secretariat only."""

    serializer_class = MatrixImportSerializer
    permission_classes = [CanManageMatrix]
    filter_backends: list[type] = []
    parser_classes = [MultiPartParser, FormParser]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[MatrixImport]:
        return MatrixImport.objects.select_related("imported_by")

    @extend_schema(
        request={"multipart/form-data": MatrixUploadSerializer},
        responses={200: MatrixPreviewSerializer, 400: OpenApiResponse(description=REFUSED_FILE), 403: OCT_ONLY},
    )
    @action(detail=False, methods=["post"], serializer_class=MatrixUploadSerializer)
    def preview(self, request: Request) -> Response:
        """Every row as the file would be imported, with warnings and errors; writes nothing.
        A file that cannot be read (empty, binary, wrong encoding) has ``ok: false`` and says
        why in ``errors``; one refused unread (too big, a zip or XML bomb, a workbook beyond
        50,000 rows or 100 columns) is a 400 on ``file``."""
        upload = MatrixUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        preview = matrix_import_preview(
            data=upload.file_bytes(), file_name=upload.validated_data["file"].name, actor=request.user
        )
        return Response(MatrixPreviewSerializer(_preview(preview)).data)

    @extend_schema(
        request={"multipart/form-data": MatrixCommitSerializer},
        responses={
            201: MatrixImportSerializer,
            400: OpenApiResponse(description="The file has errors, or is not the one previewed."),
            403: OCT_ONLY,
        },
    )
    @action(detail=False, methods=["post"], serializer_class=MatrixCommitSerializer)
    def commit(self, request: Request) -> Response:
        """Import the previewed file (send it again with its ``sha256``): all rows or none."""
        upload = MatrixCommitSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            batch = matrix_import_commit(
                data=upload.file_bytes(),
                file_name=upload.validated_data["file"].name,
                sha256=upload.validated_data["sha256"],
                actor=request.user,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error) or None) from error
        return Response(MatrixImportSerializer(batch).data, status=status.HTTP_201_CREATED)


def _preview(preview: MatrixPreview) -> dict[str, Any]:
    return {
        "file_name": preview.file_name,
        "sha256": preview.sha256,
        "file_format": preview.file_format,
        "ok": preview.ok,
        "counts": preview.counts,
        "errors": preview.errors,
        "warnings": preview.warnings,
        "declared": preview.declared,
        "found": preview.found,
        "rows": preview.rows,
    }
