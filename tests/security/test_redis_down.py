"""Issue 14, hole 7: Redis down must not make a request slow, and must lose nothing.

Every request path that touches Redis — publishing a task after the commit (the e-mail outbox,
an edition for a worker) and the cache (the sign-on form's rate limiter) — is timed through
Django's test client against a real Redis of the test's own that is (a) stopped: connection
refused, and (b) paused with SIGSTOP: it accepts connections and answers nothing. Each case
starts from the state of a web process that has just started (no pooled connection, no
remembered outage), because the first request of a new process is the one that used to wait
longest. The broker and the cache both point at the test's Redis, as production's do.

Then Redis comes back and a real worker runs the minute sweeps: every e-mail goes out and every
edition is rendered, each exactly once.
"""

from __future__ import annotations

import datetime
import logging
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from compact.accounts.models import PasswordResetRequest
from compact.core.models import AuditEvent, Heartbeat, OutboundEmail
from compact.registry.services import person_create
from compact.signon.models import SignOnRequest
from compact.tasks import emails_send_pending_task, heartbeat_record_task
from reporting.committee.services import agenda_item_add, meeting_create
from reporting.compiled.models import ReportEdition
from reporting.compiled.services import consolidated_report_start
from reporting.submissions.models import Submission
from reporting.tasks import editions_requeue_lost_task
from tests.conftest import require_or_skip
from tests.helpers import signon_form_data
from tests.redis_outage import HUNG_BOUND, REFUSED_BOUND, RedisServer, broker, fresh_process_state, redis_cache
from tests.test_celery_worker import Worker, wait_for
from workinggroups.models import RoleAssignment
from workinggroups.services import role_representative_set

pytestmark = [pytest.mark.services]

# The services' and helpers' loggers (a page's own warnings are the page's business).
OUR_LOGGERS = (
    "compact.lib.",
    "compact.core.outbox",
    "compact.accounts.services",
    "compact.registry.services",
    "compact.signon.services",
    "reporting.submissions.services",
    "reporting.calendar.",
    "reporting.compiled.services",
)
# The page and the API are used by two applicants, so that one test can send both.
ICAO = {"acronym": "ICAO", "focal_email": "amina.obrien@icao.example"}
IMO = {
    "acronym": "IMO",
    "organization_name": "International Maritime Organization",
    "focal_email": "focal@imo.example",
    "website": "https://www.imo.org",
}


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        require_or_skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def on_test_redis(redis_server, settings, tmp_path) -> Iterator[RedisServer]:
    """The broker (database 0) and the cache (database 1) on the test's Redis; outages are
    remembered in a folder of the test's own (the worker subprocess does not see it)."""
    settings.CELERY_BROKER_URL = redis_server.url
    settings.CACHES = redis_cache(redis_server.db_url(1))
    settings.OUTAGES_DIR = tmp_path / "outages"
    with broker(redis_server.url):
        yield redis_server


@dataclass
class World:
    chair: Any  # WG 7's, who submits on the page
    other_chair: Any  # WG 2's, who submits through the API
    oct_officer: Any
    report: Any
    meeting: Any
    period: Any

    def draft(self, number: int) -> Submission:
        return Submission.objects.get(period=self.period, working_group__number=number)


