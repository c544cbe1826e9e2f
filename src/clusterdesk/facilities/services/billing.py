"""Consumables and monthly statements. A statement is issued for a closed month only, once
per organisation and month; its lines are computed by ``facilities.billing``."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_record_many, audit_snapshot
from clusterdesk.core.errors import Conflict, conflict_on_duplicate, require
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.facilities.billing import month_lines, statement_line_rows, statement_number
from clusterdesk.facilities.models import Consumable, Statement, StatementLine
from clusterdesk.facilities.selectors import next_month
from clusterdesk.projects.models import Application

MANAGE = "facilities.manage"
ISSUE = "facilities.issue_statements"


@transaction.atomic
def consumable_add(
    *,
    actor: User,
    cluster: Cluster,
    organisation: Organisation,
    date: datetime.date,
    description: str,
    quantity: Decimal,
    unit_price: Decimal,
    application: Application | None = None,
) -> Consumable:
    require(actor, MANAGE, cluster)
    if quantity < 0:
        raise ValidationError({"quantity": _("A quantity cannot be negative.")})
    if unit_price < 0:
        raise ValidationError({"unit_price": _("A price cannot be negative.")})
    if not organisations_followed(cluster=cluster).filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("This organisation is not followed here.")})
    item = Consumable(
        cluster=cluster,
        organisation=organisation,
        application=application,
        date=date,
        description=description,
        quantity=quantity,
        unit_price=unit_price,
    )
    item.full_clean(exclude=["cluster", "organisation", "application"])
    item.save()
    audit_record(
        actor=actor,
        action="consumable.added",
        obj=item,
        after=audit_snapshot(
            item, ("organisation", "date", "description", "quantity", "unit_price")
        ),
    )
    return item


def _closed(month: datetime.date) -> datetime.date:
    month = month.replace(day=1)
    if next_month(month) > timezone.localdate():
        raise ValidationError(
            {
                "month": _(
                    "%(month)s is not closed yet: a statement is issued once the month is over."
                )
                % {"month": date_format(month, "YEAR_MONTH_FORMAT")}
            }
        )
    return month


def _statement_exists(existing: Statement) -> str:
    return _("Statement %(number)s already covers this month for %(organisation)s.") % {
        "number": existing.number,
        "organisation": existing.organisation,
    }


@transaction.atomic
def statement_issue(
    *, actor: User, cluster: Cluster, organisation: Organisation, month: datetime.date
) -> Statement:
    """The organisation's statement for a closed month; refused for a month not over, a
    second statement of the same month (``Conflict``) and a month with nothing to bill."""
    require(actor, ISSUE, cluster)
    month = _closed(month)
    same = Statement.objects.filter(cluster=cluster, organisation=organisation, month=month)
    existing = same.select_related("organisation").first()
    if existing is not None:
        raise Conflict(_statement_exists(existing), existing=existing)
    lines = month_lines(cluster=cluster, month=month, organisation_ids=[organisation.pk]).get(
        organisation.pk, []
    )
    if not lines:
        raise ValidationError(
            _("Nothing to bill to %(organisation)s for %(month)s.")
            % {"organisation": organisation, "month": date_format(month, "YEAR_MONTH_FORMAT")}
        )
    statement = Statement(
        cluster=cluster,
        organisation=organisation,
        month=month,
        number=statement_number(cluster, organisation.pk, month),
        total=sum((line.amount for line in lines), Decimal(0)),
    )
    with conflict_on_duplicate(same.first, _statement_exists):
        statement.save()
    StatementLine.objects.bulk_create(statement_line_rows(lines, statement))
    audit_record(
        actor=actor,
        action="statement.issued",
        obj=statement,
        after=audit_snapshot(statement, ("organisation", "month", "number", "total")),
    )
    return statement


@transaction.atomic
def statements_issue_month(
    *, actor: User, cluster: Cluster, month: datetime.date
) -> list[Statement]:
    """Every organisation's statement for a closed month (those not issued yet), in a few
    queries."""
    require(actor, ISSUE, cluster)
    month = _closed(month)
    done = set(
        Statement.objects.filter(cluster=cluster, month=month).values_list(
            "organisation_id", flat=True
        )
    )
    by_org = {
        org_id: lines
        for org_id, lines in month_lines(cluster=cluster, month=month).items()
        if org_id not in done and lines
    }
    statements = Statement.objects.bulk_create(
        [
            Statement(
                cluster=cluster,
                organisation_id=org_id,
                month=month,
                number=statement_number(cluster, org_id, month),
                total=sum((line.amount for line in lines), Decimal(0)),
                issued_at=timezone.now(),
            )
            for org_id, lines in sorted(by_org.items())
        ]
    )
    if statements and statements[0].pk is None:
        # Databases that do not return ids from a bulk insert (none we run on today).
        statements = list(
            Statement.objects.filter(cluster=cluster, month=month, organisation_id__in=by_org)
        )
    rows = []
    for statement in statements:
        rows.extend(statement_line_rows(by_org[statement.organisation_id], statement))
    StatementLine.objects.bulk_create(rows, batch_size=1000)
    audit_record_many(
        actor=actor,
        action="statement.issued",
        cluster=cluster,
        changes=[
            (s, None, {"organisation": s.organisation_id, "month": month, "total": s.total})
            for s in statements
        ],
    )
    return statements
