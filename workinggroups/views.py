"""Pages for working groups: the list, one group's mandate, roster and history, and its work
plans (read by everyone signed in, kept by the group's chair and vice-chairs and by OCT)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.core.selectors import audit_events_for
from compact.lib.forms import service_errors_on
from compact.registry.forms import OnDateForm
from compact.registry.models import Pillar
from workinggroups.forms import WorkPlanActivityForm, WorkPlanCreateForm, WorkPlanOutputForm, WorkPlanSummaryForm
from workinggroups.models import WorkingGroup, WorkPlan, WorkPlanActivity, WorkPlanOutput
from workinggroups.permissions import can_edit_work_plan, can_lead_group
from workinggroups.selectors import (
    GroupRoster,
    get_workinggroup_for_user_or_404,
    group_history,
    rosters_on,
    workinggroups_visible_to,
)
from workinggroups.workplans import (
    work_plan_activity_add,
    work_plan_activity_remove,
    work_plan_activity_update,
    work_plan_create,
    work_plan_output_add,
    work_plan_output_remove,
    work_plan_output_update,
    work_plan_update,
)


def _with_entity_links(rosters: list[GroupRoster]) -> list[GroupRoster]:
    """Each role's link to its entity's page as ``entity_url``, worked out once per entity: the
    same few entities chair many groups, and the list draws a card per group."""
    urls: dict[str, str] = {}
    for roster in rosters:
        for assignment in (*roster.chairs, *roster.vice_chairs, *roster.members):
            acronym = assignment.entity.acronym
            if acronym not in urls:
                urls[acronym] = reverse("entity-detail", args=[acronym])
            assignment.entity_url = urls[acronym]
    return rosters


# Live groups on one page of the list: every group of the Compact (about forty, and room for
# half as many again) fits, so the list is split only where a page of cards (the costliest part
# of the page) would take long to draw.
GROUPS_PER_PAGE = 60


@login_required
@require_GET
def workinggroup_list(request: HttpRequest) -> HttpResponse:
    """The groups as of a day (today by default, ``?on=`` for another): a reorganisation's old
    structure reads as it was on any day before it, the new one from its first day."""
    form = OnDateForm(request.GET or None)
    today = timezone.localdate()
    day = form.day() if "on" in request.GET else today
    groups = workinggroups_visible_to(request.user)
    # Each part of the page reads only its own groups: the live ones with their chairs and
    # vice-chairs (members are on each group's page), the coming and the retired ones. The
    # Compact has about forty groups, all on one page; only an unusually long list is split.
    page = Paginator(groups.active_on(day).order_by("number"), GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    active = _with_entity_links(rosters_on(page.object_list, on=day, with_members=False))
    upcoming = groups.filter(established_on__gt=day)
    retired = groups.filter(retired_on__lte=day).prefetch_related("successors")
    context = {
        "rosters": active,
        "page": page,
        "upcoming": upcoming,
        "retired": retired,
        "form": form,
        "day": day,
        "is_today": day == today,
    }
    return render(request, "workinggroups/list.html", context)


@login_required
@require_GET
def workinggroup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_workinggroup_for_user_or_404(request.user, pk)
    form = OnDateForm(request.GET or None)
    day = form.day() if request.GET else timezone.localdate()
    roster = _with_entity_links(rosters_on(type(group).objects.filter(pk=group.pk), on=day))[0]
    context = {
        "group": group,
        "roster": roster,
        "form": form,
        "day": day,
        "history": group_history(group),
        "merged_from": group.merged_from.all() | group.predecessors.all(),
        "successors": group.successors.all(),
        "can_lead": can_lead_group(request.user, group),
        "work_plans": group.work_plans.order_by("-biennium_start"),
        "can_edit_work_plans": can_edit_work_plan(request.user, group),
    }
    return render(request, "workinggroups/detail.html", context)


# --- Work plans ---------------------------------------------------------------------------------
# Edit pages answer 404 to anyone who may not edit, as they do for a plan that does not exist.


def _editable_group_or_404(request: HttpRequest, pk: int) -> WorkingGroup:
    group = get_workinggroup_for_user_or_404(request.user, pk)
    if not can_edit_work_plan(request.user, group):
        raise Http404("No such work plan.")
    return group


def _plan_or_404(request: HttpRequest, pk: int, year: int, *, edit: bool = False) -> WorkPlan:
    """The group's plan for the biennium starting in ``year``; with ``edit``, only for its editors."""
    group = _editable_group_or_404(request, pk) if edit else get_workinggroup_for_user_or_404(request.user, pk)
    plan = get_object_or_404(WorkPlan, working_group=group, biennium_start=year)
    plan.working_group = group
    return plan


