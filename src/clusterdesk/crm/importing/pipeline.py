"""Importing organisations (with membership and contact columns) from a spreadsheet.

Two passes over the same code: the dry run reads and checks every row and says what it
would do; the real run does it for the valid rows in one transaction. Rows are matched to
existing organisations by identifier (then by name and city for rows without one), so
importing the same file twice updates and never duplicates.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from clusterdesk.audit.services import audit_record, audit_record_many
from clusterdesk.core.errors import Conflict, require
from clusterdesk.core.models import Cluster, Domain, Market, Theme
from clusterdesk.crm import identifiers
from clusterdesk.crm.importing.columns import ColumnMap, map_columns
from clusterdesk.crm.importing.tabular import Table
from clusterdesk.crm.importing.values import (
    match_kind,
    normalise,
    parse_amount,
    parse_bool,
    parse_date,
    parse_int,
    split_multi,
)
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.crm.models import (
    IDENTIFIER_FIELDS,
    Contact,
    Membership,
    MembershipCategory,
    Organisation,
    Relationship,
)
from clusterdesk.crm.selectors import organisations_by_identifier, organisations_followed
from clusterdesk.crm.services.organisations import organisation_derive
from clusterdesk.crm.sme import HeadcountBand, band_of_headcount, band_of_turnover

PROGRESS_EVERY = 500
ANALYZE_AFTER = 1000
ORG_FIELDS = (
    "name",
    "usual_name",
    "kind",
    *IDENTIFIER_FIELDS,
    "creation_year",
    "headcount_band",
    "turnover_band",
    "street",
    "postal_code",
    "city",
    "country",
    "website",
    "description",
    "description_en",
    "directory_consent",
)
COUNTRY_NAMES = {"france": "FR", "fr": "FR"}
_URL = URLValidator()
_EMAIL = EmailValidator()


@dataclass
class RowReport:
    line: int
    name: str
    action: str = ""  # "create", "update" or "reject"
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowReport]
    dry_run: bool
    strict: bool
    columns: dict[str, str]
    ignored_columns: list[str]
    encoding: str | None
    delimiter: str | None
    written: bool = False

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def rejected(self) -> list[RowReport]:
        return [r for r in self.rows if r.action == "reject"]

    @property
    def refused(self) -> bool:
        """--strict and a row was rejected: nothing is written."""
        return self.strict and bool(self.rejected)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "created": self.count("create"),
            "updated": self.count("update"),
            "rejected_count": len(self.rejected),
            "refused": self.refused,
        }

    def as_text(self) -> str:
        mode = _("Dry run") if self.dry_run else _("Import")
        lines = [
            _(
                "%(mode)s: %(rows)d rows — %(created)d to create, %(updated)d to update, "
                "%(rejected)d rejected."
            )
            % {
                "mode": mode,
                "rows": len(self.rows),
                "created": self.count("create"),
                "updated": self.count("update"),
                "rejected": len(self.rejected),
            },
            _("Columns: %(columns)s.")
            % {"columns": ", ".join(f"{k} ← “{v}”" for k, v in self.columns.items())},
        ]
        if self.ignored_columns:
            lines.append(
                _("Ignored columns: %(columns)s.")
                % {"columns": ", ".join(f"“{c}”" for c in self.ignored_columns)}
            )
        for row in self.rows:
            for problem in row.problems:
                lines.append(
                    _("Line %(line)d (%(name)s): %(problem)s")
                    % {"line": row.line, "name": row.name or "—", "problem": problem}
                )
            for warning in row.warnings:
                lines.append(
                    _("Line %(line)d (%(name)s), warning: %(warning)s")
                    % {"line": row.line, "name": row.name or "—", "warning": warning}
                )
        if self.refused:
            lines.append(_("Strict mode: the file is refused, nothing was written."))
        elif not self.dry_run and self.written:
            lines.append(
                _("Written: %(n)d organisations.")
                % {"n": self.count("create") + self.count("update")}
            )
        return "\n".join(lines)


@dataclass
class _Row:
    report: RowReport
    org: dict[str, Any]
    tags: dict[str, list[Any]]
    membership: dict[str, Any] | None
    contact: dict[str, Any] | None
    existing: Organisation | None = None


class _Lookups:
    """What the rows are checked against, read once: the cluster's taxonomy and categories,
    and the existing organisations by identifier and by name and city."""

    def __init__(self, cluster: Cluster, rows: list[dict[str, str]]) -> None:
        self.terms = {
            "domains": _terms(Domain.objects.filter(cluster=cluster)),
            "themes": _terms(Theme.objects.filter(cluster=cluster)),
            "markets": _terms(Market.objects.filter(cluster=cluster)),
        }
        self.categories = _terms(MembershipCategory.objects.filter(cluster=cluster))
        self.by_identifier: dict[str, dict[str, Organisation]] = {}
        for name, clean in identifiers.CLEANERS.items():
            values = []
            for row in rows:
                with contextlib.suppress(identifiers.IdentifierError):
                    values.append(clean(row.get(name, "")) if row.get(name) else "")
            if name == "siren":  # a SIRET also names its SIREN
                for row in rows:
                    with contextlib.suppress(identifiers.IdentifierError, KeyError):
                        values.append(
                            identifiers.siren_of_siret(identifiers.clean_siret(row["siret"]))
                        )
            self.by_identifier[name] = organisations_by_identifier(name, values)
        followed = organisations_followed(cluster=cluster).only("id", "name", "city")
        self.by_name_city = {(normalise(o.name), normalise(o.city)): o for o in followed}


def _terms(qs: Any) -> dict[str, Any]:
    found = {}
    for term in qs:
        found[normalise(term.name)] = term
        if term.name_en:
            found.setdefault(normalise(term.name_en), term)
    return found


def _parse_row(line: int, cells: dict[str, str], lookups: _Lookups) -> _Row:
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
    return _Row(report=report, org=org, tags=tags, membership=membership, contact=contact)


def _parse_membership(
    cells: dict[str, str], lookups: _Lookups, problems: list[str]
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


def _match_existing(row: _Row, lookups: _Lookups) -> None:
    """Find the organisation the row describes, or say why the row is ambiguous."""
    matches = {
        lookups.by_identifier[f][row.org[f]]
        for f in IDENTIFIER_FIELDS
        if row.org.get(f) and row.org[f] in lookups.by_identifier[f]
    }
    if len(matches) > 1:
        names = ", ".join(sorted(str(m) for m in matches))
        row.report.problems.append(
            _("Its identifiers belong to different organisations: %(names)s.") % {"names": names}
        )
        return
    if matches:
        row.existing = matches.pop()
        for f in IDENTIFIER_FIELDS:
            mine, theirs = row.org.get(f), getattr(row.existing, f)
            if mine and theirs and mine != theirs:
                row.report.problems.append(
                    _("%(org)s already has %(field)s %(value)s, not %(mine)s.")
                    % {"org": row.existing, "field": f, "value": theirs, "mine": mine}
                )
        return
    if not any(row.org.get(f) for f in IDENTIFIER_FIELDS):
        key = (normalise(row.org["name"]), normalise(row.org.get("city", "")))
        row.existing = lookups.by_name_city.get(key)


def read_rows(
    *, cluster: Cluster, table: Table, mapping: dict[str, str] | None = None
) -> tuple[ColumnMap, list[_Row]]:
    """Check every row of ``table`` (a dry run; nothing is written)."""
    columns = map_columns(table.headers, mapping)
    cells = [columns.values(r) for r in table.rows]
    lookups = _Lookups(cluster, cells)
    rows = [_parse_row(n, c, lookups) for n, c in zip(table.row_numbers, cells, strict=True)]
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.report.problems:
            row.report.action = "reject"
            continue
        keys = [(f, row.org[f]) for f in IDENTIFIER_FIELDS if row.org.get(f)]
        if not keys:
            keys = [("name", normalise(row.org["name"]) + "|" + normalise(row.org.get("city", "")))]
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            row.report.problems.append(
                _("Duplicate of line %(line)d in this file.") % {"line": first}
            )
            row.report.action = "reject"
            continue
        seen.update(dict.fromkeys(keys, row.report.line))
        _match_existing(row, lookups)
        row.report.action = (
            "reject" if row.report.problems else ("update" if row.existing else "create")
        )
    return columns, rows


def import_organisations(
    *,
    cluster: Cluster,
    actor: Any,
    table: Table,
    mapping: dict[str, str] | None = None,
    dry_run: bool = True,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check the file, and unless ``dry_run`` (or ``strict`` with a bad row) write the
    valid rows in one transaction. Raises MappingError when the columns cannot be mapped.

    ``actor`` needs ``crm.import_organisations``; None is the command line's operator
    (``clusterdesk import`` without ``--as``), who has the machine itself.
    """
    if actor is not None:
        require(actor, "crm.import_organisations", cluster)
    columns, rows = read_rows(cluster=cluster, table=table, mapping=mapping)
    report = ImportReport(
        rows=[r.report for r in rows],
        dry_run=dry_run,
        strict=strict,
        columns=columns.columns,
        ignored_columns=columns.ignored,
        encoding=table.encoding,
        delimiter=table.delimiter,
    )
    if dry_run or report.refused:
        return report
    try:
        _write(
            cluster=cluster,
            actor=actor,
            rows=[r for r in rows if r.report.action != "reject"],
            progress=progress,
        )
    except IntegrityError as exc:
        # Another import (or a person) wrote some of the same records meanwhile; the
        # transaction is rolled back whole, and running the file again updates them.
        raise Conflict(
            _(
                "Some of these organisations, memberships or contacts were written by someone "
                "else during the import; nothing was written. Run the import again."
            )
        ) from exc
    report.written = True
    return report


