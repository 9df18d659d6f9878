"""Who records and schedules briefings to Member States, and who publishes their summaries."""

from __future__ import annotations

from compact.core.permissions import AnyUser, is_oct, is_usg


def can_manage_briefings(user: AnyUser) -> bool:
    """The USG briefs Member States (Annex III, V.14) and records and schedules the briefings;
    the OCT secretariat drafts them for the USG. Nobody else sees these pages."""
    return is_oct(user) or is_usg(user)


def can_publish_briefings(user: AnyUser) -> bool:
    """Only the OCT secretariat puts a summary on the public page (or withdraws it), after
    confirming it holds nothing above unclassified."""
    return is_oct(user)


def can_set_briefing_cadence(user: AnyUser) -> bool:
    """How often the USG briefs is the USG's to set, or OCT's on the USG's behalf."""
    return can_manage_briefings(user)
