from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Reporting periods, briefings, progress reports and PDFs (built in later issues)."""

    name = "reporting"
    verbose_name = _("Reporting")
