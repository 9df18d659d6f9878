"""WSGI entry point (gunicorn config.wsgi)."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Do once, in gunicorn's master before it forks its workers (config/gunicorn.py), what
    every worker would otherwise do on its first requests: import the URLconf and with it every
    view, load the translation catalogues of the six languages, and compile the project's
    templates into the cached template loader. The workers share these pages of memory."""
    from django.conf import settings
    from django.db import connections
    from django.template import TemplateSyntaxError
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018  (the property imports the URLconf)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
    templates = settings.BASE_DIR / "templates"
    for path in sorted(templates.rglob("*.html")):
        try:
            get_template(str(path.relative_to(templates)))
        except TemplateSyntaxError as error:  # served as an error on its own page, as before
            logger.warning("Template %s does not compile: %s", path, error)
    connections.close_all()  # nothing opened here may be shared by the forked workers
