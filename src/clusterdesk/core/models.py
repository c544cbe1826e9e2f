"""Regions, clusters (the tenant), each cluster's own taxonomy of domains and themes, and the
roles people hold in a cluster (the rows the permission predicates read).

What a role may do is declared in ``core/rules.py``, which sits above this module: the
predicates read these rows, so the models do not import them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from clusterdesk.core.roles import Role


class Region(models.Model):
    """A French region that funds clusters and follows them (e.g. Auvergne-Rhône-Alpes)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    code = models.CharField(_("INSEE code"), max_length=3, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Cluster(models.Model):
    """The tenant: a pôle de compétitivité or another business cluster."""

    class Kind(models.TextChoices):
        POLE = "pole", _("Pôle de compétitivité")
        CLUSTER = "cluster", _("Cluster")

    class StateLabel(models.TextChoices):
        FOUR_YEARS = "4y", _("Labelled for 4 years")
        PROBATION = "2y", _("Labelled for 2 years (probation)")
        NEW = "new", _("Newly labelled")
        NONE = "none", _("Not labelled by the State")

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.POLE)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("region")
    )
    sector = models.CharField(
        _("sector"), max_length=160, blank=True, help_text=_("The Region's theme for the cluster.")
    )
    seat_city = models.CharField(_("seat city"), max_length=120, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    state_label = models.CharField(
        _("State labelling (phase V)"),
        max_length=4,
        choices=StateLabel.choices,
        default=StateLabel.NONE,
    )
    source_url = models.URLField(_("source"), blank=True, max_length=400)
    # What a fee invoice says of the cluster as seller (French invoicing rules) and how to pay.
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    billing_address = models.CharField(_("postal address"), max_length=300, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    vat_exemption = models.CharField(
        _("VAT mention"),
        max_length=200,
        blank=True,
        default="TVA non applicable, article 261-7-1° b du CGI",
        help_text=_("Printed on fee invoices when the fees bear no VAT."),
    )
    # A setting of the cluster, not a permission: who must then use a second factor is
    # decided by accounts.selectors.two_factor_required_for.
    two_factor_required = models.BooleanField(
        _("two-factor sign-in required"),
        default=False,
        help_text=_(
            "The cluster's staff, and the funders of its region, must sign in with a code from "
            "an authenticator app as well as their password."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return self.name


class TenantModel(models.Model):
    """Base of every row a cluster owns: a non-null cluster and a manager that needs a scope."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="+", verbose_name=_("cluster")
    )

    objects = ScopedManager(cluster="cluster")

    class Meta:
        abstract = True


class TaxonomyTerm(TenantModel):
    """A term of the cluster's own taxonomy, named in French and English."""

    name = models.CharField(_("name (French)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Domain(TaxonomyTerm):
    """A strategic domain (e.g. in-vitro diagnostics)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("strategic domain")
        verbose_name_plural = _("strategic domains")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="domain_unique_name"),
        ]


class Theme(TaxonomyTerm):
    """A theme the cluster works on (e.g. infectious diseases), possibly since a given year."""

    since_year = models.PositiveSmallIntegerField(_("since"), null=True, blank=True)

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="theme_unique_name"),
        ]


class Market(TaxonomyTerm):
    """A market the cluster's organisations address (e.g. oncology, animal health)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("market")
        verbose_name_plural = _("markets")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="market_unique_name"),
        ]


class ClusterRole(TenantModel):
    """One role a person holds in one cluster."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cluster_roles",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        # The table kept its name when the model moved here from accounts (no data moved).
        db_table = "accounts_clusterrole"
        ordering = ["user__email", "role"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "user", "role"], name="role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class RegionFunderAccess(models.Model):
    """A funder (the Region's staff) reads the clusters of its region, and nothing else."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="funders", verbose_name=_("region")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="funder_accesses",
        verbose_name=_("person"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        db_table = "accounts_regionfunderaccess"
        verbose_name = _("region funder access")
        verbose_name_plural = _("region funder accesses")
        constraints = [
            models.UniqueConstraint(fields=["region", "user"], name="funder_access_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.region}"
