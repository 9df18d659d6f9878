"""Importing the project matrix (OCT): upload, the dry run row by row, commit, the template."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.lib.forms import form_add_service_errors
from compact.matrix.forms import (
    MatrixCommitForm,
    MatrixUploadForm,
)
from compact.matrix.imports.files import MATRIX_TEMPLATE_COLUMNS, MAX_BYTES, matrix_file_check
from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview, matrix_template_csv
from compact.matrix.models import MatrixImport
from compact.matrix.permissions import can_manage_matrix
from compact.matrix.reconciliation import reconciliation_rows

PAGE_SIZE = 50
CHART_COUNTRIES = 25
STAGED_FOR = datetime.timedelta(days=1)
LIST_JOIN = "; "


# --- Imports (OCT) --------------------------------------------------------------------------
# Between the preview and the commit the uploaded bytes wait in the file storage (local disk,
# or the object storage every web machine shares: the commit may reach another machine than the
# preview did), named by their SHA-256 (a session is too small for them, and uploading twice
# invites a different file).

STAGING_DIR = "staging/matrix-imports"


def _staged_name(sha256: str) -> str:
    return f"{STAGING_DIR}/{sha256}.upload"


def _stage(data: bytes, sha256: str) -> None:
    _purge_stale_uploads()
    name = _staged_name(sha256)
    if not default_storage.exists(name):  # the same name holds the same bytes
        default_storage.save(name, ContentFile(data))


def _staged(sha256: str) -> bytes | None:
    name = _staged_name(sha256)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as staged:
        return staged.read()


def _unstage(sha256: str) -> None:
    default_storage.delete(_staged_name(sha256))


def _purge_stale_uploads() -> None:
    """Uploads previewed but never committed are dropped after a day."""
    oldest = timezone.now() - STAGED_FOR
    try:
        _folders, names = default_storage.listdir(STAGING_DIR)
    except FileNotFoundError:  # nothing staged yet (local disk: no folder)
        return
    for name in names:
        staged = f"{STAGING_DIR}/{name}"
        if name.endswith(".upload") and default_storage.get_modified_time(staged) < oldest:
            default_storage.delete(staged)


def _read_upload(upload: UploadedFile) -> bytes:
    upload.seek(0)
    return upload.read()


def _import_page(request: HttpRequest, form: MatrixUploadForm, *, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "columns": MATRIX_TEMPLATE_COLUMNS,
        "max_size": MAX_BYTES,
        "imports": MatrixImport.objects.select_related("imported_by")[:10],
    }
    return render(request, "compact/matrix/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def matrix_import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a matrix file and see the dry run: every row, what it would do, its warnings."""
    if not can_manage_matrix(request.user):
        raise Http404
    if request.method == "GET":
        return _import_page(request, MatrixUploadForm())
    form = MatrixUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:
        # Not read into memory to be refused: the service's limit, checked on the size.
        form.add_error(
            "file",
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)},
        )
        return _import_page(request, form, status=400)
    data, file_name = _read_upload(upload), Path(upload.name or "matrix").name[:255]
    try:
        matrix_file_check(data=data)  # a zip or XML bomb is refused here, before anything parses it
    except ValidationError as error:
        form_add_service_errors(form, error)
        return _import_page(request, form, status=400)
    preview = matrix_import_preview(data=data, file_name=file_name, actor=request.user)
    commit_form = None
    if preview.ok:
        _stage(data, preview.sha256)
        commit_form = MatrixCommitForm(initial={"sha256": preview.sha256, "file_name": file_name})
    context = {
        "preview": preview,
        "reconciliation": reconciliation_rows(preview.reconciliation),
        "commit_form": commit_form,
        "form": MatrixUploadForm(),
    }
    return render(request, "compact/matrix/import_preview.html", context, status=200 if preview.ok else 400)


@login_required
@require_POST
def matrix_import_confirm(request: HttpRequest) -> HttpResponse:
    """Commit the previewed file, kept on the server since the preview, in one transaction."""
    if not can_manage_matrix(request.user):
        raise Http404
    form = MatrixCommitForm(request.POST)
    data = _staged(form.cleaned_data["sha256"]) if form.is_valid() else None
    if data is None:
        messages.error(request, _("The previewed file is no longer on the server; upload it again."))
        return redirect("matrix-import")
    sha256, file_name = form.cleaned_data["sha256"], form.cleaned_data["file_name"]
    try:
        batch = matrix_import_commit(data=data, file_name=file_name, sha256=sha256, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("matrix-import")
    _unstage(sha256)
    messages.success(
        request,
        _("%(file)s was imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {"file": file_name, "created": batch.created, "updated": batch.updated, "unchanged": batch.unchanged},
    )
    return redirect("matrix-import")


@login_required
@require_GET
def matrix_import_template(request: HttpRequest) -> HttpResponse:
    """The CSV template, with its header and an example row."""
    if not can_manage_matrix(request.user):
        raise Http404
    response = HttpResponse("\ufeff" + matrix_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="matrix-template.csv"'
    return response
