"""A draft out to Word and back (issue 21): a chair writes the group's input in Word, with
colleagues and track changes, and brings the text back into the draft.

- ``draft_word`` writes the draft's text sections as a .docx: one Heading 1 per section (its
  name, in the reader's language), the section's paragraphs under it, the classification marking
  in the header and footer, and in the file's properties which draft and which revision of it
  the file was taken from.
- ``word_draft_read`` reads an edited file back, refusing with a clear message what is not a
  Word document made from this draft: another type, a macro-enabled or encrypted file, a zip
  bomb, a file of another draft. Only the text sections are read (the activities, the indicators
  and the classification stay as they are in the app); a section whose heading was deleted is
  left as it is.
- ``word_draft_preview`` says what saving would change, section by section, merged with what
  others saved since the download (the draft's own three-way merge: their changes are kept, a
  section both changed is a conflict). Nothing is saved until the chair confirms; then the same
  merge runs again through ``draft_save``.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from lxml import etree

from compact.core.models import Classification
from compact.lib.archives import archive_check
from compact.lib.text import xml_text
from reporting.lib.diff import SectionDiff, text_diff
from reporting.submissions.drafts import draft_content, stored_base
from reporting.submissions.merge import three_way_merge
from reporting.submissions.models import Submission
from reporting.submissions.selectors import content_labels

IDENTIFIER = re.compile(r"^compact-tracker:submission:(?P<pk>\d+):revision:(?P<revision>\d+)$")
MAX_WORD_BYTES = 10 * 1024 * 1024
MAX_SECTION_CHARACTERS = 100_000
MAIN_PART = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# An encrypted Office file (or an old binary .doc) is an OLE compound file, not a ZIP.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def _not_word() -> ValidationError:
    return _refuse(_("This is not a Word document (.docx). Upload the file you downloaded, saved as .docx."))


def identifier_of(submission: Submission) -> str:
    return f"compact-tracker:submission:{submission.pk}:revision:{submission.revision}"


def word_file_name(submission: Submission) -> str:
    return (
        f"draft-wg{submission.working_group.number}-{submission.period.kind}-{submission.period.covers_from.year}.docx"
    )


def section_labels() -> dict[str, str]:
    """Each text section's heading in the active language (the diff's headings, as strings)."""
    names = (*Submission.BRIEFING_FIELDS, *Submission.REPORT_FIELDS)
    labels = content_labels()
    return {name: str(labels[name]) for name in names}


def _headings_in_every_language() -> dict[str, str]:
    """A heading (any of the six languages, or the field's own name) → the field it names, so
    that a file downloaded in French comes back into a draft read in English."""
    known: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            known.update({_key(label): name for name, label in section_labels().items()})
    known.update({_key(name): name for name in section_labels()})
    return known


def _key(heading: str) -> str:
    return " ".join(heading.casefold().split())


def normalised(text: str) -> str:
    """A section's text as Word gives it back: paragraphs split on blank lines, trailing
    spaces dropped, one blank line between paragraphs."""
    paragraphs = (
        "\n".join(line.rstrip() for line in block.strip().splitlines())
        for block in PARAGRAPH_BREAK.split((text or "").replace("\r\n", "\n"))
    )
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


# --- Out to Word ---------------------------------------------------------------------------------


def draft_word(submission: Submission) -> bytes:
    """The draft's text sections as a Word file, in the active language."""
    document = Document()
    marking = str(Classification(submission.classification).label).upper()
    section = document.sections[0]
    for paragraph in (section.header.paragraphs[0], section.footer.paragraphs[0]):
        paragraph.text = marking
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    right_to_left = translation.get_language_bidi()
    document.add_paragraph(f"{submission.working_group} — {submission.period}", style="Title")
    document.add_paragraph(
        _(
            "Write under each heading and keep the headings as they are. Then upload this file on the "
            "draft's page: you will see what it changes before anything is saved. Only the text is "
            "read back: the activities, the indicators and the classification stay as they are."
        )
    )
    labels = section_labels()
    for name in submission.content_fields:
        heading = document.add_heading(labels[name], level=1)
        paragraphs = [heading]
        for block in normalised(getattr(submission, name)).split("\n\n"):
            if not block:
                continue
            paragraph = document.add_paragraph()
            for number, line in enumerate(block.split("\n")):
                run = paragraph.add_run()
                if number:
                    run.add_break()  # a line break inside the paragraph, as typed
                run.add_text(xml_text(line))
            paragraphs.append(paragraph)
        if right_to_left:
            for paragraph in paragraphs:
                paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    properties = document.core_properties
    properties.identifier = identifier_of(submission)
    properties.title = str(submission)
    properties.category = marking
    properties.language = translation.get_language()
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# --- Back from Word ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordDraft:
    """What an edited file says: the revision it was taken from and its sections' texts."""

    base_revision: int
    texts: dict[str, str]
    missing: tuple[str, ...] = ()  # sections whose heading is not in the file: left as they are


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="word")


