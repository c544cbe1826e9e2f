"""The funding programmes catalogue: a programme with its criteria (stages, needs, amounts)
and its next deadline."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import NotAllowed, require
from clusterdesk.core.models import Cluster
from clusterdesk.support.choices import Need, ProgrammeFunder, Stage
from clusterdesk.support.models import FundingProgramme
from clusterdesk.support.services.common import euros

PROGRAMME_FIELDS = (
    "name",
    "funder",
    "description",
    "stages",
    "needs",
    "min_amount_eur",
    "max_amount_eur",
    "deadline",
    "url",
    "active",
)


@transaction.atomic
def funding_programme_save(
    *,
    actor: User,
    cluster: Cluster,
    programme: FundingProgramme | None = None,
    currency: str = "EUR",
    **values: Any,
) -> FundingProgramme:
    unknown = set(values) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"Not programme fields: {', '.join(sorted(unknown))}")
    require(actor, "support.manage_cases", cluster)
    if programme is not None and programme.pk:
        if programme.cluster_id != cluster.pk:
            raise NotAllowed("support.manage_cases")
        programme = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
        before: dict[str, Any] | None = audit_snapshot(programme, PROGRAMME_FIELDS)
    else:
        programme = FundingProgramme(cluster=cluster)
        before = None
    for name in ("min_amount_eur", "max_amount_eur"):
        if name in values:
            values[name] = euros(values[name], field=name, currency=currency)
    for name, value in values.items():
        setattr(programme, name, value)
    if programme.funder not in ProgrammeFunder.values:
        raise ValidationError(
            {"funder": _("Unknown value: %(value)s.") % {"value": programme.funder}}
        )
    bad_stages = [s for s in programme.stages if s not in Stage.values]
    if bad_stages:
        raise ValidationError(
            {"stages": _("Unknown stages: %(values)s.") % {"values": ", ".join(bad_stages)}}
        )
    bad_needs = [n for n in programme.needs if n not in Need.values]
    if bad_needs:
        raise ValidationError(
            {"needs": _("Unknown needs: %(values)s.") % {"values": ", ".join(bad_needs)}}
        )
    low, high = programme.min_amount_eur, programme.max_amount_eur
    if low is not None and high is not None and low > high:
        raise ValidationError({"max_amount_eur": _("The maximum is below the minimum.")})
    programme.full_clean(exclude=["cluster"])
    programme.save()
    after = audit_snapshot(programme, PROGRAMME_FIELDS)
    if before != after:
        audit_record(
            actor=actor,
            action="funding_programme.created" if before is None else "funding_programme.updated",
            obj=programme,
            before=before,
            after=after,
        )
    return programme
