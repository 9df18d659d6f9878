"""Every page under the Content-Security-Policy, in Debian's headless Chromium.

A crawl signs in as each kind of person (OCT officer, USG, Committee member, working-group
chair, focal point, anonymous), follows the links it is shown from its seeds, and fails on any
violation the browser reports (a ``securitypolicyviolation`` event, a console message that
something was refused), on a script error, on an HTML page without the strict policy and on
a page that errs. Django's resolver lists every URL pattern: each must have been opened by
someone (an answer under 400) or be exempted below with its reason, so that a page added
later fails here until a link or a seed reaches it. A second test checks that the pages'
scripts still do their work under the policy.

The data is the demo's (``load_reference`` and ``load_demo``, as ``make run`` loads them) and
what the demo leaves out, made with the clock set to a day in the third quarter. Set
SCREENSHOTS_DIR to keep screenshots of a few pages.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import logging
import re
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.test_pages_in_chromium import sign_in
from tests.browser.test_reporting_in_chromium import shoot
from tests.security.test_csp import SITE_POLICY, url_patterns

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
logger = logging.getLogger(__name__)

# A Tuesday in the third quarter: the Q3 briefing is open (with an extension asked for), the
# mid-year round is accepted and compiled, the Committee meets in three weeks.
FROZEN_AT = "2026-09-15 14:00Z"
PERSONAS = {
    "oct": "oct.officer",
    "usg": "usg",
    "committee member": "cted.rep",
    "chair": "ohchr.chair",
    "focal point": "unesco.focal",
    "anonymous": None,
}
# How many addresses of one URL pattern a persona opens: other objects of the same kind render
# the same template (seeds pick the objects in states that show more).
PER_PATTERN = 1
# Pages that are the same for every signed-in persona, opened by the first persona that reaches
# them: Swagger UI and ReDoc draw the one schema (OCT's, the same for everyone) in the browser,
# each costing seconds of Chromium's CPU.
ONE_PERSONA = {"api-docs", "api-redoc"}
SEED_MATRIX = Path(settings.BASE_DIR) / "data" / "seed" / "a72-840-ctitf-matrix.txt"

# --- What the crawl does not open, and why -------------------------------------------------

# Actions taking POST only, from forms on pages the crawl opens (test_post_only_exemptions_…
# checks that a GET gets 405: one that answers a GET is a page, and must be opened).
POST_ONLY = [
    "entity-focal-point-invite",
    "entity-focal-point-dismiss",
    "signon-withdraw",
    "signon-review-act",
    "signon-review-assign",
    "signon-review-resend",
    "project-delete",
    "project-overlap-review",
    "project-stage-move",
    "project-security-forces",
    "project-hrddp-add",
    "matrix-import-commit",
    "matrix-mention-map",
    "project-themes-confirm",
    "outreach-briefing-draft",
    "outreach-briefing-act",
    "visit-act",
    "trust-fund-earmark-new",
    "trust-fund-earmark-remove",
    "review-act",
    "consultation-act",
    "consultation-withdraw",
    "reporting-period-create",
    "reporting-period-act",
    "reporting-period-reopen",
    "reporting-submission-act",
    "reporting-submission-autosave",
    "reporting-submission-presence",
    "reporting-submission-word-apply",
    "reporting-attachment-add",
    "reporting-attachment-remove",
    "reporting-extension-request",
    "reporting-extension-act",
    "reporting-consolidated-start",
    "reporting-annual-start",
    "reporting-annual-act",
    "reporting-annual-early-reason",
    "reporting-edition-request",
    "reporting-edition-final",
    "committee-meeting-act",
    "committee-agenda-build",
    "committee-item-add",
    "committee-item-remove",
    "committee-item-move",
    "committee-attendance-set",
    "committee-attendance-remove",
    "committee-decision-add",
    "committee-action-add",
    "committee-action-act",
    "committee-cascade",
    "committee-briefing-pack",
    "programme-priority-remove",
    "programme-priority-move",
    "programme-result-remove",
    "programme-result-move",
    "monitoring-indicator-remove",
    "monitoring-indicator-move",
    "workplan-output-remove",
    "reorganisation-edit",
    "reorganisation-target-add",
    "reorganisation-target-remove",
    "reorganisation-mapping",
    "reorganisation-act",
    "workplan-activity-remove",
    "lockout-clear",
    "notification-open",
    "notifications-read-all",
    "logout",
    "admin:logout",
    "csp-report",
]
DOWNLOADS = [
    "signon-letter",
    "signon-review-letter",
    "project-export-csv",
    "project-export-xlsx",
    "project-export-iati",
    "api-project-iati",
    "matrix-import-template",
    "reporting-attachment",
    "reporting-edition-download",
    "reporting-edition-download-word",
    "reporting-submission-word",
    "reporting-feed",
    "committee-meeting-ics",
    "resources-csv",
]
EXEMPT = {
    **dict.fromkeys(POST_ONLY, "POST only: an action from a form on a page that is opened (a GET gets 405)"),
    **dict.fromkeys(DOWNLOADS, "a download (PDF, Word, CSV, XLSX, IATI XML, iCalendar), not a page"),
    "set_language": "changes the language on POST (the form on every page; the second test uses it)",
    "reporting-edition-status": "JSON that the compiled reports' progress bar polls (the second test checks it)",
    "healthz": "JSON for load balancers",
    "oidc_authentication_init": "single sign-on: a redirect to the provider (test_single_sign_on.py)",
    "oidc_authentication_callback": "single sign-on: the provider's redirect back to a session or the sign-in page",
    "api-schema": "the OpenAPI document (YAML) that Swagger UI and ReDoc read",
    "admin:jsi18n": "the admin's JavaScript catalogue: a script file",
    "admin:autocomplete": "JSON for the admin's autocomplete widgets",
    "admin:view_on_site": "a redirect to the object's page on the site",
    "admin/(?P<url>.*)$": "the admin's catch-all: a redirect or a 404, no page of its own",
}
EXEMPT_RULES = {
    re.compile(r"^admin/.+/<path:object_id>/$"): "the admin's old address for an object: a redirect to its change page",
}
# Pages of one generic template for many patterns: opened for this many of them, not for each.
SAMPLED: dict[str, tuple[Callable[[str], bool], int]] = {
    "the admin's history page of an object (Django's template for every model)": (
        lambda key: key.startswith("admin:") and key.endswith("_history"),
        3,
    ),
    "the admin's confirmation before deleting an object (Django's template for every model)": (
        lambda key: key.startswith("admin:") and key.endswith("_delete"),
        3,
    ),
    "one object or sub-resource in DRF's browsable API (its one template)": (
        lambda key: key.startswith("api-") and key in keys_with_arguments(),
        8,
    ),
}


def pattern_key(name: str, route: str) -> str:
    """How a pattern is known here: its (namespaced) name, or its route when it has none."""
    return name if name and not name.endswith(":") else route.replace("^", "")


def key_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name if match.url_name else match.route.replace("^", "")


@functools.cache
def all_patterns() -> dict[str, object]:
    return {pattern_key(name, route): pattern for route, name, pattern in url_patterns()}


@functools.cache
def keys_with_arguments() -> frozenset[str]:
    return frozenset(key for key, pattern in all_patterns().items() if pattern.pattern.regex.groups)


def sampled_by(key: str) -> str | None:
    return next((what for what, (applies, _count) in SAMPLED.items() if applies(key)), None)


def some_url(name: str) -> str:
    """An address of the pattern named ``name``, with made-up arguments of the right shape."""
    pattern = all_patterns()[name]
    groups = list(getattr(pattern.pattern, "converters", {}) or pattern.pattern.regex.groupindex)
    for values in itertools.product(["1", "consolidated", "x"], repeat=len(groups)):
        try:
            return reverse(name, kwargs=dict(zip(groups, values, strict=True)))
        except NoReverseMatch:
            continue
    raise NoReverseMatch(name)


def api_takes_no_get(key: str) -> bool:
    """An API route whose view has no GET (an action taking POST only)."""
    callback = all_patterns()[key].callback
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return "get" not in actions
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return view_class is not None and not hasattr(view_class, "get")


def shadowed(key: str) -> bool:
    """A named pattern whose address resolves to an earlier pattern: no one can open it."""
    if key not in all_patterns() or "/" in key:
        return False
    try:
        return key_of(some_url(key)) != key
    except NoReverseMatch:
        return False


@functools.cache
def exemption(key: str) -> str | None:
    """Why the pattern ``key`` is not opened by the crawl, or None (it must be)."""
    if key in EXEMPT:
        return EXEMPT[key]
    for rule, reason in EXEMPT_RULES.items():
        if rule.search(key):
            return reason
    if key.startswith("api-") and api_takes_no_get(key):
        return "an API action taking POST only: JSON for clients"
    if shadowed(key):
        return "shadowed: its address leads to an earlier pattern (config/urls.py), which is opened instead"
    return None


# --- The browser side -----------------------------------------------------------------------

# Installed before any script of the page runs, in every page the context opens.
VIOLATION_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""
REFUSED = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)
# The one refusal that is meant: ReDoc's footer asks for its logo from cdn.redoc.ly, the policy
# refuses it (nothing is loaded from elsewhere) and ReDoc leaves the logo out.
MEANT = {"api-redoc": re.compile(r"https://cdn\.redoc\.ly/redoc/logo-mini\.svg")}


@dataclass
class Crawl:
    """One persona's walk through the site, and what went wrong on the way."""

    page: object
    base: str
    persona: str
    missing: dict[str, str] = field(default_factory=dict)
    seen: Counter = field(default_factory=Counter)
    visited: set = field(default_factory=set)
    opened: set = field(default_factory=set)
    problems: list = field(default_factory=list)
    console: list = field(default_factory=list)
    # The ONE_PERSONA pages an earlier persona's crawl opened (shared by the personas' crawls).
    opened_once: set = field(default_factory=set)

    def __post_init__(self) -> None:
        self.page.on("console", lambda message: self._console(message.text))
        self.page.on("pageerror", lambda error: self.console.append(f"script error: {error}"))

    def _console(self, text: str) -> None:
        if REFUSED.search(text):
            self.console.append(text)

    def run(self, seeds: Iterable[str]) -> None:
        # Seeds are opened whatever their pattern's count: they pick objects in states that show more.
        queue = deque((f"{self.base}{seed}", True) for seed in seeds)
        while queue:
            url, seeded = queue.popleft()
            key = self._worth_opening(url, seeded)
            if key is not None:
                queue.extend((link, False) for link in self.open(url, key))

    def _worth_opening(self, url: str, seeded: bool = False) -> str | None:
        parts = urlsplit(url)
        if parts.netloc != urlsplit(self.base).netloc or "format=" in parts.query:
            return None  # elsewhere, or the browsable API's JSON
        key = key_of(parts.path)
        if key is None or _address(parts) in self.opened or exemption(key) or key in self.missing:
            return None
        if key in ONE_PERSONA and key in self.opened_once:  # seeds too
            return None
        sample = sampled_by(key)
        if (
            sample
            and key not in self.seen
            and len([k for k in self.seen if sampled_by(k) == sample]) >= SAMPLED[sample][1]
        ):
            return None
        return key if seeded or self.seen[key] < PER_PATTERN else None

    def open(self, url: str, key: str) -> list[str]:
        """Open one page, note what the browser refused, return the links it shows."""
        self.opened.add(_address(urlsplit(url)))
        self.seen[key] += 1
        if key in ONE_PERSONA:
            self.opened_once.add(key)
        try:
            response = self.page.goto(url, wait_until="load")
            self.settle(key)
        except PlaywrightError as error:  # a download, an empty error answer, a page that never draws
            self.problems.append(f"{self.persona}: {url}: {error.message.splitlines()[0]}")
            return []
        self.check(url, response, key)
        if response is None or response.status >= 400:
            return []
        self.visited.add(key)
        landed = key_of(urlsplit(self.page.url).path)
        if landed:
            self.visited.add(landed)
        # An SVG chart's links have an SVGAnimatedString for ``href``: read the attribute.
        return self.page.eval_on_selector_all("a[href]", LINKS_OF_PAGE)

    def settle(self, key: str) -> None:
        # Swagger UI and ReDoc draw the page from the schema after the load event.
        if key == "api-docs":
            self.page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
        elif key == "api-redoc":
            self.page.wait_for_selector("[role=search] input", timeout=30_000)

    def check(self, url: str, response, key: str = "") -> None:
        """Note every refusal the page caused since the last check, and a missing policy."""
        where = f"{self.persona}: {url}"
        violations = self.page.evaluate("window.__cspViolations ? window.__cspViolations.splice(0) : []")
        meant = MEANT.get(key)
        for refusal in [*violations, *self.console]:
            if meant is None or not meant.search(refusal):
                self.problems.append(f"{where}: {refusal}")
        self.console.clear()
        if response is None:
            return
        if response.status >= 500:
            self.problems.append(f"{where}: HTTP {response.status}")
        if "text/html" in (response.header_value("content-type") or ""):
            policy = response.header_value("content-security-policy") or ""
            if f"script-src {SITE_POLICY['script-src']};" not in f"{policy};":
                self.problems.append(f"{where}: no strict Content-Security-Policy ({policy!r})")


