"""Pages for working groups: the list and one group's mandate, roster and history."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from compact.forms import OnDateForm
from workinggroups.permissions import can_lead_group
from workinggroups.selectors import (
    get_workinggroup_for_user_or_404,
    group_history,
    rosters_on,
    workinggroups_visible_to,
)


@login_required
@require_GET
def workinggroup_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    groups = workinggroups_visible_to(request.user)
    active = rosters_on(groups.active_on(today), on=today)
    upcoming = [group for group in groups if group.established_on and group.established_on > today]
    retired = [group for group in groups if group.retired_on and group.retired_on <= today]
    context = {"rosters": active, "upcoming": upcoming, "retired": retired}
    return render(request, "workinggroups/list.html", context)


@login_required
@require_GET
def workinggroup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_workinggroup_for_user_or_404(request.user, pk)
    form = OnDateForm(request.GET or None)
    day = form.day() if request.GET else timezone.localdate()
    roster = rosters_on(type(group).objects.filter(pk=group.pk), on=day)[0]
    context = {
        "group": group,
        "roster": roster,
        "form": form,
        "day": day,
        "history": group_history(group),
        "merged_from": group.merged_from.all(),
        "can_lead": can_lead_group(request.user, group),
    }
    return render(request, "workinggroups/detail.html", context)
