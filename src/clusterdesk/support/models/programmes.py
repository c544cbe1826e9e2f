"""The catalogue of funding programmes a company may apply to, with their criteria."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from clusterdesk.core.models import TenantModel
from clusterdesk.support.choices import Need, ProgrammeFunder, Stage


class FundingProgramme(TenantModel):
    """A public programme (FUI, ANR, Bpifrance, the Region, Horizon Europe / EIC) or a kind of
    investor, with the stages and needs it fits, the amounts it gives and its deadline.

    ``stages`` and ``needs`` hold codes of ``choices.Stage`` and ``choices.Need``; empty
    means any."""

    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(_("funder"), max_length=20, choices=ProgrammeFunder.choices)
    description = models.TextField(_("description"), blank=True)
    stages = models.JSONField(_("stages"), default=list, blank=True)
    needs = models.JSONField(_("needs"), default=list, blank=True)
    min_amount_eur = models.DecimalField(
        _("minimum amount (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_amount_eur = models.DecimalField(
        _("maximum amount (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("next deadline"), null=True, blank=True)
    url = models.URLField(_("web page"), blank=True, max_length=400)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["funder", "name", "pk"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")

    def __str__(self) -> str:
        return self.name

    @property
    def stage_labels(self) -> list[str]:
        labels = dict(Stage.choices)
        return [str(labels[s]) for s in self.stages if s in labels]

    @property
    def need_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels[n]) for n in self.needs if n in labels]