def _address(parts) -> str:
    return parts.path + (f"?{parts.query}" if parts.query else "")


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(VIOLATION_LISTENER)
    return context, context.new_page()


def crawl_as(browser, live_server, persona: str, site: DemoSite, opened_once: set) -> Crawl:
    context, page = new_page(browser)
    crawl = Crawl(page=page, base=live_server.url, persona=persona, missing=site.missing, opened_once=opened_once)
    if PERSONAS[persona]:
        sign_in(page, live_server, PERSONAS[persona])
        crawl.check(page.url, None)
    crawl.run(site.seeds[persona])
    context.close()
    return crawl


# --- The data ---------------------------------------------------------------------------------


@dataclass
class DemoSite:
    seeds: dict[str, list[str]]
    consolidated_pk: int
    done_edition_number: int
    # Admin pages the data cannot show, with the reason (read-only models, models without rows).
    missing: dict[str, str]


@pytest.fixture
def demo_site(time_machine, settings, tmp_path) -> DemoSite:
    """The demo's data, and what it leaves out: a Member State briefing, sign-on requests waiting
    for confirmation and for information, an annual report, a consolidated report with a done
    edition and one being generated, a worker's heartbeat; the private links people get by e-mail."""
    from compact.core.roles import roles_ensure_groups
    from compact.registry.services import heartbeat_record
    from portal.demo import demo_load
    from portal.reference import reference_load

    time_machine.move_to(FROZEN_AT)
    settings.MEDIA_ROOT = tmp_path / "media"
    # Chromium's clock is not frozen: cookies that end with the browser never expire early.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    roles_ensure_groups()
    reference_load()
    demo_load(password="pw")
    officer = _user("oct.officer")
    consolidated_pk, done_number = _editions(officer)
    _outreach_briefing(officer)
    _annual_report(officer)
    _closed_consultation(officer)
    heartbeat_record(name="worker")
    awaiting, informing = _signon_requests(officer)
    return DemoSite(
        seeds=_seeds(awaiting, informing),
        consolidated_pk=consolidated_pk,
        done_edition_number=done_number,
        missing=_admin_pages_missing(officer),
    )


