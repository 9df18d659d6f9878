"""Configuration comes from the environment, and production settings pass check --deploy."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECRET_KEY": "x7#kP2!vQ9@mZ4$wR8^tY1&uI6*oL3(nB5)cV0_eX-gH=jK+aS;dF:lG.hJ,kM<qW",
    "ALLOWED_HOSTS": "compact.example.org",
    "DATABASE_URL": "postgres://compact:secret@db.example.org:5432/compact",
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "CACHE_URL": "redis://redis.example.org:6379/1",
}


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_warns_when_the_rate_limit_cache_is_not_shared(tmp_path):
    env = {key: value for key, value in PRODUCTION.items() if key != "CACHE_URL"}
    result = manage("check", "--deploy", env=env, tmp_path=tmp_path)
    assert "compact.W002" in result.stderr + result.stdout


def test_the_checks_fail_when_workbooks_would_be_parsed_without_defusedxml(tmp_path):
    result = manage("check", env={**PRODUCTION, "OPENPYXL_DEFUSEDXML": "False"}, tmp_path=tmp_path)
    assert result.returncode != 0 and "compact.E001" in result.stderr + result.stdout


def test_the_settings_keep_openpyxl_off_lxml_whatever_the_environment_says(tmp_path):
    code = "import django; django.setup(); import openpyxl.xml; print(openpyxl.xml.LXML)"
    shown = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION, "VAR_DIR": str(tmp_path), "OPENPYXL_LXML": "True"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.stdout.strip() == "False", shown.stderr


SSO = {
    "OIDC_RP_CLIENT_ID": "compact-tracker",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_ISSUER": "https://login.example.org",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.example.org/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.example.org/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.example.org/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.example.org/jwks",
}


def _settings_import(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Only the settings module (what every process reads first), with ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "LOCAL_PASSWORDS"))}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env={**clean, "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_single_sign_on_half_configured_refuses_to_start(tmp_path):
    env = {**PRODUCTION, **{k: v for k, v in SSO.items() if k != "OIDC_OP_JWKS_ENDPOINT"}}
    result = _settings_import(env, tmp_path)
    assert result.returncode != 0 and "Single sign-on needs OIDC_OP_JWKS_ENDPOINT" in result.stderr


def test_passwords_off_without_single_sign_on_refuses_to_start(tmp_path):
    result = _settings_import({**PRODUCTION, "LOCAL_PASSWORDS": "0"}, tmp_path)
    assert result.returncode != 0 and "LOCAL_PASSWORDS=0 needs single sign-on" in result.stderr
    assert _settings_import({**PRODUCTION, **SSO, "LOCAL_PASSWORDS": "0"}, tmp_path).returncode == 0


def test_single_sign_on_with_passwords_off_passes_check_deploy(tmp_path):
    env = {**PRODUCTION, **SSO, "LOCAL_PASSWORDS": "0"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_read_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], s.CELERY_BROKER_URL, "
        "s.EMAIL_HOST, s.EMAIL_USE_TLS, s.ALLOWED_HOSTS, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-8:] == [
        "django.db.backends.postgresql",
        "db.example.org",
        "redis://redis.example.org:6379/0",
        "smtp.example.org",
        "True",
        "['compact.example.org']",
        "True",
        "False",
    ]


def test_without_a_secret_key_production_refuses_to_start(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_embedded_defaults_need_no_server(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND)"
    )
    result = manage(
        "shell", "-c", code, env={"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "django.db.backends.sqlite3",
        "filesystem://localhost/",
        "django.core.mail.backends.console.EmailBackend",
    ]
    assert (tmp_path / "celery" / "queue").is_dir()


@pytest.mark.services
def test_ci_runs_against_the_real_services(db):
    """In CI the suite must really use PostgreSQL and Redis, not the embedded defaults."""
    from django.conf import settings
    from django.db import connection

    from tests.conftest import require_or_skip

    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis://"):
        require_or_skip("the suite is not running against PostgreSQL and Redis")
    import redis

    assert redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=3).ping()


def test_test_commits_do_not_wait_for_the_disk_on_postgresql(db):
    """The test settings turn PostgreSQL's synchronous commit off for every connection they open
    (the test process's and the workers' and servers' it starts), and only for tests."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("off",)
    assert "synchronous_commit" not in repr(_production_database_options())


def _production_database_options(**environment: str) -> dict:
    """The database OPTIONS the production settings give for ``environment`` (in a fresh process)."""
    code = "from config import settings; print(repr(settings.DATABASES['default'].get('OPTIONS', {})))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **environment}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_postgresql_connections_bind_parameters_on_the_server_and_prepare_what_repeats():
    url = "postgres://compact:compact@db.example:5432/compact"
    options = _production_database_options(DATABASE_URL=url)
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5
    # A pooler in transaction mode cannot keep prepared statements: binding stays, preparing stops.
    without = _production_database_options(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="0")
    assert without["server_side_binding"] is True and without["prepare_threshold"] is None
    sqlite = _production_database_options(DATABASE_URL="sqlite:////tmp/compact-test.sqlite3")
    assert "server_side_binding" not in sqlite and "prepare_threshold" not in sqlite


def test_a_query_run_again_and_again_is_prepared_once_on_postgresql(db):
    from django.db import connection

    from compact.registry.models import Entity

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for number in range(8):  # the same query with other parameters: prepared after five runs
        Entity.objects.filter(acronym=f"NONE{number}", name__startswith="prepared-statement-probe").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%prepared-%"])
        assert cursor.fetchall() == [], "parameters are sent apart from the query text"
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s AND statement LIKE %s",
            ['%"compact_entity"."acronym" = $%', '%"name"::text LIKE $%'],
        )
        assert cursor.fetchone() == (1,)
