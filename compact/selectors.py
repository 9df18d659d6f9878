"""Reads of the Compact registry, scoped to what the asking user may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Model, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from guardian.shortcuts import get_users_with_perms

from compact.models import (
    AuditEvent,
    Classification,
    Entity,
    EntityAlias,
    Evidence,
    Heartbeat,
    Membership,
    OverlapReview,
    Profile,
    Project,
    ProjectCountry,
    ProjectPillar,
    ProjectRegion,
    SignOnRequest,
)
from compact.models.registry import classification_fields
from compact.permissions import (
    can_read_classification,
    can_read_projects,
    can_read_registry,
    can_review_signon,
    can_see_entity_people,
    can_view_audit,
)

M = TypeVar("M", bound=Model)


def entity_resolve(name: str) -> Entity | None:
    """The entity a name refers to: its acronym, an alias or former name, or its full name.

    Case-insensitive and whitespace-tolerant, so "uncct", "DPKO" and "1540 Committee" resolve.
    """
    name = " ".join(name.split())
    if not name:
        return None
    entity = Entity.objects.filter(acronym__iexact=name).first()
    if entity is None:
        alias = EntityAlias.objects.select_related("entity").filter(name__iexact=name).first()
        entity = alias.entity if alias else None
    if entity is None:
        entity = Entity.objects.filter(name__iexact=name).first()
    return entity


def _latest_entry(day: datetime.date) -> QuerySet[Membership]:
    return Membership.objects.filter(entity=OuterRef("pk"), effective_from__lte=day).order_by("-effective_from", "-id")


def entities_with_status(*, on: datetime.date | None = None) -> QuerySet[Entity]:
    """Entities annotated with ``status`` (their membership status on ``on``, today by default)
    and ``status_since``; entities with no history yet get ``None``."""
    day = on or timezone.localdate()
    latest = _latest_entry(day)
    return Entity.objects.annotate(
        status=Subquery(latest.values("status")[:1]),
        status_since=Subquery(latest.values("effective_from")[:1]),
    )


def entity_status_on(entity: Entity, day: datetime.date | None = None) -> str | None:
    """The entity's membership status on ``day`` (today by default), or None before any."""
    entry = (
        entity.memberships.filter(effective_from__lte=day or timezone.localdate())
        .order_by("-effective_from", "-id")
        .first()
    )
    return entry.status if entry else None


def entities_visible_to(
    user: AbstractBaseUser | AnonymousUser,
    *,
    status: str | None = None,
    kind: str | None = None,
    search: str | None = None,
    on: datetime.date | None = None,
) -> QuerySet[Entity]:
    """The registry as ``user`` may read it, optionally filtered; empty for outsiders."""
    if not can_read_registry(user):
        return Entity.objects.none()
    entities = entities_with_status(on=on)
    if status:
        entities = entities.filter(status=status)
    if kind:
        entities = entities.filter(kind=kind)
    if search:
        entities = entities.filter(
            Q(acronym__icontains=search) | Q(name__icontains=search) | Q(aliases__name__icontains=search)
        ).distinct()
    return entities.order_by("acronym")


def get_entity_for_user_or_404(user: AbstractBaseUser | AnonymousUser, acronym: str) -> Entity:
    """One entity by acronym (any case); 404 whether it is missing or hidden from ``user``."""
    entity = entities_visible_to(user).filter(acronym__iexact=acronym).first()
    if entity is None:
        raise Http404("No such entity.")
    return entity


def audit_events_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[AuditEvent]:
    """The audit trail, newest first, for those who may read it (OCT); empty for others. Rows
    quote what changed, so each is read only within the reader's clearance."""
    if not can_view_audit(user):
        return AuditEvent.objects.none()
    return audit_events_within_clearance(user)


def audit_events_within_clearance(user: AbstractBaseUser | AnonymousUser) -> QuerySet[AuditEvent]:
    """Every audit row whose marking ``user``'s clearance reaches (the admin's list, too)."""
    return within_clearance(AuditEvent.objects.select_related("content_type"), user)


def within_clearance(queryset: QuerySet[M], user: AbstractBaseUser | AnonymousUser) -> QuerySet[M]:
    """The rows of ``queryset`` each of whose markings ``user``'s clearance reaches (nothing for
    anonymous visitors). For readers that are not a page of their own, such as the admin."""
    levels = [level for level in Classification.values if can_read_classification(user, level)]
    markings = classification_fields(queryset.model)
    return queryset.filter(**{f"{name}__in": levels for name in markings}) if levels else queryset.none()


