"""Services: every write to the Compact's data goes through one of these functions.

``registry`` keeps entities, memberships and people; ``signon`` runs the public sign-on
requests; ``emails`` records and sends outgoing e-mail exactly once. Import from here.
"""

from compact.services.emails import email_queue, email_send_one, emails_send_pending
from compact.services.matrix import overlap_review_record, project_delete, project_save
from compact.services.matrix_import import matrix_import_commit, matrix_import_preview, matrix_template_csv
from compact.services.outreach import (
    BRIEFING_TRANSITIONS,
    briefing_act,
    briefing_create,
    briefing_public_summary_draft,
    briefing_summary_fill,
    briefing_update,
)
from compact.services.registry import (
    ENTITY_FIELDS,
    FOCAL_POINT_PERMISSION,
    account_invitation_queue,
    entity_alias_add,
    entity_create,
    entity_profile_save,
    entity_rename,
    entity_update,
    focal_point_appoint,
    focal_point_dismiss,
    focal_point_invite,
    focal_point_remove,
    free_username,
    heartbeat_record,
    membership_record,
    password_reset_email_queue,
    person_create,
    person_roles_set,
    remove_perm_if_held,
)
from compact.services.signon import (
    TRANSITIONS as SIGNON_TRANSITIONS,
)
from compact.services.signon import (
    SignOnLinkExpiredError,
    SignOnLinkInvalidError,
    signon_act,
    signon_applicant_update,
    signon_assign,
    signon_email_confirm,
    signon_invitation_resend,
    signon_purge_expired,
    signon_submit,
    signon_withdraw,
)

__all__ = [
    "BRIEFING_TRANSITIONS",
    "ENTITY_FIELDS",
    "FOCAL_POINT_PERMISSION",
    "SIGNON_TRANSITIONS",
    "SignOnLinkExpiredError",
    "SignOnLinkInvalidError",
    "account_invitation_queue",
    "briefing_act",
    "briefing_create",
    "briefing_public_summary_draft",
    "briefing_summary_fill",
    "briefing_update",
    "email_queue",
    "email_send_one",
    "emails_send_pending",
    "entity_alias_add",
    "entity_create",
    "entity_profile_save",
    "entity_rename",
    "entity_update",
    "focal_point_appoint",
    "focal_point_dismiss",
    "focal_point_invite",
    "focal_point_remove",
    "free_username",
    "heartbeat_record",
    "matrix_import_commit",
    "matrix_import_preview",
    "matrix_template_csv",
    "membership_record",
    "overlap_review_record",
    "password_reset_email_queue",
    "person_create",
    "person_roles_set",
    "project_delete",
    "project_save",
    "remove_perm_if_held",
    "signon_act",
    "signon_applicant_update",
    "signon_assign",
    "signon_email_confirm",
    "signon_invitation_resend",
    "signon_purge_expired",
    "signon_submit",
    "signon_withdraw",
]
