"""Two machines on one (issue 19): the deployment of docs/operations.md, played on loopback.

Two web processes (gunicorn, each on its own port), two Celery workers (one for the default
queue, one for the "pdf" queue), one beat, the test database on PostgreSQL, Redis, and an
S3-compatible object store (moto's server) as ``STORAGE_URL``. Each process has a media folder
of its own that must stay empty: a file one process writes is seen by another only through the
bucket, as it would be on two machines.

- OCT's officer signs in through web process 1 (the sign-in form); the session is good at web
  process 2 too (sessions live in the database).
- A PDF edition requested through web process 1 is laid out by the PDF worker (and not by the
  default worker), kept in the bucket, and downloaded through web process 2, byte for byte.
- A report attachment uploaded through web process 2 is downloaded through web process 1.

One test, on purpose: the cluster's Redis databases are the test's own, and a second test run
at the same time on another pytest-xdist worker would share them.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from reporting.compiled.models import ReportEdition
from reporting.compiled.services import consolidated_report_start
from reporting.submissions.models import Submission
from tests.conftest import require_or_skip
from tests.helpers import pdf_bytes
from tests.processes import Process, free_port, run_database_url, wait_for

pytestmark = [pytest.mark.long, pytest.mark.services, pytest.mark.django_db(transaction=True)]

BUCKET = "compact-two-machines"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTUP_SECONDS = 120.0
RENDER_SECONDS = 120.0
PASSWORD = "pw"  # every person tests/conftest.py makes has it


@dataclass
class Cluster:
    """The processes of the deployment and what the test needs to talk to them."""

    tmp_path: Path
    s3_endpoint: str
    web: list[str] = field(default_factory=list)  # base URLs of the two web processes
    processes: dict[str, Process] = field(default_factory=dict)

    def s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def local_files(self) -> list[Path]:
        """Every file any process wrote to its own media folder (there must be none)."""
        return [path for path in self.tmp_path.glob("media-*/**/*") if path.is_file()]

    def fail(self, what: str, *names: str) -> None:
        logs = "\n".join(f"--- {name}:\n{self.processes[name].output[-3000:]}" for name in names)
        pytest.fail(f"{what}\n{logs}")


def _start_s3(tmp_path: Path) -> tuple[Process, str]:
    port = free_port()
    server = Process("s3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], tmp_path / "s3.log", {})
    return server, f"http://127.0.0.1:{port}"


def _environment(tmp_path: Path, name: str, s3_endpoint: str, lock_key: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        # pytest-django's database for this run (one per xdist worker), as its name is now.
        "DATABASE_URL": run_database_url(),
        # This xdist worker's own Redis databases (config/settings_test.py gives each worker two):
        # its tests run one at a time, so no other consumer reads these queues meanwhile.
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CACHE_URL": settings.CACHES["default"]["LOCATION"],
        "STORAGE_URL": f"s3://{BUCKET}?endpoint_url={s3_endpoint}&region=us-east-1&addressing_style=path",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        # Each "machine" has a disk of its own; nothing may land there.
        "MEDIA_ROOT": str(tmp_path / f"media-{name}"),
        "VAR_DIR": str(tmp_path / f"var-{name}"),
        "BEAT_LOCK_KEY": lock_key,
        # Plain HTTP on loopback: cookies without the Secure flag, or the client keeps them.
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
    }


def _celery(*args: str) -> list[str]:
    return ["-m", "celery", "-A", "config", *args, "--loglevel=INFO"]


def _gunicorn(port: int) -> list[str]:
    return ["-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"]


def _worker(queue: str) -> list[str]:
    return [
        *_celery("worker"),
        "--pool=solo",
        "--without-mingle",
        "--without-gossip",
        "-Q",
        queue,
        "--hostname",
        f"two-machines-{queue}-{uuid.uuid4().hex[:6]}@%h",
    ]


@pytest.fixture
def cluster(transactional_db, tmp_path) -> Iterator[Cluster]:
    """Start everything; stop everything afterwards, whatever happened (before the database
    is flushed: the fixture depends on ``transactional_db``, so it is torn down first)."""
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis://"):
        require_or_skip("two machines on one need PostgreSQL and a Redis broker")
    if not str(settings.CACHES["default"].get("LOCATION", "")).startswith("redis://"):
        require_or_skip("two machines on one need CACHE_URL on Redis")
    pytest.importorskip("moto.server")
    pytest.importorskip("gunicorn")

    broker = settings.CELERY_BROKER_URL
    lock_key = f"two-machines-beat-lock:{uuid.uuid4().hex}"
    # Messages an earlier test left in this worker's queues would be taken first.
    redis.Redis.from_url(broker).delete("celery", "pdf")

    s3, endpoint = _start_s3(tmp_path)
    running = Cluster(tmp_path=tmp_path, s3_endpoint=endpoint, processes={"s3": s3})
    try:
        ports = [free_port(), free_port()]
        for number, port in enumerate(ports, start=1):
            name = f"web-{number}"
            env = _environment(tmp_path, name, endpoint, lock_key)
            running.processes[name] = Process(name, _gunicorn(port), tmp_path / f"{name}.log", env)
            running.web.append(f"http://127.0.0.1:{port}")
        for queue in ("celery", "pdf"):
            name = f"worker-{queue}"
            env = _environment(tmp_path, name, endpoint, lock_key)
            running.processes[name] = Process(name, _worker(queue), tmp_path / f"{name}.log", env)
        beat_env = _environment(tmp_path, "beat", endpoint, lock_key)
        beat_args = [*_celery("beat"), "--schedule", str(tmp_path / "beat-schedule")]
        running.processes["beat"] = Process("beat", beat_args, tmp_path / "beat.log", beat_env)

        _wait_until_serving(running, s3, endpoint)
        running.s3().create_bucket(Bucket=BUCKET)
        yield running
    finally:
        for process in running.processes.values():
            process.kill()
        redis.Redis.from_url(broker).delete("celery", "pdf", lock_key)


def _wait_until_serving(running: Cluster, s3: Process, endpoint: str) -> None:
    def answers(url: str) -> bool:
        try:
            return requests.get(url, timeout=2).status_code < 500
        except requests.RequestException:
            return False

    if not wait_for(lambda: answers(endpoint), seconds=STARTUP_SECONDS):
        s3.fail("the S3 server did not answer")
    for number, base in enumerate(running.web, start=1):
        name = f"web-{number}"
        if not wait_for(lambda base=base: answers(f"{base}/healthz"), seconds=STARTUP_SECONDS):
            running.processes[name].fail(f"{name} did not answer /healthz within {STARTUP_SECONDS:g} s")
    for queue in ("celery", "pdf"):
        running.processes[f"worker-{queue}"].wait_until(
            lambda log: " ready." in log, "the worker did not start", seconds=STARTUP_SECONDS
        )
    running.processes["beat"].wait_until(lambda log: "Beat lock taken" in log, "beat did not take its lock")


def _signed_in_through(cluster: Cluster, base: str, user) -> requests.Session:
    """Sign ``user`` in with the sign-in form of the web process at ``base``. The session
    lives in the shared database, so its cookie is good at the other web process too (cookies
    do not depend on the port)."""
    session = requests.Session()
    login = base + reverse("login")
    token = _csrf_token(session, login)
    response = session.post(
        login,
        data={"username": user.get_username(), "password": PASSWORD, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302 or settings.SESSION_COOKIE_NAME not in session.cookies:
        cluster.fail(f"signing {user} in through {base} answered {response.status_code}", "web-1", "web-2")
    return session


def _csrf_token(session, page_url: str) -> str:
    page = session.get(page_url, timeout=30)
    assert page.status_code == 200, f"{page_url} answered {page.status_code}"
    found = CSRF_FIELD.search(page.text)
    assert found, f"no CSRF token on {page_url}"
    return found.group(1)


def _edition_requested_through(cluster: Cluster, base: str, report, session: requests.Session) -> ReportEdition:
    page = base + reverse("reporting-consolidated", args=[report.pk])
    token = _csrf_token(session, page)
    generate = base + reverse("reporting-edition-request", kwargs={"kind": "consolidated", "pk": report.pk})
    response = session.post(generate, data={"csrfmiddlewaretoken": token}, allow_redirects=False, timeout=30)
    if response.status_code != 302:
        cluster.fail(f"asking for an edition answered {response.status_code}", "web-1")
    edition = ReportEdition.objects.filter(consolidated_report=report).order_by("-number").first()
    assert edition is not None, "the web process recorded no edition"
    return edition


def test_a_pdf_and_an_attachment_cross_from_one_web_process_to_the_other(
    cluster, report_period, oct_officer, chair, outsider
):
    web_1, web_2 = cluster.web
    s3 = cluster.s3()

    # --- A PDF edition: requested through web 1, rendered by the PDF worker, read through web 2.
    with transaction.atomic():
        report = consolidated_report_start(period=report_period, actor=oct_officer)
    officer = _signed_in_through(cluster, web_1, oct_officer)
    edition = _edition_requested_through(cluster, web_1, report, officer)
    done = wait_for(lambda: ReportEdition.objects.filter(pk=edition.pk, status="done").exists(), RENDER_SECONDS)
    edition.refresh_from_db()
    if not done:
        cluster.fail(f"the edition was not rendered ({edition.status}: {edition.error})", "worker-pdf", "web-1")

    pdf_log, default_log = cluster.processes["worker-pdf"].output, cluster.processes["worker-celery"].output
    assert re.search(r"Task reporting\.tasks\.edition_render\[[^\]]+\] succeeded", pdf_log)
    assert "Task reporting.tasks.edition_render[" not in default_log, "the default queue's worker took a render"

    stored = s3.get_object(Bucket=BUCKET, Key=edition.file.name)["Body"].read()
    assert stored.startswith(b"%PDF") and hashlib.sha256(stored).hexdigest() == edition.sha256
    assert cluster.local_files() == [], "a process wrote to its own disk instead of the bucket"
    assert not (Path(settings.MEDIA_ROOT) / edition.file.name).exists()

    # The officer's session, begun at web 1, is good at web 2.
    download = officer.get(web_2 + reverse("reporting-edition-download", args=[edition.pk]), timeout=60)
    assert download.status_code == 200, download.text[:500]
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.content == stored
    # Through our view with its permission check, never a redirect to the store.
    assert not download.history and BUCKET not in download.url

    # --- An attachment: uploaded through web 2, downloaded through web 1.
    draft = Submission.objects.get(period=report_period, working_group__number=7)
    annex = pdf_bytes(pages=2)
    chair_session = _signed_in_through(cluster, web_2, chair)
    token = _csrf_token(chair_session, web_2 + reverse("reporting-submission-edit", args=[draft.pk]))
    upload = chair_session.post(
        web_2 + reverse("reporting-attachment-add", args=[draft.pk]),
        data={"csrfmiddlewaretoken": token},
        files={"file": ("annex.pdf", annex, "application/pdf")},
        allow_redirects=False,
        timeout=60,
    )
    if upload.status_code != 302:
        cluster.fail(f"the upload answered {upload.status_code}: {upload.text[:500]}", "web-2")
    attachment = draft.attachments.get()
    assert s3.get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read() == annex
    assert cluster.local_files() == []

    got = officer.get(web_1 + reverse("reporting-attachment", args=[draft.pk, attachment.pk]), timeout=60)
    assert got.status_code == 200 and got.content == annex
    # Someone who may not read the draft gets the same 404 from either process.
    outsider_session = _signed_in_through(cluster, web_2, outsider)
    for base in (web_1, web_2):
        refused = outsider_session.get(
            base + reverse("reporting-attachment", args=[draft.pk, attachment.pk]), timeout=30
        )
        assert refused.status_code == 404