def audit_events_for(obj: object, user: AbstractBaseUser | AnonymousUser) -> QuerySet[AuditEvent]:
    """The audit rows about one object, if ``user`` may read the audit trail."""
    return audit_events_visible_to(user).filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


def registry_summary(*, on: datetime.date | None = None) -> dict[str, int]:
    """How many entities hold each membership status on ``on``, plus facts still unverified."""
    counts = dict(entities_with_status(on=on).values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "members": counts.get(Membership.Status.MEMBER, 0),
        "observers": counts.get(Membership.Status.OBSERVER, 0),
        "applicants": counts.get(Membership.Status.APPLICANT, 0),
        "withdrawn": counts.get(Membership.Status.WITHDRAWN, 0),
        "unverified_entities": Entity.objects.filter(evidence=Evidence.UNVERIFIED).count(),
    }


def entity_people_visible_to(user: AbstractBaseUser | AnonymousUser, entity: Entity) -> QuerySet[Profile]:
    """The active people of an entity, for OCT and the entity's focal points; empty otherwise."""
    if not can_see_entity_people(user, entity):
        return Profile.objects.none()
    return entity.people.select_related("user").filter(user__is_active=True).order_by("user__last_name")


def entity_focal_points(entity: Entity) -> QuerySet:
    """The people appointed focal points of ``entity`` (holders of the object permission)."""
    return get_users_with_perms(
        entity, only_with_perms_in=["manage_entity_profile"], with_superusers=False, with_group_users=False
    ).order_by("last_name", "first_name", "username")


def focal_point_emails_by_entity(entities: Iterable[Entity]) -> dict[int, list[str]]:
    """The active focal points' addresses of each of ``entities`` (by entity id), in one query,
    for e-mails to many entities at once (a review's ~45 parties)."""
    from guardian.models import UserObjectPermission

    ids = [str(entity.pk) for entity in entities]
    rows = (
        UserObjectPermission.objects.filter(
            permission__codename="manage_entity_profile",
            content_type=ContentType.objects.get_for_model(Entity),
            object_pk__in=ids,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("user__last_name", "user__first_name", "user__username")
        .values_list("object_pk", "user__email")
    )
    found: dict[int, list[str]] = {int(pk): [] for pk in ids}
    for entity_pk, email in rows:
        if email not in found[int(entity_pk)]:
            found[int(entity_pk)].append(email)
    return found


HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=3)


def _stale_after(name: str) -> datetime.timedelta:
    # The scheduler's tick beats at its own pace (every five minutes by default): three missed
    # ticks mean trouble, as three missed minutes do for the worker.
    if name == "scheduler":
        return datetime.timedelta(seconds=3 * settings.SCHEDULER_TICK_SECONDS)
    return HEARTBEAT_STALE_AFTER


def heartbeats_with_freshness() -> list[dict[str, object]]:
    """Each background process's last sign of life, and whether it is recent enough to trust
    (beat fires the heartbeat every minute, so three minutes of silence means trouble)."""
    now = timezone.now()
    return [
        {"name": beat.name, "seen_at": beat.seen_at, "fresh": now - beat.seen_at < _stale_after(beat.name)}
        for beat in Heartbeat.objects.order_by("name")
    ]


# --- Sign-on requests -------------------------------------------------------------------------


def signon_conflicts(
    *, acronym: str, name: str, requested_status: str, exclude_pk: int | None = None
) -> tuple[dict[str, str], Entity | None]:
    """What stops a sign-on request, by form field, and the registered entity it is about.

    An entity that is already a party with that status (or a member asking to be an
    observer) cannot sign on again; one that left, or an observer asking to become a member,
    can. A second request while one is under review is refused.
    """
    errors: dict[str, str] = {}
    by_acronym, by_name = entity_resolve(acronym), entity_resolve(name)
    if by_acronym and by_name and by_acronym != by_name:
        errors["organization_name"] = _("The acronym is registered for %(a)s but the name for %(b)s; check both.") % {
            "a": by_acronym.acronym,
            "b": by_name.acronym,
        }
    matched = by_acronym or by_name
    if matched is not None:
        status = entity_status_on(matched)
        if status == requested_status or status == Membership.Status.MEMBER:
            field = "acronym" if by_acronym else "organization_name"
            errors[field] = _(
                "%(entity)s is already a %(status)s of the Compact. If its details changed, "
                "write to the OCT secretariat instead."
            ) % {"entity": matched.acronym, "status": Membership.Status(status).label.lower()}
    pending = (
        SignOnRequest.objects.filter(state__in=SignOnRequest.UNDER_REVIEW)
        .filter(Q(acronym__iexact=acronym) | Q(organization_name__iexact=name))
        .exclude(pk=exclude_pk)
        .first()
    )
    if pending is not None:
        errors.setdefault(
            "acronym",
            _("A request for %(acronym)s, sent on %(day)s, is already under review by OCT.")
            % {"acronym": pending.acronym, "day": date_format(timezone.localtime(pending.submitted_at).date())},
        )
    return errors, matched


