"""A record of long work started by a person, which the page they are on polls for progress."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from clusterdesk.core.models import TenantModel
from clusterdesk.jobs import rules as job_rules


def job_result_path(job: Job, filename: str) -> str:
    # Stored per cluster, outside MEDIA_URL's reach: downloads go through a checked view.
    return f"clusters/{job.cluster_id}/jobs/{job.pk}/{filename}"


class Job(TenantModel, RulesModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    label = models.CharField(_("label"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    input_file = models.FileField(_("input"), upload_to=job_result_path, blank=True)
    result_file = models.FileField(_("result"), upload_to=job_result_path, blank=True)
    # What the work found (e.g. an import's report), shown on the job page.
    report = models.JSONField(_("report"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Touched while the job runs (jobs.services.job_run): a running job whose heartbeat
    # stopped lost its worker and is failed by jobs_fail_interrupted.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        rules_permissions: ClassVar[dict] = {"view": job_rules.can_view_job}

    def __str__(self) -> str:
        return self.label

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
