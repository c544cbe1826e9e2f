"""The organisation's timeline: its support cases and their missions, for the readers who
may see the case."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.core.links import page_path
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import TimelineItem, timeline_source_add
from clusterdesk.support.choices import MissionStatus
from clusterdesk.support.models import Mission
from clusterdesk.support.selectors.cases import support_cases_visible_to


def support_items(cluster: Cluster, org: Organisation, viewer: User) -> Iterable[TimelineItem]:
    cases = list(support_cases_visible_to(user=viewer, cluster=cluster).filter(organisation=org))
    for case in cases:
        url = page_path("support.case", cluster=cluster, case=case)
        yield TimelineItem(
            date=case.opened_on,
            kind="support_case",
            title=_("Support case: %(title)s") % {"title": case.title},
            detail=f"{case.get_need_display()} — {case.get_status_display()}",
            url=url,
        )
        if case.closed_on:
            yield TimelineItem(
                date=case.closed_on,
                kind="support_case",
                title=_("Support case closed: %(title)s") % {"title": case.title},
                detail=case.get_status_display(),
                url=url,
            )
    missions = (
        Mission.objects.filter(cluster=cluster, case__in=[c.pk for c in cases])
        .exclude(status=MissionStatus.CANCELLED)
        .select_related("expert", "case")
    )
    for mission in missions:
        yield TimelineItem(
            date=mission.start_on,
            kind="support_mission",
            title=_("Expert mission: %(title)s") % {"title": mission.title},
            detail=f"{mission.expert} — {mission.get_status_display()}",
            url=page_path("support.case", cluster=cluster, case=mission.case),
        )


def register() -> None:
    timeline_source_add(support_items)
