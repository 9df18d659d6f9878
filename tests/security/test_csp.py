"""The Content-Security-Policy: every HTML page carries the strict policy (only the third-party
API pages are widened, each for what it needs), templates hold no inline script, handler or
style for it to refuse, and browsers' violation reports are logged within limits.

The pages are checked in Chromium by test_csp_in_chromium.py; these tests need no browser.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# What every page of ours gets (config/settings.py): all from this site, nothing inline.
SITE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "report-uri": "/csp-report/",
}
# The third-party pages and what each is given on top (config/urls.py, compact/core/api/renderers.py).
WIDENED = {
    "api-docs": {"img-src": "'self' data:"},
    "api-redoc": {
        "style-src": "'self' 'unsafe-inline'",
        "worker-src": "'self' blob:",
        "img-src": "'self' data:",
        "report-uri": None,
    },
    "browsable-api": {"style-src-attr": "'unsafe-inline'"},
}
TEMPLATES_DIR = Path(django_settings.BASE_DIR) / "templates"
# Never served to a browser as a page: e-mail bodies (mail clients want inline styles) and the
# PDF editions' HTML (WeasyPrint's input; no script runs there).
NOT_PAGES = ("emails", "reporting/pdf")


def policy_of(response) -> dict[str, str]:
    """The response's Content-Security-Policy as {directive: sources}; {} without one."""
    header = response.headers.get("Content-Security-Policy", "")
    parts = (part.strip().partition(" ") for part in header.split(";") if part.strip())
    return {directive: sources for directive, _space, sources in parts}


def expected_policy(kind: str | None) -> dict[str, str]:
    policy = {**SITE_POLICY, **WIDENED.get(kind, {})} if kind else dict(SITE_POLICY)
    return {directive: sources for directive, sources in policy.items() if sources is not None}


def page_kind(url_name: str | None, response) -> str | None:
    """Which widening a page may carry: a third-party API page's, or none."""
    if url_name in ("api-docs", "api-redoc"):
        return url_name
    if (url_name or "").startswith("api-") and response.headers.get("Content-Type", "").startswith("text/html"):
        return "browsable-api"
    return None


def url_patterns(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    """Every URL pattern as (route, name with namespace, pattern), walking Django's resolver."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), f"{namespace}{entry.name or ''}", entry


# --- The header ---------------------------------------------------------------------------


def test_the_site_policy_allows_nothing_inline_nor_from_elsewhere(client):
    policy = policy_of(client.get(reverse("login")))
    assert policy == SITE_POLICY
    assert not any("unsafe" in sources or "*" in sources for sources in policy.values())


def _pages_without_arguments() -> list[str]:
    names = []
    for _route, name, pattern in url_patterns():
        if pattern.pattern.regex.groups or not name:
            continue
        names.append(name)
    return sorted(set(names))


@pytest.mark.parametrize("persona", ["oct_officer", "chair", "anonymous"])
def test_every_html_page_without_arguments_carries_the_policy(persona, roster, request):
    """Every URL that needs no argument, as a person of each kind: each HTML answer (pages,
    errors, the browsable API) carries the site policy, or its third-party page's widening."""
    client = Client()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    seen = 0
    for name in _pages_without_arguments():
        response = client.get(reverse(name))
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            continue
        seen += 1
        assert policy_of(response) == expected_policy(page_kind(name, response)), name
    assert seen > 20


def test_error_pages_carry_the_policy(client, oct_officer):
    client.force_login(oct_officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and policy_of(response) == SITE_POLICY


def test_only_the_third_party_pages_are_widened_and_only_as_far_as_they_need(client, oct_officer):
    client.force_login(oct_officer)
    docs = client.get(reverse("api-docs"))
    redoc = client.get(reverse("api-redoc"))
    browsable = client.get(reverse("api-entity-list"), HTTP_ACCEPT="text/html")
    as_json = client.get(reverse("api-entity-list"), HTTP_ACCEPT="application/json")
    assert policy_of(docs) == expected_policy("api-docs")
    assert policy_of(redoc) == expected_policy("api-redoc")
    assert policy_of(browsable) == expected_policy("browsable-api")
    assert policy_of(as_json) == SITE_POLICY
    # Swagger UI's start-up script is a file the page loads, not an inline block.
    assert b'src="/api/v1/docs/?script=' in docs.content and b"<script>" not in docs.content
    script = client.get(reverse("api-docs") + "?script=")
    assert script.headers["Content-Type"].startswith("application/javascript") and b"SwaggerUIBundle" in script.content


def test_the_browsable_api_and_the_api_docs_hold_no_inline_style_element(client, oct_officer):
    client.force_login(oct_officer)
    for url in (reverse("api-entity-list"), reverse("api-docs"), reverse("api-redoc")):
        content = client.get(url, HTTP_ACCEPT="text/html").content.decode()
        assert not re.search(r"<style[\s>]", content), url
        assert "fonts.googleapis.com" not in content, url


# --- The templates --------------------------------------------------------------------------

INLINE_CODE = {
    "an on…= handler": re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.IGNORECASE),
    "a style attribute": re.compile(r"<[a-zA-Z][^>]*?\sstyle\s*=", re.IGNORECASE),
    "a <style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
# Template comments are never sent to the browser.
TEMPLATE_COMMENT = re.compile(r"{% comment %}.*?{% endcomment %}|{#.*?#}", re.DOTALL)


def page_templates() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES_DIR.rglob("*.html"))
        if not path.relative_to(TEMPLATES_DIR).as_posix().startswith(NOT_PAGES)
    ]


