"""Who may read the reporting dashboard. Every rule lives here.

The dashboard shows where each working group's input stands, round by round — what the
consolidated report's compliance table tells the Committee for one round — so it is read by
those who read that table: OCT, the USG and the Committee, chairs and vice-chairs included
(ex officio members, ``reads_for_committee``). Entity focal points and anyone else get a 404,
as on the Committee's other pages. Within the page every reader sees only what their
clearance reaches (see ``reporting.dashboard.selectors``).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from compact.core.permissions import is_oct
from reporting.submissions.permissions import reads_for_committee

AnyUser = AbstractBaseUser | AnonymousUser


def can_read_dashboard(user: AnyUser) -> bool:
    return is_oct(user) or reads_for_committee(user)
