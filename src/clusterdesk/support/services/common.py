"""What the support services share: amounts in euros, and the cluster's own records."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import organisations_followed

CURRENCY = "EUR"


def euros(value: Any, *, field: str, currency: str = CURRENCY) -> Decimal | None:
    """An amount in euros, never negative: another currency or a negative amount is a
    ValidationError naming the field."""
    if (currency or CURRENCY).upper() != CURRENCY:
        raise ValidationError(
            {
                "currency": _(
                    "Amounts are in euros (EUR), not %(currency)s: convert the amount first."
                )
                % {"currency": currency}
            }
        )
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Give an amount in euros.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Give an amount in euros.")})
    if amount < 0:
        raise ValidationError(
            {field: _("An amount cannot be negative (%(amount)s).") % {"amount": amount}}
        )
    return amount


def followed_organisation(cluster: Cluster, organisation: Organisation, *, field: str) -> None:
    """Refuse an organisation the cluster does not follow, naming it."""
    if not organisations_followed(cluster=cluster).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {
                field: _("%(organisation)s is not an organisation %(cluster)s follows.")
                % {"organisation": organisation, "cluster": cluster}
            }
        )