@transaction.atomic
def _write(
    *,
    cluster: Cluster,
    actor: Any,
    rows: list[_Row],
    progress: Callable[[int, int], None] | None,
) -> None:
    created: list[tuple[Organisation, _Row]] = []
    updated: list[tuple[Organisation, dict[str, Any], dict[str, Any]]] = []
    changed_fields: set[str] = set()
    for n, row in enumerate(rows, start=1):
        if row.existing is None:
            org = Organisation(**{"kind": OrganisationKind.OTHER} | row.org)
            organisation_derive(org)
            created.append((org, row))
        else:
            org = row.existing
            before, after = {}, {}
            for name, value in row.org.items():
                if getattr(org, name) != value:
                    before[name], after[name] = getattr(org, name), value
                    setattr(org, name, value)
            if after:
                organisation_derive(org)
                changed_fields.update(after, {"departement", "region_code", "search_text"})
                updated.append((org, before, after))
        if progress and n % PROGRESS_EVERY == 0:
            progress(n, len(rows) * 2)
    Organisation.objects.bulk_create([o for o, _r in created], batch_size=1000)
    if updated:
        Organisation.objects.instance_wide().bulk_update(
            [o for o, _b, _a in updated], sorted(changed_fields), batch_size=1000
        )
    for org, row in created:
        row.existing = org
    audit_record_many(
        actor=actor,
        action="organisation.imported",
        cluster=cluster,
        changes=[
            (o, None, {k: v for k, v in r.org.items() if v not in ("", None)}) for o, r in created
        ],
    )
    audit_record_many(actor=actor, action="organisation.updated", cluster=cluster, changes=updated)
    _write_relationships(cluster, rows)
    _write_memberships(cluster, actor, rows)
    _write_contacts(cluster, actor, rows)
    audit_record(
        actor=actor,
        action="crm.import",
        obj=cluster,
        after={"created": len(created), "updated": len(updated), "rows": len(rows)},
    )
    if connection.vendor == "postgresql" and len(rows) >= ANALYZE_AFTER:
        # Fresh statistics, or the planner misjudges the directory's filters after a big load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE crm_organisation, crm_relationship")
    if progress:
        progress(len(rows) * 2, len(rows) * 2)


