"""What each audit verb means, in words people read: the audit log, "Recent changes" and the
history under a record show these, in the reader's language. The verb itself stays the audit
row's key (what the audit log filters on, what exports and the API give).

A verb added to the code needs its label and its sentence here: tests/compact/core/test_verbs.py
fails otherwise.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

VERB_LABELS: dict[str, Promise] = {
    "admin.user.password_changed": _("Password changed in the administration site"),
    "committee.action_point_added": _("Action point added"),
    "committee.action_point_drop": _("Action point dropped"),
    "committee.action_point_mark_done": _("Action point marked done"),
    "committee.action_point_reopen": _("Action point reopened"),
    "committee.agenda_built": _("Agenda built from the briefings"),
    "committee.agenda_item_added": _("Agenda item added"),
    "committee.agenda_item_moved": _("Agenda item moved"),
    "committee.agenda_item_removed": _("Agenda item removed"),
    "committee.agenda_item_updated": _("Agenda item changed"),
    "committee.attendance_removed": _("Attendance removed"),
    "committee.attendance_set": _("Attendance recorded"),
    "committee.cascade_recorded": _("Working-group briefing on the meeting recorded"),
    "committee.decision_added": _("Decision recorded"),
    "committee.meeting_approve_minutes": _("Minutes approved"),
    "committee.meeting_cancel": _("Meeting cancelled"),
    "committee.meeting_created": _("Meeting created"),
    "committee.meeting_hold": _("Meeting held"),
    "committee.meeting_updated": _("Meeting changed"),
    "committee.minutes_saved": _("Minutes saved"),
    "entity.alias_added": _("Former or other name added"),
    "entity.alias_removed": _("Former or other name removed"),
    "entity.created": _("Entity registered"),
    "entity.focal_point_appointed": _("Focal point appointed"),
    "entity.focal_point_removed": _("Focal point removed"),
    "entity.updated": _("Entity profile changed"),
    "matrix.imported": _("Project matrix imported"),
    "matrix.mention_mapped": _("Name in the matrix mapped"),
    "organization.alias_added": _("Other name of an organization added"),
    "organization.created": _("Organization not party to the Compact registered"),
    "membership.recorded": _("Membership recorded"),
    "monitoring.indicator_created": _("Indicator created"),
    "monitoring.indicator_moved": _("Indicator moved"),
    "monitoring.indicator_removed": _("Indicator removed"),
    "monitoring.indicator_updated": _("Indicator changed"),
    "monitoring.values_saved": _("Indicator values saved"),
    "outreach.briefing_created": _("Briefing to Member States recorded"),
    "outreach.briefing_updated": _("Briefing to Member States changed"),
    "outreach.briefing_published": _("Public summary published"),
    "outreach.briefing_unpublished": _("Public summary withdrawn"),
    "outreach.cadence_set": _("Cadence of briefings to Member States set"),
    "person.created": _("Account created"),
    "person.language_set": _("Language chosen"),
    "person.notification_settings_set": _("Notification settings changed"),
    "person.time_zone_set": _("Time zone chosen"),
    "person.roles_changed": _("Roles changed"),
    "programme.adopted": _("Programme of work adopted"),
    "programme.created": _("Programme of work created"),
    "programme.priority_added": _("Priority added"),
    "programme.priority_moved": _("Priority moved"),
    "programme.priority_removed": _("Priority removed"),
    "programme.priority_updated": _("Priority changed"),
    "programme.result_added": _("Expected result added"),
    "programme.result_moved": _("Expected result moved"),
    "programme.result_removed": _("Expected result removed"),
    "programme.result_updated": _("Expected result changed"),
    "programme.updated": _("Programme of work changed"),
    "project.created": _("Project added"),
    "project.deleted": _("Project deleted"),
    "project.updated": _("Project changed"),
    "project.overlap_reviewed": _("Project overlap reviewed"),
    "project.themes_confirmed": _("Project themes confirmed"),
    "project.stage_moved": _("Project lifecycle step"),
    "funding.donor_added": _("Trust Fund donor added"),
    "funding.contribution_recorded": _("Trust Fund contribution recorded"),
    "funding.contribution_updated": _("Trust Fund contribution changed"),
    "funding.earmark_added": _("Contribution earmarked"),
    "funding.earmark_removed": _("Earmark removed"),
    "project.security_forces_set": _("Support to security forces stated"),
    "project.hrddp_recorded": _("HRDDP assessment recorded"),
    "reporting.accept": _("Input accepted"),
    "reporting.annual_approve": _("Annual report approved"),
    "reporting.annual_early_reason": _("Reason to finalize the annual report early recorded"),
    "reporting.annual_return": _("Annual report returned"),
    "reporting.annual_started": _("Annual report started"),
    "reporting.annual_submit": _("Annual report submitted for approval"),
    "reporting.attachment_added": _("Attachment added"),
    "reporting.attachment_removed": _("Attachment removed"),
    "reporting.calendar_changed": _("Reporting calendar changed"),
    "reporting.calendar_feed_reset": _("Calendar feed address replaced"),
    "reporting.consolidated_started": _("Consolidated report started"),
    "reporting.draft_created": _("Draft created"),
    "reporting.draft_saved": _("Draft saved"),
    "reporting.edition_failed": _("Edition failed"),
    "reporting.edition_final": _("Edition made final"),
    "reporting.edition_generated": _("Edition generated"),
    "reporting.edition_requested": _("Edition requested"),
    "reporting.edition_requeued": _("Edition queued again"),
    "reporting.extension_approve": _("Extension approved"),
    "reporting.extension_decline": _("Extension declined"),
    "reporting.extension_requested": _("Extension requested"),
    "reporting.extension_withdraw": _("Extension request withdrawn"),
    "reporting.period_closed": _("Reporting period closed"),
    "reporting.period_created": _("Reporting period scheduled"),
    "reporting.period_opened": _("Reporting period opened"),
    "reporting.period_reopened": _("Reporting period reopened"),
    "reporting.reopen": _("Input reopened for revision"),
    "reporting.report_text_saved": _("Report text saved"),
    "reporting.resubmit": _("Input resubmitted"),
    "reporting.return": _("Input returned for revision"),
    "reporting.submit": _("Input submitted"),
    "review.close": _("Review closed for comments"),
    "review.comment_created": _("Comment on the review added"),
    "review.comment_updated": _("Comment on the review changed"),
    "review.conclude": _("Review concluded"),
    "review.created": _("Review prepared"),
    "review.open": _("Review opened for comments"),
    "review.reopen": _("Review reopened for comments"),
    "review.updated": _("Review changed"),
    "security.lockout": _("Sign-in locked out"),
    "security.lockout_cleared": _("Sign-in lockout lifted"),
    "signon.add_note": _("Note added to a sign-on request"),
    "signon.approve": _("Sign-on request approved"),
    "signon.assigned": _("Sign-on request assigned"),
    "signon.confirm_email": _("Sign-on request e-mail address confirmed"),
    "signon.decline": _("Sign-on request declined"),
    "signon.invitation_resent": _("Invitation sent again"),
    "signon.provide_information": _("Information provided for a sign-on request"),
    "signon.purged": _("Unconfirmed sign-on request deleted"),
    "signon.request_information": _("Information requested on a sign-on request"),
    "signon.start_consultation": _("Consultation on a sign-on request started"),
    "signon.submitted": _("Sign-on request received"),
    "signon.withdraw": _("Sign-on request withdrawn"),
    "workinggroup.created": _("Working group created"),
    "workinggroup.lead_rights_synced": _("Chairs' rights brought up to date"),
    "workinggroup.representative_changed": _("Representative changed"),
    "workinggroup.retired": _("Working group retired"),
    "workinggroup.role_assigned": _("Role assigned"),
    "workinggroup.role_ended": _("Role ended"),
    "workinggroup.role_withdrawn": _("Role withdrawn"),
    "workinggroup.updated": _("Working group changed"),
    "workplan.activity_added": _("Activity added to the work plan"),
    "workplan.activity_removed": _("Activity removed from the work plan"),
    "workplan.activity_updated": _("Work plan activity changed"),
    "workplan.created": _("Work plan created"),
    "workplan.output_added": _("Output added to the work plan"),
    "workplan.output_removed": _("Output removed from the work plan"),
    "workplan.output_updated": _("Work plan output changed"),
    "workplan.updated": _("Work plan changed"),
}

# The same events as sentences, for lists that say who did what to which record ("Amal Haddad
# (UNOCT) approved the sign-on request of UNESCO (United Nations Educational, …)"): %(actor)s is
# who acted, %(object)s the record as its row names it (AuditEvent.object_repr). Whole sentences,
# so that each language orders the words its own way.
VERB_SENTENCES: dict[str, Promise] = {
    "admin.user.password_changed": _("%(actor)s changed the password of %(object)s in the administration site"),
    "committee.action_point_added": _("%(actor)s added the action point “%(object)s”"),
    "committee.action_point_drop": _("%(actor)s dropped the action point “%(object)s”"),
    "committee.action_point_mark_done": _("%(actor)s marked the action point “%(object)s” done"),
    "committee.action_point_reopen": _("%(actor)s reopened the action point “%(object)s”"),
    "committee.agenda_built": _("%(actor)s built the agenda of %(object)s from the briefings"),
    "committee.agenda_item_added": _("%(actor)s added an agenda item to %(object)s"),
    "committee.agenda_item_moved": _("%(actor)s moved the agenda item %(object)s"),
    "committee.agenda_item_removed": _("%(actor)s removed an agenda item from %(object)s"),
    "committee.agenda_item_updated": _("%(actor)s changed the agenda item %(object)s"),
    "committee.attendance_removed": _("%(actor)s removed an attendance record of %(object)s"),
    "committee.attendance_set": _("%(actor)s recorded attendance at %(object)s"),
    "committee.cascade_recorded": _("%(actor)s recorded a working group's briefing on the agenda item %(object)s"),
    "committee.decision_added": _("%(actor)s recorded a decision of %(object)s"),
    "committee.meeting_approve_minutes": _("%(actor)s approved the minutes of %(object)s"),
    "committee.meeting_cancel": _("%(actor)s cancelled the meeting %(object)s"),
    "committee.meeting_created": _("%(actor)s created the meeting %(object)s"),
    "committee.meeting_hold": _("%(actor)s marked %(object)s as held"),
    "committee.meeting_updated": _("%(actor)s changed the meeting %(object)s"),
    "committee.minutes_saved": _("%(actor)s saved the minutes of %(object)s"),
    "entity.alias_added": _("%(actor)s added a former or other name of %(object)s"),
    "entity.alias_removed": _("%(actor)s removed a former or other name of %(object)s"),
    "entity.created": _("%(actor)s registered the entity %(object)s"),
    "entity.focal_point_appointed": _("%(actor)s appointed a focal point of %(object)s"),
    "entity.focal_point_removed": _("%(actor)s removed a focal point of %(object)s"),
    "entity.updated": _("%(actor)s changed the profile of %(object)s"),
    "matrix.imported": _("%(actor)s imported the project matrix %(object)s"),
    "matrix.mention_mapped": _("%(actor)s mapped the name “%(object)s” found in the project matrix"),
    "organization.alias_added": _("%(actor)s added another name of %(object)s"),
    "organization.created": _("%(actor)s registered the organization %(object)s"),
    "membership.recorded": _("%(actor)s recorded the membership of %(object)s"),
    "monitoring.indicator_created": _("%(actor)s created the indicator %(object)s"),
    "monitoring.indicator_moved": _("%(actor)s moved the indicator %(object)s"),
    "monitoring.indicator_removed": _("%(actor)s removed an indicator from %(object)s"),
    "monitoring.indicator_updated": _("%(actor)s changed the indicator %(object)s"),
    "monitoring.values_saved": _("%(actor)s saved the indicator values of %(object)s"),
    "outreach.briefing_created": _("%(actor)s recorded the briefing to Member States %(object)s"),
    "outreach.briefing_updated": _("%(actor)s changed the briefing to Member States %(object)s"),
    "outreach.briefing_published": _("%(actor)s published the public summary of %(object)s"),
    "outreach.briefing_unpublished": _("%(actor)s withdrew the public summary of %(object)s"),
    "outreach.cadence_set": _("%(actor)s set the cadence of briefings to Member States: %(object)s"),
    "person.created": _("%(actor)s created the account of %(object)s"),
    "person.language_set": _("%(actor)s chose the language of %(object)s"),
    "person.notification_settings_set": _("%(actor)s changed the e-mail settings of %(object)s"),
    "person.time_zone_set": _("%(actor)s chose the time zone of %(object)s"),
    "person.roles_changed": _("%(actor)s changed the roles of %(object)s"),
    "programme.adopted": _("%(actor)s adopted the programme of work %(object)s"),
    "programme.created": _("%(actor)s created the programme of work %(object)s"),
    "programme.priority_added": _("%(actor)s added a priority to %(object)s"),
    "programme.priority_moved": _("%(actor)s moved a priority of %(object)s"),
    "programme.priority_removed": _("%(actor)s removed a priority from %(object)s"),
    "programme.priority_updated": _("%(actor)s changed a priority of %(object)s"),
    "programme.result_added": _("%(actor)s added an expected result to %(object)s"),
    "programme.result_moved": _("%(actor)s moved an expected result of %(object)s"),
    "programme.result_removed": _("%(actor)s removed an expected result from %(object)s"),
    "programme.result_updated": _("%(actor)s changed an expected result of %(object)s"),
    "programme.updated": _("%(actor)s changed the programme of work %(object)s"),
    "project.created": _("%(actor)s added the project “%(object)s”"),
    "project.deleted": _("%(actor)s deleted the project “%(object)s”"),
    "project.updated": _("%(actor)s changed the project “%(object)s”"),
    "project.overlap_reviewed": _("%(actor)s reviewed an overlap of the project “%(object)s”"),
    "project.themes_confirmed": _("%(actor)s confirmed the themes of the project “%(object)s”"),
    "project.stage_moved": _("%(actor)s moved the project “%(object)s” through its lifecycle"),
    "funding.donor_added": _("%(actor)s added %(object)s to the Trust Fund's donors"),
    "funding.contribution_recorded": _("%(actor)s recorded the contribution %(object)s to the Trust Fund"),
    "funding.contribution_updated": _("%(actor)s changed the contribution %(object)s to the Trust Fund"),
    "funding.earmark_added": _("%(actor)s earmarked part of the contribution %(object)s"),
    "funding.earmark_removed": _("%(actor)s removed an earmark of the contribution %(object)s"),
    "project.security_forces_set": _(
        "%(actor)s stated whether the project “%(object)s” supports non-UN security forces"
    ),
    "project.hrddp_recorded": _("%(actor)s recorded a human rights due diligence assessment of “%(object)s”"),
    "reporting.accept": _("%(actor)s accepted the input of %(object)s"),
    "reporting.annual_approve": _("%(actor)s approved %(object)s"),
    "reporting.annual_early_reason": _("%(actor)s recorded why %(object)s is finalized early"),
    "reporting.annual_return": _("%(actor)s returned %(object)s"),
    "reporting.annual_started": _("%(actor)s started %(object)s"),
    "reporting.annual_submit": _("%(actor)s submitted %(object)s for approval"),
    "reporting.attachment_added": _("%(actor)s added an attachment to the input of %(object)s"),
    "reporting.attachment_removed": _("%(actor)s removed an attachment from the input of %(object)s"),
    "reporting.calendar_changed": _("%(actor)s changed the reporting calendar: %(object)s"),
    "reporting.calendar_feed_reset": _("%(actor)s replaced the calendar feed address of %(object)s"),
    "reporting.consolidated_started": _("%(actor)s started %(object)s"),
    "reporting.draft_created": _("%(actor)s created the draft input of %(object)s"),
    "reporting.draft_saved": _("%(actor)s saved the draft input of %(object)s"),
    "reporting.edition_failed": _("An edition of %(object)s failed (%(actor)s)"),
    "reporting.edition_final": _("%(actor)s made an edition of %(object)s final"),
    "reporting.edition_generated": _("%(actor)s generated an edition of %(object)s"),
    "reporting.edition_requested": _("%(actor)s asked for an edition of %(object)s"),
    "reporting.edition_requeued": _("%(actor)s queued an edition of %(object)s again"),
    "reporting.extension_approve": _("%(actor)s approved more time for the input of %(object)s"),
    "reporting.extension_decline": _("%(actor)s declined more time for the input of %(object)s"),
    "reporting.extension_requested": _("%(actor)s asked for more time for the input of %(object)s"),
    "reporting.extension_withdraw": _("%(actor)s withdrew the request for more time for the input of %(object)s"),
    "reporting.period_closed": _("%(actor)s closed the reporting period %(object)s"),
    "reporting.period_created": _("%(actor)s scheduled the reporting period %(object)s"),
    "reporting.period_opened": _("%(actor)s opened the reporting period %(object)s"),
    "reporting.period_reopened": _("%(actor)s reopened the reporting period %(object)s"),
    "reporting.reopen": _("%(actor)s reopened the input of %(object)s for revision"),
    "reporting.report_text_saved": _("%(actor)s saved the text of %(object)s"),
    "reporting.resubmit": _("%(actor)s resubmitted the input of %(object)s"),
    "reporting.return": _("%(actor)s returned the input of %(object)s for revision"),
    "reporting.submit": _("%(actor)s submitted the input of %(object)s"),
    "review.close": _("%(actor)s closed the review %(object)s for comments"),
    "review.comment_created": _("%(actor)s added the comment of %(object)s on the review"),
    "review.comment_updated": _("%(actor)s changed the comment of %(object)s on the review"),
    "review.conclude": _("%(actor)s concluded the review %(object)s"),
    "review.created": _("%(actor)s prepared the review %(object)s"),
    "review.open": _("%(actor)s opened the review %(object)s for comments"),
    "review.reopen": _("%(actor)s reopened the review %(object)s for comments"),
    "review.updated": _("%(actor)s changed the review %(object)s"),
    "security.lockout": _("Signing in as %(object)s was locked out (%(actor)s)"),
    "security.lockout_cleared": _("%(actor)s lifted the sign-in lockout of %(object)s"),
    "signon.add_note": _("%(actor)s added a note to the sign-on request of %(object)s"),
    "signon.approve": _("%(actor)s approved the sign-on request of %(object)s"),
    "signon.assigned": _("%(actor)s assigned the sign-on request of %(object)s"),
    "signon.confirm_email": _("%(actor)s confirmed the e-mail address of the sign-on request of %(object)s"),
    "signon.decline": _("%(actor)s declined the sign-on request of %(object)s"),
    "signon.invitation_resent": _("%(actor)s sent the invitation for %(object)s again"),
    "signon.provide_information": _("%(actor)s provided information for the sign-on request of %(object)s"),
    "signon.purged": _("%(actor)s deleted the unconfirmed sign-on request of %(object)s"),
    "signon.request_information": _("%(actor)s asked for information on the sign-on request of %(object)s"),
    "signon.start_consultation": _("%(actor)s started a consultation on the sign-on request of %(object)s"),
    "signon.submitted": _("%(actor)s sent the sign-on request of %(object)s"),
    "signon.withdraw": _("%(actor)s withdrew the sign-on request of %(object)s"),
    "workinggroup.created": _("%(actor)s created the working group %(object)s"),
    "workinggroup.lead_rights_synced": _("%(actor)s brought the chair's rights of %(object)s up to date"),
    "workinggroup.representative_changed": _("%(actor)s changed a representative in %(object)s"),
    "workinggroup.retired": _("%(actor)s retired the working group %(object)s"),
    "workinggroup.role_assigned": _("%(actor)s assigned a role in %(object)s"),
    "workinggroup.role_ended": _("%(actor)s ended a role in %(object)s"),
    "workinggroup.role_withdrawn": _("%(actor)s withdrew a role in %(object)s"),
    "workinggroup.updated": _("%(actor)s changed the working group %(object)s"),
    "workplan.activity_added": _("%(actor)s added an activity to the work plan %(object)s"),
    "workplan.activity_removed": _("%(actor)s removed an activity from the work plan %(object)s"),
    "workplan.activity_updated": _("%(actor)s changed an activity of the work plan %(object)s"),
    "workplan.created": _("%(actor)s created the work plan %(object)s"),
    "workplan.output_added": _("%(actor)s added an output to the work plan %(object)s"),
    "workplan.output_removed": _("%(actor)s removed an output from the work plan %(object)s"),
    "workplan.output_updated": _("%(actor)s changed an output of the work plan %(object)s"),
    "workplan.updated": _("%(actor)s changed the work plan %(object)s"),
}

# The Django admin's own edits: "admin.<model>.<what>" (compact/admin_audit.py).
ADMIN_LABELS: dict[str, Promise] = {
    "added": _("Added in the administration site"),
    "changed": _("Changed in the administration site"),
    "saved": _("Saved in the administration site"),
    "deleted": _("Deleted in the administration site"),
}
ADMIN_SENTENCES: dict[str, Promise] = {
    "added": _("%(actor)s added %(object)s in the administration site"),
    "changed": _("%(actor)s changed %(object)s in the administration site"),
    "saved": _("%(actor)s saved %(object)s in the administration site"),
    "deleted": _("%(actor)s deleted %(object)s in the administration site"),
}


def verb_label(verb: str) -> str:
    """The words for ``verb`` in the active language; the verb itself if it has none."""
    if verb in VERB_LABELS:
        return str(VERB_LABELS[verb])
    if verb.startswith("admin.") and verb.rsplit(".", 1)[-1] in ADMIN_LABELS:
        return str(ADMIN_LABELS[verb.rsplit(".", 1)[-1]])
    return verb


# Who acted, when no person did (AuditEvent.actor_label without an account).
ACTOR_WORDS: dict[str, Promise] = {
    "system": _("The system"),
    "applicant": _("The applicant"),
}


def actor_words(label: str) -> str:
    """The name of an actor without an account, in the active language; the label otherwise."""
    return str(ACTOR_WORDS[label]) if label in ACTOR_WORDS else label


def _sentence_for(verb: str) -> Promise | None:
    if verb in VERB_SENTENCES:
        return VERB_SENTENCES[verb]
    if verb.startswith("admin.") and verb.rsplit(".", 1)[-1] in ADMIN_SENTENCES:
        return ADMIN_SENTENCES[verb.rsplit(".", 1)[-1]]
    return None


def verb_sentence(verb: str, *, actor: str, obj: str) -> SafeString:
    """What happened as one sentence in the active language, as HTML: "<bdi>Amal Haddad
    (UNOCT)</bdi> approved the sign-on request of <bdi>UNESCO (…)</bdi>". The names are
    isolated (<bdi>) so that an Arabic name keeps its place in an English sentence and the
    other way round. A row without an object, or a verb without a sentence, reads "actor:
    what happened". The caller decides whether the reader may see the row at all."""
    sentence = _sentence_for(verb) if obj else None
    if sentence is None:
        sentence = _("%(actor)s: %(action)s")
    parts = {
        "actor": format_html("<bdi>{}</bdi>", actor),
        "object": format_html("<bdi>{}</bdi>", obj),
        "action": conditional_escape(verb_label(verb)),
    }
    # The sentence is ours (a translation), escaped before the escaped names go in.
    return mark_safe(conditional_escape(str(sentence)) % parts)  # noqa: S308
