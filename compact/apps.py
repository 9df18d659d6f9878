from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompactConfig(AppConfig):
    name = "compact"
    verbose_name = _("The Compact")

    def ready(self) -> None:
        from compact import authentication, checks  # noqa: F401  (registers system checks, the lockout audit)
