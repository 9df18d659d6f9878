"""Reads of reorganisations, scoped to the asking user, and the plan of one: what its
adoption will do, worked out from the mapping and today's data. The preview shows the plan; the
adoption applies the same plan (``services.reorganisation_adopt``), so what OCT previewed is
what happens."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from compact.core.permissions import readable_levels
from compact.matrix.models import Project
from reporting.committee.models import Decision
from reporting.programme.models import Indicator, Priority, ProgrammeOfWork
from reporting.programme.selectors import decisions_for_adoption
from reporting.reorganisation.models import (
    Reorganisation,
    ReorganisationEffect,
    ReorganisationMapping,
    ReorganisationTarget,
)
from reporting.reorganisation.permissions import (
    can_read_reorganisation_drafts,
    can_read_reorganisations,
)
from reporting.submissions.models import ReportingPeriod, Submission
from workinggroups.models import RoleAssignment, WorkingGroup, WorkPlan, WorkPlanActivity, WorkPlanOutput

AnyUser = AbstractBaseUser | AnonymousUser
Kind = ReorganisationEffect.Kind
# Activities that are still to be delivered travel with their output; the others are history.
OPEN_ACTIVITY_STATES = (
    WorkPlanActivity.Status.PLANNED,
    WorkPlanActivity.Status.ONGOING,
    WorkPlanActivity.Status.DELAYED,
)


def reorganisations_visible_to(user: AnyUser) -> QuerySet[Reorganisation]:
    if not can_read_reorganisations(user):
        return Reorganisation.objects.none()
    rows = Reorganisation.objects.select_related("decision__meeting")
    if not can_read_reorganisation_drafts(user):
        rows = rows.filter(state=Reorganisation.State.ADOPTED)
    return rows.order_by("-effective_on", "-pk")


def get_reorganisation_for_user_or_404(user: AnyUser, pk: int) -> Reorganisation:
    """One reorganisation; the same 404 whether it is missing or hidden from ``user``."""
    reorganisation = reorganisations_visible_to(user).filter(pk=pk).first()
    if reorganisation is None:
        raise Http404("No such reorganisation.")
    return reorganisation


def effects_visible_to(user: AnyUser, reorganisation: Reorganisation) -> QuerySet[ReorganisationEffect]:
    """What the adoption did, the rows within ``user``'s clearance."""
    levels = readable_levels(user)
    # The marking stored at adoption, and the one the project or input has now (it may have
    # been raised since): a row naming it is shown only within both.
    return (
        reorganisation.effects.filter(classification__in=levels)
        .filter(Q(project__isnull=True) | Q(project__classification__in=levels))
        .filter(Q(submission__isnull=True) | Q(submission__classification__in=levels))
        .select_related("source", "target", "submission__period", "project")
    )


def decisions_for_reorganisation() -> QuerySet[Decision]:
    """Decisions of held meetings that adopted nothing yet (no programme version, no
    reorganisation), latest meeting first."""
    return decisions_for_adoption().filter(reorganisation__isnull=True)


def groups_to_map(reorganisation: Reorganisation) -> QuerySet[WorkingGroup]:
    """The groups of the old structure: live on the day before the new one, not yet due to end."""
    eve = reorganisation.effective_on - datetime.timedelta(days=1)
    return WorkingGroup.objects.active_on(eve).filter(retired_on__isnull=True).order_by("number")


def groups_to_continue(reorganisation: Reorganisation) -> QuerySet[WorkingGroup]:
    """The groups that may carry on into the new structure: those live on its first day."""
    return (
        WorkingGroup.objects.active_on(reorganisation.effective_on).filter(retired_on__isnull=True).order_by("number")
    )


# --- The plan ---------------------------------------------------------------------------------------


@dataclass
class PlannedEffect:
    """One thing the adoption will do. ``target`` is the group of the new structure it concerns;
    the rest is what the service needs to do it."""

    kind: str
    subject: str
    source: WorkingGroup | None = None
    target: ReorganisationTarget | None = None
    mapping: ReorganisationMapping | None = None
    assignment: RoleAssignment | None = None
    output: WorkPlanOutput | None = None
    activities: list[WorkPlanActivity] = field(default_factory=list)
    project: Project | None = None
    submission: Submission | None = None
    classification: str = "unclassified"
    note: str = ""

    @property
    def kind_label(self) -> str:
        return str(dict(Kind.choices)[self.kind])

    @property
    def role(self) -> str:
        return self.assignment.role if self.assignment is not None else ""

    @property
    def role_label(self) -> str:
        return self.assignment.get_role_display() if self.assignment is not None else ""


