"""Starting a spreadsheet import of organisations (the dry run, then the real one with
what the staff confirmed), and the column mappings they save to reuse."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record
from clusterdesk.core.errors import require
from clusterdesk.core.models import Cluster
from clusterdesk.crm.importing.columns import IMPORT_FIELDS, MappingError
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.crm.models import ImportMapping
from clusterdesk.crm.tasks import import_organisations_file
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import job_start


@transaction.atomic
def import_start(
    *,
    actor: User,
    cluster: Cluster,
    filename: str,
    content: Any,
    mapping: list[str],
    strict: bool,
    dry_run: bool,
    kinds: dict[str, str] | None = None,
    new_terms: dict[str, list[str]] | None = None,
    saved_columns: dict[str, str] | None = None,
) -> Job:
    """Keep the file with its job and run the import (or its dry run) in the background;
    the task starts once the file is stored (the job is queued on commit).

    ``kinds`` (the file's word -> kind) and ``new_terms`` (kind -> labels to create) are
    what the staff confirmed on the dry run's report."""
    require(actor, "crm.import_organisations", cluster)
    if new_terms and any(new_terms.values()):
        # Themes and markets are the cluster's taxonomy, which its director keeps.
        require(actor, "core.change_cluster", cluster)
    job = job_start(
        cluster=cluster,
        user=actor,
        kind="crm.import_check" if dry_run else "crm.import",
        label=(_("Import check: %(file)s") if dry_run else _("Import: %(file)s"))
        % {"file": filename},
        task=import_organisations_file,
        mapping=mapping,
        strict=strict,
        dry_run=dry_run,
        filename=filename,
        kinds=kinds or {},
        new_terms=new_terms or {},
        saved_columns=saved_columns or {},
    )
    content.open("rb")
    job.input_file.save(filename, ContentFile(content.read()), save=True)
    return job


def _check_mapping(columns: dict[str, str], kinds: dict[str, str]) -> None:
    unknown = [name for name in columns if name not in IMPORT_FIELDS]
    if unknown:
        raise MappingError(
            _("“%(field)s” is not an import field.") % {"field": ", ".join(sorted(unknown))}
        )
    wrong = [value for value in kinds.values() if value not in OrganisationKind.values]
    if wrong:
        raise MappingError(_("“%(kind)s” is not a kind.") % {"kind": ", ".join(sorted(wrong))})


@transaction.atomic
def import_mapping_save(
    *,
    actor: User,
    cluster: Cluster,
    name: str,
    columns: dict[str, str],
    kinds: dict[str, str] | None = None,
) -> ImportMapping:
    """Save (or replace, under the same name) the columns of a file and the kinds its
    words mean, to import the same kind of file again."""
    require(actor, "crm.import_organisations", cluster)
    kinds = kinds or {}
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the mapping a name.")})
    try:
        _check_mapping(columns, kinds)
    except MappingError as exc:
        raise ValidationError(str(exc)) from exc
    mapping = ImportMapping.objects.filter(cluster=cluster, name=name).first()
    before = None if mapping is None else {"columns": mapping.columns, "kinds": mapping.kinds}
    if mapping is None:
        mapping = ImportMapping(cluster=cluster, name=name)
    mapping.columns, mapping.kinds, mapping.created_by = dict(columns), dict(kinds), actor
    mapping.save()
    audit_record(
        actor=actor,
        action="import_mapping.saved",
        obj=mapping,
        before=before,
        after={"columns": mapping.columns, "kinds": mapping.kinds},
    )
    return mapping


@transaction.atomic
def import_mapping_delete(*, actor: User, mapping: ImportMapping) -> None:
    require(actor, "crm.import_organisations", mapping.cluster)
    audit_record(
        actor=actor,
        action="import_mapping.deleted",
        obj=mapping,
        before={"name": mapping.name, "columns": mapping.columns},
    )
    mapping.delete()
