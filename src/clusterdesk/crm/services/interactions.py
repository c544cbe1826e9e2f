"""Writes of interactions: the meetings, calls and e-mails the staff have with an
organisation, with the people met and the next action."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import require
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Contact, Interaction, Organisation, Relationship

CHANGE_MEMBERS = "crm.change_members"

INTERACTION_FIELDS = (
    "kind",
    "date",
    "subject",
    "notes",
    "next_action",
    "next_action_due",
    "next_action_done",
)


@transaction.atomic
def interaction_save(
    *,
    actor: User,
    cluster: Cluster,
    organisation: Organisation,
    interaction: Interaction | None = None,
    contacts: Iterable[Contact] | None = None,
    **values: Any,
) -> Interaction:
    """Record an interaction (owned by ``actor``) or change one; ``contacts`` replaces the
    people met."""
    require(actor, CHANGE_MEMBERS, cluster)
    unknown = set(values) - set(INTERACTION_FIELDS)
    if unknown:
        raise TypeError(f"Not interaction fields: {', '.join(sorted(unknown))}")
    creating = interaction is None
    if interaction is None:
        interaction = Interaction(cluster=cluster, organisation=organisation, owner=actor)
    before = None if creating else audit_snapshot(interaction, INTERACTION_FIELDS)
    for name, value in values.items():
        setattr(interaction, name, value)
    if interaction.next_action_due and not interaction.next_action.strip():
        raise ValidationError({"next_action": _("Say what the next action is.")})
    interaction.full_clean(exclude=["organisation", "owner", "contacts"])
    interaction.save()
    if contacts is not None:
        people = list(contacts)
        if any(c.organisation_id != organisation.pk for c in people):
            raise ValidationError({"contacts": _("People met must work for the organisation.")})
        interaction.contacts.set(people)
    Relationship.objects.get_or_create(cluster=cluster, organisation=organisation)
    after = audit_snapshot(interaction, INTERACTION_FIELDS)
    if before != after:
        action = "interaction.created" if creating else "interaction.updated"
        audit_record(actor=actor, action=action, obj=interaction, before=before, after=after)
    return interaction
