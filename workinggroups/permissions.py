"""Who may do what with working groups. Views, the API and later the reporting app ask here."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from compact.core.permissions import holds_object_permission, is_oct
from workinggroups.models import WorkingGroup

LEAD_PERMISSION = "workinggroups.lead_workinggroup"


def can_lead_group(user: AbstractBaseUser | AnonymousUser, group: WorkingGroup) -> bool:
    """The representative of a chair or vice-chair in force today holds the object permission
    (kept in step with the dated roles by ``role_permissions_sync``); a superuser does not."""
    return holds_object_permission(user, LEAD_PERMISSION, group)


def can_edit_work_plan(user: AbstractBaseUser | AnonymousUser, group: WorkingGroup) -> bool:
    """A group's chair and vice-chairs maintain its work plans; OCT may correct them."""
    return is_oct(user) or can_lead_group(user, group)
