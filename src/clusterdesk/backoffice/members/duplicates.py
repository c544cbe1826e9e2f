"""Duplicate organisations, their merge (confirmed first) and its undoing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.members.common import OrganisationMixin
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.previews import merge_entry_of, merge_fills, merge_preview
from clusterdesk.crm.selectors import duplicate_candidates, organisations_followed
from clusterdesk.crm.services import merges, organisations
from clusterdesk.web.confirm import Confirmation, Effect, confirmation_page, is_confirmed
from clusterdesk.web.views import ClusterPermissionMixin

MERGE = "crm.merge_organisations"


class DuplicatesView(ClusterPermissionMixin, View):
    permission_required = MERGE

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        pairs = duplicate_candidates(cluster=self.cluster)
        return render(request, "crm/duplicates.html", {"cluster": self.cluster, "pairs": pairs})

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        orgs = organisations_followed(cluster=self.cluster)
        try:
            keep = get_object_or_404(orgs, pk=int(request.POST.get("keep", "")))
            drop = get_object_or_404(orgs, pk=int(request.POST.get("drop", "")))
        except ValueError as exc:
            raise Http404 from exc
        if not is_confirmed(request):
            return confirmation_page(request, self.confirmation(keep, drop), cluster=self.cluster)
        try:
            organisations.organisation_merge(
                actor=request.user, cluster=self.cluster, keep=keep, drop=drop
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("members:duplicates", cluster_slug=self.cluster.slug)
        messages.success(
            request,
            _("“%(drop)s” is merged into “%(keep)s”. It can be undone from this page.")
            % {"drop": drop, "keep": keep},
        )
        return redirect("members:organisation", cluster_slug=self.cluster.slug, org_id=keep.pk)

    def confirmation(self, keep: Organisation, drop: Organisation) -> Confirmation:
        """What the merge moves, per kind and cluster, and which fields it fills."""
        effects = []
        for line in merge_preview(keep=keep, drop=drop):
            where = {"things": line.label, "cluster": line.cluster}
            effects.append(
                Effect(
                    _("%(things)s of %(cluster)s") % where if line.cluster else str(line.label),
                    line.count - line.duplicates,
                )
            )
            if line.duplicates:
                effects.append(
                    Effect(
                        _(
                            "%(things)s of %(cluster)s that “%(keep)s” already has: not moved, "
                            "deleted with “%(drop)s” (a relationship's tags are kept)"
                        )
                        % (where | {"keep": keep, "drop": drop}),
                        line.duplicates,
                    )
                )
        filled = [
            str(getattr(Organisation._meta.get_field(f), "verbose_name", f))
            for f in merge_fills(keep, drop, fields=organisations.ORGANISATION_FIELDS)
        ]
        notes = [
            _("Empty fields of “%(keep)s” taken from “%(drop)s”: %(fields)s.")
            % {"keep": keep, "drop": drop, "fields": ", ".join(filled)}
            if filled
            else _("No field of “%(keep)s” changes.") % {"keep": keep},
            _(
                "“%(drop)s” is then deleted, in every cluster that follows it. The merge can "
                "be undone from the page of “%(keep)s” while its record can be restored."
            )
            % {"drop": drop, "keep": keep},
        ]
        return Confirmation(
            title=_("Merge “%(drop)s” into “%(keep)s”?") % {"drop": drop, "keep": keep},
            summary=_("What moves from “%(drop)s” to “%(keep)s”, and what goes:")
            % {"drop": drop, "keep": keep},
            effects=[*effects, Effect(_("organisation deleted"), 1, [str(drop)])],
            notes=notes,
            confirm_label=_("Merge"),
            cancel_url=reverse("members:duplicates", kwargs={"cluster_slug": self.cluster.slug}),
            danger=True,
        )


class MergeUndoView(OrganisationMixin, View):
    """Undo a merge into this organisation: confirmed first, then the service decides."""

    permission_required = MERGE
    http_method_names = ["post"]

    def post(self, request: Any, cluster_slug: str, org_id: int, entry_id: int) -> HttpResponse:
        keep = self.organisation
        entry = merge_entry_of(cluster=self.cluster, organisation=keep, entry_id=entry_id)
        if entry is None:
            raise Http404
        if not is_confirmed(request):
            undo = (entry.after or {})["_undo"]
            dropped = (entry.before or {})["dropped"].get("name", "")
            moved = sum(len(m["pks"]) for m in undo["moved"].values())
            return confirmation_page(
                request,
                Confirmation(
                    title=_("Undo the merge of “%(drop)s”?") % {"drop": dropped},
                    summary=_(
                        "“%(drop)s” is restored as it was, with the links the merge moved to "
                        "“%(keep)s” (those still there) and the fields it filled emptied again."
                    )
                    % {"drop": dropped, "keep": keep},
                    effects=[
                        Effect(_("organisation restored"), 1, [dropped]),
                        Effect(_("links moved back"), moved),
                    ],
                    confirm_label=_("Undo the merge"),
                    cancel_url=reverse(
                        "members:organisation",
                        kwargs={"cluster_slug": self.cluster.slug, "org_id": keep.pk},
                    ),
                ),
                cluster=self.cluster,
            )
        try:
            restored = merges.organisation_merge_undo(
                actor=request.user, cluster=self.cluster, organisation=keep, entry_id=entry.pk
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.to_organisation()
        messages.success(request, _("“%(org)s” is restored.") % {"org": restored})
        return redirect("members:organisation", cluster_slug=self.cluster.slug, org_id=restored.pk)
