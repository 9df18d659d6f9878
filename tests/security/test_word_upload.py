"""Attacks on a draft's way back from Word (issue 21, reporting/submissions/word.py): files that
are not what they claim, macros, bombs, entities, files of another draft, forged confirmations,
and people who may not edit the draft. Each refusal says why and saves nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compact.core.models import Classification
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_save_draft
from tests.helpers import pdf_bytes
from tests.reporting.submissions.test_word_round_trip import saved_in_the_app
from tests.security import archive_bombs

SUMMARY = "The group met twice."

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(report_period, roster, chair) -> Submission:
    return saved_in_the_app(report_period.submissions.get(working_group=roster.group), chair, summary=SUMMARY)


def downloaded(client, draft) -> bytes:
    return client.get(reverse("reporting-submission-word", args=[draft.pk])).content


def upload(client, draft, content: bytes, name: str = "draft.docx"):
    url = reverse("reporting-submission-word", args=[draft.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def repacked(content: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The .docx with some parts replaced or added (as a person with a ZIP tool could)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename, source.read(item.filename)))
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return output.getvalue()


def assert_refused(response, message: str, draft: Submission) -> None:
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Submission.objects.get(pk=draft.pk).revision == draft.revision  # nothing saved


def test_a_pdf_named_docx_is_refused(draft, chair, client_for):
    response = upload(client_for(chair), draft, pdf_bytes())
    assert_refused(response, "This is not a Word document (.docx)", draft)


def test_a_macro_enabled_document_is_refused(draft, chair, client_for):
    client = client_for(chair)
    content = downloaded(client, draft)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        types = package.read("[Content_Types].xml").replace(
            b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
        )
    macro = repacked(content, replace={"[Content_Types].xml": types}, add={"word/vbaProject.bin": b"\x00" * 64})
    assert_refused(upload(client, draft, macro, "draft.docm"), "The file contains macros or controls", draft)
    # The macro part alone, the content types left as Word's: refused too.
    hidden = repacked(content, add={"word/vbaProject.bin": b"\x00" * 64})
    assert_refused(upload(client, draft, hidden), "The file contains macros or controls", draft)


def test_an_activex_control_is_refused(draft, chair, client_for):
    client = client_for(chair)
    content = repacked(downloaded(client, draft), add={"word/activeX/activeX1.xml": b"<ax/>"})
    assert_refused(upload(client, draft, content), "The file contains macros or controls", draft)


def test_an_encrypted_or_old_binary_document_is_refused(draft, chair, client_for):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    assert_refused(upload(client_for(chair), draft, ole), "protected by a password or is an old Word document", draft)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(draft, chair, client_for):
    response = upload(client_for(chair), draft, archive_bombs.document_unpacking_to_1_gib())
    assert response.status_code == 400
    assert Submission.objects.get(pk=draft.pk).revision == draft.revision


def test_an_entity_in_the_document_is_not_expanded(draft, chair, client_for):
    client = client_for(chair)
    content = downloaded(client, draft)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        body = package.read("word/document.xml").decode()
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    body = declaration + body.split("?>", 1)[1].replace("The group met twice.", "&xxe;", 1)
    response = upload(client, draft, repacked(content, replace={"word/document.xml": body.encode()}))
    assert b"root:" not in response.content
    assert Submission.objects.get(pk=draft.pk).revision == draft.revision


def test_a_file_of_another_draft_or_from_elsewhere_is_refused(draft, chair, client_for, briefing_period, roster):
    from docx import Document

    client = client_for(chair)
    other = briefing_period.submissions.get(working_group=roster.group)
    other_file = client.get(reverse("reporting-submission-word", args=[other.pk])).content
    assert_refused(upload(client, draft, other_file), "This file is the draft of another report", draft)
    plain = io.BytesIO()
    Document().save(plain)
    assert_refused(upload(client, draft, plain.getvalue()), "This file was not downloaded from a draft here", draft)


def test_an_oversized_section_is_refused(draft, chair, client_for):
    from docx import Document

    client = client_for(chair)
    document = Document(io.BytesIO(downloaded(client, draft)))
    document.add_paragraph("x" * 100_001)  # under the last heading
    output = io.BytesIO()
    document.save(output)
    assert_refused(upload(client, draft, output.getvalue()), "is longer than 100,000 characters", draft)


def test_a_forged_or_borrowed_confirmation_saves_nothing(draft, chair, vice_chair, client_for):
    apply = reverse("reporting-submission-word-apply", args=[draft.pk])
    forged = signing.dumps({"base": draft.revision, "mine": {"summary": "Forged."}, "user": chair.pk}, salt="other")
    response = client_for(chair).post(apply, {"token": forged}, follow=True)
    assert "The confirmation expired or was altered" in response.content.decode()
    # A real token, made for the chair, replayed by the vice-chair: refused.
    salt = "reporting.submissions.word"
    borrowed = signing.dumps({"base": draft.revision, "mine": {"summary": "Borrowed."}, "user": chair.pk}, salt=salt)
    assert client_for(vice_chair).post(apply, {"token": borrowed}).status_code == 404
    # A section the draft does not have is ignored, not written.
    odd = signing.dumps({"base": draft.revision, "mine": {"status": "accepted"}, "user": chair.pk}, salt=salt)
    client_for(chair).post(apply, {"token": odd})
    after = Submission.objects.get(pk=draft.pk)
    assert (after.summary, after.status, after.revision) == ("The group met twice.", draft.status, draft.revision)


@pytest.mark.parametrize("persona", ["focal_point", "oct_officer", "outsider", "committee_member"])
def test_who_may_not_edit_the_draft_gets_neither_the_file_nor_the_upload(request, draft, chair, client_for, persona):
    content = downloaded(client_for(chair), draft)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("reporting-submission-word", args=[draft.pk])).status_code == 404
    assert upload(client, draft, content).status_code == 404
    assert Submission.objects.get(pk=draft.pk).revision == draft.revision


def test_a_confidential_draft_is_marked_in_its_word_file(report_period, roster, chair, client_for):
    from docx import Document

    from compact.registry.models import Profile

    Profile.objects.filter(user=chair).update(clearance=Classification.CONFIDENTIAL)
    chair.refresh_from_db()
    submission = report_period.submissions.get(working_group=roster.group)
    submission_save_draft(
        submission=submission,
        actor=chair,
        base_revision=submission.revision,
        fields={"summary": "Sensitive."},
        classification=Classification.CONFIDENTIAL,
    )
    content = client_for(chair).get(reverse("reporting-submission-word", args=[submission.pk])).content
    document = Document(io.BytesIO(content))
    assert document.sections[0].header.paragraphs[0].text == "CONFIDENTIAL"
    assert document.sections[0].footer.paragraphs[0].text == "CONFIDENTIAL"


def test_a_file_with_tracked_changes_pending_is_refused(draft, chair, client_for):
    """python-docx reads text without pending revisions: an insertion would be lost."""
    client = client_for(chair)
    content = downloaded(client, draft)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        body = package.read("word/document.xml").decode()
    inserted = (
        '<w:ins w:id="1" w:author="Chair" w:date="2026-12-01T00:00:00Z"><w:r><w:t>Added with track changes.</w:t>'
        "</w:r></w:ins>"
    )
    body = body.replace("<w:t>The group met twice.</w:t></w:r>", "<w:t>The group met twice.</w:t></w:r>" + inserted, 1)
    assert inserted in body
    response = upload(client, draft, repacked(content, replace={"word/document.xml": body.encode()}))
    assert_refused(response, "The file still has tracked changes", draft)
