"""The M&E framework's writes: OCT keeps the indicators of a programme of work; a group's
chair and vice-chairs enter the group's values in its progress report.

Values are checked as a whole and saved all-or-nothing: only indicators the report carries
(the group reports them, in this kind of report), only the dimensions and categories the
indicator is broken down by, decimals that fit, no breakdown without its total, and for a
count no breakdown adding up to more than the total. Errors are keyed by the editor's field
names (``value_key``), so each message shows next to its input.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_record, snapshot
from compact.lib.workflow import StaleStateError, revision_check
from compact.registry.models import Pillar
from reporting.monitoring.framework import (
    DECREASE,
    DIMENSIONS,
    INDICATOR_FIELDS,
    EnteredValue,
    breakdown_problems,
)
from reporting.monitoring.selectors import indicator_values_content, indicators_for_submission
from reporting.programme.models import Indicator, IndicatorValue, Priority, ProgrammeOfWork
from reporting.programme.permissions import can_manage_programme
from reporting.programme.services import programme_lock, programme_touch
from reporting.submissions.models import Submission
from reporting.submissions.services import ActivityLine, submission_editor_check, submission_save_draft
from workinggroups.models import WorkingGroup

# A value fits DecimalField(max_digits=14, decimal_places=2).
MAX_VALUE = Decimal("999999999999.99")


def value_key(indicator_id: int, dimension: str = "", category: str = "") -> str:
    """The editor's field name for one value (also the key of its error messages)."""
    return f"indicator-{indicator_id}-{dimension}-{category}" if dimension else f"indicator-{indicator_id}-total"


def _require_manager(actor: AbstractBaseUser) -> None:
    if not can_manage_programme(actor):
        raise PermissionDenied(_("Only the OCT secretariat keeps the M&E framework."))


# --- Indicators ----------------------------------------------------------------------------------


def _clean(programme: ProgrammeOfWork, data: dict[str, Any], instance: Indicator | None) -> dict[str, Any]:
    """The indicator's fields checked together, with every problem in one ValidationError."""
    errors: dict[str, str] = {}
    data = {**data, "code": (data.get("code") or "").strip(), "name": (data.get("name") or "").strip()}
    dimensions = list(dict.fromkeys(data.get("disaggregation") or []))
    if unknown := [key for key in dimensions if key not in DIMENSIONS]:
        errors["disaggregation"] = _("Unknown dimensions: %(keys)s.") % {"keys": ", ".join(unknown)}
    pillars = list(dict.fromkeys(data.get("pillars") or []))
    if [pillar for pillar in pillars if pillar not in Pillar.values]:
        errors["pillars"] = _("Choose pillars of the Strategy (I to IV).")
    baseline, target = data.get("baseline"), data.get("target")
    if data.get("direction") == DECREASE and baseline is None:
        errors["baseline"] = _("An indicator where lower is better needs a baseline to measure progress from.")
    elif baseline is not None and target is not None:
        wrong_way = target < baseline if data.get("direction") != DECREASE else target > baseline
        if wrong_way:
            errors["target"] = _("The target must be beyond the baseline in the indicator's direction.")
    if data.get("baseline_year") and baseline is None:
        errors["baseline_year"] = _("Give the baseline for this year, or leave the year empty.")
    clash = programme.indicators.filter(code__iexact=data["code"])
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if data["code"] and clash.exists():
        errors["code"] = _("The programme already has an indicator %(code)s.") % {"code": data["code"]}
    if errors:
        raise ValidationError(errors)
    return {**data, "disaggregation": dimensions, "pillars": pillars}


def _check_links(programme: ProgrammeOfWork, priorities: Iterable[Priority]) -> None:
    if any(priority.programme_id != programme.pk for priority in priorities):
        raise ValidationError({"priorities": _("Choose priorities of this programme of work.")})


def _links_snapshot(indicator: Indicator) -> dict[str, Any]:
    return {
        **snapshot(indicator, INDICATOR_FIELDS),
        "priorities": sorted(indicator.priorities.values_list("code", flat=True)),
        "working_groups": sorted(indicator.working_groups.values_list("number", flat=True)),
    }


