"""Leases: a hosted organisation (the one organisation record) rents a space for a period;
notice and renewal. Two leases of one space never overlap."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import Conflict, require
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.facilities.models import Lease, Resource
from clusterdesk.facilities.selectors import next_month

MANAGE = "facilities.manage"
LEASE_FIELDS = (
    "organisation",
    "resource",
    "starts_on",
    "ends_on",
    "monthly_rent",
    "monthly_charges",
    "notice_months",
    "notice_given_on",
    "renewed_from",
)
LEASED_KINDS = (
    Resource.Kind.OFFICE,
    Resource.Kind.LAB,
    Resource.Kind.CLEANROOM,
    Resource.Kind.BIOPRODUCTION,
)


def _lease_named(lease: Lease) -> str:
    return _(
        "%(space)s is already let to %(organisation)s from %(start)s to %(end)s (lease no. %(id)s)."
    ) % {
        "space": lease.resource,
        "organisation": lease.organisation,
        "start": date_format(lease.starts_on, "SHORT_DATE_FORMAT"),
        "end": date_format(lease.ends_on, "SHORT_DATE_FORMAT"),
        "id": lease.pk,
    }


def _lease_check(lease: Lease) -> None:
    if lease.ends_on < lease.starts_on:
        raise ValidationError({"ends_on": _("The lease ends before it starts.")})
    for field in ("monthly_rent", "monthly_charges"):
        value = getattr(lease, field)
        if value is None or value < 0:
            raise ValidationError({field: _("An amount cannot be negative.")})
    if lease.resource.kind not in LEASED_KINDS:
        raise ValidationError({"resource": _("Only offices, labs and suites are let.")})
    if lease.resource.cluster_id != lease.cluster_id:
        raise ValidationError({"resource": _("This space belongs to another cluster.")})
    if (
        not organisations_followed(cluster=lease.cluster_id)
        .filter(pk=lease.organisation_id)
        .exists()
    ):
        raise ValidationError({"organisation": _("This organisation is not followed here.")})
    lease.full_clean(exclude=["cluster", "organisation", "resource", "renewed_from"])
    # One lease at a time per space: lock the space, then look for another lease.
    Resource.objects.select_for_update().filter(pk=lease.resource_id).first()
    other = (
        Lease.objects.filter(
            resource=lease.resource_id, starts_on__lte=lease.ends_on, ends_on__gte=lease.starts_on
        )
        .exclude(pk=lease.pk)
        .select_related("organisation", "resource")
        .first()
    )
    if other is not None:
        raise Conflict(_lease_named(other), existing=other)


@transaction.atomic
def lease_create(
    *,
    actor: User,
    cluster: Cluster,
    organisation: Organisation,
    resource: Resource,
    starts_on: datetime.date,
    ends_on: datetime.date,
    monthly_rent: Decimal,
    monthly_charges: Decimal = Decimal(0),
    notice_months: int = 3,
    renewed_from: Lease | None = None,
) -> Lease:
    require(actor, MANAGE, cluster)
    lease = Lease(
        cluster=cluster,
        organisation=organisation,
        resource=resource,
        starts_on=starts_on,
        ends_on=ends_on,
        monthly_rent=monthly_rent,
        monthly_charges=monthly_charges,
        notice_months=notice_months,
        renewed_from=renewed_from,
    )
    _lease_check(lease)
    lease.save()
    audit_record(
        actor=actor, action="lease.created", obj=lease, after=audit_snapshot(lease, LEASE_FIELDS)
    )
    return lease


@transaction.atomic
def lease_give_notice(*, actor: User, lease: Lease, on: datetime.date) -> Lease:
    """Notice given on ``on``: the lease ends at the end of the month ``notice_months``
    later (or at its own end, if sooner)."""
    require(actor, MANAGE, lease.cluster)
    lease = Lease.objects.select_for_update().select_related("resource").get(pk=lease.pk)
    if lease.notice_given_on is not None:
        raise ValidationError(_("Notice was already given on this lease."))
    if Lease.objects.filter(renewed_from=lease).exists():
        raise ValidationError(_("This lease was renewed: give notice on its renewal."))
    if on > lease.ends_on:
        raise ValidationError({"on": _("The lease has already ended.")})
    month = on.replace(day=1)
    for _n in range(lease.notice_months + 1):
        month = next_month(month)
    end = min(lease.ends_on, month - datetime.timedelta(days=1))
    before = audit_snapshot(lease, ("ends_on", "notice_given_on"))
    lease.notice_given_on, lease.ends_on = on, max(end, lease.starts_on)
    lease.save(update_fields=["notice_given_on", "ends_on"])
    audit_record(
        actor=actor,
        action="lease.notice_given",
        obj=lease,
        before=before,
        after=audit_snapshot(lease, ("ends_on", "notice_given_on")),
    )
    return lease


@transaction.atomic
def lease_renew(
    *,
    actor: User,
    lease: Lease,
    ends_on: datetime.date,
    monthly_rent: Decimal | None = None,
    monthly_charges: Decimal | None = None,
) -> Lease:
    """A new lease of the same space for the same organisation from the day after this one
    ends, linked to it."""
    require(actor, MANAGE, lease.cluster)
    lease = (
        Lease.objects.select_for_update()
        .select_related("resource", "organisation")
        .get(pk=lease.pk)
    )
    if Lease.objects.filter(renewed_from=lease).exists():
        raise Conflict(_("This lease was already renewed."), existing=lease.renewal)
    if lease.notice_given_on is not None:
        raise ValidationError(_("Notice was given on this lease: it is not renewed."))
    return lease_create(
        actor=actor,
        cluster=lease.cluster,
        organisation=lease.organisation,
        resource=lease.resource,
        starts_on=lease.ends_on + datetime.timedelta(days=1),
        ends_on=ends_on,
        monthly_rent=lease.monthly_rent if monthly_rent is None else monthly_rent,
        monthly_charges=lease.monthly_charges if monthly_charges is None else monthly_charges,
        notice_months=lease.notice_months,
        renewed_from=lease,
    )
