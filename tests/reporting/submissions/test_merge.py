"""The three-way merge of a draft's content (pure: no database)."""

from __future__ import annotations

from reporting.submissions.merge import FieldConflict, three_way_merge, with_mine_preferred

BASE = {
    "summary": "We met twice.",
    "challenges": "Funding.",
    "classification": "unclassified",
    "activity-11-status": "planned",
    "activity-11-narrative": "Not started.",
    "indicator-3-total": "120",
    "indicator-3-sex-female": "70",
}


def test_changes_to_different_fields_both_survive():
    theirs = {**BASE, "summary": "We met three times."}
    mine = {**BASE, "challenges": "Funding and staff."}
    result = three_way_merge(BASE, theirs, mine)
    assert not result.has_conflicts
    assert result.merged["summary"] == "We met three times."
    assert result.merged["challenges"] == "Funding and staff."
    assert result.taken_from_mine == ("challenges",)


def test_the_same_field_changed_differently_is_a_conflict_and_keeps_theirs():
    theirs = {**BASE, "summary": "Theirs."}
    mine = {**BASE, "summary": "Mine.", "challenges": "Mine too."}
    result = three_way_merge(BASE, theirs, mine)
    assert result.conflicts == (FieldConflict("summary", "We met twice.", "Theirs.", "Mine."),)
    assert result.merged["summary"] == "Theirs."  # nothing of mine over theirs
    assert result.merged["challenges"] == "Mine too."  # the rest merges


def test_an_identical_change_by_both_is_not_a_conflict():
    theirs = {**BASE, "summary": "Agreed text."}
    mine = {**BASE, "summary": "Agreed text."}
    result = three_way_merge(BASE, theirs, mine)
    assert not result.has_conflicts and result.merged["summary"] == "Agreed text."
    assert result.taken_from_mine == ()


def test_a_field_only_they_changed_is_kept_even_though_mine_shows_the_old_text():
    theirs = {**BASE, "activity-11-status": "ongoing"}
    result = three_way_merge(BASE, theirs, dict(BASE))
    assert result.merged == theirs and not result.has_conflicts


def test_activity_lines_changed_by_each_side_are_merged_line_by_line():
    base = {**BASE, "activity-12-status": "planned"}
    theirs = {**base, "activity-11-narrative": "Draft circulated."}
    mine = {**base, "activity-12-status": "completed", "activity-12-narrative": "Held in Nairobi."}
    result = three_way_merge(base, theirs, mine)
    assert not result.has_conflicts
    assert result.merged["activity-11-narrative"] == "Draft circulated."
    assert (result.merged["activity-12-status"], result.merged["activity-12-narrative"]) == (
        "completed",
        "Held in Nairobi.",
    )


def test_activity_lines_added_on_each_side_are_both_kept():
    theirs = {**BASE, "activity-21-narrative": "Their new line."}
    mine = {**BASE, "activity-22-narrative": "My new line."}
    result = three_way_merge(BASE, theirs, mine)
    assert result.merged["activity-21-narrative"] == "Their new line."
    assert result.merged["activity-22-narrative"] == "My new line."


def test_the_same_line_added_differently_by_both_is_a_conflict():
    theirs = {**BASE, "activity-21-narrative": "Theirs."}
    mine = {**BASE, "activity-21-narrative": "Mine."}
    (conflict,) = three_way_merge(BASE, theirs, mine).conflicts
    assert (conflict.name, conflict.base, conflict.theirs, conflict.mine) == (
        "activity-21-narrative",
        "",
        "Theirs.",
        "Mine.",
    )


def test_indicator_values_merge_by_category():
    theirs = {**BASE, "indicator-3-total": "125"}
    mine = {**BASE, "indicator-3-sex-female": "72"}
    result = three_way_merge(BASE, theirs, mine)
    assert (result.merged["indicator-3-total"], result.merged["indicator-3-sex-female"]) == ("125", "72")
    both = three_way_merge(BASE, theirs, {**BASE, "indicator-3-total": "130"})
    assert [c.name for c in both.conflicts] == ["indicator-3-total"]


def test_emptying_a_box_is_a_change_and_an_empty_box_equals_a_missing_one():
    mine = {**BASE, "challenges": ""}
    result = three_way_merge(BASE, dict(BASE), mine)
    assert "challenges" not in result.merged and result.taken_from_mine == ("challenges",)
    # A value nobody ever gave, sent as an empty box, changes nothing.
    assert three_way_merge(BASE, dict(BASE), {**BASE, "indicator-3-sex-male": ""}).merged == BASE


def test_a_classification_raised_by_them_and_text_changed_by_me_both_survive():
    theirs = {**BASE, "classification": "confidential"}
    mine = {**BASE, "summary": "Mine."}
    result = three_way_merge(BASE, theirs, mine)
    assert (result.merged["classification"], result.merged["summary"]) == ("confidential", "Mine.")


def test_with_no_known_base_every_difference_is_a_conflict_never_an_overwrite():
    theirs = {**BASE, "summary": "Theirs."}
    mine = {**BASE, "challenges": "Mine."}
    result = three_way_merge(None, theirs, mine)
    assert {c.name for c in result.conflicts} == {"summary", "challenges"}
    assert result.merged == theirs
    assert not three_way_merge(None, theirs, dict(theirs)).has_conflicts


def test_preferring_mine_settles_every_conflict_with_my_text():
    theirs = {**BASE, "summary": "My earlier autosave.", "challenges": "Theirs."}
    mine = {**BASE, "summary": "My earlier autosave, and more."}
    result = with_mine_preferred(three_way_merge(BASE, theirs, mine), mine)
    assert not result.has_conflicts
    assert (result.merged["summary"], result.merged["challenges"]) == ("My earlier autosave, and more.", "Theirs.")
