"""Reading one row of an import: its organisation, tags, membership and contact values, each
problem named; nothing is written.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from clusterdesk.crm import identifiers
from clusterdesk.crm.importing.columns import IMPORT_FIELDS
from clusterdesk.crm.importing.lookups import Lookups
from clusterdesk.crm.importing.reports import RowReport
from clusterdesk.crm.importing.values import (
    guess_kind,
    normalise,
    parse_amount,
    parse_bool,
    parse_date,
    parse_int,
    split_multi,
)
from clusterdesk.crm.kinds import SIRENE_CATEGORY_KINDS
from clusterdesk.crm.models import Membership, Organisation
from clusterdesk.crm.sme import HeadcountBand, band_of_headcount, band_of_turnover

COUNTRY_NAMES = {"france": "FR", "fr": "FR"}
_URL = URLValidator()
_EMAIL = EmailValidator()
TERM_KINDS = ("domains", "themes", "markets")
# What people type in an identifier cell when they have none (folded with normalise;
# a cell of punctuation only, such as "-", folds to "").
PLACEHOLDERS = frozenset(
    {
        "",
        "non disponible",
        "non communique",
        "non renseigne",
        "n a",
        "na",
        "nc",
        "nd",
        "n d",
        "n c",
        "inconnu",
        "aucun",
        "neant",
        "sans",
        "none",
        "null",
        "unknown",
        "not available",
    }
)
# A whole address in one cell: "9 AVENUE PAUL VERLAINE, 38100 GRENOBLE".
_WHOLE_ADDRESS = re.compile(r"^(?P<street>.*?)[,\s]+(?P<postal_code>\d{5})\s+(?P<city>[^\d,].*)$")
_NAF = re.compile(r"^(\d{2})\.?(\d{2})([A-Z])$")
# The Sirene register's administrative state: active, or ceased (C for a company, F for
# a closed establishment).
_ACTIVE, _CEASED = frozenset({"a", "actif", "active"}), frozenset({"c", "f", "cesse", "ferme"})


@dataclass
class ImportChoices:
    """What the staff confirmed after the dry run: the kind meant by each of the file's
    own words (folded cell -> kind value) and the themes, markets and domains to create
    (kind -> labels)."""

    kinds: dict[str, str] = field(default_factory=dict)
    new_terms: dict[str, list[str]] = field(default_factory=dict)
    # The command line's shortcuts: take every guess, create every unknown term of these.
    accept_guesses: bool = False
    create_unknown: tuple[str, ...] = ()

    def creates(self, kind: str, label: str) -> bool:
        if kind in self.create_unknown:
            return True
        return normalise(label) in {normalise(t) for t in self.new_terms.get(kind, [])}

    def confirmed_kind(self, cell: str, guess: str) -> str:
        return self.kinds.get(normalise(cell)) or (guess if self.accept_guesses else "")


@dataclass
class ParsedRow:
    """One row as read: its report, the values to write, and the organisation it updates.

    ``kind_text`` is a kind cell read as a guess (``kind_guess``) awaiting confirmation;
    ``unknown_terms`` the labels the cluster does not have (kind -> labels), created
    when ``new_terms`` says so; ``history`` the years a join date makes a member.
    """

    report: RowReport
    org: dict[str, Any]
    tags: dict[str, list[Any]]
    membership: dict[str, Any] | None
    contacts: list[dict[str, Any]]
    existing: Organisation | None = None
    kind_text: str = ""
    kind_guess: str = ""
    unknown_terms: dict[str, list[str]] = field(default_factory=dict)
    new_terms: dict[str, list[str]] = field(default_factory=dict)
    history: list[int] = field(default_factory=list)


def _identifier_cell(name: str, cells: dict[str, str], warnings: list[str]) -> str:
    """The cell of an identifier column, empty for a placeholder ("Non disponible")."""
    value = cells.get(name, "").strip()
    if value and normalise(value) in PLACEHOLDERS:
        warnings.append(
            _("“%(value)s” in the %(field)s column is not an identifier: left empty.")
            % {"value": value, "field": IMPORT_FIELDS[name].label}
        )
        return ""
    return value


def _whole_address(org: dict[str, Any], cells: dict[str, str]) -> None:
    """Split "9 AVENUE PAUL VERLAINE, 38100 GRENOBLE" into street, postal code and town
    when the file gives them in one column (and no postal code or town of its own)."""
    if cells.get("postal_code") or cells.get("city") or not org.get("street"):
        return
    match = _WHOLE_ADDRESS.match(org["street"])
    if match:
        org["street"] = match["street"].strip(" ,")
        org["postal_code"] = match["postal_code"]
        org["city"] = match["city"].strip()


def _register_values(
    org: dict[str, Any], cells: dict[str, str], warnings: list[str], problems: list[str]
) -> None:
    """The Sirene register's vocabulary: NAF/APE code, company category, state, dates."""
    naf = cells.get("naf_code", "").strip().upper()
    if naf:
        match = _NAF.match(naf)
        if match:
            org["naf_code"] = f"{match[1]}.{match[2]}{match[3]}"
        else:
            warnings.append(
                _("“%(value)s” is not a NAF/APE code (such as 62.01Z): left out.") % {"value": naf}
            )
    category = cells.get("company_category", "").strip().upper()
    if category and "kind" not in org:
        if category in SIRENE_CATEGORY_KINDS:
            org["kind"] = SIRENE_CATEGORY_KINDS[category]
        else:
            warnings.append(
                _("“%(value)s” is not a company category (PME, ETI or GE): left out.")
                % {"value": category}
            )
    state = normalise(cells.get("admin_state", ""))
    if state in _ACTIVE:
        org["ceased"] = False
    elif state in _CEASED:
        org["ceased"] = True
        warnings.append(_("The register says this company has ceased trading."))
    elif state:
        warnings.append(
            _("“%(value)s” is not an administrative state (A active, C ceased): left out.")
            % {"value": cells["admin_state"].strip()}
        )
    if cells.get("creation_date") and not org.get("creation_year"):
        text = cells["creation_date"].strip()
        try:
            year = parse_date(text).year if not text.isdigit() else parse_int(text)
            _plausible_year(year)
            org["creation_year"] = year
        except ValueError as exc:
            problems.append(str(exc))


