"""OCT's themes page: every project with the working groups the rules suggest and why, to
confirm many at once or change one (``compact.matrix.themes``). OCT only; others get 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from compact.lib.forms import form_add_service_errors
from compact.matrix.forms import ThemeChangeForm, ThemeConfirmForm, ThemeFilterForm
from compact.matrix.models import Project, ThemeSuggestion
from compact.matrix.permissions import can_manage_matrix
from compact.matrix.selectors import get_project_for_user_or_404, projects_visible_to
from compact.matrix.theme_reasons import shown_stored
from compact.matrix.themes import project_themes_confirm, projects_with_confirmed_theme, projects_with_suggested_theme

PAGE_SIZE = 50


def _themed(projects: QuerySet[Project]) -> QuerySet[Project]:
    suggestions = ThemeSuggestion.objects.select_related("working_group")
    return projects.select_related("lead_entity", "themes_confirmed_by").prefetch_related(
        "themes", Prefetch("theme_suggestions", queryset=suggestions)
    )


def _filtered(user: Any, filters: dict[str, Any]) -> QuerySet[Project]:
    projects = projects_visible_to(user)
    if filters["state"] == "unconfirmed":
        projects = projects.filter(themes_confirmed_at__isnull=True)
    elif filters["state"] == "confirmed":
        projects = projects.filter(themes_confirmed_at__isnull=False)
    if filters["pillar"]:
        projects = projects.filter(pillar_rows__pillar=filters["pillar"])
    if filters["suggested"] is not None:
        projects = projects.filter(theme_suggestions__working_group=filters["suggested"])
    return projects.distinct().order_by("source_key", "title", "id")


def _rows(projects: list[Project]) -> list[dict[str, Any]]:
    return [
        {
            "project": project,
            "suggestions": shown_stored(list(project.theme_suggestions.all())),
            "themes": list(project.themes.all()),
        }
        for project in projects
    ]


@login_required
@require_http_methods(["GET"])
def project_themes(request: HttpRequest) -> HttpResponse:
    """The projects with their suggested and confirmed themes, 50 to a page."""
    if not can_manage_matrix(request.user):
        raise Http404
    form = ThemeFilterForm(request.GET)
    projects = _filtered(request.user, form.values())
    page = Paginator(_themed(projects), PAGE_SIZE).get_page(request.GET.get("page"))
    visible = projects_visible_to(request.user)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(list(page.object_list)),
        "total": visible.count(),
        "suggested": projects_with_suggested_theme(visible)[0],
        "confirmed": projects_with_confirmed_theme(visible)[0],
        "back": request.get_full_path(),
    }
    return render(request, "compact/matrix/themes.html", context)


def _back(request: HttpRequest, back: str) -> HttpResponse:
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("project-themes")


@login_required
@require_POST
def project_themes_confirm_view(request: HttpRequest) -> HttpResponse:
    """Confirm the shown themes of the ticked projects (their own, or else the suggested)."""
    if not can_manage_matrix(request.user):
        raise Http404
    form = ThemeConfirmForm(request.POST, projects=projects_visible_to(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, request.POST.get("back", ""))
    try:
        count = project_themes_confirm(projects=form.cleaned_data["projects"], actor=request.user)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(
        request,
        ngettext(
            "The themes of %(count)s project were confirmed.", "The themes of %(count)s projects were confirmed.", count
        )
        % {"count": count},
    )
    return _back(request, form.cleaned_data["back"])


@login_required
@require_http_methods(["GET", "POST"])
def project_themes_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one project's themes: OCT ticks the working groups, which are then confirmed."""
    if not can_manage_matrix(request.user):
        raise Http404
    project = get_project_for_user_or_404(request.user, pk)
    project = _themed(Project.objects.filter(pk=project.pk)).get()
    chosen = [g.pk for g in project.themes.all()] or [s.working_group_id for s in project.theme_suggestions.all()]
    form = ThemeChangeForm(request.POST if request.method == "POST" else None, initial={"working_groups": chosen})
    if request.method == "POST" and form.is_valid():
        try:
            project_themes_confirm(
                projects=[project], actor=request.user, working_groups=form.cleaned_data["working_groups"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The project's themes were confirmed."))
            return redirect("project-themes")
    context = {"project": project, "form": form, "suggestions": shown_stored(list(project.theme_suggestions.all()))}
    return render(request, "compact/matrix/theme_change.html", context, status=400 if form.errors else 200)