@dataclass
class Plan:
    reorganisation: Reorganisation
    targets: list[ReorganisationTarget]
    mappings: list[ReorganisationMapping]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    effects: list[PlannedEffect] = field(default_factory=list)

    @property
    def adoptable(self) -> bool:
        return not self.problems

    def counts(self, effects: list[PlannedEffect] | None = None) -> list[tuple[str, int]]:
        """How many effects of each kind (of ``effects``, by default all), in the order of the
        kinds (the preview's summary)."""
        labels = dict(Kind.choices)
        found = [effect.kind for effect in (self.effects if effects is None else effects)]
        return [(labels[kind], found.count(kind)) for kind in Kind.values if kind in found]

    def effects_seen_by(self, user: AnyUser) -> tuple[list[PlannedEffect], int]:
        """The effects within ``user``'s clearance, and how many others there are (counted, not
        shown: the preview says so)."""
        readable = set(readable_levels(user))
        shown = [effect for effect in self.effects if effect.classification in readable]
        return shown, len(self.effects) - len(shown)


def reorganisation_plan(reorganisation: Reorganisation) -> Plan:
    """What adopting ``reorganisation`` would do now, with the problems that stop it."""
    targets = list(reorganisation.targets.select_related("continues").order_by("number", "continues__number", "pk"))
    mappings = list(
        reorganisation.mappings.select_related("source", "reports_to", "reports_to__continues")
        .prefetch_related("targets__continues")
        .order_by("source__number")
    )
    plan = Plan(reorganisation=reorganisation, targets=targets, mappings=mappings)
    facts = _facts(plan)
    _check(plan, facts)
    _structure_effects(plan)
    for mapping in mappings:
        chosen = _mapping_targets(mapping)
        if mapping.carry_roles:
            _role_effects(plan, facts, mapping, chosen)
        if mapping.carry_outputs:
            _output_effects(plan, facts, mapping, chosen)
        if mapping.carry_themes and chosen:
            _theme_effects(plan, facts, mapping, chosen)
        if mapping.carry_indicators and chosen:
            _programme_effects(plan, facts, mapping, chosen)
        _report_effects(plan, facts, mapping)
    return plan


@dataclass
class _Facts:
    """What the plan reads of the groups it moves, each kind read once for all of them (a
    reorganisation of the Compact's forty groups is a dozen queries, not hundreds)."""

    live_numbers: dict[int, WorkingGroup]
    roles_on_eve: dict[int, list[RoleAssignment]]
    later_roles: dict[int, set[str]]
    open_roles: dict[int, set[tuple[int, str]]]
    work_plans: dict[int, WorkPlan]
    projects: dict[int, list[Project]]
    programme_rows: dict[int, list[tuple[str, str]]]
    open_inputs: dict[int, list[Submission]]
    inputs_held: set[tuple[int, int]]


def _facts(plan: Plan) -> _Facts:
    day = plan.reorganisation.effective_on
    eve = day - datetime.timedelta(days=1)
    sources = {mapping.source_id for mapping in plan.mappings}
    continuing = {target.continues_id for target in plan.targets if target.continues_id}
    roles = RoleAssignment.objects.filter(working_group_id__in=sources)
    roles_on_eve: dict[int, list[RoleAssignment]] = defaultdict(list)
    for assignment in (
        roles.in_force_on(eve).select_related("entity", "person__profile").order_by("role", "entity__acronym")
    ):
        roles_on_eve[assignment.working_group_id].append(assignment)
    later_roles: dict[int, set[str]] = defaultdict(set)
    for group_id, acronym in roles.filter(starts_on__gte=day).values_list("working_group_id", "entity__acronym"):
        later_roles[group_id].add(acronym)
    open_roles: dict[int, set[tuple[int, str]]] = defaultdict(set)
    kept = RoleAssignment.objects.filter(working_group_id__in=continuing).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )
    for group_id, entity_id, role in kept.values_list("working_group_id", "entity_id", "role"):
        open_roles[group_id].add((entity_id, role))
    outputs = WorkPlanOutput.objects.order_by("position", "pk").prefetch_related("activities__lead_entities")
    plans = WorkPlan.objects.filter(working_group_id__in=sources, biennium_start__in=(day.year, day.year - 1))
    work_plans = {
        p.working_group_id: p for p in plans.prefetch_related(Prefetch("outputs", queryset=outputs)) if p.covers(day)
    }
    projects: dict[int, list[Project]] = defaultdict(list)
    for project in Project.objects.filter(themes__in=sources).distinct().prefetch_related("themes").order_by("pk"):
        for group in project.themes.all():
            if group.pk in sources:
                projects[group.pk].append(project)
    running = ProgrammeOfWork.objects.filter(biennium_start__gte=day.year - 1)
    programme_rows: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for model, kind, name in (
        (Priority, Kind.PRIORITY_MOVED, str),
        (Indicator, Kind.INDICATOR_MOVED, lambda i: i.code),
    ):
        rows = (
            model.objects.filter(programme__in=running, working_groups__in=sources)
            .distinct()
            .select_related("programme")
            .prefetch_related("working_groups")
            .order_by("programme__biennium_start", "position", "pk")
        )
        for row in rows:
            for group in row.working_groups.all():
                if group.pk in sources:
                    programme_rows[group.pk].append((kind, f"{row.programme.biennium_label} — {name(row)}"))
    open_inputs: dict[int, list[Submission]] = defaultdict(list)
    inputs = (
        Submission.objects.filter(working_group_id__in=sources)
        .exclude(status__in=(Submission.Status.ACCEPTED, Submission.Status.CLOSED))
        .exclude(period__state=ReportingPeriod.State.CLOSED)
        .select_related("period")
        .order_by("period__covers_from", "pk")
    )
    for submission in inputs:
        open_inputs[submission.working_group_id].append(submission)
    held = Submission.objects.filter(working_group_id__in=continuing).values_list("working_group_id", "period_id")
    live = WorkingGroup.objects.filter(retired_on__isnull=True).exclude(pk__in=sources)
    return _Facts(
        live_numbers={group.number: group for group in live},
        roles_on_eve=roles_on_eve,
        later_roles=later_roles,
        open_roles=open_roles,
        work_plans=work_plans,
        projects=projects,
        programme_rows=programme_rows,
        open_inputs=open_inputs,
        inputs_held=set(held),
    )