def _output_or_404(plan: WorkPlan, output_pk: int) -> WorkPlanOutput:
    output = get_object_or_404(WorkPlanOutput, work_plan=plan, pk=output_pk)
    output.work_plan = plan
    return output


def _activity_or_404(plan: WorkPlan, activity_pk: int) -> WorkPlanActivity:
    activity = get_object_or_404(
        WorkPlanActivity.objects.select_related("output"), output__work_plan=plan, pk=activity_pk
    )
    activity.output.work_plan = plan
    return activity


def _plan_url(plan: WorkPlan, anchor: str = "") -> str:
    url = reverse("workplan-detail", args=[plan.working_group_id, plan.biennium_start])
    return f"{url}#{anchor}" if anchor else url


def _form_page(
    request: HttpRequest, form: Form, save: Callable[[dict[str, Any]], str], context: dict[str, Any]
) -> HttpResponse:
    """On a valid POST, ``save`` calls one service and returns where to go next; a refusal
    shows next to its fields with what was typed kept (the service saved nothing)."""
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form):
            target = save(form.cleaned_data)
            return redirect(target)
    return render(request, "workinggroups/work_plan_form.html", {"form": form, **context})


def _outputs_for_page(plan: WorkPlan) -> list[WorkPlanOutput]:
    activities = WorkPlanActivity.objects.prefetch_related("lead_entities").order_by("position", "id")
    outputs = list(plan.outputs.order_by("position", "id").prefetch_related(Prefetch("activities", activities)))
    labels = dict(Pillar.choices)
    for output in outputs:
        for activity in output.activities.all():
            activity.pillar_labels = [(pillar, labels.get(pillar, pillar)) for pillar in activity.pillars]
    return outputs


