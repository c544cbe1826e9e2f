"""Stored files that appear whole or not at all.

A disk that fills up during an upload used to leave a half-written file in the media folder
(Django's FileSystemStorage writes in place and keeps what it wrote) and answer 500. The
media storage writes beside the media first and renames the file into place, and the
services store an upload through ``stored_upload``: a failed write is a clear
ValidationError, and a row that cannot be written takes its file away with it.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

INCOMING = ".incoming"  # under MEDIA_ROOT: same file system, so the final rename is atomic


class _Spooled(File):
    """A complete file on disk, which FileSystemStorage moves instead of copying."""

    def __init__(self, path: str) -> None:
        super().__init__(None, name=path)
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


class MediaStorage(FileSystemStorage):
    """FileSystemStorage that writes a file completely (synced to disk) before it takes its
    name: an interrupted write (a full disk, a killed process) leaves nothing behind. The
    moved file gets FILE_UPLOAD_PERMISSIONS (0o644) as before."""

    def _save(self, name: str, content: Any) -> str:
        incoming = Path(self.location) / INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        fd, spooled = tempfile.mkstemp(dir=incoming)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                out.flush()
                os.fsync(out.fileno())  # a full disk may only say so when the data lands
            return str(super()._save(name, _Spooled(spooled)))  # type: ignore[misc]
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(spooled)  # gone after a successful rename


@contextlib.contextmanager
def stored_upload(storage: Storage, name: str, content: Any, *, field: str) -> Iterator[str]:
    """Store ``content`` under ``name`` for the row the block writes; yield the stored name.

    A write the storage refuses (disk full, permissions, a store out of reach) is a
    ValidationError on ``field`` that the form or the API shows, with nothing stored. If the
    block fails, the stored file is deleted again, so no file outlives its missing row.
    """
    try:
        stored = storage.save(name, content)
    except OSError as exc:
        logger.error("Could not store %s: %s", name, exc)
        reason = (
            _("the server's disk is full")
            if exc.errno == errno.ENOSPC
            else _("the file store refused it")
        )
        raise ValidationError(
            {
                field: _(
                    "The file could not be stored (%(reason)s); nothing was saved. Try again "
                    "later, or tell the administrators if it keeps happening."
                )
                % {"reason": reason}
            }
        ) from exc
    try:
        yield stored
    except BaseException:
        storage.delete(stored)
        raise