def _plausible_year(year: int) -> None:
    if not 1700 <= year <= datetime.date.today().year:
        raise ValueError(_("The creation year %(year)s is not plausible.") % {"year": year})


def _kind(row: ParsedRow, cell: str, choices: ImportChoices) -> None:
    """Read the kind cell: certain, confirmed by the staff, or a guess to confirm."""
    guess = guess_kind(cell)
    if guess.exact and guess.kind is not None:
        row.org["kind"] = guess.kind
        return
    row.kind_text = cell.strip()
    row.kind_guess = guess.kind.value if guess.kind is not None else ""
    confirmed = choices.confirmed_kind(cell, row.kind_guess)
    if confirmed:
        row.org["kind"] = confirmed


def parse_row(
    line: int, cells: dict[str, str], lookups: Lookups, choices: ImportChoices | None = None
) -> ParsedRow:
    choices = choices or ImportChoices()
    report = RowReport(line=line, name=cells.get("name", "").strip())
    problems, warnings = report.problems, report.warnings
    org: dict[str, Any] = {"name": report.name}
    row = ParsedRow(report=report, org=org, tags={}, membership=None, contacts=[])
    if not org["name"]:
        problems.append(_("The name is missing."))
    for text_field in ("usual_name", "street", "city", "description", "description_en"):
        if cells.get(text_field):
            org[text_field] = cells[text_field].strip()
    _whole_address(org, cells)
    for fld, limit in (("name", 255), ("usual_name", 255), ("street", 255), ("city", 120)):
        if len(org.get(fld, "")) > limit:
            problems.append(
                _("%(field)s is longer than %(n)d characters.")
                % {"field": IMPORT_FIELDS[fld].label, "n": limit}
            )
    if cells.get("kind", "").strip():
        _kind(row, cells["kind"], choices)
    for name, clean in identifiers.CLEANERS.items():
        value = _identifier_cell(name, cells, warnings)
        if value:
            try:
                org[name] = clean(value)
            except identifiers.IdentifierError as exc:
                problems.append(str(exc))
    if org.get("siret") and not org.get("siren"):
        org["siren"] = identifiers.siren_of_siret(org["siret"])
    elif org.get("siret") and identifiers.siren_of_siret(org["siret"]) != org["siren"]:
        problems.append(
            _("The SIRET %(siret)s does not belong to the SIREN %(siren)s.")
            % {"siret": org["siret"], "siren": org["siren"]}
        )
    if cells.get("creation_year"):
        try:
            year = parse_int(cells["creation_year"])
            _plausible_year(year)
            org["creation_year"] = year
        except ValueError as exc:
            problems.append(str(exc))
    if cells.get("headcount"):
        try:
            org["headcount_band"] = band_of_headcount(parse_int(cells["headcount"]))
        except ValueError as exc:
            problems.append(str(exc))
    elif cells.get("headcount_band"):
        code = cells["headcount_band"].strip()
        if code.isdigit() and len(code) == 1:
            code = f"0{code}"  # a spreadsheet drops the zero of "01"
        labels = {normalise(str(label)): value for value, label in HeadcountBand.choices}
        if code in HeadcountBand.values:
            org["headcount_band"] = code
        elif normalise(code) in labels:
            org["headcount_band"] = labels[normalise(code)]
        else:
            problems.append(_("Unknown headcount band “%(band)s”.") % {"band": code})
    if cells.get("turnover"):
        try:
            org["turnover_band"] = band_of_turnover(parse_amount(cells["turnover"]))
        except ValueError as exc:
            problems.append(str(exc))
    country = cells.get("country", "").strip()
    if country:
        code = COUNTRY_NAMES.get(normalise(country), country.upper())
        if len(code) != 2 or not code.isalpha():
            problems.append(
                _("Give the country as a two-letter code (FR, DE …), not “%(country)s”.")
                % {"country": country}
            )
        org["country"] = code
    if cells.get("postal_code"):
        org["postal_code"] = cells["postal_code"].strip()[:10]
    if cells.get("website"):
        url = cells["website"].strip()
        if "://" not in url:
            url = f"https://{url}"
        try:
            _URL(url)
            org["website"] = url
        except ValidationError:
            warnings.append(
                _("The website “%(url)s” is not a web address; it was left out.")
                % {"url": cells["website"]}
            )
    if cells.get("directory_consent"):
        try:
            org["directory_consent"] = parse_bool(cells["directory_consent"])
        except ValueError as exc:
            problems.append(str(exc))

    _register_values(org, cells, warnings, problems)

    for kind in TERM_KINDS:
        for label in split_multi(cells.get(kind, "")):
            term = lookups.term(kind, label)
            if term is not None:
                row.tags.setdefault(kind, []).append(term)
            elif choices.creates(kind, label):
                row.new_terms.setdefault(kind, []).append(label)
            else:
                # Said once for the whole file (ImportReport.unknown_terms), not per row.
                row.unknown_terms.setdefault(kind, []).append(label)

    row.membership = _parse_membership(cells, lookups, problems)
    row.history = _join_years(cells, problems)
    contact = _parse_contact(cells, problems, warnings)
    row.contacts = [contact] if contact else []
    return row


