"""Django's admin for people, roles, tokens and second factors (superusers only).

It is the superusers' way to repair (a lost phone, a cluster's first director); every change
it makes to these is audited like the services' writes. The admin's views run in a
transaction, which ``audit_record`` needs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from clusterdesk.accounts.models import ApiToken, Invitation, User
from clusterdesk.audit.services import audit_record
from clusterdesk.core.models import ClusterRole, RegionFunderAccess

# Never written to the log: secrets and their hashes.
SECRET_FIELDS = frozenset({"password", "secret_hash", "key", "token_set"})


class AuditedAdmin(admin.ModelAdmin):
    """Each add, change and delete leaves an entry ``admin.<model>_<verb>``."""

    def _record(self, request: HttpRequest, obj: Model, verb: str, after: Any = None) -> None:
        audit_record(
            actor=request.user,
            action=f"admin.{obj._meta.model_name}_{verb}",
            obj=obj,
            after=after,
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = {
            name: form.cleaned_data.get(name)
            for name in form.changed_data
            if name not in SECRET_FIELDS
        }
        self._record(request, obj, "changed" if change else "created", changed)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._record(request, obj, "deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # The list's "delete selected" action, unlike the admin's views, runs outside one.
        with transaction.atomic():
            for obj in queryset:
                self._record(request, obj, "deleted")
            super().delete_queryset(request, queryset)


admin.site.register(
    User,
    AuditedAdmin,
    list_display=["email", "full_name", "is_active", "is_superuser"],
    search_fields=["email", "full_name"],
    exclude=["password"],
)
admin.site.register(Invitation, list_display=["email", "cluster", "created_at", "accepted_at"])
admin.site.register(
    ApiToken,
    AuditedAdmin,
    list_display=["user", "name", "prefix", "revoked_at"],
    exclude=["secret_hash"],
)
admin.site.register(ClusterRole, AuditedAdmin, list_display=["user", "cluster", "role"])
admin.site.register(RegionFunderAccess, AuditedAdmin, list_display=["user", "region"])


class AuditedTOTPDeviceAdmin(AuditedAdmin, TOTPDeviceAdmin):
    pass


class AuditedStaticDeviceAdmin(AuditedAdmin, StaticDeviceAdmin):
    pass


# django-otp registers its own admins first (its apps come before ours).
for model, model_admin in (
    (TOTPDevice, AuditedTOTPDeviceAdmin),
    (StaticDevice, AuditedStaticDeviceAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
