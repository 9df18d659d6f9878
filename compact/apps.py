from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompactConfig(AppConfig):
    name = "compact"
    verbose_name = _("The Compact")

    def ready(self) -> None:
        from compact.accounts import authentication  # noqa: F401  (registers the lockout audit)
        from compact.core import checks  # noqa: F401  (registers the system checks)
