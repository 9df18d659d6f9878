from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top layer, without models: the home page, navigation, the Committee's composition page,
    reference and demo data. The only code that may import every app."""

    name = "portal"
    verbose_name = _("Portal")
