"""The funding programmes catalogue, and the programmes that fit a case."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from clusterdesk.core.errors import NotVisible
from clusterdesk.core.models import Cluster
from clusterdesk.support.models import FundingProgramme, SupportCase


def programmes_of(*, cluster: Cluster, active_only: bool = False) -> QuerySet[FundingProgramme]:
    qs = FundingProgramme.objects.filter(cluster=cluster)
    return qs.filter(active=True) if active_only else qs


def programme_of(*, cluster: Cluster, pk: int) -> FundingProgramme:
    programme = programmes_of(cluster=cluster).filter(pk=pk).first()
    if programme is None:
        raise NotVisible("support.fundingprogramme")
    return programme


def programmes_fitting(
    case: SupportCase, *, today: datetime.date | None = None
) -> list[FundingProgramme]:
    """The active programmes whose stages and needs include the case's (an empty list of
    criteria fits any) and whose next deadline has not passed, nearest deadline first.
    The catalogue is a few dozen rows: the criteria are checked here, the same on every
    database."""
    today = today or timezone.localdate()
    fitting = [
        p
        for p in programmes_of(cluster=case.cluster, active_only=True)
        if (not p.stages or case.stage in p.stages)
        and (not p.needs or case.need in p.needs)
        and (p.deadline is None or p.deadline >= today)
    ]
    far = datetime.date.max
    return sorted(fitting, key=lambda p: (p.deadline or far, p.name, p.pk))
