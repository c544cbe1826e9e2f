"""Starting a spreadsheet import of organisations: the dry run, then the real one."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.core.errors import require
from clusterdesk.core.models import Cluster
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
) -> Job:
    """Keep the file with its job and run the import (or its dry run) in the background;
    the task starts once the file is stored (the job is queued on commit)."""
    require(actor, "crm.import_organisations", cluster)
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
    )
    content.open("rb")
    job.input_file.save(filename, ContentFile(content.read()), save=True)
    return job
