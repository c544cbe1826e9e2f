"""The server log keeps refusals short.

A 403 is an expected answer (a person followed a link their role does not open, or typed a
URL): Django logs it with the ``PermissionDenied`` traceback, which drowns the real errors.
``ExpectedRefusalFilter`` keeps the one line ("Forbidden (Permission denied): /c/…") and
drops the traceback; errors (5xx) keep theirs.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied

from clusterdesk.core.errors import NotAllowed, NotVisible


class ExpectedRefusalFilter(logging.Filter):
    """On ``django.request``: a record about a refusal (4xx, or a PermissionDenied) loses
    its traceback; the record itself stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        exc = record.exc_info[1] if record.exc_info else None
        refused = isinstance(exc, PermissionDenied | NotAllowed | NotVisible)
        if refused or (isinstance(status, int) and 400 <= status < 500):
            record.exc_info = None
            record.exc_text = None
        return True
