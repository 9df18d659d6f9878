"""A draft out to Word and back (issue 21, reporting/submissions/word.py): the chair downloads
the draft as .docx, edits it in Word (python-docx here), uploads it, sees what it changes, and
confirms; only what was changed in Word changes in the draft."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document

from compact.core.models import Classification
from reporting.submissions.drafts import draft_content
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_save_draft
from reporting.submissions.word import section_labels

pytestmark = pytest.mark.django_db

SUMMARY = "The group met twice.\n\nIt agreed a joint note   \non the guidance."
CHALLENGES = "Funding is short."


def saved_in_the_app(submission: Submission, actor, **fields: str) -> Submission:
    """A save in the editor (the draft as it is now, unclassified)."""
    current = Submission.objects.get(pk=submission.pk)
    return submission_save_draft(
        submission=current,
        actor=actor,
        base_revision=current.revision,
        fields=fields,
        classification=Classification.UNCLASSIFIED,
    )


@pytest.fixture
def draft(report_period, roster, chair) -> Submission:
    return saved_in_the_app(
        report_period.submissions.get(working_group=roster.group), chair, summary=SUMMARY, challenges=CHALLENGES
    )


def downloaded(client, draft: Submission) -> bytes:
    response = client.get(reverse("reporting-submission-word", args=[draft.pk]))
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return response.content


def edited(content: bytes, section: str, new_text: str) -> bytes:
    """The file with the paragraphs under ``section``'s heading replaced by ``new_text``'s, as a
    person editing it in Word would leave it."""
    document = Document(io.BytesIO(content))
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1" and p.text == section)
    end = next((i for i, p in enumerate(paragraphs) if i > start and p.style.name == "Heading 1"), len(paragraphs))
    for paragraph in paragraphs[start + 1 : end]:
        paragraph._p.getparent().remove(paragraph._p)
    element = paragraphs[start]._p
    for block in new_text.split("\n\n"):
        paragraph = document.add_paragraph(block)  # added at the end, then moved under the heading
        element.addnext(paragraph._p)
        element = paragraph._p
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def upload(client, draft: Submission, content: bytes, name: str = "draft.docx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("reporting-submission-word", args=[draft.pk]), {"file": SimpleUploadedFile(name, content)}
    )


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_the_download_has_a_heading_per_section_the_text_and_the_marking(draft, chair, client_for):
    document = Document(io.BytesIO(downloaded(client_for(chair), draft)))
    labels = section_labels()
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [labels[name] for name in draft.content_fields]
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("Summary") + 1 : texts.index("Summary") + 3] == [
        "The group met twice.",
        "It agreed a joint note\non the guidance.",
    ]
    assert document.sections[0].header.paragraphs[0].text == "UNCLASSIFIED"
    assert document.core_properties.identifier == f"compact-tracker:submission:{draft.pk}:revision:{draft.revision}"


def test_an_unchanged_file_changes_nothing(draft, chair, client_for):
    client = client_for(chair)
    page = upload(client, draft, downloaded(client, draft)).content.decode()
    assert "The file changes nothing in the draft." in page
    assert 'name="token"' not in page


def test_only_the_section_edited_in_word_changes_and_only_once_confirmed(draft, chair, client_for):
    client = client_for(chair)
    before = Submission.objects.get(pk=draft.pk)
    content = edited(downloaded(client, draft), "Challenges", "Funding is short.\n\nStaff left in May.")
    response = upload(client, draft, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<ins>" in page and "Staff" in page and "Save these changes in the draft" in page
    assert Submission.objects.get(pk=draft.pk).revision == before.revision  # nothing saved yet

    saved = client.post(reverse("reporting-submission-word-apply", args=[draft.pk]), {"token": token_of(page)})
    assert saved.status_code == 302
    after = Submission.objects.get(pk=draft.pk)
    assert after.challenges == "Funding is short.\n\nStaff left in May."
    assert after.summary == SUMMARY  # untouched, odd spaces and all
    assert after.revision == before.revision + 1
    assert after.classification == before.classification
    unchanged = {k: v for k, v in draft_content(before).items() if k != "challenges"}
    assert {k: v for k, v in draft_content(after).items() if k != "challenges"} == unchanged


def test_what_others_saved_since_the_download_is_kept(draft, chair, vice_chair, client_for):
    client = client_for(chair)
    content = edited(downloaded(client, draft), "Challenges", "Staff left in May.")
    saved_in_the_app(draft, vice_chair, summary="The vice-chair's summary.", challenges=CHALLENGES)
    page = upload(client, draft, content).content.decode()
    assert "The draft was saved since you downloaded the file" in page
    client.post(reverse("reporting-submission-word-apply", args=[draft.pk]), {"token": token_of(page)})
    after = Submission.objects.get(pk=draft.pk)
    assert (after.summary, after.challenges) == ("The vice-chair's summary.", "Staff left in May.")


def test_a_section_changed_on_both_sides_is_not_overwritten(draft, chair, vice_chair, client_for):
    client = client_for(chair)
    content = edited(downloaded(client, draft), "Challenges", "Mine.")
    saved_in_the_app(draft, vice_chair, summary=SUMMARY, challenges="Theirs.")
    page = upload(client, draft, content).content.decode()
    assert "Changed on both sides" in page and "Challenges" in page
    assert 'name="token"' not in page  # the file changes nothing the merge can take
    assert Submission.objects.get(pk=draft.pk).challenges == "Theirs."


def test_a_file_downloaded_in_arabic_comes_back_into_an_english_session(draft, chair, client_for):
    client = client_for(chair)
    with translation.override("ar"):
        arabic = section_labels()["challenges"]
    client.post(reverse("set_language"), {"language": "ar"})
    content = downloaded(client, draft)
    assert arabic in [p.text for p in Document(io.BytesIO(content)).paragraphs]
    client.post(reverse("set_language"), {"language": "en"})
    page = upload(client, draft, edited(content, arabic, "نص جديد")).content.decode()
    client.post(reverse("reporting-submission-word-apply", args=[draft.pk]), {"token": token_of(page)})
    assert Submission.objects.get(pk=draft.pk).challenges == "نص جديد"


def test_a_deleted_heading_leaves_its_section_as_it_is(draft, chair, client_for):
    client = client_for(chair)
    document = Document(io.BytesIO(downloaded(client, draft)))
    for paragraph in document.paragraphs:
        if paragraph.text in ("Summary", "The group met twice.", "It agreed a joint note\non the guidance."):
            paragraph._p.getparent().remove(paragraph._p)
    output = io.BytesIO()
    document.save(output)
    page = upload(client, draft, output.getvalue()).content.decode()
    assert "Not found in the file (left as they are): Summary." in page
    assert "The file changes nothing in the draft." in page
