"""Writes of contacts (the people of the organisations a cluster follows): their record,
member portal access, and GDPR erasure."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import require
from clusterdesk.core.models import Cluster, ClusterRole
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Contact, Interaction, Membership, Organisation, Relationship
from clusterdesk.crm.notices import send_portal_welcome

CHANGE_MEMBERS = "crm.change_members"
# On a Contact: the staff who keep the members, or whom another domain lets invite them
# (see ``crm.rules.PORTAL_INVITERS``).
GRANT_PORTAL_ACCESS = "crm.grant_portal_access_contact"

CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "language",
    "consent",
    "newsletter",
)
# Personal data never goes into the append-only audit log: only that it changed.
CONTACT_PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone", "job_title")


def _contact_audit(contact: Contact) -> dict[str, Any]:
    snap = audit_snapshot(contact, CONTACT_FIELDS)
    for field in CONTACT_PERSONAL_FIELDS:
        snap[field] = "•••" if snap[field] else ""
    return snap


@transaction.atomic
def contact_save(
    *,
    actor: User,
    cluster: Cluster,
    organisation: Organisation,
    contact: Contact | None = None,
    **values: Any,
) -> Contact:
    """Create a contact of ``organisation`` (when ``contact`` is None) or change one."""
    require(actor, CHANGE_MEMBERS, cluster)
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Not contact fields: {', '.join(sorted(unknown))}")
    creating = contact is None
    if contact is None:
        contact = Contact(cluster=cluster, organisation=organisation)
    if contact.anonymised_at is not None:
        raise ValidationError(_("This person was erased; their record cannot change."))
    before = None if creating else audit_snapshot(contact, CONTACT_FIELDS)
    before_audit = None if creating else _contact_audit(contact)
    for name, value in values.items():
        setattr(contact, name, value)
    if contact.consent and contact.consent_on is None:
        contact.consent_on = timezone.localdate()
    contact.full_clean(exclude=["organisation", "user"])
    contact.save()
    Relationship.objects.get_or_create(cluster=cluster, organisation=organisation)
    if before != audit_snapshot(contact, CONTACT_FIELDS):
        action = "contact.created" if creating else "contact.updated"
        audit_record(
            actor=actor,
            action=action,
            obj=contact,
            before=before_audit,
            after=_contact_audit(contact),
        )
    return contact


@transaction.atomic
def contact_grant_portal_access(*, actor: User, contact: Contact) -> User:
    """Give the contact a portal account with the member role, and e-mail them a link to
    choose their password."""
    require(actor, GRANT_PORTAL_ACCESS, contact)
    if not contact.email:
        raise ValidationError(_("The contact needs an e-mail address for portal access."))
    if contact.anonymised_at is not None:
        raise ValidationError(_("This person was erased."))
    user = User.objects.filter(email__iexact=contact.email).first()
    if user is None:
        user = User.objects.create_user(
            contact.email, None, full_name=str(contact), language=contact.language
        )
        audit_record(
            actor=actor,
            action="account.created",
            obj=user,
            cluster=contact.cluster,
            after={"email": user.email},
        )
    ClusterRole.objects.get_or_create(cluster=contact.cluster, user=user, role=Role.MEMBER)
    contact.user = user
    contact.save(update_fields=["user"])
    audit_record(
        actor=actor, action="contact.portal_access_granted", obj=contact, after={"user": user.pk}
    )
    transaction.on_commit(lambda: send_portal_welcome.enqueue(contact.cluster_id, contact.pk))
    return user


def contact_personal_data(*, actor: User, contact: Contact) -> dict[str, Any]:
    """Everything the cluster holds on a person (GDPR right of access), as JSON-ready data,
    for the staff who keep the members."""
    require(actor, CHANGE_MEMBERS, contact.cluster)
    memberships = Membership.objects.filter(representative=contact).select_related("organisation")
    interactions = Interaction.objects.filter(contacts=contact)
    return {
        "person": {f: getattr(contact, f) for f in CONTACT_FIELDS}
        | {
            "organisation": str(contact.organisation),
            "consent_on": contact.consent_on.isoformat() if contact.consent_on else None,
            "created_at": contact.created_at.isoformat(),
            "portal_account": contact.user.email if contact.user else None,
        },
        "represents": [{"organisation": str(m.organisation), "year": m.year} for m in memberships],
        "interactions": [
            {"date": i.date.isoformat(), "kind": i.kind, "subject": i.subject} for i in interactions
        ],
    }


@transaction.atomic
def contact_anonymise(*, actor: User, contact: Contact) -> Contact:
    """Erase a person (GDPR) but keep the history: the row stays, nameless."""
    require(actor, CHANGE_MEMBERS, contact.cluster)
    if contact.anonymised_at is not None:
        return contact
    contact.first_name = ""
    contact.last_name = _("Erased person")
    contact.email = contact.phone = contact.job_title = ""
    contact.consent = contact.newsletter = False
    contact.consent_on = None
    if contact.user_id is not None:
        ClusterRole.objects.filter(
            cluster=contact.cluster, user_id=contact.user_id, role=Role.MEMBER
        ).delete()
        contact.user = None
    contact.anonymised_at = timezone.now()
    contact.save()
    audit_record(actor=actor, action="contact.anonymised", obj=contact)
    return contact