def _save(indicator: Indicator, priorities: list[Priority], groups: list[WorkingGroup]) -> None:
    indicator.full_clean(exclude=["programme"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            indicator.save()
    except IntegrityError:
        raise ValidationError({"code": _("The programme already has an indicator with this code.")}) from None
    indicator.priorities.set(priorities)
    indicator.working_groups.set(groups)


@transaction.atomic
def indicator_create(
    *,
    programme: ProgrammeOfWork,
    actor: AbstractBaseUser,
    priorities: Iterable[Priority] = (),
    working_groups: Iterable[WorkingGroup] = (),
    **fields: Any,
) -> Indicator:
    """Add an indicator to ``programme``'s framework (OCT), last in its order."""
    _require_manager(actor)
    programme = programme_lock(programme)
    priorities, groups = list(priorities), list(working_groups)
    _check_links(programme, priorities)
    data = _clean(programme, {name: fields.get(name) for name in INDICATOR_FIELDS if name in fields}, None)
    last = programme.indicators.aggregate(last=Max("position"))["last"]
    indicator = Indicator(programme=programme, position=0 if last is None else last + 1, **data)
    _save(indicator, priorities, groups)
    audit_record(actor=actor, verb="monitoring.indicator_created", obj=indicator, after=_links_snapshot(indicator))
    programme_touch(programme, actor)
    return indicator


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    actor: AbstractBaseUser,
    priorities: Iterable[Priority] | None = None,
    working_groups: Iterable[WorkingGroup] | None = None,
    **fields: Any,
) -> Indicator:
    """Change an indicator (OCT). Fields left out keep their value. Once values exist, a
    dimension with values cannot be dropped: the values would lose their meaning."""
    _require_manager(actor)
    programme = programme_lock(indicator.programme)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = _links_snapshot(indicator)
    current = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    data = _clean(
        indicator.programme, {**current, **{k: v for k, v in fields.items() if k in INDICATOR_FIELDS}}, indicator
    )
    used = set(indicator.values.exclude(dimension="").values_list("dimension", flat=True))
    if dropped := sorted(used - set(data["disaggregation"])):
        raise ValidationError(
            {
                "disaggregation": _("Groups have reported values by %(dimensions)s: that breakdown cannot be removed.")
                % {"dimensions": ", ".join(str(DIMENSIONS[d].label) if d in DIMENSIONS else d for d in dropped)}
            }
        )
    priorities = list(priorities) if priorities is not None else list(indicator.priorities.all())
    groups = list(working_groups) if working_groups is not None else list(indicator.working_groups.all())
    _check_links(indicator.programme, priorities)
    for name, value in data.items():
        setattr(indicator, name, value)
    _save(indicator, priorities, groups)
    after = _links_snapshot(indicator)
    if after != before:
        audit_record(actor=actor, verb="monitoring.indicator_updated", obj=indicator, before=before, after=after)
        programme_touch(programme, actor)
    return indicator


@transaction.atomic
def indicator_remove(*, indicator: Indicator, actor: AbstractBaseUser) -> None:
    """Remove an indicator no group has reported against yet (OCT)."""
    _require_manager(actor)
    programme = programme_lock(indicator.programme)
    # Locked: a group saving values for it waits, then finds it gone (or this finds its values).
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator.values.exists():
        raise ValidationError(
            _("Working groups have reported values for %(code)s: it cannot be removed.") % {"code": indicator.code}
        )
    audit_record(
        actor=actor, verb="monitoring.indicator_removed", obj=indicator.programme, before=_links_snapshot(indicator)
    )
    indicator.delete()
    programme_touch(programme, actor)


@transaction.atomic
def indicator_move(*, indicator: Indicator, actor: AbstractBaseUser, offset: int) -> None:
    """Move an indicator up (``offset=-1``) or down (``+1``) in its programme's order."""
    _require_manager(actor)
    programme = programme_lock(indicator.programme)
    siblings = list(indicator.programme.indicators.select_for_update().order_by("position", "code", "id"))
    index = next(i for i, item in enumerate(siblings) if item.pk == indicator.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings.insert(target, siblings.pop(index))
    for position, item in enumerate(siblings):
        if item.position != position:
            Indicator.objects.filter(pk=item.pk).update(position=position)
    audit_record(
        actor=actor,
        verb="monitoring.indicator_moved",
        obj=indicator,
        before={"position": index},
        after={"position": target},
    )
    programme_touch(programme, actor)


# --- A group's values ----------------------------------------------------------------------------


def _decimal(raw: Any) -> Decimal | None:
    try:
        number = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number


def _check_value(key: str, entry: EnteredValue, errors: dict[str, list[str]]) -> Decimal | None:
    number = _decimal(entry.value)
    if number is None:
        errors.setdefault(key, []).append(_("Enter a number."))
    elif number < 0:
        errors.setdefault(key, []).append(_("Values cannot be negative."))
    elif number > MAX_VALUE:
        errors.setdefault(key, []).append(_("This number is too large."))
    elif number != number.quantize(Decimal("0.01")):
        errors.setdefault(key, []).append(_("Use at most two decimal places."))
    elif len(entry.note) > 500:
        errors.setdefault(key, []).append(_("Keep the note under 500 characters."))
    else:
        return number
    return None


def _check_place(entry: EnteredValue, indicator: Indicator | None, key: str, errors: dict[str, list[str]]) -> bool:
    if indicator is None:
        errors.setdefault(key, []).append(_("This indicator is not reported by this working group in this report."))
        return False
    if not entry.dimension and not entry.category:
        return True
    dimension = DIMENSIONS.get(entry.dimension)
    if entry.dimension not in indicator.disaggregation or dimension is None:
        errors.setdefault(key, []).append(
            _("%(code)s is not broken down by “%(dimension)s”.")
            % {"code": indicator.code, "dimension": entry.dimension}
        )
        return False
    if dimension.category(entry.category) is None:
        errors.setdefault(key, []).append(
            _("“%(category)s” is not a category of %(dimension)s.")
            % {"category": entry.category, "dimension": dimension.label}
        )
        return False
    return True


def _checked(submission: Submission, entries: Iterable[EnteredValue]) -> list[tuple[Indicator, EnteredValue, Decimal]]:
    """Every entry checked; all problems raised together, keyed by the editor's field names.
    The indicators are locked, so OCT cannot drop a breakdown (or the indicator) while these
    values are written. An indicator the report already carries values for stays accepted even
    if it no longer applies (the editor shows it), so the rest of the draft can still be saved."""
    applicable = {indicator.pk: indicator for indicator in indicators_for_submission(submission)}
    applicable |= {value.indicator_id: value.indicator for value in submission.indicator_values.all()}
    locked = Indicator.objects.select_for_update(of=("self",)).filter(pk__in=list(applicable))
    applicable = {indicator.pk: indicator for indicator in locked}
    errors: dict[str, list[str]] = {}
    good: dict[tuple[int, str, str], tuple[Indicator, EnteredValue, Decimal]] = {}
    for entry in entries:
        key = value_key(entry.indicator_id, entry.dimension, entry.category)
        indicator = applicable.get(entry.indicator_id)
        if not _check_place(entry, indicator, key, errors):
            continue
        number = _check_value(key, entry, errors)
        slot = (entry.indicator_id, entry.dimension, entry.category)
        if slot in good:
            errors.setdefault(key, []).append(_("This value is given twice."))
        elif number is not None:
            good[slot] = (indicator, entry, number)
    _check_totals(good, errors)
    if errors:
        raise ValidationError(errors)
    return list(good.values())


def _check_totals(good: dict[tuple[int, str, str], tuple[Indicator, EnteredValue, Decimal]], errors: dict) -> None:
    """A breakdown needs its total; a count's breakdown cannot exceed it."""
    by_indicator: dict[int, dict[str, Any]] = {}
    for (indicator_id, dimension, category), (indicator, _entry, number) in good.items():
        slot = by_indicator.setdefault(indicator_id, {"indicator": indicator, "total": None, "breakdown": {}})
        if dimension:
            slot["breakdown"].setdefault(dimension, {})[category] = number
        else:
            slot["total"] = number
    for indicator_id, slot in by_indicator.items():
        indicator, key = slot["indicator"], value_key(indicator_id)
        if slot["breakdown"] and slot["total"] is None:
            errors.setdefault(key, []).append(
                _("%(code)s: enter the total as well as the breakdown.") % {"code": indicator.code}
            )
        problems = breakdown_problems(
            total=slot["total"], breakdown=slot["breakdown"], aggregation=indicator.aggregation
        )
        for dimension, added in problems:
            errors.setdefault(key, []).append(
                _("%(code)s: the values by %(dimension)s add up to %(added)s, more than the total of %(total)s.")
                % {
                    "code": indicator.code,
                    "dimension": str(DIMENSIONS[dimension].label).lower(),
                    "added": plain_number(added),
                    "total": plain_number(slot["total"]),
                }
            )


def _write_values(submission: Submission, actor: AbstractBaseUser, entries: Iterable[EnteredValue]) -> bool:
    """Replace the report's values with ``entries`` (checked first). Returns whether anything
    changed; writes an audit row if so."""
    checked = _checked(submission, entries)
    before = indicator_values_content(submission)
    submission.indicator_values.all().delete()
    now = timezone.now()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            submission=submission,
            indicator=indicator,
            dimension=entry.dimension,
            category=entry.category,
            value=number,
            note=entry.note.strip(),
            updated_at=now,
            updated_by=actor,
        )
        for indicator, entry, number in checked
    )
    after = indicator_values_content(submission)
    if before == after:
        return False
    audit_record(
        actor=actor,
        verb="monitoring.values_saved",
        obj=submission,
        before={"values": _plain(before)},
        after={"values": _plain(after)},
    )
    return True