@login_required
@require_GET
def work_plan_detail(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    plan = _plan_or_404(request, pk, year)
    context = {
        "plan": plan,
        "group": plan.working_group,
        "outputs": _outputs_for_page(plan),
        "can_edit": can_edit_work_plan(request.user, plan.working_group),
        "events": audit_events_for(plan, request.user)[:20],
    }
    return render(request, "workinggroups/work_plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def work_plan_create_page(request: HttpRequest, pk: int) -> HttpResponse:
    group = _editable_group_or_404(request, pk)

    def save(data: dict[str, Any]) -> str:
        plan = work_plan_create(group=group, actor=request.user, **data)
        messages.success(request, _("The %(biennium)s work plan was started.") % {"biennium": plan.biennium_label})
        return _plan_url(plan)

    context = {
        "group": group,
        "heading": _("Start a work plan"),
        "submit_label": _("Start the work plan"),
        "cancel_url": reverse("workinggroup-detail", args=[group.pk]),
    }
    return _form_page(request, WorkPlanCreateForm(request.POST or None), save, context)


@login_required
@require_http_methods(["GET", "POST"])
def work_plan_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    plan = _plan_or_404(request, pk, year, edit=True)

    def save(data: dict[str, Any]) -> str:
        if work_plan_update(plan=plan, summary=data["summary"], actor=request.user):
            messages.success(request, _("The summary was saved."))
        return _plan_url(plan)

    context = {"group": plan.working_group, "plan": plan, "heading": _("Edit the summary")}
    form = WorkPlanSummaryForm(request.POST or None, plan=plan)
    return _form_page(request, form, save, {**context, "cancel_url": _plan_url(plan)})


@login_required
@require_http_methods(["GET", "POST"])
def work_plan_output_add_page(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    plan = _plan_or_404(request, pk, year, edit=True)

    def save(data: dict[str, Any]) -> str:
        output = work_plan_output_add(plan=plan, title=data["title"], actor=request.user)
        messages.success(request, _("The output was added."))
        return _plan_url(plan, f"output-{output.pk}")

    context = {"group": plan.working_group, "plan": plan, "heading": _("Add an output")}
    form = WorkPlanOutputForm(request.POST or None)
    return _form_page(request, form, save, {**context, "cancel_url": _plan_url(plan)})


def _output_remove_question(output: WorkPlanOutput) -> str:
    """The question asked before an output is removed, with how many activities go with it."""
    count = output.activities.count()
    return ngettext(
        "Remove this output? Its %(count)d activity is removed with it. Reports already written keep it as it was.",
        "Remove this output? Its %(count)d activities are removed with it. "
        "Reports already written keep them as they were.",
        count,
    ) % {"count": count}


@login_required
@require_http_methods(["GET", "POST"])
def work_plan_output_edit(request: HttpRequest, pk: int, year: int, output_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk, year, edit=True)
    output = _output_or_404(plan, output_pk)

    def save(data: dict[str, Any]) -> str:
        if work_plan_output_update(output=output, title=data["title"], actor=request.user):
            messages.success(request, _("The output was saved."))
        return _plan_url(plan, f"output-{output.pk}")

    context = {
        "group": plan.working_group,
        "plan": plan,
        "heading": _("Edit an output"),
        "cancel_url": _plan_url(plan, f"output-{output.pk}"),
        "remove_url": reverse("workplan-output-remove", args=[pk, year, output.pk]),
        "remove_label": _("Remove this output"),
        "remove_warning": _("Its activities are removed with it. Reports already written keep them as they were."),
        "remove_confirm": _output_remove_question(output),
    }
    return _form_page(request, WorkPlanOutputForm(request.POST or None, output=output), save, context)


@login_required
@require_POST
def work_plan_output_remove_page(request: HttpRequest, pk: int, year: int, output_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk, year, edit=True)
    output = _output_or_404(plan, output_pk)
    work_plan_output_remove(output=output, actor=request.user)
    messages.success(request, _("The output “%(title)s” was removed.") % {"title": output.title})
    return redirect(_plan_url(plan))


def _activity_save(request: HttpRequest, plan: WorkPlan, data: dict[str, Any], **target: Any) -> str:
    """Add an activity to ``target['output']`` or update ``target['activity']``."""
    if "activity" in target:
        work_plan_activity_update(actor=request.user, **target, **data)
        messages.success(request, _("The activity was saved."))
        output_pk = target["activity"].output_id
    else:
        work_plan_activity_add(actor=request.user, **target, **data)
        messages.success(request, _("The activity was added."))
        output_pk = target["output"].pk
    return _plan_url(plan, f"output-{output_pk}")


@login_required
@require_http_methods(["GET", "POST"])
def work_plan_activity_add_page(request: HttpRequest, pk: int, year: int, output_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk, year, edit=True)
    output = _output_or_404(plan, output_pk)
    context = {
        "group": plan.working_group,
        "plan": plan,
        "output": output,
        "heading": _("Add an activity"),
        "cancel_url": _plan_url(plan, f"output-{output.pk}"),
    }
    form = WorkPlanActivityForm(request.POST or None, plan=plan)
    return _form_page(request, form, lambda data: _activity_save(request, plan, data, output=output), context)


@login_required
@require_http_methods(["GET", "POST"])
def work_plan_activity_edit(request: HttpRequest, pk: int, year: int, activity_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk, year, edit=True)
    activity = _activity_or_404(plan, activity_pk)
    context = {
        "group": plan.working_group,
        "plan": plan,
        "output": activity.output,
        "heading": _("Edit an activity"),
        "cancel_url": _plan_url(plan, f"output-{activity.output_id}"),
        "remove_url": reverse("workplan-activity-remove", args=[pk, year, activity.pk]),
        "remove_label": _("Remove this activity"),
        "remove_warning": _("Reports already written keep it as it was."),
        "remove_confirm": _("Remove this activity? Reports already written keep it as it was."),
    }
    form = WorkPlanActivityForm(request.POST or None, plan=plan, activity=activity)
    return _form_page(request, form, lambda data: _activity_save(request, plan, data, activity=activity), context)


@login_required
@require_POST
def work_plan_activity_remove_page(request: HttpRequest, pk: int, year: int, activity_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk, year, edit=True)
    activity = _activity_or_404(plan, activity_pk)
    work_plan_activity_remove(activity=activity, actor=request.user)
    messages.success(request, _("The activity “%(title)s” was removed.") % {"title": activity.title})
    return redirect(_plan_url(plan, f"output-{activity.output_id}"))
