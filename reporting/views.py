"""Reporting pages (filled in by the reporting pages work)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reporting.selectors import get_submission_for_user_or_404


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for_user_or_404(request.user, pk)
    return render(request, "reporting/submission_detail.html", {"submission": submission})
