"""Who sees what in a report: everyone who may run a report reads the aggregates; the
lists of projects and outcomes need ``projects.manage_calls`` and the list of members
``crm.view_members`` (``results.rules.DRILL_DOWN_PERMISSIONS``), because an application
is confidential. A region funder gets aggregates only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clusterdesk.core.models import Cluster
from clusterdesk.results.rules import DRILL_DOWN_PERMISSIONS


@dataclass(frozen=True)
class Access:
    """The indicator groups whose records (names of projects, outcomes, members) the person
    may read; everyone who may run a report reads the aggregates."""

    record_groups: frozenset[str] = frozenset()

    def lists(self, group: str) -> bool:
        return group in self.record_groups


def access_of(user: Any, cluster: Cluster) -> Access:
    if user is None:
        return Access()
    return Access(
        frozenset(
            group
            for group, permission in DRILL_DOWN_PERMISSIONS.items()
            if user.has_perm(permission, cluster)
        )
    )
