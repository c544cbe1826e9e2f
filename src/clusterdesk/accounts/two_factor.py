"""Second factors: an authenticator app (a django-otp TOTP device) and recovery codes.

Writes only; the reads (who must use a second factor, a person's device) are in
``accounts.selectors``. Every change is audited as an entry of the person (no cluster owns
it), which ``audit.selectors.audit_entries_of_person`` shows on the profile page.

Wrong codes slow the device down (django-otp's throttling: 1, 2, 4 … seconds): that count is
a write of its own, so verifying never raises inside a transaction that would undo it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
TOTP_DIGITS = 6


def code_normalise(value: object) -> str:
    """A code as typed, without spaces or dashes (recovery codes are shown as ``abcd-efgh``)."""
    return "".join(str(value or "").split()).replace("-", "").lower()


@transaction.atomic
def two_factor_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator device (it signs nobody in until confirmed)."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Two-factor sign-in is already on."))
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_enable(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device with a code from the app; return it and the recovery codes
    (shown once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError(_("Start the set-up again: no authenticator is waiting."))
    # A failure here undoes the throttle count with the rest: only the person who set the
    # device up, already signed in, can be guessing at it.
    if not device.verify_token(code_normalise(token)):
        raise ValidationError(_("This code is not right. Check the clock of your phone."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user)
    audit_record(
        actor=user,
        action="two_factor.enabled",
        obj=user,
        after={"device": device.name, "recovery_codes": len(codes)},
    )
    return device, codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes, replacing the old ones (all of them stop working)."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Two-factor sign-in is off."))
    codes = _recovery_codes_replace(user)
    audit_record(
        actor=user,
        action="two_factor.recovery_codes_renewed",
        obj=user,
        after={"recovery_codes": len(codes)},
    )
    return codes


def two_factor_verify(*, user: User, token: str) -> Device | None:
    """The device that accepts the code, or None: six digits are checked against the
    authenticator, anything else against the recovery codes (a used one is spent)."""
    code = code_normalise(token)
    with transaction.atomic():
        if code.isdigit() and len(code) == TOTP_DIGITS:
            totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            return totp if totp is not None and totp.verify_token(code) else None
        static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if static is None or not code or not static.verify_token(code):
            return None
        audit_record(
            actor=user,
            action="two_factor.recovery_code_used",
            obj=user,
            after={"recovery_codes_left": static.token_set.count()},
        )
        return static


def two_factor_disable(*, user: User, token: str) -> None:
    """Turn the second factor off, on a current code (from the app or a recovery code)."""
    # Verified in its own transaction: a wrong code's throttle count must stay.
    if two_factor_verify(user=user, token=token) is None:
        raise ValidationError(_("This code is not right."))
    _two_factor_remove(user=user)


@transaction.atomic
def _two_factor_remove(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action="two_factor.disabled", obj=user)