def _user(username: str):
    from compact.core.models import User

    return User.objects.get(username=username)


def _editions(officer) -> tuple[int, int]:
    """The demo's consolidated report: its first edition made here (done, so "Make final" shows
    with its confirmation) and a second asked for (its progress bar polls; no worker runs)."""
    from reporting.compiled.editions import edition_render, edition_request
    from reporting.compiled.models import ConsolidatedReport

    report = ConsolidatedReport.objects.get()
    queued = report.editions.get()
    assert edition_render(edition_id=queued.pk)
    edition_request(report=report, actor=officer)
    return report.pk, queued.number


def _outreach_briefing(officer) -> None:
    from compact.outreach.services import briefing_create

    briefing_create(
        actor=officer,
        date=datetime.date(2026, 9, 10),
        audience="Member States, New York",
        title="Briefing on the Compact's mid-year progress",
    )


def _annual_report(officer) -> None:
    from reporting.compiled.services import annual_report_start

    annual_report_start(year=2026, actor=officer)


def _closed_consultation(officer) -> None:
    """A second consultation on the demo's programme, closed with UNESCO's comment: OCT's
    response form is linked from it (the demo's own round stays open for the comment forms)."""
    import datetime as dt

    from reporting.consultation.models import ConsultationRound
    from reporting.consultation.services import consultation_act, consultation_comment_create, consultation_create

    demo = ConsultationRound.objects.get(state="open")
    round_ = consultation_create(
        actor=officer,
        subject_kind=demo.subject_kind,
        subject_id=demo.subject_id,
        comments_due_on=dt.date(2026, 9, 30),
        entities=list(demo.entities.filter(acronym="UNESCO")),
    )
    round_ = consultation_act(round=round_, action="open", actor=officer)
    consultation_comment_create(
        round=round_,
        entity=round_.entities.get(),
        section_key="introduction",
        actor=_user("unesco.focal"),
        text="A comment.",
        classification="unclassified",
    )
    consultation_act(round=round_, action="close", actor=officer)