def _mapping_targets(mapping: ReorganisationMapping) -> list[ReorganisationTarget]:
    return sorted(mapping.targets.all(), key=lambda target: (target.shown_number or 0, target.pk))


def _check(plan: Plan, facts: _Facts) -> None:
    reorganisation = plan.reorganisation
    day = reorganisation.effective_on
    eve = day - datetime.timedelta(days=1)
    problems = plan.problems
    if not plan.targets:
        problems.append(_("Add the groups of the new structure."))
    if not plan.mappings:
        problems.append(_("Map at least one group of the old structure to the new one."))
    continuing = {target.continues_id for target in plan.targets if target.continues_id}
    sources = {mapping.source_id for mapping in plan.mappings}
    for target in plan.targets:
        if target.continues_id:
            group = target.continues
            if group.retired_on is not None or not group.is_active_on(day):
                problems.append(
                    _("%(group)s is not a live group on %(day)s: it cannot carry on.")
                    % {"group": group, "day": day.isoformat()}
                )
            continue
        if not target.name or not target.short_name:
            problems.append(_("Give the new group %(number)s a name and a short name.") % {"number": target.number})
        taken = facts.live_numbers.get(target.number)
        if taken is not None:
            problems.append(
                _("Number %(number)s is held by %(group)s, which carries on: choose another number.")
                % {"number": target.number, "group": taken}
            )
    for mapping in plan.mappings:
        source = mapping.source
        if source.pk in continuing:
            problems.append(_("%(group)s carries on in the new structure: it cannot also end.") % {"group": source})
        elif source.retired_on is not None or not source.is_active_on(eve):
            problems.append(
                _("%(group)s is not a live group on %(day)s, the day before: it has nothing to pass on.")
                % {"group": source, "day": eve.isoformat()}
            )
        later = facts.later_roles.get(source.pk)
        if later:
            problems.append(
                _(
                    "%(group)s has roles that start on or after %(day)s (%(roles)s): "
                    "end them, or give them to the new groups, first."
                )
                % {
                    "group": source,
                    "day": day.isoformat(),
                    "roles": ", ".join(sorted(later)),
                }
            )
        if mapping.reports_to_id and mapping.reports_to_id not in {t.pk for t in mapping.targets.all()}:
            problems.append(
                _("The open reports of %(group)s can only go to one of its successors.") % {"group": source}
            )
    untouched = [str(group) for group in groups_to_map(reorganisation).exclude(pk__in=sources | continuing)]
    if untouched:
        plan.warnings.append(
            _("Neither mapped nor kept, these groups stay as they are: %(groups)s.") % {"groups": "; ".join(untouched)}
        )


def _structure_effects(plan: Plan) -> None:
    # Groups are named from the rows themselves, in each reader's language: no text is kept.
    for target in plan.targets:
        kind = Kind.GROUP_CONTINUES if target.continues_id else Kind.GROUP_CREATED
        plan.effects.append(PlannedEffect(kind=kind, subject="", target=target))
    for mapping in plan.mappings:
        plan.effects.append(PlannedEffect(kind=Kind.GROUP_RETIRED, subject="", source=mapping.source, mapping=mapping))


