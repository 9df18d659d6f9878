"""Files in the object store stay private (issue 19): written with the private ACL, read back
only through our views after their permission checks, never by a link to the bucket.

The bucket is moto's in-process S3 (no network); the storage options are exactly those
STORAGE_URL gives in production (config/storage.py).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.storage import storage_from_url
from reporting.submissions.models import Submission
from tests.helpers import pdf_bytes

moto = pytest.importorskip("moto")

BUCKET = "compact-private"
PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


@pytest.fixture
def bucket(settings, monkeypatch):
    import boto3

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": storage_from_url(f"s3://{BUCKET}/media?region=us-east-1")}
        yield client


def attach(client_for, chair, draft: Submission, content: bytes):
    response = client_for(chair).post(
        reverse("reporting-attachment-add", args=[draft.pk]),
        {"file": SimpleUploadedFile("annex.pdf", content, content_type="application/pdf")},
    )
    assert response.status_code == 302, response.content[:300]
    return draft.attachments.get()


@pytest.mark.django_db
def test_an_attachment_is_a_private_object_read_only_through_the_view(
    bucket, client_for, report_period, chair, oct_officer, outsider, client
):
    draft = Submission.objects.get(period=report_period, working_group__number=7)
    content = pdf_bytes(pages=2)
    attachment = attach(client_for, chair, draft, content)

    key = f"media/{attachment.file.name}"
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == content
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert not [grant for grant in grants if grant["Grantee"].get("URI") in PUBLIC_GROUPS], grants

    download = reverse("reporting-attachment", args=[draft.pk, attachment.pk])
    got = client_for(oct_officer).get(download)
    assert got.status_code == 200 and "Location" not in got
    assert b"".join(got.streaming_content) == content
    # Another person's file, anonymous visitors: the same 404 / sign-in page, never the bucket.
    assert client_for(outsider).get(download).status_code == 404
    anonymous = client.get(download)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    # Even a .url used by mistake would carry no signature: no pass to the file for anyone.
    assert "Signature" not in attachment.file.url and "Expires" not in attachment.file.url
    # No page names the object's address.
    editor = client_for(chair).get(reverse("reporting-submission-edit", args=[draft.pk])).content.decode()
    assert attachment.file.name not in editor and BUCKET not in editor and "amazonaws" not in editor