def _signon_requests(officer) -> tuple[str, str]:
    """A request waiting for its e-mail to be confirmed and one OCT asked for information:
    the confirmation token and the applicant's access key."""
    from compact.signon.links import signon_confirmation_token
    from compact.signon.services import signon_act, signon_email_confirm, signon_submit
    from tests.helpers import signon_form_data

    fields = {
        key: value for key, value in signon_form_data().items() if key not in ("declaration", "homepage", "pillars")
    }
    common = {"working_groups": [], "letter": None, "submitted_from": None, "language": "en"}
    # Organisations not in the registry (the reference data lists the real parties).
    awaiting = signon_submit(
        fields={**fields, "acronym": "RTN", "organization_name": "Regional Training Network", "pillars": ["II"]},
        **common,
    )
    informing = signon_submit(
        fields={**fields, "acronym": "IPS", "organization_name": "Institute for Peace Studies", "pillars": ["IV"]},
        **common,
    )
    informing = signon_email_confirm(token=signon_confirmation_token(informing))
    signon_act(request=informing, action="request_information", actor=officer, message="Which units would take part?")
    return signon_confirmation_token(awaiting), informing.access_key


def _admin_pages_missing(officer) -> dict[str, str]:
    """The admin's add pages of read-only models and change pages of models without a row."""
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get(reverse("admin:index"))
    request.user = officer
    missing = {}
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if not model_admin.has_add_permission(request):
            missing[f"{prefix}_add"] = "read-only in the admin: it has no add page"
        if not model_admin.get_queryset(request).exists():
            missing[f"{prefix}_change"] = "no row in the demo's data to open"
    return missing