def _plain(content: list[dict[str, Any]]) -> list[str]:
    labels = []
    for row in content:
        part = f"{row['dimension']}={row['category']}" if row["dimension"] else "total"
        labels.append(f"{row['indicator']} {part}: {row['value']}")
    return labels


def _require_editor(submission: Submission, actor: AbstractBaseUser) -> None:
    submission_editor_check(actor, submission)


@transaction.atomic
def indicator_values_save(
    *,
    submission: Submission,
    actor: AbstractBaseUser,
    values: Iterable[EnteredValue],
    revision: int | None = None,
) -> Submission:
    """Replace the group's values in its progress report, while the report is editable (the
    group's chair and vice-chairs). ``values`` is the complete set; leaving a value out
    removes it. With ``revision``, a draft saved since is refused (EditConflictError); the
    draft's revision goes up when values change, so other open editors are told."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    _require_editor(locked, actor)  # on the submission as it is now, not as it was read
    if locked.status not in Submission.EDITABLE:
        raise StaleStateError(
            _("This submission is no longer a draft (it is “%(status)s”).") % {"status": locked.get_status_display()}
        )
    revision_check(locked, revision, _("This draft was changed by someone else while you were editing it."))
    if _write_values(locked, actor, values):
        Submission.objects.filter(pk=locked.pk).update(
            revision=F("revision") + 1, last_edited_at=timezone.now(), last_edited_by=actor
        )
    locked.refresh_from_db()
    return locked


@transaction.atomic
def progress_report_save(
    *,
    submission: Submission,
    actor: AbstractBaseUser,
    base_revision: int,
    fields: dict[str, str],
    classification: str,
    activities: list[ActivityLine] = (),
    values: Iterable[EnteredValue] | None = None,
    autosave: bool = False,
) -> Submission:
    """The editor's save: the text (``submission_save_draft``, with its optimistic lock on
    ``base_revision``) and, when the report carries indicators, the values, in one
    transaction: a refused value leaves the text unsaved too."""
    saved = submission_save_draft(
        submission=submission,
        actor=actor,
        base_revision=base_revision,
        fields=fields,
        classification=classification,
        activities=activities,
        autosave=autosave,
    )
    if values is not None:
        _write_values(saved, actor, values)
    return saved


def values_by_key(submission: Submission) -> dict[str, str]:
    """The stored values by the editor's field names (for its initial values)."""
    return {
        value_key(value.indicator_id, value.dimension, value.category): plain_number(value.value)
        for value in submission.indicator_values.all()
    }


def plain_number(value: Decimal) -> str:
    """12 rather than 12.00 or 1.2E+1; 12.5 as 12.50 stays exact."""
    return str(int(value)) if value == value.to_integral_value() else str(value)


__all__ = [
    "indicator_create",
    "indicator_move",
    "indicator_remove",
    "indicator_update",
    "indicator_values_save",
    "progress_report_save",
    "value_key",
    "values_by_key",
]
