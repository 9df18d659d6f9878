"""The matrix as an IATI activity file (docs/iati.md): a page that says what a filter of the
matrix gives — how many projects go in the file, how many are left out and why — and the file.

Both take the browse page's filters, like the other exports. The file holds unclassified
projects only, whoever asks (``compact.matrix.iati``); a reader only ever counts the projects
their clearance lets them read.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from compact.matrix.forms import ProjectFilterForm
from compact.matrix.iati import IatiNotConfiguredError, iati_document, iati_plan, iati_reporting_org, iati_response
from compact.matrix.selectors import projects_filtered
from compact.matrix.views import filter_context_of  # shared with the list, the pivots and the map

NOT_CONFIGURED = gettext_lazy(
    "IATI publishing is not set up on this site: the administrator sets IATI_REPORTING_ORG_REF to the "
    "secretariat's IATI organisation identifier."
)


def iati_file_name() -> str:
    return f"projects-iati-{timezone.localdate():%Y-%m-%d}.xml"


@login_required
@require_GET
def project_iati(request: HttpRequest) -> HttpResponse:
    """What the IATI file of the current filters holds, with the link to download it."""
    form = ProjectFilterForm(request.GET)
    plan = iati_plan(projects_filtered(request.user, **form.filters()))
    try:
        reporting_ref, reporting_name = iati_reporting_org()
    except IatiNotConfiguredError:
        reporting_ref = reporting_name = ""
    context = {
        "form": form,
        "plan": plan,
        "reporting_ref": reporting_ref,
        "reporting_name": reporting_name,
        "not_configured": NOT_CONFIGURED if not reporting_ref else "",
        **filter_context_of(request, form),
    }
    return render(request, "compact/matrix/iati.html", context)


@login_required
@require_GET
def project_iati_download(request: HttpRequest) -> HttpResponse:
    """The IATI file of the current filters; back to the page with the reason when there is none."""
    form = ProjectFilterForm(request.GET)
    plan = iati_plan(projects_filtered(request.user, **form.filters()))
    back = reverse("project-iati") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if not plan.count:
        messages.error(request, _("No project of this selection can be published to IATI: see why below."))
        return redirect(back)
    try:
        document = iati_document(plan)
    except IatiNotConfiguredError:
        messages.error(request, NOT_CONFIGURED)
        return redirect(back)
    return iati_response(document, file_name=iati_file_name())
