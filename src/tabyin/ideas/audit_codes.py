"""Why a public request was refused, as recorded in the audit log under the key "refused".

Each code has its sentence in ``core/audit_text.py`` (``_KEY_VALUES["refused"]``).
"""

from __future__ import annotations

from typing import Final

DOUBLE_SUBMISSION: Final = "double_submission"
FILE_REFUSED: Final = "file_refused"
SECOND_SUPPORT: Final = "second_support"
EARLY_PEEK: Final = "early_peek"
STAFF_TEXT_EDIT: Final = "staff_text_edit"
LATE_EDIT: Final = "late_edit"
FEEDBACK_UNBLIND: Final = "feedback_unblind"
