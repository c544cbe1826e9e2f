"""Addresses of pages, for the domain code that must name one (an e-mail's link, a timeline
entry) without importing the view app that serves it.

Each view app registers the pages it serves under a stable name (in its
``AppConfig.ready``); domain code asks for the name. A name nobody registered is a
programming error (``KeyError``), caught by the tests that send the e-mails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

_PAGES: dict[str, Callable[..., str]] = {}


def page_register(name: str, path: Callable[..., str]) -> None:
    """``path`` returns the page's path for the keyword arguments ``page_path`` receives."""
    _PAGES[name] = path


def page_path(name: str, **kwargs: Any) -> str:
    return _PAGES[name](**kwargs)


def page_url(name: str, **kwargs: Any) -> str:
    """The absolute address, for e-mails."""
    return settings.SITE_URL + page_path(name, **kwargs)
