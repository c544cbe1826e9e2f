"""The domain's refusals: raised by services, translated once by each front end.

Services decide who may do what; pages and the API only translate these errors into a
status (see ``web.middleware.DomainErrorMiddleware`` and ``api.errors``):

- ``NotVisible``: the object must stay invisible to this person; answered as "not found"
  (404), the same answer as for an object that does not exist.
- ``NotAllowed``: the person sees the object but may not do this (403).
- ``Conflict``: the write would duplicate or race an existing record (409), which the
  message names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction


class DomainError(Exception):
    """Base of the refusals a service raises; ``message`` is shown to the person."""

    status = 400

    def __init__(self, message: str = "", *, existing: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.existing = existing


class NotVisible(DomainError):
    status = 404


class NotAllowed(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


def require(actor: Any, permission: str, obj: Any = None, *, hidden: bool = False) -> None:
    """Refuse unless ``actor`` holds the named rules permission on ``obj``.

    ``hidden`` says the object must stay invisible to whoever lacks the permission (404
    rather than 403): confidential applications, another cluster's records.
    """
    if not actor.has_perm(permission, obj):
        raise (NotVisible if hidden else NotAllowed)(permission)


@contextmanager
def conflict_on_duplicate(
    existing: Callable[[], Any], message: Callable[[Any], str]
) -> Iterator[None]:
    """Run a write in a savepoint; if a unique constraint refuses it because a concurrent
    request wrote the same record first, raise ``Conflict`` naming that record.

    ``existing`` finds the record that won (``None``: the error was something else, which
    is raised unchanged); ``message`` says what it is.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        winner = existing()
        if winner is None:
            raise
        raise Conflict(message(winner), existing=winner) from None