def _role_effects(
    plan: Plan, facts: _Facts, mapping: ReorganisationMapping, chosen: list[ReorganisationTarget]
) -> None:
    for target in chosen:
        taken = _roles_taken(plan, facts, target)
        for assignment in facts.roles_on_eve.get(mapping.source_id, []):
            key = (assignment.entity_id, assignment.role)
            if key in taken:
                continue
            taken.add(key)
            plan.effects.append(
                PlannedEffect(
                    kind=Kind.ROLE_CARRIED,
                    subject=assignment.entity.acronym,
                    source=mapping.source,
                    target=target,
                    mapping=mapping,
                    assignment=assignment,
                )
            )


def _roles_taken(plan: Plan, facts: _Facts, target: ReorganisationTarget) -> set[tuple[int, str]]:
    """The (entity, role) pairs ``target`` already has from ``day``: those a continuing group
    holds, and those the plan gives it so far (two old groups chaired by one entity)."""
    taken = {
        (effect.assignment.entity_id, effect.assignment.role)
        for effect in plan.effects
        if effect.kind == Kind.ROLE_CARRIED and effect.target.pk == target.pk
    }
    if target.continues_id:
        taken |= facts.open_roles.get(target.continues_id, set())
    return taken


def _output_effects(
    plan: Plan, facts: _Facts, mapping: ReorganisationMapping, chosen: list[ReorganisationTarget]
) -> None:
    work_plan = facts.work_plans.get(mapping.source_id)
    if work_plan is None:
        return
    for output in work_plan.outputs.all():
        activities = [a for a in output.activities.all() if a.status in OPEN_ACTIVITY_STATES]
        if output.activities.all() and not activities:
            continue  # delivered or dropped: it stays in the old group's plan
        for target in chosen:
            plan.effects.append(
                PlannedEffect(
                    kind=Kind.OUTPUT_CARRIED,
                    subject=output.title,
                    source=mapping.source,
                    target=target,
                    mapping=mapping,
                    output=output,
                    activities=activities,
                    note=work_plan.biennium_label,
                )
            )


def _theme_effects(
    plan: Plan, facts: _Facts, mapping: ReorganisationMapping, chosen: list[ReorganisationTarget]
) -> None:
    for project in facts.projects.get(mapping.source_id, []):
        themed = {group.pk for group in project.themes.all()}
        for target in chosen:
            if target.continues_id in themed:
                continue  # a successor the project already has
            plan.effects.append(
                PlannedEffect(
                    kind=Kind.THEME_CARRIED,
                    subject=project.title[:500],
                    source=mapping.source,
                    target=target,
                    mapping=mapping,
                    project=project,
                    classification=project.classification,
                )
            )


def _programme_effects(
    plan: Plan, facts: _Facts, mapping: ReorganisationMapping, chosen: list[ReorganisationTarget]
) -> None:
    rows = facts.programme_rows.get(mapping.source_id, [])
    for kind, subject in rows:
        for target in chosen:
            plan.effects.append(
                PlannedEffect(kind=kind, subject=subject, source=mapping.source, target=target, mapping=mapping)
            )


def _report_effects(plan: Plan, facts: _Facts, mapping: ReorganisationMapping) -> None:
    """The old group's inputs not accepted yet, for periods not closed: carried to the chosen
    successor when it has no input of its own for the period, else closed with the note."""
    target = mapping.reports_to
    for submission in facts.open_inputs.get(mapping.source_id, []):
        subject = str(submission.period)
        carried = target is not None and not _target_has_input(plan, facts, target, submission.period)
        # Closed with a successor named: that successor has its own input for the period (the
        # page says so in the reader's language); the note is only OCT's own.
        plan.effects.append(
            PlannedEffect(
                kind=Kind.REPORT_CARRIED if carried else Kind.REPORT_CLOSED,
                subject=subject,
                source=mapping.source,
                target=target,
                mapping=mapping,
                submission=submission,
                classification=submission.classification,
                note=mapping.note,
            )
        )


def _target_has_input(plan: Plan, facts: _Facts, target: ReorganisationTarget, period: ReportingPeriod) -> bool:
    """Whether ``target`` will have an input for ``period`` already: its own (a group that
    carries on) or one the plan carries to it from another old group."""
    planned = any(
        effect.kind == Kind.REPORT_CARRIED
        and effect.target.pk == target.pk
        and effect.submission.period_id == period.pk
        for effect in plan.effects
    )
    if planned or not target.continues_id:
        return planned
    return (target.continues_id, period.pk) in facts.inputs_held
