"""What an adopted version of the programme of work holds and how two differ (reads, no writes).

``programme_snapshot`` turns the working copy — fields, priorities with their pillars and
groups, expected results with their linked outputs, and the M&E framework's indicators — into
the JSON a ``ProgrammeVersion`` freezes. ``programme_version_diff`` compares two such
snapshots by id: what was added, removed, changed (field by field) or reordered. The services
(``reporting.programme.services``) adopt; the pages show the differences."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch

from reporting.monitoring.framework import INDICATOR_FIELDS
from reporting.programme.models import ExpectedResult, Indicator, ProgrammeOfWork
from workinggroups.models import WorkingGroup, WorkPlanOutput

PROGRAMME_FIELDS = ("biennium_start", "title", "strategy_review_resolution", "introduction")


def _group_ref(group: WorkingGroup) -> dict[str, Any]:
    return {"id": group.pk, "number": group.number, "short_name": group.short_name}


def _output_ref(output: WorkPlanOutput) -> dict[str, Any]:
    return {"id": output.pk, "group": _group_ref(output.work_plan.working_group), "title": output.title}


def _indicator_entry(indicator: Indicator) -> dict[str, Any]:
    entry = {"id": indicator.pk, **{name: getattr(indicator, name) for name in INDICATOR_FIELDS}}
    entry["priorities"] = sorted(p.code for p in indicator.priorities.all())
    entry["working_groups"] = sorted(g.number for g in indicator.working_groups.all())
    return entry


def programme_snapshot(programme: ProgrammeOfWork) -> dict[str, Any]:
    """The whole programme as plain JSON: its fields, the priorities in order (pillars,
    working groups, expected results with their outputs: id, group, title) and its M&E
    indicators with their fields and links. What a version freezes and the diff compares."""
    outputs = WorkPlanOutput.objects.select_related("work_plan__working_group").order_by(
        "work_plan__working_group__number", "position", "pk"
    )
    results = ExpectedResult.objects.prefetch_related(Prefetch("outputs", queryset=outputs)).order_by("position", "pk")
    priorities = programme.priorities.order_by("position", "pk").prefetch_related(
        Prefetch("working_groups", queryset=WorkingGroup.objects.order_by("number", "pk")),
        Prefetch("results", queryset=results),
    )
    indicators = programme.indicators.order_by("position", "code", "pk").prefetch_related(
        "priorities", "working_groups"
    )
    content = {
        "programme": {name: getattr(programme, name) for name in PROGRAMME_FIELDS},
        "priorities": [
            {
                "id": priority.pk,
                "code": priority.code,
                "title": priority.title,
                "description": priority.description,
                "pillars": list(priority.pillars),
                "resources_needed_usd": priority.resources_needed_usd,
                "working_groups": [_group_ref(g) for g in priority.working_groups.all()],
                "results": [
                    {"id": r.pk, "text": r.text, "outputs": [_output_ref(o) for o in r.outputs.all()]}
                    for r in priority.results.all()
                ],
            }
            for priority in priorities
        ],
        "indicators": [_indicator_entry(indicator) for indicator in indicators],
    }
    # Through JSON and back: exactly what a version stores (decimals as text, no tuples).
    return json.loads(json.dumps(content, cls=DjangoJSONEncoder))


def _field_changes(old: dict[str, Any], new: dict[str, Any], fields: Iterable[str]) -> list[dict[str, Any]]:
    return [{"field": f, "old": old.get(f), "new": new.get(f)} for f in fields if old.get(f) != new.get(f)]


def _by_id(items: Iterable[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {item["id"]: item for item in items}


def _order_changed(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> bool:
    common = set(_by_id(old)) & set(_by_id(new))
    return [i["id"] for i in old if i["id"] in common] != [i["id"] for i in new if i["id"] in common]


def _results_of(content: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {r["id"]: {**r, "priority": p["code"]} for p in content.get("priorities", []) for r in p["results"]}


def _groups_text(groups: list[dict[str, Any]]) -> list[int]:
    return [g["number"] for g in groups]


def _priorities_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    before, after = _by_id(old.get("priorities", [])), _by_id(new.get("priorities", []))
    changed = []
    for pk in after.keys() & before.keys():
        a, b = before[pk], after[pk]
        changes = _field_changes(a, b, ("code", "title", "description", "pillars", "resources_needed_usd"))
        if _groups_text(a["working_groups"]) != _groups_text(b["working_groups"]):
            changes.append(
                {
                    "field": "working_groups",
                    "old": _groups_text(a["working_groups"]),
                    "new": _groups_text(b["working_groups"]),
                }
            )
        if changes:
            changed.append({"id": pk, "code": b["code"], "title": b["title"], "changes": changes})
    return {
        "added": [_priority_summary(after[pk]) for pk in after if pk not in before],
        "removed": [_priority_summary(before[pk]) for pk in before if pk not in after],
        "changed": sorted(changed, key=lambda c: c["code"]),
        "reordered": _order_changed(old.get("priorities", []), new.get("priorities", [])),
    }


def _priority_summary(priority: dict[str, Any]) -> dict[str, Any]:
    return {"id": priority["id"], "code": priority["code"], "title": priority["title"]}


def _result_summary(result: dict[str, Any]) -> dict[str, Any]:
    return {"id": result["id"], "priority": result["priority"], "text": result["text"]}


def _results_and_outputs_diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    before, after = _results_of(old), _results_of(new)
    changed, outputs = [], {"added": [], "removed": [], "changed": []}
    for pk in sorted(after.keys() & before.keys()):
        a, b = before[pk], after[pk]
        changes = _field_changes(a, b, ("text",))  # results never move between priorities
        if changes:
            changed.append({**_result_summary(b), "changes": changes})
        old_outputs, new_outputs = _by_id(a["outputs"]), _by_id(b["outputs"])
        for opk in new_outputs.keys() - old_outputs.keys():
            outputs["added"].append({"result": _result_summary(b), "output": new_outputs[opk]})
        for opk in old_outputs.keys() - new_outputs.keys():
            outputs["removed"].append({"result": _result_summary(b), "output": old_outputs[opk]})
        for opk in new_outputs.keys() & old_outputs.keys():
            if old_outputs[opk]["title"] != new_outputs[opk]["title"]:
                outputs["changed"].append(
                    {
                        "result": _result_summary(b),
                        "output": new_outputs[opk],
                        "changes": [
                            {"field": "title", "old": old_outputs[opk]["title"], "new": new_outputs[opk]["title"]}
                        ],
                    }
                )
    reordered = any(
        _order_changed(p["results"], _by_id(new.get("priorities", []))[p["id"]]["results"])
        for p in old.get("priorities", [])
        if p["id"] in _by_id(new.get("priorities", []))
    )
    results = {
        "added": [{**_result_summary(after[pk]), "outputs": after[pk]["outputs"]} for pk in after if pk not in before],
        "removed": [
            {**_result_summary(before[pk]), "outputs": before[pk]["outputs"]} for pk in before if pk not in after
        ],
        "changed": changed,
        "reordered": reordered,
    }
    return results, outputs


def _indicators_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    before, after = _by_id(old.get("indicators", [])), _by_id(new.get("indicators", []))
    fields = (*INDICATOR_FIELDS, "priorities", "working_groups")
    changed = [
        {"id": pk, "code": after[pk]["code"], "name": after[pk]["name"], "changes": changes}
        for pk in sorted(after.keys() & before.keys())
        if (changes := _field_changes(before[pk], after[pk], fields))
    ]
    summary = ("id", "code", "name")
    return {
        "added": [{k: after[pk][k] for k in summary} for pk in after if pk not in before],
        "removed": [{k: before[pk][k] for k in summary} for pk in before if pk not in after],
        "changed": changed,
    }


def programme_version_diff(old_content: dict[str, Any], new_content: dict[str, Any]) -> dict[str, Any]:
    """What changed from one snapshot to another: the programme's fields, and the priorities,
    expected results, linked outputs and indicators added, removed and changed (field by
    field, old and new value), matched by id. ``changed`` says whether anything differs."""
    results, outputs = _results_and_outputs_diff(old_content, new_content)
    diff = {
        "programme": _field_changes(
            old_content.get("programme", {}), new_content.get("programme", {}), PROGRAMME_FIELDS
        ),
        "priorities": _priorities_diff(old_content, new_content),
        "results": results,
        "outputs": outputs,
        "indicators": _indicators_diff(old_content, new_content),
    }
    diff["changed"] = bool(
        diff["programme"]
        or any(
            diff[part][kind]
            for part in ("priorities", "results", "outputs", "indicators")
            for kind in ("added", "removed", "changed")
        )
        or diff["priorities"]["reordered"]
        or diff["results"]["reordered"]
    )
    return diff
