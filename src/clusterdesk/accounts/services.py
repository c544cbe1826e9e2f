"""Writes about people: accounts, team roles, invitations, funder access and API tokens.

Every function is atomic and records an audit entry in the same transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import ApiToken, Invitation, User
from clusterdesk.audit.services import audit_record
from clusterdesk.core.links import page_url
from clusterdesk.core.models import Cluster, ClusterRole, Region, RegionFunderAccess
from clusterdesk.core.roles import Role
from clusterdesk.core.selectors import forget_cached_roles
from clusterdesk.notifications.services import notify

INVITATION_SALT = "clusterdesk.invitation"
INVITATION_VALIDITY = datetime.timedelta(days=14)
TOKEN_PREFIX = "cd_"


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    language: str = "fr",
    actor: Any = None,
    validate: bool = True,
) -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    user = User(email=email, full_name=full_name, language=language)
    if password is not None and validate:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor or user,
        action="account.created",
        obj=user,
        after={"email": email, "full_name": full_name},
    )
    return user


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, language: str) -> User:
    before = {"full_name": user.full_name, "language": user.language}
    user.full_name, user.language = full_name, language
    user.save(update_fields=["full_name", "language"])
    after = {"full_name": full_name, "language": language}
    if before != after:
        audit_record(actor=user, action="account.updated", obj=user, before=before, after=after)
    return user


@transaction.atomic
def user_password_set(*, user: User, password: str, how: str) -> User:
    """Change the person's password (already validated by the form); ``how`` names the way
    (``reset`` by an e-mailed link). Their other sessions end, as the password's hash does."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="account.password_changed", obj=user, after={"how": how})
    return user


def _clean_roles(roles: Iterable[str]) -> list[str]:
    cleaned = sorted(set(roles))
    unknown = [r for r in cleaned if r not in Role.values]
    if unknown:
        raise ValidationError(_("Unknown role: %(role)s.") % {"role": ", ".join(unknown)})
    return cleaned


@transaction.atomic
def team_member_set_roles(
    *, actor: Any, cluster: Cluster, user: User, roles: Iterable[str]
) -> list[str]:
    """Give the person exactly these roles in the cluster (none revokes them all)."""
    wanted = _clean_roles(roles)
    current = ClusterRole.objects.select_for_update().filter(cluster=cluster, user=user)
    before = sorted(current.values_list("role", flat=True))
    if before == wanted:
        return wanted
    if Role.DIRECTOR in before and Role.DIRECTOR not in wanted:
        directors = ClusterRole.objects.filter(cluster=cluster, role=Role.DIRECTOR)
        if not directors.exclude(user=user).exists():
            raise ValidationError(_("A cluster keeps at least one director."))
    current.exclude(role__in=wanted).delete()
    for role in set(wanted) - set(before):
        ClusterRole.objects.create(cluster=cluster, user=user, role=role)
    action = "team.roles_changed" if wanted else "team.member_removed"
    audit_record(
        actor=actor,
        action=action,
        obj=user,
        cluster=cluster,
        before={"roles": before},
        after={"roles": wanted},
    )
    forget_cached_roles(user)
    if actor is not None:
        forget_cached_roles(actor)
    return wanted


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The pending invitation a link points at, or None (expired, revoked, used or forged)."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_VALIDITY)
    except signing.BadSignature:
        return None
    # The signed link is the only way in; it names the cluster to scope to.
    invitation = (
        Invitation.objects.with_scopes_disabled().select_related("cluster").filter(pk=pk).first()
    )
    return invitation if invitation is not None and invitation.is_pending else None


@transaction.atomic
def invitation_create(
    *, actor: Any, cluster: Cluster, email: str, roles: Iterable[str]
) -> Invitation:
    wanted = _clean_roles(roles)
    if not wanted:
        raise ValidationError(_("Choose at least one role."))
    email = User.objects.normalize_email(email).lower()
    invitation = Invitation.objects.create(
        cluster=cluster,
        email=email,
        roles=wanted,
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    audit_record(
        actor=actor,
        action="team.invited",
        obj=invitation,
        after={"email": email, "roles": wanted},
    )
    notify(
        to=invitation.email,
        language=getattr(actor, "language", "") or "fr",
        template="accounts/email/invitation",
        context={
            "invitation": invitation,
            "cluster": cluster,
            "url": page_url("accounts.invitation", token=invitation_token(invitation)),
        },
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer pending."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="team.invitation_revoked", obj=invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> list[str]:
    """Grant the invited roles to the person who followed the link."""
    locked = Invitation.objects.with_scopes_disabled().select_for_update().get(pk=invitation.pk)
    if not locked.is_pending:
        raise ValidationError(_("This invitation is no longer valid."))
    cluster = locked.cluster
    existing = set(
        ClusterRole.objects.with_scopes_disabled()
        .filter(cluster=cluster, user=user)
        .values_list("role", flat=True)
    )
    for role in set(locked.roles) - existing:
        ClusterRole.objects.with_scopes_disabled().create(cluster=cluster, user=user, role=role)
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    roles = sorted(existing | set(locked.roles))
    audit_record(
        actor=user,
        action="team.invitation_accepted",
        obj=locked,
        before={"roles": sorted(existing)},
        after={"roles": roles},
    )
    forget_cached_roles(user)
    return roles


@transaction.atomic
def funder_access_grant(*, actor: Any, region: Region, user: User) -> RegionFunderAccess:
    access, created = RegionFunderAccess.objects.get_or_create(region=region, user=user)
    if created:
        audit_record(actor=actor, action="region.funder_granted", obj=access)
    forget_cached_roles(user)
    return access


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its full value, shown to the person only once."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, secret_hash=_hash(secret), expires_at=expires_at
    )
    audit_record(
        actor=user,
        action="api_token.created",
        obj=token,
        after={"name": name, "expires_at": expires_at},
    )
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise ValidationError(_("This token is not yours."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, action="api_token.revoked", obj=token)
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active person a bearer token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX) or raw.count("_") < 2:
        return None
    prefix, _sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    if not secrets.compare_digest(token.secret_hash, _hash(secret)):
        return None
    # Usage bookkeeping, not a state change: no audit entry, at most one write a minute.
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
