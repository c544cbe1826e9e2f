"""The spreadsheet import: a dry run first, whose report offers the real import with the
kinds and new themes the person confirms, and saving the mapping; the list of recognised
headers and a template file."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.core.exports import write_table
from clusterdesk.crm.forms import ImportForm
from clusterdesk.crm.importing.columns import IMPORT_FIELDS, template_rows
from clusterdesk.crm.importing.values import normalise
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.crm.selectors import import_mappings
from clusterdesk.crm.services.imports import (
    import_mapping_delete,
    import_mapping_save,
    import_start,
)
from clusterdesk.jobs.models import Job
from clusterdesk.web.views import ClusterPermissionMixin


class ImportView(ClusterPermissionMixin, View):
    """Upload a spreadsheet: a dry run first, whose report offers the real import."""

    permission_required = "crm.import_organisations"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = ImportForm(cluster=self.cluster)
        return render(request, "crm/import.html", {"cluster": self.cluster, "form": form})

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES, cluster=self.cluster)
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
            kinds=form.saved_kinds(),
            saved_columns=form.saved_columns(),
        )
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)


def _confirmed(report: dict[str, Any], data: Any) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The kinds and new terms the person chose on the dry run's report."""
    kinds: dict[str, str] = {}
    for n, choice in enumerate(report.get("kinds", [])):
        value = data.get(f"kind_{n}", "")
        if value in OrganisationKind.values:
            kinds[normalise(choice["text"])] = value
    new_terms: dict[str, list[str]] = {}
    for n, term in enumerate(report.get("unknown_terms", [])):
        if data.get(f"term_{n}"):
            new_terms.setdefault(term["kind"], []).append(term["label"])
    return kinds, new_terms


class ImportCheckMixin(ClusterPermissionMixin):
    permission_required = "crm.import_organisations"

    def checked_job(self, request: Any, pk: int) -> tuple[Job, dict[str, Any]]:
        """The person's finished dry run, and its report."""
        checked: Job = get_object_or_404(
            Job.objects.filter(kind="crm.import_check", user=request.user), pk=pk
        )
        report = checked.report
        if checked.status != Job.Status.DONE or not report or report.get("refused"):
            raise PermissionDenied
        return checked, report


class ImportConfirmView(ImportCheckMixin, View):
    """Run for real the import whose dry run the person has read, with what they chose."""

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        checked, report = self.checked_job(request, pk)
        kinds, new_terms = _confirmed(report, request.POST)
        job = import_start(
            actor=request.user,
            cluster=self.cluster,
            filename=report["filename"],
            content=checked.input_file,
            mapping=report["mapping"],
            strict=report["strict"],
            dry_run=False,
            kinds=kinds,
            new_terms=new_terms,
            saved_columns=report.get("saved_columns", {}),
        )
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)


class ImportMappingSaveView(ImportCheckMixin, View):
    """Save the columns of a checked file (and the kinds chosen for its words) by name."""

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        checked, report = self.checked_job(request, pk)
        kinds, _terms = _confirmed(report, request.POST)
        try:
            mapping = import_mapping_save(
                actor=request.user,
                cluster=self.cluster,
                # Unnamed, it is called after the file it was made for.
                name=request.POST.get("mapping_name", "").strip() or report.get("filename", ""),
                columns=report.get("columns", {}),
                kinds=kinds,
            )
        except ValidationError as exc:
            return render(
                request,
                "crm/import_mapping_saved.html",
                {"cluster": self.cluster, "job": checked, "errors": exc.messages},
                status=400,
            )
        return render(
            request,
            "crm/import_mapping_saved.html",
            {"cluster": self.cluster, "job": checked, "mapping": mapping},
        )


class ImportMappingDeleteView(ClusterPermissionMixin, View):
    """Forget a saved mapping."""

    permission_required = "crm.import_organisations"

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        mapping = get_object_or_404(import_mappings(cluster=self.cluster), pk=pk)
        import_mapping_delete(actor=request.user, mapping=mapping)
        return redirect("members:import_columns", cluster_slug=self.cluster.slug)


class ImportColumnsView(ClusterPermissionMixin, View):
    """The headers an import recognises, field by field, and the template to download."""

    permission_required = "crm.import_organisations"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        fields = [
            {
                "label": spec.label,
                "name": spec.name,
                "headers": [a for a in spec.aliases if a != spec.name],
            }
            for spec in IMPORT_FIELDS.values()
        ]
        context = {
            "cluster": self.cluster,
            "fields": fields,
            "kinds": OrganisationKind.choices,
            "mappings": import_mappings(cluster=self.cluster),
        }
        return render(request, "crm/import_columns.html", context)


class ImportTemplateView(ClusterPermissionMixin, View):
    """An XLSX file with one column per field, under its first French header, and an
    example row."""

    permission_required = "crm.import_organisations"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        headers, rows = template_rows()
        content = write_table("xlsx", headers, rows, title=_("Organisations"))
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="modele-import-organisations.xlsx"'
        return response
