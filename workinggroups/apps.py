from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkingGroupsConfig(AppConfig):
    name = "workinggroups"
    verbose_name = _("Working groups")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from workinggroups.models import RoleAssignment
        from workinggroups.selectors import leading_roles_changed

        # Not logic: a cache of the request's user's leading roles is dropped (selectors).
        post_save.connect(leading_roles_changed, sender=RoleAssignment, dispatch_uid="leading-roles-changed-save")
        post_delete.connect(leading_roles_changed, sender=RoleAssignment, dispatch_uid="leading-roles-changed-delete")
