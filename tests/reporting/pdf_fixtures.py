"""Realistic inputs for the compiled-report PDFs, and helpers to render and read them back.

The text reads like the working groups' real inputs (several paragraphs per field, activity
lines with narratives), so a group's section runs to a page or two, as in a real round. It is
deterministic: the same group always gets the same text, so page counts are stable.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from compact.core.models import Classification
from reporting.lib.pdf import RenderedPdf, pdf_render
from reporting.submissions.models import Submission

SENTENCES = (
    "The working group met {meetings} times during the period, twice in person in New York and "
    "otherwise online, with an average of {entities} participating entities.",
    "Members agreed on a common outline for the joint guidance note and divided the drafting "
    "among the lead entities, with the secretariat consolidating comments.",
    "A regional workshop for officials from Central Asia was co-organized with the host Government "
    "and brought together {participants} participants, {women} per cent of them women.",
    "The group reviewed the implementation of its work plan for the biennium and found that most "
    "activities are on track, although two outputs will need more time.",
    "Entities shared information on their technical assistance projects to avoid duplication and to "
    "identify opportunities for joint programming at the country level.",
    "Civil society organizations were consulted on the draft recommendations through an online "
    "consultation that received {comments} written contributions.",
    "The group supported the preparation of the Secretary-General's report on the activities of the "
    "United Nations system in implementing the Strategy.",
    "Funding constraints delayed the launch of the second phase of the project, and members asked "
    "the secretariat to explore pooled funding through the Compact's multi-partner trust fund.",
    "Gender considerations were mainstreamed in all activities, including through sex-disaggregated "
    "data collection and the participation of women experts as speakers.",
    "Youth perspectives were brought in through a dialogue with the youth advisory network, whose "
    "recommendations are reflected in the outline of the guidance.",
    "All activities were designed to respect international human rights law, international "
    "humanitarian law and international refugee law, as required by the Strategy.",
    "The group requests the Committee's guidance on how to prioritize its requests for support "
    "from Member States in the light of the liquidity situation.",
)

ACTIVITY_TITLES = (
    "Joint guidance note on the protection of human rights in border security",
    "Regional workshops on the prosecution and rehabilitation of returning foreign fighters",
    "Mapping of capacity-building assistance provided by Compact entities",
    "Online training course for criminal justice practitioners",
)

# A working group writing in Arabic (one of the six official languages).
ARABIC_PARAGRAPHS = (
    "عقد الفريق العامل اجتماعين خلال الفترة المشمولة بالتقرير، واتفق الأعضاء على خطة عمل مشتركة "
    "لدعم الدول الأعضاء في تنفيذ الاستراتيجية العالمية لمكافحة الإرهاب.",
    "ونظم الفريق حلقة عمل إقليمية بالتعاون مع الحكومة المضيفة شارك فيها ممثلون عن الأجهزة الأمنية "
    "والقضائية ومنظمات المجتمع المدني، مع التركيز على احترام حقوق الإنسان وسيادة القانون.",
    "ويواجه الفريق صعوبات في التمويل أدت إلى تأخير بعض الأنشطة المقررة، ويطلب من لجنة التنسيق "
    "تقديم التوجيه بشأن ترتيب الأولويات.",
)
ARABIC_PHRASE = "عقد الفريق العامل اجتماعين"


def english_text(seed: int, paragraphs: int = 2, sentences: int = 4) -> str:
    """Paragraphs of plausible report prose, different for each ``seed``."""
    figures = {"meetings": 3 + seed % 4, "entities": 9 + seed % 7, "participants": 40 + 3 * seed}
    figures |= {"women": 35 + seed % 20, "comments": 12 + seed}
    out = []
    for p in range(paragraphs):
        start = (seed * 5 + p * sentences) % len(SENTENCES)
        picked = [SENTENCES[(start + i) % len(SENTENCES)].format(**figures) for i in range(sentences)]
        out.append(" ".join(picked))
    return "\n\n".join(out)


def report_fields(submission: Submission, *, seed: int) -> dict[str, str]:
    """Every content field of ``submission`` filled with English prose: about two pages for
    a progress report, one for a briefing (the first field, the main one, is the longest)."""
    return {
        name: english_text(seed * 11 + n, paragraphs=2 if n == 0 else 1, sentences=5 if n == 0 else 4)
        for n, name in enumerate(submission.content_fields)
    }


def arabic_fields(submission: Submission) -> dict[str, str]:
    return {name: "\n\n".join(ARABIC_PARAGRAPHS) for name in submission.content_fields}


def accept_directly(
    submission: Submission,
    *,
    fields: dict[str, str],
    classification: str = Classification.UNCLASSIFIED,
    submitted_at: datetime.datetime | None = None,
    on_time: bool = True,
    narratives: bool = True,
) -> Submission:
    """Set-up shortcut: the input as it stands once submitted and accepted (the workflow
    itself is tested elsewhere; the PDF only reads the result)."""
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.classification = classification
    submission.status = Submission.Status.ACCEPTED
    submission.submitted_at = submitted_at or timezone.make_aware(
        datetime.datetime.combine(submission.due_on, datetime.time(10, 0))
    )
    submission.on_time = on_time
    submission.save()
    if narratives:
        fill_activities(submission, seed=submission.working_group.number)
    return submission


def submit_directly(submission: Submission, *, fields: dict[str, str], on_time: bool = False) -> Submission:
    """Set-up shortcut: an input submitted to OCT and not yet accepted."""
    accept_directly(submission, fields=fields, on_time=on_time, narratives=False)
    submission.status = Submission.Status.SUBMITTED
    submission.save(update_fields=["status"])
    return submission


def fill_activities(submission: Submission, *, seed: int) -> None:
    """Give a progress report activity lines with narratives (work-plan lines if it has them)."""
    if submission.period.is_briefing:
        return
    lines = list(submission.activity_progress.all())
    if not lines:
        for position, title in enumerate(ACTIVITY_TITLES[: 2 + seed % 3]):
            lines.append(submission.activity_progress.create(position=position, title=title))
    for n, line in enumerate(lines):
        line.status = ("ongoing", "completed", "planned")[(seed + n) % 3]
        line.narrative = english_text(seed + 3 * n, paragraphs=1, sentences=2)
        line.save(update_fields=["status", "narrative"])


# --- Rendering and reading back ------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    html: str
    pdf: RenderedPdf

    @property
    def texts(self) -> list[str]:
        return page_texts(self.pdf.content)


def render_compiled(
    contents: Any,
    *,
    template: str,
    edition: Any = None,
    generated_at: datetime.datetime | None = None,
) -> Rendered:
    """Render ``contents`` as the rendering service does: the template and the print CSS with
    the same context, under the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        label = Classification(contents.classification).label
        context = {
            "contents": contents,
            "report": contents.report,
            "edition": edition,
            "generated_at": generated_at or timezone.now(),
            "classification": contents.classification,
            "classification_label": str(label).upper(),
            "LANGUAGE_BIDI": translation.get_language_bidi(),
        }
        html = render_to_string(template, context)
        css = render_to_string("reporting/pdf/print.css", context)
        return Rendered(html, pdf_render(html, stylesheets=[css]))


def page_texts(content: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it (Arabic comes back in logical order)."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces made single spaces, for phrase searches."""
    return re.sub(r"\s+", " ", text).strip()


def font_names(content: bytes) -> set[str]:
    """The base names of the fonts embedded in the PDF, without the subset prefix."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            name = str(ref.get_object().get("/BaseFont", ""))
            names.add(name.lstrip("/").split("+", 1)[-1])
    return names