def _write_relationships(cluster: Cluster, rows: list[_Row]) -> None:
    orgs = [r.existing for r in rows if r.existing is not None]
    existing = dict(
        Relationship.objects.filter(cluster=cluster, organisation__in=orgs).values_list(
            "organisation_id", "pk"
        )
    )
    new = [Relationship(cluster=cluster, organisation=o) for o in orgs if o.pk not in existing]
    Relationship.objects.bulk_create(new, batch_size=1000)
    ids = existing | {r.organisation_id: r.pk for r in new}
    for kind in ("domains", "themes", "markets"):
        through = getattr(Relationship, kind).through
        term_field = {"domains": "domain_id", "themes": "theme_id", "markets": "market_id"}[kind]
        links = [
            through(relationship_id=ids[r.existing.pk], **{term_field: term.pk})
            for r in rows
            if r.existing is not None
            for term in r.tags.get(kind, [])
        ]
        through.objects.bulk_create(links, ignore_conflicts=True, batch_size=1000)


def _write_memberships(cluster: Cluster, actor: Any, rows: list[_Row]) -> None:
    wanted = [(r.existing, r.membership) for r in rows if r.membership and r.existing]
    if not wanted:
        return
    current = {
        (m.organisation_id, m.year): m
        for m in Membership.objects.filter(
            cluster=cluster, organisation__in=[o for o, _m in wanted]
        )
    }
    new, changed = [], []
    for org, values in wanted:
        assert org is not None
        membership = current.get((org.pk, values["year"]))
        if membership is None:
            new.append(Membership(cluster=cluster, organisation=org, **values))
        else:
            before = {k: getattr(membership, k) for k in values}
            for k, v in values.items():
                setattr(membership, k, v)
            if before != values:
                membership.save()
                changed.append((membership, before, values))
    Membership.objects.bulk_create(new, batch_size=1000)
    audit_record_many(
        actor=actor,
        action="membership.imported",
        cluster=cluster,
        changes=[(m, None, {"year": m.year, "status": m.status}) for m in new],
    )
    audit_record_many(actor=actor, action="membership.updated", cluster=cluster, changes=changed)


def _write_contacts(cluster: Cluster, actor: Any, rows: list[_Row]) -> None:
    wanted = [(r.existing, r.contact) for r in rows if r.contact and r.existing]
    if not wanted:
        return
    known = {
        (c.organisation_id, c.email or normalise(f"{c.first_name} {c.last_name}")): c
        for c in Contact.objects.filter(cluster=cluster, organisation__in=[o for o, _c in wanted])
    }
    new = []
    for org, values in wanted:
        assert org is not None
        key = (
            org.pk,
            values["email"] or normalise(f"{values['first_name']} {values['last_name']}"),
        )
        contact = known.get(key)
        if contact is None:
            contact = Contact(cluster=cluster, organisation=org, **values)
            known[key] = contact
            new.append(contact)
        elif contact.anonymised_at is None:
            for k, v in values.items():
                if v:
                    setattr(contact, k, v)
            contact.save()
    Contact.objects.bulk_create(new, batch_size=1000)
    # Personal data stays out of the audit log: only that a contact was added.
    audit_record_many(
        actor=actor,
        action="contact.imported",
        cluster=cluster,
        changes=[(c, None, None) for c in new],
    )
