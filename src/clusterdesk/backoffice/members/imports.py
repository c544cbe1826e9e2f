"""The spreadsheet import: a dry run first, whose report offers the real import."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.crm.forms import ImportForm
from clusterdesk.crm.tasks import import_organisations_file
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import job_start
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
        job = _start_import(
            self.cluster,
            request.user,
            upload.name,
            form.mapping_lines(),
            form.cleaned_data["strict"],
            dry_run=True,
            content=upload,
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
        job = _start_import(
            self.cluster,
            request.user,
            checked.report["filename"],
            checked.report["mapping"],
            checked.report["strict"],
            dry_run=False,
            content=checked.input_file,
        )
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)


def _start_import(
    cluster: Any,
    user: Any,
    filename: str,
    mapping: list[str],
    strict: bool,
    *,
    dry_run: bool,
    content: Any,
) -> Job:
    with transaction.atomic():
        job = job_start(
            cluster=cluster,
            user=user,
            kind="crm.import_check" if dry_run else "crm.import",
            label=(_("Import check: %(file)s") if dry_run else _("Import: %(file)s"))
            % {"file": filename},
            task=import_organisations_file,
            mapping=mapping,
            strict=strict,
            dry_run=dry_run,
            filename=filename,
        )
        content.open("rb")
        job.input_file.save(filename, ContentFile(content.read()), save=True)
    return job
