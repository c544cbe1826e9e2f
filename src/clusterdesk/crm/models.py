"""Organisations (one record per real organisation, across the instance) and what each
cluster keeps about them: its relationship, memberships and fees, contacts, interactions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from clusterdesk.core.models import Cluster, Domain, Market, TenantModel, Theme
from clusterdesk.crm.kinds import SME_KINDS, OrganisationKind
from clusterdesk.crm.sme import HeadcountBand, TurnoverBand, sme_from_bands

IDENTIFIER_FIELDS = ("siren", "siret", "vat", "ror", "foreign_id")


class UnscopedOrganisationRead(Exception):
    """A read of organisations that did not say whose: see ``OrganisationQuerySet``."""


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    """Organisations are shared by the whole instance, so every read says whose it wants.

    ``followed_by(cluster)`` narrows to the organisations a cluster has a ``Relationship``
    with: the only reach code outside ``crm/`` has (through
    ``crm.selectors.organisations_followed``). ``instance_wide()`` is the deliberate
    exception, used inside ``crm/`` only (identifier matching, merges, the public
    directory). Evaluating a queryset that did neither raises ``UnscopedOrganisationRead``,
    so a choice field or a search that forgets the filter fails in the tests instead of
    listing every cluster's organisations. Writes (``create``, ``bulk_create``) and an
    empty ``none()`` need no reach.
    """

    _reach: str = ""

    def followed_by(self, cluster: Cluster | int | Iterable[int]) -> Self:
        """The organisations followed by ``cluster`` (a Cluster, its id, or several ids)."""
        if isinstance(cluster, Cluster | int):
            relationships = Relationship.objects.filter(cluster=cluster)
        else:
            relationships = Relationship.objects.filter(cluster__in=list(cluster))
        qs = self.filter(pk__in=relationships.values("organisation_id"))
        qs._reach = "followed"
        return qs

    def instance_wide(self) -> Self:
        qs = self.all()
        qs._reach = "instance"
        return qs

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._reach = self._reach
        return clone

    def _check_reach(self) -> None:
        if not self._reach and not self.query.is_empty():
            raise UnscopedOrganisationRead(
                "Organisations are read through crm.selectors.organisations_followed(cluster=…)"
                " (or instance_wide() inside crm/)."
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._check_reach()
        super()._fetch_all()

    def count(self) -> int:
        self._check_reach()
        return super().count()

    def exists(self) -> bool:
        self._check_reach()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_reach()
        return super().aggregate(*args, **kwargs)

    def iterator(self, chunk_size: int | None = None) -> Any:
        self._check_reach()
        return super().iterator(chunk_size=chunk_size)

    def in_bulk(self, id_list: Iterable[Any] | None = None, **kwargs: Any) -> Any:
        self._check_reach()
        return super().in_bulk(id_list, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._check_reach()
        return super().update(**kwargs)

    def delete(self) -> Any:
        self._check_reach()
        return super().delete()


class Organisation(RulesModel):
    """A real organisation, once for the whole instance: clusters share it.

    Identifiers are validated by the services (python-stdnum) and unique; an organisation
    may have none (a foreign start-up known by name only) until staff find one.
    """

    name = models.CharField(_("legal name"), max_length=255)
    usual_name = models.CharField(_("usual name"), max_length=255, blank=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.PME
    )
    siren = models.CharField(_("SIREN"), max_length=9, null=True, blank=True, unique=True)
    siret = models.CharField(
        _("SIRET (head office)"), max_length=14, null=True, blank=True, unique=True
    )
    vat = models.CharField(_("EU VAT number"), max_length=20, null=True, blank=True, unique=True)
    ror = models.CharField(_("ROR id"), max_length=9, null=True, blank=True, unique=True)
    foreign_id = models.CharField(
        _("foreign identifier"), max_length=64, null=True, blank=True, unique=True
    )
    creation_year = models.PositiveSmallIntegerField(_("creation year"), null=True, blank=True)
    headcount_band = models.CharField(
        _("headcount"), max_length=2, choices=HeadcountBand.choices, blank=True
    )
    turnover_band = models.CharField(
        _("turnover"), max_length=10, choices=TurnoverBand.choices, blank=True
    )
    sme_override = models.BooleanField(
        _("SME (set by staff)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to follow the EU definition from headcount and turnover."),
    )
    # The register's vocabulary (Sirene): main activity as a NAF/APE code ("62.01Z"), and
    # whether the company has ceased trading (administrative state C).
    naf_code = models.CharField(_("main activity (NAF/APE code)"), max_length=6, blank=True)
    ceased = models.BooleanField(_("ceased trading (Sirene register)"), default=False)
    street = models.CharField(_("street"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    departement = models.CharField(_("département"), max_length=3, blank=True, db_index=True)
    region_code = models.CharField(_("region"), max_length=2, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FR")
    website = models.URLField(_("website"), blank=True, max_length=300)
    description = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    directory_consent = models.BooleanField(_("listed in the public directory"), default=False)
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    # Accent- and case-folded name and descriptions, kept by the services: the search index.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        # The directory's default order, paginated without sorting every row.
        indexes = [models.Index(fields=["name", "id"], name="organisation_name")]

    def __str__(self) -> str:
        return self.usual_name or self.name

    @property
    def is_sme(self) -> bool | None:
        """The EU definition from the bands, unless staff said otherwise."""
        if self.sme_override is not None:
            return self.sme_override
        by_bands = sme_from_bands(self.headcount_band or None, self.turnover_band or None)
        if by_bands is not None:
            return by_bands
        return True if self.kind in SME_KINDS else None

    @property
    def identifiers(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in IDENTIFIER_FIELDS if getattr(self, f)}

    @property
    def localised_description(self) -> str:
        if (get_language() or "fr").startswith("en") and self.description_en:
            return self.description_en
        return self.description


class Relationship(TenantModel):
    """The cluster's relationship with an organisation: how the cluster classifies it and
    who follows it. Every organisation a cluster works with has one."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relationships"
    )
    domains = models.ManyToManyField(Domain, blank=True, verbose_name=_("domains"))
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    markets = models.ManyToManyField(Market, blank=True, verbose_name=_("markets"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("followed by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "organisation"], name="relationship_unique"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class MembershipCategory(TenantModel):
    """A category of membership the cluster defines (college), with or without a vote."""

    name = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    voting_right = models.BooleanField(_("voting right"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("membership category")
        verbose_name_plural = _("membership categories")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class FeeRule(TenantModel):
    """One line of the fee grid: a category's fee for a kind and a size of organisation.

    The most specific matching line wins (kind set before kind empty, then the narrowest
    headcount range).
    """

    category = models.ForeignKey(
        MembershipCategory, on_delete=models.CASCADE, related_name="fee_rules"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices, blank=True)
    min_headcount = models.PositiveIntegerField(_("from (employees)"), default=0)
    max_headcount = models.PositiveIntegerField(_("to (employees)"), null=True, blank=True)
    amount = models.DecimalField(_("yearly fee (EUR)"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["category", "kind", "min_headcount"]
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee grid")

    def __str__(self) -> str:
        return f"{self.category} {self.kind or '*'} {self.min_headcount}-{self.max_headcount}"


class Membership(TenantModel, RulesModel):
    """An organisation's membership of the cluster for one year, and its fee."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed")
        RESIGNED = "resigned", _("Resigned")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(
        MembershipCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("category"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROSPECT
    )
    resignation_reason = models.TextField(_("reason for resigning"), blank=True)
    representative = models.ForeignKey(
        "Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("representative"),
    )
    fee_amount = models.DecimalField(
        _("fee called (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_called_on = models.DateField(_("fee called on"), null=True, blank=True)
    fee_paid_amount = models.DecimalField(
        _("fee paid (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_paid_on = models.DateField(_("fee paid on"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    class Meta:
        ordering = ["-year", "organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "organisation", "year"], name="membership_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(fee_paid_amount__isnull=True) | Q(fee_paid_amount__gte=0),
                name="membership_paid_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["cluster", "year", "status"], name="membership_year")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    @property
    def is_paid(self) -> bool:
        return self.fee_paid_on is not None

    @property
    def balance(self) -> object:
        if self.fee_amount is None:
            return None
        return self.fee_amount - (self.fee_paid_amount or 0)


class Contact(TenantModel):
    """A person at an organisation, as the cluster knows them (the cluster is the GDPR
    controller of what it holds)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    consent = models.BooleanField(_("agrees to be contacted"), default=False)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    newsletter = models.BooleanField(_("newsletter"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("portal account"),
    )
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["cluster", "email"], name="contact_email")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Interaction(TenantModel):
    """A meeting, call or e-mail of the staff with an organisation, and what comes next."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        # A telephone call, not a labelling call: French says "Appel téléphonique".
        CALL = "call", pgettext_lazy("interaction kind", "Call")
        EMAIL = "email", _("E-mail")
        EVENT = "event", _("Event")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="interactions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    date = models.DateField(_("date"), default=timezone.localdate)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    contacts = models.ManyToManyField(Contact, blank=True, verbose_name=_("people met"))
    next_action = models.CharField(_("next action"), max_length=200, blank=True)
    next_action_due = models.DateField(_("next action due"), null=True, blank=True)
    next_action_done = models.BooleanField(_("next action done"), default=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")

    def __str__(self) -> str:
        return self.subject


class InvoiceSequence(TenantModel):
    """The last invoice number given by a cluster in a year: taken under a row lock in the
    transaction that issues the invoice, so numbers follow each other without gaps."""

    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="invoice_sequence_year")
        ]


class Invoice(TenantModel):
    """A fee invoice or a credit note cancelling one. The buyer's details are copied when it
    is issued: an invoice never changes afterwards."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    number = models.CharField(_("number"), max_length=30)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("membership")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    credited = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_note",
        verbose_name=_("invoice cancelled"),
    )
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (EUR)"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    buyer_name = models.CharField(_("buyer"), max_length=255)
    buyer_address = models.CharField(_("buyer's address"), max_length=400, blank=True)
    buyer_siren = models.CharField(_("buyer's SIREN"), max_length=9, blank=True)
    buyer_vat_number = models.CharField(_("buyer's VAT number"), max_length=20, blank=True)

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "number"], name="invoice_number_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="invoice_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class ImportMapping(TenantModel):
    """A column mapping the staff saved to import the same kind of file again: which
    column feeds which field, and the kinds they confirmed for the file's own words."""

    name = models.CharField(_("name"), max_length=120)
    columns = models.JSONField(_("columns"), default=dict)  # field -> header
    kinds = models.JSONField(_("kinds"), default=dict)  # folded word -> kind value
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="import_mapping_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
