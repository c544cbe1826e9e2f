"""An application's file, its consortium and documents, and the labelled project that
follows it. Who may change them is ``projects.change_application`` (the project staff, and
the coordinator's contacts while the file is a draft or to revise); an application the
actor may not see stays invisible (NotVisible)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import conflict_on_duplicate, require
from clusterdesk.core.storage import stored_upload
from clusterdesk.crm.models import Organisation, Relationship
from clusterdesk.projects.models import Application, ApplicationDocument, Call, Partner
from clusterdesk.projects.rules import require_on_application
from clusterdesk.projects.selectors.applications import application_coordinators_for
from clusterdesk.projects.states import CONSORTIUM_EDITABLE, FILE_EDITABLE, LABELLED

CHANGE = "projects.change_application"
APPLICATION_FIELDS = (
    "acronym",
    "title",
    "summary",
    "summary_en",
    "trl_start",
    "trl_target",
    "duration_months",
)
NOT_CLEANED = ["cluster", "call", "created_by", "committee_session", "label_code"]
ALLOWED_DOCUMENTS = {".pdf", ".docx", ".xlsx", ".odt", ".ods", ".pptx", ".png", ".jpg", ".jpeg"}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def application_create(
    *,
    actor: User,
    call: Call,
    coordinator: Organisation,
    domains: Iterable[Any] = (),
    themes: Iterable[Any] = (),
    **values: Any,
) -> Application:
    """A draft with its coordinator: the project staff name any organisation the cluster
    follows, a member one of the organisations they speak for."""
    require(actor, "projects.create_application", call.cluster)
    coordinators = application_coordinators_for(actor=actor, cluster=call.cluster)
    if not coordinators.filter(pk=coordinator.pk).exists():
        message = _("organisation %(id)s cannot coordinate an application of yours")
        raise ValidationError({"coordinator": message % {"id": coordinator.pk}})
    application = Application(cluster=call.cluster, call=call, created_by=actor, **values)
    application.full_clean(exclude=NOT_CLEANED)
    application.save()
    application.domains.set(domains)
    application.themes.set(themes)
    Partner.objects.create(
        cluster=call.cluster,
        application=application,
        organisation=coordinator,
        role=Partner.Role.COORDINATOR,
    )
    Relationship.objects.get_or_create(cluster=call.cluster, organisation=coordinator)
    audit_record(
        actor=actor,
        action="application.created",
        obj=application,
        after=audit_snapshot(application, APPLICATION_FIELDS) | {"coordinator": coordinator.pk},
    )
    return application


@transaction.atomic
def application_update(
    *,
    actor: User,
    application: Application,
    domains: Iterable[Any] | None = None,
    themes: Iterable[Any] | None = None,
    **values: Any,
) -> Application:
    require_on_application(actor, CHANGE, application)
    if application.state not in FILE_EDITABLE:
        raise ValidationError(_("The file cannot change once it is under review."))
    before = audit_snapshot(application, APPLICATION_FIELDS)
    for name, value in values.items():
        setattr(application, name, value)
    application.full_clean(exclude=NOT_CLEANED)
    application.save()
    if domains is not None:
        application.domains.set(domains)
    if themes is not None:
        application.themes.set(themes)
    after = audit_snapshot(application, APPLICATION_FIELDS)
    if before != after:
        audit_record(
            actor=actor, action="application.updated", obj=application, before=before, after=after
        )
    return application


@transaction.atomic
def partner_save(
    *, actor: User, application: Application, organisation: Organisation, **values: Any
) -> tuple[Partner, bool]:
    """Add an organisation to the consortium, or change its share; the partner and whether
    it joined now (decided here, in the transaction, not by a caller's earlier look)."""
    require_on_application(actor, CHANGE, application)
    if application.state not in CONSORTIUM_EDITABLE:
        raise ValidationError(_("The consortium can change only while the file is a draft."))
    partner = Partner.objects.filter(application=application, organisation=organisation).first()
    creating = partner is None
    if partner is None:
        partner = Partner(
            cluster=application.cluster, application=application, organisation=organisation
        )
    fields = ("role", "budget_eur", "requested_aid_eur", "person_months")
    before = None if creating else audit_snapshot(partner, fields)
    for name, value in values.items():
        setattr(partner, name, value)
    if partner.requested_aid_eur > partner.budget_eur:
        raise ValidationError({"requested_aid_eur": _("The aid requested exceeds the budget.")})
    if (
        partner.role == Partner.Role.COORDINATOR
        and application.partners.filter(role=Partner.Role.COORDINATOR)
        .exclude(pk=partner.pk)
        .exists()
    ):
        raise ValidationError({"role": _("The consortium already has a coordinator.")})
    partner.full_clean(exclude=["cluster", "application", "organisation", "contact"])
    # Two requests adding the same organisation at once: the second is told of the first.
    with conflict_on_duplicate(
        Partner.objects.filter(application=application, organisation=organisation).first,
        lambda existing: (
            _("%(partner)s is already in the consortium (no. %(id)s).")
            % {"partner": existing, "id": existing.pk}
        ),
    ):
        partner.save()
    Relationship.objects.get_or_create(cluster=application.cluster, organisation=organisation)
    audit_record(
        actor=actor,
        action="application.partner_saved",
        obj=application,
        before=before,
        after={"organisation": organisation.pk} | audit_snapshot(partner, fields),
    )
    return partner, creating


@transaction.atomic
def partner_remove(*, actor: User, partner: Partner) -> None:
    application = partner.application
    require_on_application(actor, CHANGE, application)
    if application.state not in CONSORTIUM_EDITABLE:
        raise ValidationError(_("The consortium can change only while the file is a draft."))
    if partner.role == Partner.Role.COORDINATOR:
        raise ValidationError(_("The coordinator cannot leave its own project."))
    audit_record(
        actor=actor,
        action="application.partner_removed",
        obj=application,
        before={"organisation": partner.organisation_id},
    )
    partner.delete()


@transaction.atomic
def document_add(
    *,
    actor: User,
    application: Application,
    upload: Any,
    kind: str = ApplicationDocument.Kind.OTHER,
) -> ApplicationDocument:
    require_on_application(actor, CHANGE, application)
    name = str(upload.name)
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ALLOWED_DOCUMENTS:
        raise ValidationError(
            {
                "file": _("Send a PDF, an office document or an image (%(types)s).")
                % {"types": ", ".join(sorted(ALLOWED_DOCUMENTS))}
            }
        )
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    document = ApplicationDocument(
        cluster=application.cluster,
        application=application,
        kind=kind,
        name=name[:200],
        size=upload.size,
        uploaded_by=actor,
    )
    # A file that cannot be stored is a clear error; one whose row fails is removed again.
    target = document.file.field.generate_filename(document, name)
    with stored_upload(document.file.storage, target, upload, field="file") as stored:
        document.file.name = stored
        document.save()
        audit_record(
            actor=actor,
            action="application.document_added",
            obj=application,
            after={"document": name, "kind": kind, "size": upload.size},
        )
    return document


@transaction.atomic
def project_update(
    *,
    actor: User,
    application: Application,
    status: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
) -> Application:
    """The labelled project runs: its status and dates (the project staff's)."""
    require_on_application(actor, "projects.manage_application", application)
    if application.state != LABELLED:
        raise ValidationError(_("Only a labelled project runs."))
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The project ends before it starts.")})
    fields = ("project_status", "start_date", "end_date")
    before = audit_snapshot(application, fields)
    application.project_status, application.start_date, application.end_date = (
        status,
        start_date,
        end_date,
    )
    application.full_clean(exclude=NOT_CLEANED)
    application.save(update_fields=list(fields))
    audit_record(
        actor=actor,
        action="project.updated",
        obj=application,
        before=before,
        after=audit_snapshot(application, fields),
    )
    return application