def inline_code_in(text: str) -> list[str]:
    """What the policy would refuse in a template's text: inline scripts (a <script> without
    src=, other than a JSON data block), handlers, style attributes and elements, javascript:."""
    text = TEMPLATE_COMMENT.sub("", text)
    found = [what for what, pattern in INLINE_CODE.items() if pattern.search(text)]
    for attributes in SCRIPT_TAG.findall(text):
        if "src=" not in attributes and not re.search(r"type=[\"']application/json[\"']", attributes):
            found.append("an inline <script>")
    return found


def test_the_scan_finds_each_kind_of_inline_code():
    samples = [
        '<button onclick="go()">',
        '<span class="bar" style="width: 3%">',
        "<style>p {}</style>",
        '<a href="javascript:void(0)">',
        "<script>alert(1)</script>",
    ]
    assert [len(inline_code_in(sample)) for sample in samples] == [1, 1, 1, 1, 1]
    assert inline_code_in('<script src="/static/js/confirm.js" defer></script>') == []
    assert inline_code_in('<script id="data" type="application/json">{}</script>') == []
    assert inline_code_in('<form data-confirm="Sure?" class="only">') == []
    assert inline_code_in("{% comment %}Not the <style> element.{% endcomment %}") == []


def test_page_templates_hold_no_inline_script_handler_or_style():
    templates = page_templates()
    assert len(templates) > 100  # the scan reads the real templates
    offenders = {
        path.relative_to(TEMPLATES_DIR).as_posix(): found
        for path in templates
        if (found := inline_code_in(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_static_scripts_evaluate_no_strings():
    # 'unsafe-eval' is not allowed: eval, new Function and string timers would be refused.
    scripts = sorted((Path(django_settings.BASE_DIR) / "static").rglob("*.js"))
    assert scripts
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"\beval\(|new Function\(|setTimeout\(\s*[\"']|setInterval\(\s*[\"']", text), script


# --- Violation reports ------------------------------------------------------------------------

REPORT = {
    "csp-report": {
        "document-uri": "http://testserver/sign-on/requests/Zr8kQp2secretaccesskey0123456789abcdefghij/?x=1",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://evil.example/x.js?session=abc",
        "source-file": "http://testserver/static/js/confirm.js?v=1",
        "line-number": 12,
    }
}


def post_report(client: Client, body: object, **extra) -> object:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(reverse("csp-report"), data, content_type="application/csp-report", **extra)


def test_a_violation_report_is_logged_without_the_private_parts_of_its_urls(caplog):
    client = Client(enforce_csrf_checks=True)  # browsers send no CSRF token
    with caplog.at_level(logging.WARNING, logger="compact.csp"):
        response = post_report(client, REPORT)
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "compact.csp"]
    line = record.getMessage()
    assert "'script-src-elem'" in line and "'signon-status'" in line
    assert "'https://evil.example/x.js'" in line and "confirm.js" in line
    assert "secretaccesskey" not in line and "session=abc" not in line


def test_a_report_larger_than_the_cap_is_refused_and_not_logged(caplog):
    padded = {"csp-report": {**REPORT["csp-report"], "script-sample": "x" * django_settings.CSP_REPORT_MAX_BYTES}}
    with caplog.at_level(logging.WARNING, logger="compact.csp"):
        response = post_report(Client(), padded)
    assert response.status_code == 413
    assert "8192" in response.content.decode()
    assert not [r for r in caplog.records if r.name == "compact.csp"]


def test_a_body_that_is_not_a_report_is_refused_and_not_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="compact.csp"):
        responses = [post_report(Client(), b"not json"), post_report(Client(), ["a", "list"])]
    assert [r.status_code for r in responses] == [400, 400]
    assert not [r for r in caplog.records if r.name == "compact.csp"]


def test_reports_past_the_rate_limit_are_refused_and_not_logged(settings, caplog):
    settings.CSP_REPORT_RATE_LIMIT = "2/m"
    with caplog.at_level(logging.WARNING, logger="compact.csp"):
        statuses = [post_report(Client(), REPORT).status_code for _ in range(4)]
    assert statuses == [204, 204, 429, 429]
    assert len([r for r in caplog.records if r.name == "compact.csp"]) == 2


def test_the_report_endpoint_takes_only_posts(client):
    assert client.get(reverse("csp-report")).status_code == 405


def test_the_browsable_api_draws_lists_that_have_no_filters(client, oct_officer):
    # Found by the crawl: DRF's filter form asked these views for a queryset they do not have.
    client.force_login(oct_officer)
    for name in ("api-calendar-schedule-list", "api-public-summary-list"):
        response = client.get(reverse(name), HTTP_ACCEPT="text/html")
        assert response.status_code == 200, name
        assert policy_of(response) == expected_policy("browsable-api")
        assert b'data-target="#filtersModal"' not in response.content