def _join_years(cells: dict[str, str], problems: list[str]) -> list[int]:
    """A join date means a member every year since: the years from it to this one."""
    if not cells.get("join_date", "").strip():
        return []
    text = cells["join_date"].strip()
    try:
        joined = datetime.date(parse_int(text), 1, 1) if text.isdigit() else parse_date(text)
    except ValueError as exc:
        problems.append(str(exc))
        return []
    today = datetime.date.today()
    if not datetime.date(1900, 1, 1) <= joined <= today:
        problems.append(
            _("The join date %(date)s is not plausible.") % {"date": joined.strftime("%d/%m/%Y")}
        )
        return []
    return list(range(joined.year, today.year + 1))


def _parse_membership(
    cells: dict[str, str], lookups: Lookups, problems: list[str]
) -> dict[str, Any] | None:
    if not cells.get("membership_year"):
        if any(cells.get(f) for f in ("membership_category", "membership_status", "fee_amount")):
            problems.append(_("Membership columns need the membership year."))
        return None
    membership: dict[str, Any] = {}
    try:
        membership["year"] = parse_int(cells["membership_year"])
    except ValueError as exc:
        problems.append(str(exc))
        return None
    if cells.get("membership_category"):
        category = lookups.categories.get(normalise(cells["membership_category"]))
        if category is None:
            problems.append(
                _("Unknown membership category “%(c)s”.") % {"c": cells["membership_category"]}
            )
        membership["category"] = category
    status = cells.get("membership_status", "").strip()
    if status:
        statuses = {normalise(str(label)): value for value, label in Membership.Status.choices}
        statuses |= {normalise(v): v for v in Membership.Status.values}
        statuses |= {
            "actif": "active",
            "adherent": "active",
            "radie": "resigned",
            "demissionnaire": "resigned",
            "prospect": "prospect",
            "echu": "lapsed",
        }
        if normalise(status) not in statuses:
            problems.append(_("Unknown membership status “%(s)s”.") % {"s": status})
        else:
            membership["status"] = statuses[normalise(status)]
    else:
        membership["status"] = Membership.Status.ACTIVE
    if cells.get("fee_amount"):
        try:
            membership["fee_amount"] = parse_amount(cells["fee_amount"])
        except ValueError as exc:
            problems.append(str(exc))
    if cells.get("fee_paid_on"):
        try:
            membership["fee_paid_on"] = parse_date(cells["fee_paid_on"])
            membership["fee_paid_amount"] = membership.get("fee_amount")
        except ValueError as exc:
            problems.append(str(exc))
    return membership


def _parse_contact(
    cells: dict[str, str], problems: list[str], warnings: list[str]
) -> dict[str, Any] | None:
    values = {
        "first_name": cells.get("contact_first_name", "").strip(),
        "last_name": cells.get("contact_last_name", "").strip(),
        "email": cells.get("contact_email", "").strip().lower(),
        "phone": cells.get("contact_phone", "").strip()[:40],
        "job_title": cells.get("contact_job_title", "").strip()[:150],
    }
    if not any(values.values()):
        return None
    if not values["last_name"]:
        problems.append(_("The contact's last name is missing."))
    if values["email"]:
        try:
            _EMAIL(values["email"])
        except ValidationError:
            problems.append(
                _("The contact's e-mail “%(e)s” is not valid.") % {"e": values["email"]}
            )
    return values
