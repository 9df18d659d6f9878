"""STORAGE_URL: files on this machine by default, a private S3-compatible bucket in production
(config/storage.py); a value that cannot work stops the process at start, saying why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.storage import FILE_SYSTEM_BACKEND, S3_BACKEND, StorageURLError, storage_from_url
from tests.test_settings import PRODUCTION

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("url", [None, "", "  ", "file://"])
def test_without_a_storage_url_files_stay_under_media_root(url):
    # No location: FileSystemStorage follows MEDIA_ROOT (and a test's override of it).
    assert storage_from_url(url) == {"BACKEND": FILE_SYSTEM_BACKEND}


def test_an_s3_url_gives_a_private_bucket_with_its_endpoint_region_and_prefix():
    storage = storage_from_url(
        "s3://compact-files/production/media?endpoint_url=https://s3.example.org:9000&region=eu-west-3"
        "&addressing_style=path&signature_version=s3v4"
    )
    assert storage == {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": "compact-files",
            "location": "production/media",
            "default_acl": "private",
            "querystring_auth": False,
            "file_overwrite": False,
            "endpoint_url": "https://s3.example.org:9000",
            "region_name": "eu-west-3",
            "addressing_style": "path",
            "signature_version": "s3v4",
        },
    }


def test_a_bare_bucket_leaves_endpoint_region_and_credentials_to_boto3():
    options = storage_from_url("s3://compact-files")["OPTIONS"]
    assert options["bucket_name"] == "compact-files" and options["location"] == ""
    assert not {"endpoint_url", "region_name", "access_key", "secret_key"} & set(options)


def test_verify_takes_a_flag_or_a_ca_bundle_that_exists(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    assert storage_from_url("s3://compact-files?verify=0")["OPTIONS"]["verify"] is False
    assert storage_from_url(f"s3://compact-files?verify={bundle}")["OPTIONS"]["verify"] == str(bundle)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://files.example.org/compact", "unknown kind of storage 'ftp'"),
        ("compact-files", "unknown kind of storage 'compact-files'"),
        ("file:///srv/compact/media", "give the folder as MEDIA_ROOT"),
        ("s3://", "'' is not a bucket name"),
        ("s3://ab", "'ab' is not a bucket name"),
        ("s3://Compact-Files", "'Compact-Files' is not a bucket name"),
        ("s3://compact_files", "'compact_files' is not a bucket name"),
        ("s3://AKIA123:secret@compact-files", "credentials do not belong in the URL"),
        ("s3://compact-files:9000", "a port belongs in endpoint_url="),
        ("s3://compact-files#media", "#fragment"),
        ("s3://compact-files?endpoint=https://s3.example.org", "unknown option(s) endpoint"),
        ("s3://compact-files?region=eu-west-3&region=us-east-1", "given twice: region"),
        ("s3://compact-files?region=", "without a value: region"),
        ("s3://compact-files?endpoint_url=s3.example.org", "endpoint_url must be an http(s) address"),
        ("s3://compact-files?endpoint_url=ftp://s3.example.org", "endpoint_url must be an http(s) address"),
        ("s3://compact-files?addressing_style=sideways", "addressing_style must be one of auto, path, virtual"),
        ("s3://compact-files?verify=/no/such/bundle.pem", "verify must be 1, 0 or the path of a CA bundle"),
    ],
)
def test_a_storage_url_that_cannot_work_is_refused_with_the_reason(url, reason):
    with pytest.raises(StorageURLError) as refused:
        storage_from_url(url)
    message = str(refused.value)
    assert message.startswith("STORAGE_URL: ") and reason in message
    # And what a good value looks like.
    assert "s3://bucket[/prefix]?endpoint_url=" in message


def settings_of(tmp_path: Path, env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in {"STORAGE_URL", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, **PRODUCTION, "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_process_with_a_bad_storage_url_stops_at_start_saying_why(tmp_path):
    result = settings_of(tmp_path, {"STORAGE_URL": "s3://Compact_Files"}, "print('started')")
    assert result.returncode != 0 and "started" not in result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: STORAGE_URL: 'Compact_Files'")


def test_the_production_storage_is_the_bucket_and_check_deploy_stays_clean(tmp_path):
    url = "s3://compact-files/media?endpoint_url=https://s3.example.org&region=eu-west-3"
    result = settings_of(
        tmp_path,
        {"STORAGE_URL": url},
        "from django.core.files.storage import default_storage as s; "
        "print(s.bucket_name, s.location, s.default_acl, s.file_overwrite, type(s._wrapped).__name__); "
        "from django.core.management import call_command; call_command('check', '--deploy', '--fail-level', 'WARNING')",
    )
    assert result.returncode == 0, result.stderr
    assert "compact-files media private False S3Storage" in result.stdout
    assert "System check identified no issues" in result.stdout + result.stderr