def _seeds(confirmation_token: str, access_key: str) -> dict[str, list[str]]:
    """Where each persona starts: home, and the addresses no page links to (they come by e-mail,
    are typed, or are the API's)."""
    from reporting.committee.models import Meeting
    from reporting.submissions.models import Submission

    focal = _user("unesco.focal")
    officer = _user("oct.officer")
    reset_link = reverse(
        "password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(focal.pk)), default_token_generator.make_token(focal)],
    )
    accepted = Submission.objects.get(status="accepted", period__kind="mid-year")
    # A held meeting's minutes and a planned one's agenda items are edited on pages of their own.
    meetings = [Meeting.objects.filter(state=state).first() for state in ("held", "planned")]
    reports = [
        *(reverse("committee-meeting", args=[meeting.pk]) for meeting in meetings if meeting),
        reverse("reporting-submission", args=[accepted.pk]),
        reverse("reporting-submission-versions", args=[accepted.pk]),
    ]
    signed_in = [
        "/",
        # The search box is a form in every page's header; its results page, with hits of each kind.
        reverse("search") + "?q=Compact",
        reverse("password_change"),
        reverse("password_change_done"),
        reverse("api-docs"),
        reverse("api-redoc"),
        reverse("api-entity-list"),
        reverse("api-submission-list"),
    ]
    api_lists = [
        reverse(key) for key in sorted(all_patterns()) if key.startswith("api-") and key not in keys_with_arguments()
    ]
    return {
        "anonymous": [
            "/",
            reverse("signon-form"),
            reverse("signon-confirm", args=[confirmation_token]),
            reverse("signon-status", args=[access_key]),
            reverse("signon-edit", args=[access_key]),
            reverse("password_reset"),
            reverse("password_reset_done"),
            reset_link,
            reverse("password_reset_complete"),
            reverse("admin:index"),
            "/no-such-page/",
        ],
        "oct": [
            *signed_in,
            *reports,
            reverse("api-entity-resolve") + "?name=UNOCT",  # before the bare address, a 400
            *api_lists,
            reverse("admin:index"),
            reverse("admin:password_change"),
            reverse("admin:password_change_done"),
            # The user admin's password form opens for one's own account only (no link to it
            # from anyone else's page, which answer 403: tests/security/test_superuser.py).
            reverse("admin:auth_user_password_change", args=[officer.pk]),  # Django's name, any user model
        ],
        "usg": signed_in,
        "committee member": signed_in,
        "chair": [*signed_in, *reports],
        "focal point": signed_in,
    }


