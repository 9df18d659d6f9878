"""OCT's data-quality page of the matrix: each figure, the rows behind it, and the one-step
mapping of a name that stayed unlinked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from compact.matrix.imports.mentions import mention_map
from compact.matrix.models import Project
from compact.matrix.permissions import can_manage_matrix
from compact.matrix.quality import quality_figures
from compact.matrix.selectors import projects_visible_to
from compact.registry.models import Entity, Organization

NOT_AN_ENTITY = "none"


class MentionMapForm(forms.Form):
    """One name and what it is: "entity:<id>", "organization:<id>" or "none"."""

    name = forms.CharField(max_length=255, widget=forms.HiddenInput)
    target = forms.CharField(label=gettext_lazy("Map to"), max_length=40)

    def clean_target(self) -> dict:
        """The ``mention_map`` keyword for the chosen target."""
        value = self.cleaned_data["target"]
        if value == NOT_AN_ENTITY:
            return {"not_an_entity": True}
        kind, _sep, pk = value.partition(":")
        models = {"entity": Entity, "organization": Organization}
        chosen = models[kind].objects.filter(pk=int(pk)).first() if kind in models and pk.isdigit() else None
        if chosen is None:
            raise ValidationError(_("Choose an entity, an organization or “not an entity”."))
        return {kind: chosen}


GAP_PROJECTS_SHOWN = 10


def _name_projects(gaps: list[dict[str, Any]]) -> None:
    """Each gap's projects as people find them in the report: the serial ("II:26") and the
    title, in one query for the page."""
    ids = {pk for gap in gaps for pk in gap["projects"]}
    named = {row["pk"]: row for row in Project.objects.filter(pk__in=ids).values("pk", "source_key", "title")}
    for gap in gaps:
        gap["projects"] = [named[pk] for pk in gap["projects"] if pk in named]


@login_required
@require_GET
def matrix_quality_page(request: HttpRequest) -> HttpResponse:
    """The figures; ``?show=<figure>`` lists the rows behind one of them."""
    if not can_manage_matrix(request.user):
        raise Http404
    figures = quality_figures()
    shown = next((figure for figure in figures if figure.key == request.GET.get("show")), None)
    visible = set(projects_visible_to(request.user).values_list("pk", flat=True)) if shown else set()
    # Only what the reader's clearance reaches: a name found only in a project classified
    # above it is not shown (the figures themselves are counts).
    gaps = []
    for what, _count, ids in shown.gaps if shown else []:
        readable = [pk for pk in ids if pk in visible]
        if readable:
            gaps.append({"what": what, "count": len(readable), "projects": readable[:GAP_PROJECTS_SHOWN]})
    _name_projects(gaps)
    context = {
        "figures": figures,
        "shown": shown,
        "gaps": gaps,
        "can_map": shown is not None and shown.key == "mentions",
        "entities": Entity.objects.order_by("acronym"),
        "organizations": Organization.objects.order_by("acronym"),
    }
    return render(request, "compact/matrix/quality.html", context)


@login_required
@require_POST
def matrix_mention_map(request: HttpRequest) -> HttpResponse:
    """OCT maps one unlinked name (saved as an alias, so the next import resolves it)."""
    if not can_manage_matrix(request.user):
        raise Http404
    back = reverse("matrix-quality") + "?show=mentions"
    form = MentionMapForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what the name is, then map it."))
        return redirect(back)
    try:
        mention_map(name=form.cleaned_data["name"], actor=request.user, **form.cleaned_data["target"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("“%(name)s” was mapped.") % {"name": form.cleaned_data["name"]})
    return redirect(back)
