"""The append-only audit log: one entry per state change, written in the change's transaction."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from clusterdesk.audit.wording import action_words, field_words, value_words
from clusterdesk.core.models import Cluster


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise TypeError("The audit log is append-only.")


AuditEntryManager = models.Manager.from_queryset(AuditEntryQuerySet)


class AuditEntry(models.Model):
    """Who did what to which object, when, with the values before and after."""

    # Null only for instance-level actions (a person's own account and API tokens),
    # which no cluster owns; every cluster action carries its cluster.
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cluster"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = ScopedManager(cluster="cluster", _manager_class=AuditEntryManager)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["cluster", "-created_at"], name="audit_cluster_time"),
            models.Index(fields=["content_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("The audit log is append-only.")

    @property
    def changes(self) -> list[tuple[str, Any, Any]]:
        """The fields that differ between before and after, for display (a key beginning
        with "_" keeps data for the service, such as what undoing a merge restores)."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(k for k in set(before) | set(after) if not str(k).startswith("_"))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    @property
    def action_label(self) -> str:
        return action_words(self.action)

    @property
    def changes_in_words(self) -> list[tuple[str, str | None, str]]:
        """``changes`` as the reader says them: field labels, choice labels, French
        numbers and dates (no old value for a creation)."""
        model = (
            ContentType.objects.get_for_id(self.content_type_id).model_class()
            if self.content_type_id
            else None
        )
        return [
            (
                field_words(model, name),
                None if old is None else value_words(model, name, old),
                value_words(model, name, new),
            )
            for name, old, new in self.changes
        ]