LINKS_OF_PAGE = "links => links.map(link => new URL(link.getAttribute('href'), document.baseURI).href.split('#')[0])"


# --- The tests --------------------------------------------------------------------------------


def test_every_page_renders_under_the_policy_for_every_persona(live_server, demo_site, browser):
    started = time.monotonic()
    opened_once: set[str] = set()
    crawls = [crawl_as(browser, live_server, persona, demo_site, opened_once) for persona in PERSONAS]
    problems = [problem for crawl in crawls for problem in crawl.problems]
    assert problems == [], "\n".join(problems)

    visited = set().union(*(crawl.visited for crawl in crawls))
    required = {key for key in all_patterns() if not (exemption(key) or sampled_by(key) or key in demo_site.missing)}
    unvisited = sorted(required - visited)
    assert unvisited == [], "never opened as a page (link or seed it, or exempt it with a reason):\n" + "\n".join(
        unvisited
    )
    assert set(EXEMPT) - set(all_patterns()) == set()  # no exemption outlives its pattern
    for what, (applies, count) in SAMPLED.items():
        assert len([key for key in visited if applies(key)]) >= count, what
    assert opened_once == ONE_PERSONA  # each was opened, by one persona
    opened = sum(len(crawl.opened) for crawl in crawls)
    logger.info("%d pages of %d URL patterns in %.0f s", opened, len(visited), time.monotonic() - started)