@pytest.fixture
def world(roster, report_period, chair, oct_officer) -> World:
    other_chair = person_create(
        username="wg2chair",
        email="wg2chair@example.org",
        first_name="Wg2",
        last_name="Chair",
        entity=roster.unodc,
        password="pw",
        actor=None,
    )
    role_representative_set(
        assignment=RoleAssignment.objects.get(working_group=roster.other_group, role="chair"),
        person=other_chair,
        actor=None,
    )
    meeting = meeting_create(
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        actor=oct_officer,
        date=datetime.date(2026, 10, 20),
        place="New York",
    )
    agenda_item_add(meeting=meeting, actor=oct_officer, kind="other", title="Any other business")
    return World(
        chair=chair,
        other_chair=other_chair,
        oct_officer=oct_officer,
        report=consolidated_report_start(period=report_period, actor=oct_officer),
        meeting=meeting,
        period=report_period,
    )


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user: Any) -> APIClient:
    """An API client that authenticates with a real token, as an integration does."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


# --- The request paths: each makes one request and says what it must have stored ---------------


def submit_page(world: World) -> Any:
    draft = world.draft(7)
    return web(world.chair).post(reverse("reporting-submission-act", args=[draft.pk]), {"action": "submit"})


def submit_api(world: World) -> Any:
    draft = world.draft(2)
    return api(world.other_chair).post(f"/api/v1/submissions/{draft.pk}/transitions/", {"action": "submit"})


def submitted(number: int) -> Callable[[World], None]:
    def stored(world: World) -> None:
        draft = world.draft(number)
        assert draft.status == Submission.Status.SUBMITTED
        waiting = OutboundEmail.objects.filter(occasion__startswith=f"reporting:{draft.pk}:step:")
        assert waiting.exists() and not waiting.filter(sent_at__isnull=False).exists()

    return stored


def edition_page(world: World) -> Any:
    return web(world.oct_officer).post(reverse("reporting-edition-request", args=["consolidated", world.report.pk]))


def edition_queued(world: World) -> None:
    assert list(world.report.editions.values_list("number", "status")) == [(1, ReportEdition.Status.QUEUED)]


def briefing_pack_api(world: World) -> Any:
    return api(world.oct_officer).post(f"/api/v1/committee-meetings/{world.meeting.pk}/briefing-pack/", format="json")


def pack_queued(world: World) -> None:
    assert list(world.meeting.briefing_packs.values_list("number", "status")) == [(1, ReportEdition.Status.QUEUED)]


def signon_page(world: World) -> Any:
    return Client().post(reverse("signon-form"), signon_form_data(**ICAO))


def signon_api(world: World) -> Any:
    return APIClient().post("/api/v1/sign-on-requests/", signon_form_data(**IMO), format="multipart")


def signon_stored(applicant: dict[str, str]) -> Callable[[World], None]:
    def stored(world: World) -> None:
        awaiting = SignOnRequest.State.AWAITING_CONFIRMATION
        assert SignOnRequest.objects.filter(acronym=applicant["acronym"], state=awaiting).count() == 1
        assert OutboundEmail.objects.filter(recipient=applicant["focal_email"], sent_at__isnull=True).count() == 1

    return stored


def password_reset(world: World) -> Any:
    return Client().post(reverse("password_reset"), {"email": world.chair.email})


def reset_stored(world: World) -> None:
    # The worker looks the address up and queues the e-mail: the request only records it.
    assert PasswordResetRequest.objects.filter(email=world.chair.email).count() == 1


def reset_emails(world: World) -> Any:
    return OutboundEmail.objects.filter(occasion__startswith=f"password-reset:{world.chair.pk}:")


def system_page(world: World) -> Any:
    return web(world.oct_officer).get(reverse("system-status"))


def nothing_to_keep(world: World) -> None:
    """A read: the one page that asks the broker on purpose (for OCT) says it is unreachable."""


@dataclass(frozen=True)
class Path:
    name: str
    request: Callable[[World], Any]
    status: int
    stored: Callable[[World], None]
    uses_cache: bool = False
    logs: bool = True  # whether the failure is logged (the status page shows it instead)
    text: str = ""  # what the answer must say


PATHS = [
    Path("a chair submits (page)", submit_page, 302, submitted(7)),
    Path("a chair submits (API)", submit_api, 200, submitted(2)),
    Path("OCT generates an edition (page)", edition_page, 302, edition_queued),
    Path("OCT asks for a briefing pack (API)", briefing_pack_api, 202, pack_queued),
    Path("an applicant signs on (page)", signon_page, 302, signon_stored(ICAO), uses_cache=True),
    Path("an applicant signs on (API)", signon_api, 201, signon_stored(IMO), uses_cache=True),
    Path("someone asks for a password reset", password_reset, 302, reset_stored),
    Path("OCT reads the system status", system_page, 200, nothing_to_keep, logs=False, text="unreachable"),
]


def make_outage(server: RedisServer, kind: str) -> None:
    if kind == "stopped":
        server.stop()
    else:
        server.hang()


def timed(path: Path, world: World, capture: Callable | None) -> tuple[Any, float]:
    """The request's wall time, from a fresh process state, including what runs at its commit,
    less the time its thread stood ready while the machine's CPUs ran other work.

    What the bounds are about is waiting on Redis; on a CI machine whose CPUs the parallel
    suite keeps busy, a page waited 0.1 s or more for a CPU and a refused connection's 0.5 s
    bound failed at 0.62 s without any wait on Redis. The kernel counts that queueing per
    thread (``/proc/thread-self/schedstat``); a wait on a socket is not queueing, so it stays in."""
    fresh_process_state()
    queued, began = _queued_seconds(), time.monotonic()
    if capture is None:  # a transactional test: the request commits, on_commit runs in it
        response = path.request(world)
    else:
        with capture(execute=True):
            response = path.request(world)
    return response, time.monotonic() - began - (_queued_seconds() - queued)


def _queued_seconds() -> float:
    """How long this thread has stood ready to run without a CPU (0 where the kernel does not say)."""
    try:
        return int(FilePath("/proc/thread-self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith(OUR_LOGGERS)]


BOUNDS = {"stopped": REFUSED_BOUND, "hung": HUNG_BOUND}


@pytest.mark.parametrize("outage", ["stopped", "hung"])
@pytest.mark.parametrize("path", PATHS, ids=[path.name for path in PATHS])
def test_a_request_answers_within_the_bound_with_redis_down_and_keeps_its_work(
    on_test_redis, world, path, outage, django_capture_on_commit_callbacks, caplog
):
    """Under 0.5 s with Redis refusing connections, under 3 s with Redis hung; the change is
    made and its e-mails and editions wait in the database for the sweeps."""
    caplog.set_level(logging.INFO)
    make_outage(on_test_redis, outage)
    response, elapsed = timed(path, world, django_capture_on_commit_callbacks)
    assert response.status_code == path.status, response.content[:2000]
    assert elapsed < BOUNDS[outage], f"{path.name}: {elapsed:.2f} s with Redis {outage}"
    path.stored(world)
    assert path.text in response.content.decode()
    said = warnings(caplog)
    assert said or not path.logs, "the failure to reach Redis was not logged"
    if path.uses_cache:
        assert any(f"127.0.0.1:{on_test_redis.port}" in line and "rate limits" in line for line in said), said


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("outage", ["stopped", "hung"])
def test_what_waited_while_redis_was_down_goes_out_exactly_once_when_it_is_back(
    on_test_redis, world, outage, tmp_path, caplog
):
    """Every path with Redis down (each request within its bound, committed for real), then
    Redis back — restarted empty, or resumed with whatever it was sent meanwhile — and a worker
    running the minute sweeps: each e-mail sent once, each edition rendered once, and sweeps
    run again change nothing."""
    if connection.vendor != "postgresql":
        require_or_skip("the worker subprocess needs PostgreSQL (it cannot see an SQLite test database)")
    make_outage(on_test_redis, outage)
    for path in PATHS:
        response, elapsed = timed(path, world, None)
        assert response.status_code == path.status, (path.name, response.content[:2000])
        assert elapsed < BOUNDS[outage], f"{path.name}: {elapsed:.2f} s with Redis {outage}"
    editions = set(ReportEdition.objects.values_list("pk", flat=True))
    assert len(editions) == 2 and OutboundEmail.objects.count() >= 3 and PasswordResetRequest.objects.count() == 1
    assert not OutboundEmail.objects.filter(sent_at__isnull=False).exists()

    if outage == "stopped":
        on_test_redis.start()
    else:
        on_test_redis.resume()
    fresh_process_state()
    worker = Worker(on_test_redis.url, tmp_path / "worker.log", env={"MEDIA_ROOT": str(tmp_path / "media")})
    try:
        emails_send_pending_task.delay()  # what beat sends every minute
        editions_requeue_lost_task.delay()
        everything_out = lambda: (  # noqa: E731
            not PasswordResetRequest.objects.exists()
            and reset_emails(world).exists()
            and not OutboundEmail.objects.filter(sent_at__isnull=True).exists()
            and ReportEdition.objects.filter(pk__in=editions, status=ReportEdition.Status.DONE).count() == 2
        )
        if not wait_for(everything_out, seconds=120):
            worker.fail("the sweeps did not send and render what waited")
        # The next minute's sweeps, then a marker: the solo worker runs tasks in order.
        emails_send_pending_task.delay()
        editions_requeue_lost_task.delay()
        heartbeat_record_task.delay("after-the-second-sweeps")
        if not wait_for(lambda: Heartbeat.objects.filter(name="after-the-second-sweeps").exists()):
            worker.fail("the worker did not run the second sweeps")
    finally:
        worker.stop()
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {1}
    assert reset_emails(world).count() == 1
    assert OutboundEmail.objects.filter(recipient__in=[ICAO["focal_email"], IMO["focal_email"]]).count() == 2
    generated = AuditEvent.objects.filter(verb="reporting.edition_generated")
    assert generated.count() == 2
    assert sorted(ReportEdition.objects.values_list("attempts", flat=True)) == [1, 1]
    # Each edition once: its PDF and its Word file.
    stored = sorted(path.suffix for path in (tmp_path / "media" / "reporting" / "editions").iterdir())
    assert stored == [".docx", ".docx", ".pdf", ".pdf"]