def _package_check(data: bytes) -> None:
    """A Word document (.docx), not a macro-enabled one, not anything else."""
    if len(data) > MAX_WORD_BYTES:
        raise _refuse(_("The file is larger than 10 MB: a draft's text never is. Upload the .docx you downloaded."))
    if data.startswith(OLE_MAGIC):
        raise _refuse(
            _("The file is protected by a password or is an old Word document (.doc): save it as .docx without one.")
        )
    if not data.startswith(b"PK"):
        raise _not_word()
    archive_check(data)  # zip bombs, before anything is unpacked
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            types = package.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, KeyError) as error:
        raise _refuse(
            _("This is not a Word document (.docx). Upload the file you downloaded, saved as .docx.")
        ) from error
    content_types = _content_types(types)
    if any("macroEnabled" in kind or "vbaProject" in kind for kind in content_types) or any(
        name.lower().endswith(("vbaproject.bin", "vbadata.xml")) or name.lower().startswith("word/activex/")
        for name in names
    ):
        raise _refuse(
            _("The file contains macros or controls: save it as a plain Word document (.docx) and upload that.")
        )
    if MAIN_PART not in content_types:
        raise _not_word()


def _content_types(xml: bytes) -> set[str]:
    if not xml:
        return set()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        return set()
    return {
        element.get("ContentType", "")
        for element in root
        if element.tag in (f"{CONTENT_TYPES_NS}Override", f"{CONTENT_TYPES_NS}Default")
    }


def _tracked_changes(document: Any) -> bool:
    """Whether insertions or deletions are still pending: python-docx reads a paragraph's text
    without them, so a pending insertion would be lost and a pending deletion kept."""
    body = document.element.body
    return bool(body.findall(".//" + qn("w:ins")) or body.findall(".//" + qn("w:del")))


def word_draft_read(submission: Submission, data: bytes) -> WordDraft:
    """The sections of an edited file of ``submission``'s draft, or a ValidationError saying
    what is wrong with the file."""
    _package_check(data)
    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a damaged package
        raise _refuse(_("The Word document could not be read: it may be damaged. Download the draft again.")) from error
    if _tracked_changes(document):
        raise _refuse(
            _(
                "The file still has tracked changes: accept or reject them in Word (Review, Accept all "
                "or Reject all), save, and upload it again."
            )
        )
    match = IDENTIFIER.match(document.core_properties.identifier or "")
    if match is None:
        raise _refuse(_("This file was not downloaded from a draft here: download the draft as Word, then edit that."))
    if int(match["pk"]) != submission.pk:
        raise _refuse(_("This file is the draft of another report: upload it on that report's page."))
    headings = _headings_in_every_language()
    wanted = set(submission.content_fields)
    paragraphs: dict[str, list[str]] = {}
    current: str | None = None
    for paragraph in document.paragraphs:
        text = xml_text(paragraph.text)
        name = headings.get(_key(text)) if paragraph.style.name.startswith("Heading") else None
        if name in wanted:
            current = name
            paragraphs.setdefault(name, [])
        elif current is not None:
            paragraphs[current].append(text)
    texts = {name: normalised("\n\n".join(lines)) for name, lines in paragraphs.items()}
    too_long = [name for name, text in texts.items() if len(text) > MAX_SECTION_CHARACTERS]
    if too_long:
        raise _refuse(
            _("“%(section)s” is longer than %(limit)s characters: shorten it and upload the file again.")
            % {"section": section_labels()[too_long[0]], "limit": f"{MAX_SECTION_CHARACTERS:,}"}
        )
    missing = tuple(name for name in submission.content_fields if name not in texts)
    return WordDraft(base_revision=int(match["revision"]), texts=texts, missing=missing)


@dataclass
class WordPreview:
    """What saving the file would do to the draft as it is now."""

    changes: list[SectionDiff] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # labels of sections changed on both sides
    missing: list[str] = field(default_factory=list)  # labels of sections left as they are
    mine: dict[str, str] = field(default_factory=dict)  # what ``draft_save`` is given
    stale_base: bool = False  # the draft was saved since the download

    @property
    def changes_anything(self) -> bool:
        return bool(self.changes)


def word_draft_preview(submission: Submission, actor: AbstractBaseUser, draft: WordDraft) -> WordPreview:
    """The sections the file changes, as the draft would read after saving it."""
    theirs = draft_content(submission)
    base = theirs if draft.base_revision == submission.revision else stored_base(submission, draft.base_revision, actor)
    labels = section_labels()
    reference = base if base is not None else theirs
    # A section the file leaves as it was (Word's paragraphs aside) is not sent: it changes nothing.
    mine = {name: text for name, text in draft.texts.items() if text != normalised(reference.get(name, ""))}
    merge = three_way_merge(base, theirs, mine)
    preview = WordPreview(
        missing=[labels[name] for name in draft.missing],
        mine=mine,
        stale_base=draft.base_revision != submission.revision,
        conflicts=[labels.get(conflict.name, conflict.name) for conflict in merge.conflicts],
    )
    for name in submission.content_fields:
        old, new = theirs.get(name, ""), merge.merged.get(name, "")
        if name in merge.taken_from_mine and old != new:
            preview.changes.append(SectionDiff(name, labels[name], True, text_diff(old, new)))
    return preview
