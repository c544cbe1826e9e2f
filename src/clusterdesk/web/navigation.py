"""The cluster menu: each entry names the permission it needs on the current cluster.

The view apps register their own entries (in their ``AppConfig.ready``); this module knows
none of them. ``position`` orders the menu across apps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    permission: str
    position: int


CLUSTER_MENU: list[NavEntry] = []


def menu_register(*entries: NavEntry) -> None:
    """Add a view app's entries to the menu (once per URL name), kept in position order."""
    known = {e.url_name for e in CLUSTER_MENU}
    CLUSTER_MENU.extend(e for e in entries if e.url_name not in known)
    CLUSTER_MENU.sort(key=lambda e: e.position)
