"""What a Committee meeting's briefing pack says (pure reads): the agenda in order, each
working-group briefing on it reproduced from the group's accepted input, and the action points
of earlier meetings still open, for the Committee to follow up.

A briefing is reproduced only while its submission is accepted; one returned or reopened
since the agenda was built is listed with the reason instead. The pack carries the highest
classification of what it reproduces, which the PDF prints on every page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from compact.core.models import Classification
from reporting.committee.models import ActionPoint, AgendaItem, Meeting
from reporting.compiled.contents import Section, _chairs, _section, highest
from reporting.submissions.models import Submission
from reporting.submissions.selectors import content_labels


@dataclass(frozen=True)
class PackItem:
    """One agenda item as the pack prints it."""

    item: AgendaItem
    number: int
    section: Section | None  # the briefing, reproduced
    not_reproduced: str  # why a linked briefing is not, if it is not

    @property
    def anchor(self) -> str:
        return f"item-{self.number}"


@dataclass(frozen=True)
class FollowUp:
    point: ActionPoint
    overdue: bool


@dataclass
class BriefingPackContents:
    meeting: Meeting
    items: list[PackItem]
    follow_ups: list[FollowUp]
    classification: str

    @property
    def report(self) -> Meeting:
        """What the PDF's cover and running elements describe (as for the compiled reports)."""
        return self.meeting

    @property
    def briefings(self) -> list[PackItem]:
        return [item for item in self.items if item.section is not None]


def _not_reproduced(submission: Submission) -> str:
    if submission.status == Submission.Status.ACCEPTED:
        return ""
    return _(
        "The briefing is not reproduced: it was “%(status)s” when this pack was generated (accepted inputs only)."
    ) % {"status": submission.get_status_display()}


def _chairs_of(agenda: list[AgendaItem]) -> dict[tuple[datetime.date, int], list[str]]:
    """Each briefing group's chairs as they stood at the end of its period: one query per
    period (an agenda takes one or two), not one per item."""
    by_day: dict[datetime.date, list] = {}
    for item in agenda:
        if item.submission is not None:
            by_day.setdefault(item.submission.period.covers_until, []).append(item.submission.working_group)
    return {
        (day, group_id): lines for day, groups in by_day.items() for group_id, lines in _chairs(day, groups).items()
    }


def briefing_pack_contents(meeting: Meeting, *, today: datetime.date) -> BriefingPackContents:
    """The agenda with its briefings, and the open action points of earlier meetings."""
    agenda = list(
        meeting.agenda.select_related("presenter", "submission__working_group", "submission__period").prefetch_related(
            "submission__activity_progress"
        )
    )
    labels, chairs = content_labels(), _chairs_of(agenda)
    items = []
    for number, item in enumerate(agenda, start=1):
        submission, section, reason = item.submission, None, ""
        if submission is not None:
            reason = _not_reproduced(submission)
            if not reason:
                key = (submission.period.covers_until, submission.working_group_id)
                section = _section(submission, chairs[key], labels)
        items.append(PackItem(item, number, section, reason))
    follow_ups = [
        FollowUp(point, point.due_on < today)
        for point in ActionPoint.objects.filter(status=ActionPoint.Status.OPEN, meeting__date__lt=meeting.date)
        .select_related("meeting", "owner_entity", "owner_group")
        .order_by("due_on", "pk")
    ]
    levels = [Classification.UNCLASSIFIED, *(i.section.submission.classification for i in items if i.section)]
    return BriefingPackContents(meeting, items, follow_ups, highest(levels))


def briefing_pack_classification(meeting: Meeting) -> str:
    """The marking a pack made now would carry (one query; the worker works it out again from
    what it reproduces)."""
    levels = meeting.agenda.filter(submission__status=Submission.Status.ACCEPTED).values_list(
        "submission__classification", flat=True
    )
    return highest([Classification.UNCLASSIFIED, *levels])
