"""The application's state graph: which moves exist, which of them the applicants make,
which need a reason, and in which states the file and the consortium may change.

The rules (``projects.rules``), the selectors and the workflow service read it from here,
so that the moves a page offers are the moves the service accepts. It holds the values of
``Application.State`` and imports nothing, so that the models' rules can use it too.
"""

from __future__ import annotations

DRAFT, SUBMITTED, ELIGIBLE, INELIGIBLE = "draft", "submitted", "eligible", "ineligible"
UNDER_REVIEW, AT_COMMITTEE = "under_review", "at_committee"
LABELLED, NOT_LABELLED, REVISE, WITHDRAWN = "labelled", "not_labelled", "revise", "withdrawn"

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED, WITHDRAWN}),
    SUBMITTED: frozenset({ELIGIBLE, INELIGIBLE, WITHDRAWN}),
    ELIGIBLE: frozenset({UNDER_REVIEW, WITHDRAWN}),
    UNDER_REVIEW: frozenset({AT_COMMITTEE, WITHDRAWN}),
    AT_COMMITTEE: frozenset({LABELLED, NOT_LABELLED, REVISE, WITHDRAWN}),
    REVISE: frozenset({SUBMITTED, WITHDRAWN}),
}
# The moves the coordinator's contacts ask for themselves: submit (also resubmit after
# "revise") and withdraw. Every other move is the project staff's.
APPLICANT_MOVES = frozenset({SUBMITTED, WITHDRAWN})
# States where the reason is required: the applicants are told why.
NEEDS_REASON = frozenset({INELIGIBLE, LABELLED, NOT_LABELLED, REVISE})
DECISIONS = frozenset({LABELLED, NOT_LABELLED, REVISE})
# The states in which the file (``application_update``) and the consortium (partners,
# by the coordinator's contacts) may change.
FILE_EDITABLE = frozenset({DRAFT, REVISE, SUBMITTED, ELIGIBLE})
CONSORTIUM_EDITABLE = frozenset({DRAFT, REVISE})
