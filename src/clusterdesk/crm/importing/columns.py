"""Match a spreadsheet's column headers to the fields an organisation import fills."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterdesk.crm.importing.values import normalise


@dataclass(frozen=True)
class ImportField:
    """A field an import can fill, with the headers (French and English) that name it.

    Aliases are in order of preference: when two columns match a field, the one
    matching the earlier alias wins and the other is ignored.
    """

    name: str
    label: str | Promise
    aliases: tuple[str, ...]


def _field(name: str, label: str | Promise, *aliases: str) -> tuple[str, ImportField]:
    return name, ImportField(name, label, (*aliases, name))


IMPORT_FIELDS: dict[str, ImportField] = dict(
    [
        _field(
            "name",
            gettext_lazy("Name"),
            "nom",
            "raison sociale",
            "dénomination",
            "dénomination sociale",
            "nom de l'organisation",
            "nom de la structure",
            "name",
            "legal name",
            "organisation",
            "organization",
            "organisation name",
            "organization name",
            "nom complet",
            "denominationUniteLegale",
            "nom_raison_sociale",
            "company name",
        ),
        _field(
            "usual_name",
            gettext_lazy("Usual name"),
            "nom d'usage",
            "nom commercial",
            "enseigne",
            "sigle",
            "short name",
            "acronym",
            "dénomination usuelle",
            "denominationUsuelle1UniteLegale",
            "nom usuel",
            "sigleUniteLegale",
            "trade name",
        ),
        _field(
            "kind",
            gettext_lazy("Kind"),
            "type",
            "type d'organisation",
            "type de structure",
            "type d'organisme",
            "type de membre",
            "typologie",
            "catégorie",
            "nature",
            "kind",
            "activity type",
            "organisation type",
            "organization type",
        ),
        _field(
            "company_category",
            gettext_lazy("Company category"),
            "catégorie entreprise",
            "catégorie d'entreprise",
            "categorieEntreprise",
            "company category",
        ),
        _field(
            "naf_code",
            gettext_lazy("Main activity (NAF/APE code)"),
            "activité principale",
            "code NAF",
            "code APE",
            "NAF/APE",
            "code NAF/APE",
            "NAF",
            "APE",
            "activitePrincipaleUniteLegale",
            "activitePrincipaleEtablissement",
            "main activity",
            "activity code",
        ),
        _field(
            "admin_state",
            gettext_lazy("Administrative state"),
            "état administratif",
            "etatAdministratifUniteLegale",
            "etatAdministratifEtablissement",
            "statut administratif",
            "administrative state",
        ),
        _field(
            "siren",
            "SIREN",
            "siren",
            "n° siren",
            "numéro siren",
            "siren number",
            "sirenUniteLegale",
        ),
        _field(
            "siret",
            "SIRET",
            "siret",
            "n° siret",
            "numéro siret",
            "siret du siège",
            "siretSiegeUniteLegale",
            "siret number",
        ),
        _field(
            "vat",
            gettext_lazy("VAT number"),
            "TVA",
            "n° TVA",
            "numéro de TVA",
            "numéro de TVA intracommunautaire",
            "TVA intracommunautaire",
            "VAT number",
            "VAT",
        ),
        _field("ror", "ROR", "ror", "ror id", "identifiant ror"),
        _field(
            "foreign_id",
            gettext_lazy("Foreign identifier"),
            "identifiant étranger",
            "PIC",
            "orgId",
            "foreign id",
        ),
        _field(
            "creation_year",
            gettext_lazy("Year founded"),
            "année de création",
            "founded",
            "year founded",
            "creation year",
        ),
        _field(
            "creation_date",
            gettext_lazy("Date founded"),
            "date de création",
            "date création",
            "dateCreationUniteLegale",
            "date_creation",
            "creation date",
            "date founded",
        ),
        _field(
            "headcount",
            gettext_lazy("Headcount"),
            "effectif",
            "effectifs",
            "nombre de salariés",
            "salariés",
            "employees",
            "headcount",
        ),
        _field(
            "headcount_band",
            gettext_lazy("Headcount band"),
            "tranche d'effectif",
            "tranche d'effectifs",
            "tranche effectif salarié",
            "tranche effectifs",
            "tranche effectif",
            "tranche d'effectifs salariés",
            "trancheEffectifsUniteLegale",
            "trancheEffectifsEtablissement",
            "tranche_effectif_salarie",
            "headcount band",
        ),
        _field(
            "turnover",
            gettext_lazy("Turnover"),
            "chiffre d'affaires",
            "CA",
            "turnover",
            "revenue",
        ),
        _field(
            "street",
            gettext_lazy("Address"),
            "adresse",
            "rue",
            "adresse du siège",
            "adresse complète",
            "adresse postale",
            "street",
            "address",
        ),
        _field(
            "postal_code",
            gettext_lazy("Postal code"),
            "code postal",
            "CP",
            "postcode",
            "post code",
            "zip",
            "zip code",
            "codePostalEtablissement",
        ),
        _field(
            "city",
            gettext_lazy("Town"),
            "ville",
            "commune",
            "libellé commune",
            "libelleCommuneEtablissement",
            "city",
            "town",
        ),
        _field("country", gettext_lazy("Country"), "pays", "country"),
        _field(
            "website",
            gettext_lazy("Website"),
            "site web",
            "site internet",
            "site",
            "url",
            "website",
            "organisation url",
            "organization url",
        ),
        _field("description", gettext_lazy("Description"), "description", "activité"),
        _field(
            "description_en",
            gettext_lazy("Description in English"),
            "description en anglais",
            "description (en)",
            "description EN",
            "English description",
        ),
        _field("domains", gettext_lazy("Domains"), "domaines", "domaine", "domains"),
        _field(
            "themes",
            gettext_lazy("Themes"),
            "thématiques",
            "thématique",
            "thèmes",
            "thème",
            "themes",
            "topics",
        ),
        _field(
            "markets",
            gettext_lazy("Markets"),
            "marchés",
            "marché",
            "marchés cibles",
            "markets",
            "target markets",
        ),
        _field(
            "directory_consent",
            gettext_lazy("Listed in the directory"),
            "annuaire",
            "consentement annuaire",
            "directory",
            "directory consent",
        ),
        _field(
            "membership_year",
            gettext_lazy("Membership year"),
            "année d'adhésion",
            "année adhésion",
            "membership year",
        ),
        _field(
            "join_date",
            gettext_lazy("Member since"),
            "date d'adhésion",
            "date adhésion",
            "date de première adhésion",
            "adhérent depuis",
            "membre depuis",
            "member since",
            "join date",
            "joined",
        ),
        _field(
            "membership_category",
            gettext_lazy("Membership category"),
            "catégorie d'adhésion",
            "collège",
            "membership category",
        ),
        _field(
            "membership_status",
            gettext_lazy("Membership status"),
            "statut adhésion",
            "statut d'adhésion",
            "membership status",
        ),
        _field(
            "fee_amount",
            gettext_lazy("Fee amount"),
            "cotisation",
            "montant cotisation",
            "montant de la cotisation",
            "fee",
            "fee amount",
        ),
        _field(
            "fee_paid_on",
            gettext_lazy("Fee paid on"),
            "date de paiement",
            "payé le",
            "paid on",
            "payment date",
        ),
        _field(
            "contact_first_name",
            gettext_lazy("Contact's first name"),
            "prénom",
            "prénom du contact",
            "first name",
        ),
        _field(
            "contact_last_name",
            gettext_lazy("Contact's last name"),
            "nom du contact",
            "last name",
        ),
        _field(
            "contact_email",
            gettext_lazy("Contact's e-mail"),
            "e-mail",
            "courriel",
            "adresse e-mail",
            "email",
        ),
        _field(
            "contact_phone",
            gettext_lazy("Contact's phone"),
            "téléphone",
            "tél",
            "phone",
            "telephone",
        ),
        _field(
            "contact_job_title",
            gettext_lazy("Contact's job title"),
            "fonction",
            "poste",
            "job title",
        ),
    ]
)

REQUIRED_FIELDS: tuple[str, ...] = ("name",)


def header_key(header: str) -> str:
    """Fold a header for matching: case, accents, punctuation and spaces do not count."""
    return normalise(header).replace(" ", "")


# Folded alias -> (field name, preference: lower wins). Aliases are unique (tested).
_ALIAS_INDEX: dict[str, tuple[str, int]] = {}
for _spec in IMPORT_FIELDS.values():
    for _rank, _alias in enumerate(_spec.aliases):
        _ALIAS_INDEX.setdefault(header_key(_alias), (_spec.name, _rank))


class MappingError(ValueError):
    """Columns cannot be mapped to fields as asked; ``str(error)`` is the translated reason."""


@dataclass
class ColumnMap:
    """Which column feeds which field.

    ``columns`` maps a field name to its header, ``indexes`` to the header's position;
    ``ignored`` lists the headers no field takes, in file order.
    """

    columns: dict[str, str] = field(default_factory=dict)
    indexes: dict[str, int] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def values(self, row: Sequence[str]) -> dict[str, str]:
        """The cells of ``row`` by field name."""
        return {name: row[index] for name, index in self.indexes.items()}


def _check_field(name: str) -> None:
    if name not in IMPORT_FIELDS:
        raise MappingError(
            _("“%(field)s” is not an import field; the fields are: %(fields)s.")
            % {"field": name, "fields": ", ".join(IMPORT_FIELDS)}
        )


def _find_column(headers: Sequence[str], column: str) -> int:
    """The position of ``column`` in ``headers``: exact match first, then folded."""
    wanted = column.strip()
    if wanted in headers:
        return headers.index(wanted)
    folded = [
        index for index, header in enumerate(headers) if header_key(header) == header_key(wanted)
    ]
    if len(folded) == 1:
        return folded[0]
    raise MappingError(
        _("The file has no column “%(column)s”; its columns are: %(headers)s.")
        % {"column": column, "headers": ", ".join(f"“{header}”" for header in headers)}
    )


def map_columns(headers: Sequence[str], explicit: dict[str, str] | None = None) -> ColumnMap:
    """Map ``headers`` to import fields.

    ``explicit`` (field -> header, e.g. from :func:`parse_map_options`) wins; an empty
    header there means "do not import this field". Other headers are matched against
    the fields' aliases ignoring case, accents, punctuation and spaces; a field keeps
    the column matching its most preferred alias. Raises :class:`MappingError` for an
    unknown field, a column the file lacks, a column given to two fields, or no column
    for a required field.
    """
    chosen: dict[str, int] = {}
    taken: dict[int, str] = {}
    skipped: set[str] = set()
    for name, column in (explicit or {}).items():
        _check_field(name)
        if not column.strip():
            skipped.add(name)
            continue
        index = _find_column(headers, column)
        if index in taken:
            raise MappingError(
                _("The column “%(column)s” is mapped to both %(first)s and %(second)s.")
                % {"column": headers[index], "first": taken[index], "second": name}
            )
        chosen[name], taken[index] = index, name

    # Other columns by alias; for each field the most preferred alias, then the left-most.
    explicit_fields = set(chosen) | skipped
    candidates: dict[str, tuple[int, int]] = {}
    for index, header in enumerate(headers):
        match = _ALIAS_INDEX.get(header_key(header))
        if match is None or index in taken or match[0] in explicit_fields:
            continue
        name, rank = match
        if name not in candidates or rank < candidates[name][0]:
            candidates[name] = (rank, index)
    for name, (_rank, index) in candidates.items():
        chosen[name], taken[index] = index, name

    for name in REQUIRED_FIELDS:
        if name not in chosen:
            raise MappingError(
                _(
                    "No column gives the %(label)s: name a column “%(alias)s” or map one "
                    "with %(field)s=<column>."
                )
                % {
                    "label": IMPORT_FIELDS[name].label,
                    "alias": IMPORT_FIELDS[name].aliases[0],
                    "field": name,
                }
            )
    ordered = sorted(chosen.items(), key=lambda item: item[1])
    return ColumnMap(
        columns={name: headers[index] for name, index in ordered},
        indexes=dict(ordered),
        ignored=[header for index, header in enumerate(headers) if index not in taken and header],
    )


def parse_map_options(items: Iterable[str]) -> dict[str, str]:
    """Read ``field=column`` items (as given on a command line) into a mapping.

    ``"name=Raison sociale"`` maps the column “Raison sociale” to ``name``; ``"kind="``
    stops ``kind`` from being imported. Raises :class:`MappingError` for an item without
    ``=``, an unknown field or a field given twice.
    """
    mapping: dict[str, str] = {}
    for item in items:
        name, sign, column = item.partition("=")
        name = name.strip()
        if not sign or not name:
            raise MappingError(
                _("“%(item)s” is not a mapping: write field=column, e.g. name=Raison sociale.")
                % {"item": item}
            )
        _check_field(name)
        if name in mapping:
            raise MappingError(_("The field %(field)s is mapped twice.") % {"field": name})
        mapping[name] = column.strip()
    return mapping


# An example row of the template file, by field (the others stay empty).
TEMPLATE_EXAMPLE: dict[str, str] = {
    "name": "Exemple Biotech SAS",
    "usual_name": "Exemple Biotech",
    "kind": "PME",
    "siren": "732829320",
    "naf_code": "72.11Z",
    "creation_date": "15/03/2012",
    "headcount_band": "11",
    "street": "9 avenue Paul Verlaine",
    "postal_code": "38100",
    "city": "Grenoble",
    "country": "FR",
    "website": "https://exemple-biotech.fr",
    "themes": "Cancer; Maladies infectieuses",
    "markets": "Oncologie",
    "directory_consent": "oui",
    "join_date": "01/01/2018",
    "contact_first_name": "Inès",
    "contact_last_name": "Morel",
    "contact_email": "ines.morel@exemple-biotech.fr",
}


def template_rows() -> tuple[list[str], list[list[str]]]:
    """The template file: each field under its first (French) header, and one example."""
    names = list(IMPORT_FIELDS)
    headers = [IMPORT_FIELDS[name].aliases[0] for name in names]
    return [h[:1].upper() + h[1:] for h in headers], [
        [TEMPLATE_EXAMPLE.get(name, "") for name in names]
    ]
