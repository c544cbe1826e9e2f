"""Reading one row of an import: its organisation, tags, membership and contact values, each
problem named; nothing is written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from clusterdesk.crm import identifiers
from clusterdesk.crm.importing.lookups import Lookups
from clusterdesk.crm.importing.reports import RowReport
from clusterdesk.crm.importing.values import (
    match_kind,
    normalise,
    parse_amount,
    parse_bool,
    parse_date,
    parse_int,
    split_multi,
)
from clusterdesk.crm.models import Membership, Organisation
from clusterdesk.crm.sme import HeadcountBand, band_of_headcount, band_of_turnover

COUNTRY_NAMES = {"france": "FR", "fr": "FR"}
_URL = URLValidator()
_EMAIL = EmailValidator()


@dataclass
class ParsedRow:
    """One row as read: its report, the values to write, and the organisation it updates."""

    report: RowReport
    org: dict[str, Any]
    tags: dict[str, list[Any]]
    membership: dict[str, Any] | None
    contact: dict[str, Any] | None
    existing: Organisation | None = None


def parse_row(line: int, cells: dict[str, str], lookups: Lookups) -> ParsedRow:
    report = RowReport(line=line, name=cells.get("name", "").strip())
    problems, warnings = report.problems, report.warnings
    org: dict[str, Any] = {"name": report.name}
    if not org["name"]:
        problems.append(_("The name is missing."))
    for text_field in ("usual_name", "street", "city", "description", "description_en"):
        if cells.get(text_field):
            org[text_field] = cells[text_field].strip()
    for fld, limit in (("name", 255), ("usual_name", 255), ("street", 255), ("city", 120)):
        if len(org.get(fld, "")) > limit:
            problems.append(
                _("%(field)s is longer than %(n)d characters.") % {"field": fld, "n": limit}
            )
    if cells.get("kind"):
        try:
            org["kind"] = match_kind(cells["kind"])
        except ValueError as exc:
            problems.append(str(exc))
    for name, clean in identifiers.CLEANERS.items():
        if cells.get(name):
            try:
                org[name] = clean(cells[name])
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
            if not 1700 <= year <= datetime.date.today().year:
                raise ValueError(_("The creation year %(year)s is not plausible.") % {"year": year})
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

    tags: dict[str, list[Any]] = {}
    for kind in ("domains", "themes", "markets"):
        for label in split_multi(cells.get(kind, "")):
            term = lookups.terms[kind].get(normalise(label))
            if term is None:
                warnings.append(
                    _("“%(label)s” is not one of the cluster's %(kind)s; it was left out.")
                    % {"label": label, "kind": _(kind)}
                )
            else:
                tags.setdefault(kind, []).append(term)

    membership = _parse_membership(cells, lookups, problems)
    contact = _parse_contact(cells, problems, warnings)
    return ParsedRow(report=report, org=org, tags=tags, membership=membership, contact=contact)


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