def test_the_pages_scripts_still_do_their_work_under_the_policy(live_server, demo_site, orm, browser):
    """What the policy could silently break: the edition's progress bar polls and redraws, a
    confirmation asks and a refusal sends nothing, the language form posts, the import previews
    an upload, Swagger UI calls the API, ReDoc searches (in its blob: worker), the admin's and
    DRF's widgets run."""
    from compact.core.models import AuditEvent

    context, page = new_page(browser)
    crawl = Crawl(page=page, base=live_server.url, persona="oct")
    sign_in(page, live_server, "oct.officer")
    base = live_server.url

    # The progress bar asks for the edition's status and writes what it hears.
    page.goto(base + reverse("reporting-consolidated", args=[demo_site.consolidated_pk]))
    page.locator("[data-stage]").evaluate("stage => { stage.textContent = 'written by the test'; }")
    with page.expect_response(re.compile(r"/reporting/compiled/editions/\d+/status/")) as polled:
        pass
    assert polled.value.ok
    expect(page.locator("[data-stage]")).not_to_have_text("written by the test")
    shoot(page, "csp-consolidated-report")

    # "Make final" asks first; declined, nothing is sent; accepted, the form goes.
    make_final = page.get_by_role("button", name=f"Make final edition {demo_site.done_edition_number}")
    audit_rows = orm(lambda: AuditEvent.objects.count())
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    make_final.click()
    page.wait_for_timeout(500)
    assert asked and asked[0].startswith(f"Make edition {demo_site.done_edition_number} final?")
    assert orm(lambda: AuditEvent.objects.count()) == audit_rows
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        make_final.click()
    expect(page.locator(".messages")).to_be_visible()
    crawl.check(page.url, None)

    # The language form posts (form-action) and the page comes back from right to left.
    page.goto(base + reverse("project-pivots"))
    page.select_option("#language", "ar")
    with page.expect_navigation():
        page.click(".lang button")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    shoot(page, "csp-pivots-rtl")
    page.select_option("#language", "en")
    with page.expect_navigation():
        page.click(".lang button")
    crawl.check(page.url, None)

    # The matrix import reads an upload and shows its preview.
    page.goto(base + reverse("matrix-import"))
    page.set_input_files("input[type=file]", str(SEED_MATRIX))
    with page.expect_navigation():
        page.locator("form.upload-form button[type=submit]").click()
    expect(page.locator("dl.import-counts")).to_be_visible()
    crawl.check(page.url, None)

    # Swagger UI draws the operations from the schema and calls the API.
    page.goto(base + reverse("api-docs"))
    operation = page.locator(".opblock-get").first
    path = operation.locator(".opblock-summary-path").get_attribute("data-path")
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda response: urlsplit(response.url).path == path) as called:
        operation.get_by_role("button", name="Execute").click()
    assert called.value.status == 200
    shoot(page, "csp-swagger-ui")
    crawl.check(page.url, None)

    # ReDoc searches the schema in its worker. A search waits there until the whole schema
    # is indexed, which on a loaded CI machine took longer than 15 s: allow a minute.
    page.goto(base + reverse("api-redoc"))
    page.locator("[role=search] input").fill("entities")
    expect(page.locator("[data-role='search:results'] li").first).to_be_visible(timeout=60_000)
    shoot(page, "csp-redoc")
    crawl.check(page.url, None, "api-redoc")

    # The admin's date shortcuts and two-box selector are drawn by its scripts.
    page.goto(base + reverse("admin:compact_membership_add"))
    expect(page.locator(".datetimeshortcuts").first).to_be_visible()
    # Another person's account: on one's own, roles and permissions are read-only (no selector).
    chair_pk = orm(lambda: _user("ohchr.chair").pk)
    page.goto(base + reverse("admin:compact_user_change", args=[chair_pk]))
    expect(page.locator(".selector-chooseall").first).to_be_visible()
    crawl.check(page.url, None)

    # DRF's browsable API opens its filters (jQuery and Bootstrap run).
    page.goto(base + reverse("api-entity-list"))
    page.get_by_role("button", name="Filters").click()
    expect(page.locator("#filtersModal")).to_be_visible()
    shoot(page, "csp-browsable-api")
    crawl.check(page.url, None)

    context.close()
    assert crawl.problems == [], "\n".join(crawl.problems)


@pytest.mark.django_db
def test_post_only_exemptions_refuse_a_get(oct_officer):
    """The crawl leaves out what it cannot open as a page: an action exempted as POST only must
    answer a GET with 405 (else it is a page, and the crawl must open it)."""
    oct_officer.is_staff = True  # the admin's own actions too
    oct_officer.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(oct_officer)
    answers = {name: client.get(some_url(name)).status_code for name in POST_ONLY}
    assert {name: status for name, status in answers.items() if status != 405} == {}
