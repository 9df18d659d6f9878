"""Keeping a project's entity mentions (the names as written, in order, with what each
resolved to) in step with the file an import reads, and OCT's one-step mapping of a name that
stayed unlinked: saved as an alias (or as "not an entity") so that the next import resolves it."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from compact.core.audit import audit_record
from compact.core.bulk import rows_copy
from compact.matrix.mentions import Mention, mention_resolve
from compact.matrix.models import NonEntityName, Project, ProjectMention
from compact.matrix.permissions import can_manage_matrix
from compact.registry.models import Entity, EntityAlias, Organization
from compact.registry.services import entity_alias_add, organization_alias_add


def _as_tuple(name: str, entity_id: int | None, organization_id: int | None, not_an_entity: bool) -> tuple:
    return (name, entity_id, organization_id, not_an_entity)


def project_mentions_sync(*, project: Project, mentions: list[Mention]) -> bool:
    """Store the mentions as the file gives them; writes nothing when they are the same, so a
    re-import changes nothing. Returns whether anything changed. Called inside the import's
    transaction (the import's audit row covers it)."""
    wanted = [_wanted_tuple(m) for m in mentions]
    current = [
        _as_tuple(m.name, m.entity_id, m.organization_id, m.not_an_entity)
        for m in ProjectMention.objects.filter(project=project).order_by("position")
    ]
    if wanted == current:
        return False
    ProjectMention.objects.filter(project=project).delete()
    ProjectMention.objects.bulk_create(
        ProjectMention(
            project=project, position=position, name=name, entity_id=entity, organization_id=org, not_an_entity=no
        )
        for position, (name, entity, org, no) in enumerate(wanted, start=1)
    )
    return True


def projects_mentions_sync(*, mentions: dict[int, list[Mention]]) -> int:
    """``project_mentions_sync`` for many projects (by id) at once, in three queries whatever
    their number: returns how many projects' mentions changed."""
    wanted = {pk: [_wanted_tuple(m) for m in found] for pk, found in mentions.items()}
    current: dict[int, list[tuple]] = {pk: [] for pk in wanted}
    stored = ProjectMention.objects.filter(project_id__in=list(wanted)).order_by("project_id", "position")
    fields = ("project_id", "name", "entity_id", "organization_id", "not_an_entity")
    for project_id, *mention in stored.values_list(*fields):
        current[project_id].append(_as_tuple(*mention))
    changed = [pk for pk in wanted if wanted[pk] != current[pk]]
    if not changed:
        return 0
    ProjectMention.objects.filter(project_id__in=changed).delete()
    rows_copy(
        ProjectMention,
        ["project_id", "position", "name", "entity_id", "organization_id", "not_an_entity"],
        ((pk, position, *mention) for pk in changed for position, mention in enumerate(wanted[pk], start=1)),
    )
    return len(changed)


def _wanted_tuple(mention: Mention) -> tuple:
    return _as_tuple(
        mention.name[:255],
        mention.entity.pk if mention.entity else None,
        mention.organization.pk if mention.organization else None,
        mention.not_an_entity,
    )


class MappingError(ValidationError):
    """The name cannot be mapped as asked (already mapped, or nothing chosen)."""


@transaction.atomic
def mention_map(
    *,
    name: str,
    actor: AbstractBaseUser,
    entity: Entity | None = None,
    organization: Organization | None = None,
    not_an_entity: bool = False,
) -> None:
    """OCT maps a name the matrix gives that stayed unlinked, in one step: to a Compact entity
    (saved as the entity's alias, kind "unit or office"… as OCT knows it: an alias), to an
    organization not party to the Compact (its alias), or to "not an entity". Mentions already
    stored with that name are updated at once; the next import resolves the name the same way."""
    if not can_manage_matrix(actor):
        raise PermissionDenied(_("Only the OCT secretariat maps names in the matrix."))
    name = " ".join(name.split())
    if not name or sum([entity is not None, organization is not None, not_an_entity]) != 1:
        raise MappingError(_("Choose one entity or organization, or “not an entity”."))
    if mention_resolve(name).is_settled:
        raise MappingError(_("“%(name)s” is already mapped.") % {"name": name})
    record: Model
    if entity is not None:
        record = entity_alias_add(
            entity=entity, name=name, kind=EntityAlias.Kind.ALIAS, actor=actor, note="mapped by OCT"
        )
    elif organization is not None:
        record = organization_alias_add(organization=organization, name=name, actor=actor)
    else:
        record = NonEntityName.objects.create(name=name, decided_by=actor)
    ProjectMention.objects.filter(name__iexact=name).update(
        entity=entity, organization=organization, not_an_entity=not_an_entity
    )
    target = entity.acronym if entity else organization.acronym if organization else "not-an-entity"
    audit_record(actor=actor, verb="matrix.mention_mapped", obj=record, after={"name": name, "mapped_to": target})
