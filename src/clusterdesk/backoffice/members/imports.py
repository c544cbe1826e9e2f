"""The spreadsheet import: a dry run first, whose report offers the real import."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from clusterdesk.crm.forms import ImportForm
from clusterdesk.crm.services.imports import import_start
from clusterdesk.jobs.models import Job
from clusterdesk.web.views import ClusterPermissionMixin


class ImportView(ClusterPermissionMixin, View):
    """Upload a spreadsheet: a dry run first, whose report offers the real import."""

    permission_required = "crm.import_organisations"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return render(request, "crm/import.html", {"cluster": self.cluster, "form": ImportForm()})

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request, "crm/import.html", {"cluster": self.cluster, "form": form}, status=400
            )
        upload = form.cleaned_data["file"]
        job = import_start(
            actor=request.user,
            cluster=self.cluster,
            filename=upload.name,
            content=upload,
            mapping=form.mapping_lines(),
            strict=form.cleaned_data["strict"],
            dry_run=True,
        )
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)


class ImportConfirmView(ClusterPermissionMixin, View):
    """Run for real the import whose dry run the person has read."""

    permission_required = "crm.import_organisations"

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        checked: Job = get_object_or_404(
            Job.objects.filter(kind="crm.import_check", user=request.user), pk=pk
        )
        if checked.status != Job.Status.DONE or not checked.report or checked.report.get("refused"):
            raise PermissionDenied
        job = import_start(
            actor=request.user,
            cluster=self.cluster,
            filename=checked.report["filename"],
            content=checked.input_file,
            mapping=checked.report["mapping"],
            strict=checked.report["strict"],
            dry_run=False,
        )
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)