def signon_requests_visible_to(
    user: AbstractBaseUser | AnonymousUser, *, state: str | None = None
) -> QuerySet[SignOnRequest]:
    """Sign-on requests for OCT's review queue, oldest first within a state; none for others."""
    if not can_review_signon(user):
        return SignOnRequest.objects.none()
    requests = SignOnRequest.objects.select_related("handler", "entity", "matched_entity")
    if state:
        requests = requests.filter(state=state)
    return requests.order_by("state_changed_at", "pk")


def signon_queue_counts(user: AbstractBaseUser | AnonymousUser) -> dict[str, int]:
    """How many requests sit in each state (for the queue's tabs and OCT's home page)."""
    counts = dict(
        signon_requests_visible_to(user)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    # Keys with underscores, so templates can read them (``counts.in_consultation``).
    return {state.replace("-", "_"): counts.get(state, 0) for state in SignOnRequest.State.values}


def get_signon_request_for_user_or_404(user: AbstractBaseUser | AnonymousUser, pk: int) -> SignOnRequest:
    """One request for OCT; 404 for anyone else, exactly as for a missing one."""
    request = signon_requests_visible_to(user).filter(pk=pk).first()
    if request is None:
        raise Http404("No such sign-on request.")
    return request


def get_signon_request_by_key_or_404(access_key: str) -> SignOnRequest:
    """The applicant's view of their request, through the unguessable key of their link."""
    if not access_key or len(access_key) > 64:
        raise Http404("No such sign-on request.")
    request = SignOnRequest.objects.filter(access_key=access_key).first()
    if request is None:
        raise Http404("No such sign-on request.")
    return request


# --- The project matrix -------------------------------------------------------------------------


def projects_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    """Projects ``user`` may read: signed in, and only up to their clearance."""
    if not can_read_projects(user):
        return Project.objects.none()
    levels = [level for level in Classification.values if can_read_classification(user, level)]
    return Project.objects.filter(classification__in=levels)


# Unknown dates sort last whichever the direction (PostgreSQL would put NULLs first going down).
PROJECT_ORDERINGS = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "start": (F("start_year").asc(nulls_last=True), F("start_month").asc(nulls_last=True), "id"),
    "-start": (F("start_year").desc(nulls_last=True), F("start_month").desc(nulls_last=True), "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "status": ("status", "title", "id"),
}


def projects_filtered(
    user: AbstractBaseUser | AnonymousUser,
    *,
    country: str = "",
    region: str = "",
    pillar: str = "",
    theme: int | None = None,
    entity: int | None = None,
    status: str = "",
    year: int | None = None,
    search: str = "",
    ordering: str = "title",
) -> QuerySet[Project]:
    """The matrix as ``user`` may read it, filtered. ``entity`` matches lead or partner;
    ``year`` keeps projects running at some time in that year (open ends count as running)."""
    projects = projects_visible_to(user)
    if country:
        projects = projects.filter(pk__in=ProjectCountry.objects.filter(country=country.upper()).values("project"))
    if region:
        projects = projects.filter(pk__in=ProjectRegion.objects.filter(region=region).values("project"))
    if pillar:
        projects = projects.filter(pk__in=ProjectPillar.objects.filter(pillar=pillar).values("project"))
    if theme:
        projects = projects.filter(themes=theme)
    if entity:
        projects = projects.filter(
            Q(lead_entity=entity)
            | Q(pk__in=Project.partner_entities.through.objects.filter(entity=entity).values("project"))
        )
    if status:
        projects = projects.filter(status=status)
    if year:
        started = Q(start_year__isnull=True) | Q(start_year__lte=year)
        not_ended = Q(end_year__isnull=True) | Q(end_year__gte=year)
        projects = projects.filter(started & not_ended)
    if search:
        projects = projects.filter(
            Q(title__icontains=search) | Q(main_activities__icontains=search) | Q(scope_text__icontains=search)
        )
    return projects.order_by(*PROJECT_ORDERINGS.get(ordering, PROJECT_ORDERINGS["title"]))


def projects_with_details(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Projects with what a list row shows (lead, partners, themes, places), in a fixed number
    of queries whatever the number of projects."""
    return projects.select_related("lead_entity").prefetch_related(
        "partner_entities", "themes", "country_rows", "region_rows"
    )


def get_project_for_user_or_404(user: AbstractBaseUser | AnonymousUser, pk: int) -> Project:
    project = projects_visible_to(user).filter(pk=pk).first()
    if project is None:
        raise Http404("No such project.")
    return project


def projects_per_country(projects: QuerySet[Project]) -> list[tuple[str, int]]:
    """(ISO code, number of projects) for the given projects, most first."""
    rows = (
        ProjectCountry.objects.filter(project__in=projects.values("pk"))
        .values("country")
        .annotate(n=Count("project", distinct=True))
        .order_by("-n", "country")
    )
    return [(row["country"], row["n"]) for row in rows]


def pivot_country_pillar(projects: QuerySet[Project]) -> dict[str, dict[str, int]]:
    """{country: {pillar: number of projects}} for the given projects (one query)."""
    rows = (
        ProjectCountry.objects.filter(project__in=projects.values("pk"))
        .filter(project__pillar_rows__isnull=False)
        .values("country", "project__pillar_rows__pillar")
        .annotate(n=Count("project", distinct=True))
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["country"], {})[row["project__pillar_rows__pillar"]] = row["n"]
    return table


def pivot_theme_entity(projects: QuerySet[Project]) -> dict[tuple[int, str], dict[str, int]]:
    """{(group number, group name): {lead entity acronym: number of projects}} (one query)."""
    rows = (
        projects.filter(themes__isnull=False, lead_entity__isnull=False)
        .values("themes__number", "themes__short_name", "lead_entity__acronym")
        .annotate(n=Count("pk", distinct=True))
    )
    table: dict[tuple[int, str], dict[str, int]] = {}
    for row in rows:
        key = (row["themes__number"], row["themes__short_name"])
        table.setdefault(key, {})[row["lead_entity__acronym"]] = row["n"]
    return table


@dataclass(frozen=True)
class OverlapCandidate:
    first: Project
    second: Project
    countries: tuple[str, ...]
    shared: str  # what they share besides the country: "theme" or "pillar"
    review: OverlapReview | None


def _years_overlap(a: Project, b: Project) -> bool:
    low = max(a.start_year or 0, b.start_year or 0)
    high = min(a.end_year or 9999, b.end_year or 9999)
    return low <= high


def project_overlaps(user: AbstractBaseUser | AnonymousUser, *, country: str = "") -> list[OverlapCandidate]:
    """Candidates for joint programming (Annex III, IV.11 (c) and (g)): two projects led by
    different entities, in a same country, serving a same theme (a shared working group; for
    projects with no working group, a shared pillar), with overlapping years."""
    visible = projects_visible_to(user)
    pairs = (
        ProjectCountry.objects.filter(project__in=visible.values("pk"))
        .values_list("country", "project")
        .order_by("country", "project")
    )
    by_country: dict[str, list[int]] = {}
    for code, project in pairs:
        if not country or code == country.upper():
            by_country.setdefault(code, []).append(project)
    candidates: dict[tuple[int, int], set[str]] = {}
    for code, ids in by_country.items():
        for index, first in enumerate(ids):
            for second in ids[index + 1 :]:
                candidates.setdefault((first, second), set()).add(code)
    if not candidates:
        return []
    ids = {pk for pair in candidates for pk in pair}
    projects = {p.pk: p for p in visible.filter(pk__in=ids).select_related("lead_entity").prefetch_related("themes")}
    reviews = {
        (r.first_id, r.second_id): r
        for r in OverlapReview.objects.filter(first__in=ids, second__in=ids).select_related("reviewed_by")
    }
    found = []
    for (a_id, b_id), codes in sorted(candidates.items()):
        a, b = projects.get(a_id), projects.get(b_id)
        if a is None or b is None or a.lead_entity_id == b.lead_entity_id or not _years_overlap(a, b):
            continue
        a_themes, b_themes = {t.pk for t in a.themes.all()}, {t.pk for t in b.themes.all()}
        if a_themes & b_themes:
            shared = "theme"
        elif not a_themes and not b_themes and set(a.pillars) & set(b.pillars):
            shared = "pillar"
        else:
            continue
        found.append(OverlapCandidate(a, b, tuple(sorted(codes)), shared, reviews.get((a_id, b_id))))
    return found
