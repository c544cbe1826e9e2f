"""Sites, resources and their prices: the centre's staff (``facilities.manage``) keep them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import Conflict, conflict_on_duplicate, require
from clusterdesk.core.models import Cluster
from clusterdesk.facilities.models import Price, Resource, Site

MANAGE = "facilities.manage"
RESOURCE_FIELDS = (
    "site",
    "name",
    "kind",
    "containment_level",
    "iso_grade",
    "capacity",
    "area_m2",
    "description",
    "requires_approval",
    "requires_authorisation",
    "bookable",
    "open_days",
    "opens_at",
    "closes_at",
    "min_duration_minutes",
    "max_duration_minutes",
    "lead_time_hours",
    "horizon_days",
    "cancellation_hours",
    "active",
)


def _resource_check(resource: Resource) -> None:
    days = resource.open_days
    if not isinstance(days, list) or any(
        not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in days
    ):
        raise ValidationError({"open_days": _("Open days are numbers from 0 (Monday) to 6.")})
    resource.open_days = sorted(set(days))
    if resource.iso_grade is not None and resource.kind != Resource.Kind.CLEANROOM:
        raise ValidationError({"iso_grade": _("Only a cleanroom has an ISO class.")})
    if resource.min_duration_minutes > resource.max_duration_minutes:
        raise ValidationError(
            {"max_duration_minutes": _("The maximum duration is below the minimum.")}
        )
    if resource.site is not None and resource.site.cluster_id != resource.cluster_id:
        raise ValidationError({"site": _("This site belongs to another cluster.")})
    if resource.opens_at == resource.closes_at and resource.opens_at != datetime.time(0):
        raise ValidationError({"closes_at": _("The closing time is the opening time.")})
    resource.full_clean(exclude=["site", "cluster"], validate_unique=False)


def _name_taken(existing: Resource) -> str:
    return _("A resource is already named %(name)s (no. %(id)s).") % {
        "name": existing.name,
        "id": existing.pk,
    }


@transaction.atomic
def site_create(*, actor: User, cluster: Cluster, name: str, address: str = "") -> Site:
    require(actor, MANAGE, cluster)
    site = Site(cluster=cluster, name=name, address=address)
    site.full_clean(exclude=["cluster"])
    site.save()
    audit_record(actor=actor, action="site.created", obj=site, after={"name": name})
    return site


@transaction.atomic
def resource_create(*, actor: User, cluster: Cluster, **values: Any) -> Resource:
    """A space or an instrument; with no opening hours given it is open on working days
    from 08:00 to 20:00 (the model's defaults)."""
    unknown = set(values) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Not resource fields: {', '.join(sorted(unknown))}")
    require(actor, MANAGE, cluster)
    values = {
        k: v for k, v in values.items() if v is not None or k in ("site", "iso_grade", "area_m2")
    }
    resource = Resource(cluster=cluster, **values)
    same_name = Resource.objects.filter(cluster=cluster, name=resource.name)
    existing = same_name.first()
    if existing is not None:
        raise Conflict(_name_taken(existing), existing=existing)
    _resource_check(resource)
    with conflict_on_duplicate(same_name.first, _name_taken):
        resource.save()
    audit_record(
        actor=actor,
        action="resource.created",
        obj=resource,
        after=audit_snapshot(resource, RESOURCE_FIELDS),
    )
    return resource


@transaction.atomic
def resource_update(*, actor: User, resource: Resource, **values: Any) -> Resource:
    unknown = set(values) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Not resource fields: {', '.join(sorted(unknown))}")
    require(actor, MANAGE, resource.cluster)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    before = audit_snapshot(resource, values)
    for name, value in values.items():
        setattr(resource, name, value)
    if "name" in values:
        existing = (
            Resource.objects.filter(cluster=resource.cluster_id, name=resource.name)
            .exclude(pk=resource.pk)
            .first()
        )
        if existing is not None:
            raise Conflict(_name_taken(existing), existing=existing)
    _resource_check(resource)
    resource.save()
    audit_record(
        actor=actor,
        action="resource.updated",
        obj=resource,
        before=before,
        after=audit_snapshot(resource, values),
    )
    return resource


@transaction.atomic
def price_set(
    *, actor: User, resource: Resource, category: str, unit: str, amount: Decimal | None
) -> Price | None:
    """Set (or, with ``amount`` None, remove) one price of a resource; never negative."""
    require(actor, MANAGE, resource.cluster)
    if category not in Price.Category.values:
        raise ValidationError({"category": _("Unknown user category.")})
    if unit not in Price.Unit.values:
        raise ValidationError({"unit": _("Unknown unit.")})
    existing = (
        Price.objects.select_for_update()
        .filter(resource=resource, category=category, unit=unit)
        .first()
    )
    before = {"amount": str(existing.amount)} if existing else None
    if amount is None:
        if existing is not None:
            audit_record(actor=actor, action="price.removed", obj=existing, before=before)
            existing.delete()
        return None
    if amount < 0:
        raise ValidationError({"amount": _("A price cannot be negative.")})
    price = existing or Price(
        cluster=resource.cluster, resource=resource, category=category, unit=unit
    )
    price.amount = amount
    price.full_clean(exclude=["cluster", "resource"], validate_unique=False)
    price.save()
    audit_record(
        actor=actor, action="price.set", obj=price, before=before, after={"amount": str(amount)}
    )
    return price
