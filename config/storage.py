"""Where uploaded files and PDF editions live, read from ``STORAGE_URL`` (docs/operations.md).

- unset or ``file://``: a folder on this machine (``MEDIA_ROOT``), Django's FileSystemStorage.
  Right for one machine; several machines would each see only their own files.
- ``s3://bucket[/prefix]?endpoint_url=…&region=…&addressing_style=path``: an S3-compatible
  object store through django-storages, for any number of web and worker machines.

The bucket is private: every file is read back through our views (``FileResponse`` over
``storage.open``) after their permission checks, never by a link to the store, so objects are
written with the ``private`` ACL and no address of an object is ever handed out. Credentials
never sit in the URL: boto3 takes them from ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``
(or the machine's role, or ``AWS_PROFILE``), as every other AWS tool does.

Plain standard library: settings import this before Django is set up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

FILE_SYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"
S3_OPTIONS = {"endpoint_url", "region", "addressing_style", "signature_version", "verify"}
ADDRESSING_STYLES = {"path", "virtual", "auto"}
# S3's rules for a bucket name (3–63 lower-case letters, digits, dots and hyphens).
BUCKET_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")


class StorageURLError(ValueError):
    """``STORAGE_URL`` cannot be used; the message says why and what a good one looks like."""

    def __init__(self, problem: str) -> None:
        super().__init__(
            f"STORAGE_URL: {problem} Use file:// (files under MEDIA_ROOT) or "
            "s3://bucket[/prefix]?endpoint_url=https://…&region=… (see docs/operations.md)."
        )


def storage_from_url(url: str | None) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry for ``url`` (raises ``StorageURLError``)."""
    url = (url or "").strip()
    if not url or url == "file://":
        # No location option: FileSystemStorage follows MEDIA_ROOT (and a test's override of it).
        return {"BACKEND": FILE_SYSTEM_BACKEND}
    parts = urlsplit(url)
    if parts.scheme == "file":
        raise StorageURLError(
            f"give the folder as MEDIA_ROOT, not in {url!r} (STORAGE_URL=file:// keeps files under MEDIA_ROOT)."
        )
    if parts.scheme != "s3":
        raise StorageURLError(f"unknown kind of storage {parts.scheme or url!r}.")
    return {"BACKEND": S3_BACKEND, "OPTIONS": _s3_options(parts)}


def _s3_options(parts: Any) -> dict[str, Any]:
    if parts.username or parts.password:
        raise StorageURLError(
            "credentials do not belong in the URL (it is logged and shown by tools); "
            "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead."
        )
    # From the URL as written: urlsplit's hostname is lower-cased, and MyBucket is not mybucket.
    bucket = parts.netloc
    if ":" in bucket:
        raise StorageURLError("a port belongs in endpoint_url=, not after the bucket's name.")
    if not (3 <= len(bucket) <= 63 and set(bucket) <= BUCKET_CHARACTERS):
        raise StorageURLError(f"{bucket!r} is not a bucket name (3 to 63 lower-case letters, digits, dots, hyphens).")
    if parts.fragment:
        raise StorageURLError("the URL has a #fragment; nothing reads it.")
    query = _query(parts.query)
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": unquote(parts.path).strip("/"),
        # Private objects, read back only through our views: no public ACL, and no signed
        # links either — a ``.url`` used by mistake gives an address the store refuses, not a
        # pass to the file for an hour. A name already taken is never overwritten (as on disk:
        # Django picks another).
        "default_acl": "private",
        "querystring_auth": False,
        "file_overwrite": False,
    }
    if "endpoint_url" in query:
        options["endpoint_url"] = _endpoint(query["endpoint_url"])
    if "region" in query:
        options["region_name"] = query["region"]
    if "addressing_style" in query:
        if query["addressing_style"] not in ADDRESSING_STYLES:
            raise StorageURLError(
                f"addressing_style must be one of {', '.join(sorted(ADDRESSING_STYLES))}, "
                f"not {query['addressing_style']!r}."
            )
        options["addressing_style"] = query["addressing_style"]
    if "signature_version" in query:
        options["signature_version"] = query["signature_version"]
    if "verify" in query:
        options["verify"] = _verify(query["verify"])
    return options


def _query(text: str) -> dict[str, str]:
    values = parse_qs(text, keep_blank_values=True, strict_parsing=False)
    unknown = sorted(set(values) - S3_OPTIONS)
    if unknown:
        raise StorageURLError(f"unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(S3_OPTIONS))}.")
    repeated = sorted(key for key, given in values.items() if len(given) > 1)
    if repeated:
        raise StorageURLError(f"option(s) given twice: {', '.join(repeated)}.")
    empty = sorted(key for key, given in values.items() if not given[0].strip())
    if empty:
        raise StorageURLError(f"option(s) without a value: {', '.join(empty)}.")
    return {key: given[0].strip() for key, given in values.items()}


def _endpoint(value: str) -> str:
    endpoint = urlsplit(value)
    if endpoint.scheme not in {"http", "https"} or not endpoint.hostname:
        raise StorageURLError(f"endpoint_url must be an http(s) address such as https://s3.example.org, not {value!r}.")
    return value


def _verify(value: str) -> bool | str:
    """``verify=0`` turns TLS checks off (a test server only); a path names a CA bundle."""
    lowered = value.lower()
    if lowered in {"1", "true", "yes"}:
        return True
    if lowered in {"0", "false", "no"}:
        return False
    if not Path(value).is_file():
        raise StorageURLError(f"verify must be 1, 0 or the path of a CA bundle that exists, not {value!r}.")
    return value
