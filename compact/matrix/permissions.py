"""Who reads, manages and edits the project matrix."""

from __future__ import annotations

from compact.core.permissions import AnyUser, can_read_classification, is_oct
from compact.registry.permissions import can_manage_entity


def can_read_projects(user: AnyUser) -> bool:
    """The matrix is for signed-in users; each project is further limited by its classification."""
    return user.is_authenticated and user.is_active


def can_manage_matrix(user: AnyUser) -> bool:
    """OCT keeps the matrix: imports, every project, overlap reviews."""
    return is_oct(user)


def can_edit_project(user: AnyUser, project: object) -> bool:
    """OCT, or a focal point of the project's lead or partner entity (within their clearance)."""
    if not can_read_classification(user, project.classification):
        return False
    if is_oct(user):
        return True
    entities = [project.lead_entity, *project.partner_entities.all()]
    return any(entity is not None and can_manage_entity(user, entity) for entity in entities)
