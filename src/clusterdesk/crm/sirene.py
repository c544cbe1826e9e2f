"""The public Sirene search API (recherche-entreprises.api.gouv.fr, no key needed): a
company's register data by SIREN, for staff who type one in the organisation form.

The HTTP call goes through a transport, ``(url, timeout) -> bytes``: urllib by default,
another one named by the ``CLUSTERDESK_SIRENE_TRANSPORT`` setting (tests replay recorded
answers; the test machines have no network). Every failure (no network, a timeout, an
error status, an answer that is not JSON) is ``SireneUnavailable``, with a short timeout,
so a form never waits long on it.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from clusterdesk.crm import identifiers
from clusterdesk.crm.kinds import SIRENE_CATEGORY_KINDS
from clusterdesk.crm.sme import HEADCOUNT_BOUNDS

SEARCH_URL = "https://recherche-entreprises.api.gouv.fr/search"
TIMEOUT_SECONDS = 3.0
Transport = Callable[[str, float], bytes]
_ADDRESS_END = re.compile(r"[,\s]+(\d{5})\s+(\D.*)$")


class SireneUnavailable(Exception):
    """The register could not be read now (network, timeout, error, unreadable answer)."""


def urllib_transport(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "ClusterDesk"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data: bytes = response.read()
        return data


def default_transport() -> Transport:
    name = getattr(settings, "CLUSTERDESK_SIRENE_TRANSPORT", "")
    return import_string(name) if name else urllib_transport


def _street(address: str, postal_code: str) -> str:
    """ "9 AVENUE PAUL VERLAINE 38100 GRENOBLE" without its postal code and town."""
    match = _ADDRESS_END.search(address)
    if match and match[1] == postal_code:
        return address[: match.start()].strip(" ,")
    return address


def register_values(company: dict[str, Any]) -> dict[str, Any]:
    """An answer's company as the organisation's fields (only those the register gives)."""
    siege = company.get("siege") or {}
    values: dict[str, Any] = {
        "siren": company.get("siren") or "",
        "name": company.get("nom_raison_sociale") or company.get("nom_complet") or "",
        "usual_name": company.get("sigle") or "",
        "siret": siege.get("siret") or "",
        "naf_code": company.get("activite_principale") or "",
        "postal_code": siege.get("code_postal") or "",
        "city": siege.get("libelle_commune") or "",
        "ceased": company.get("etat_administratif") == "C",
    }
    values["street"] = _street(siege.get("adresse") or "", values["postal_code"])
    band = company.get("tranche_effectif_salarie") or ""
    if band in HEADCOUNT_BOUNDS:
        values["headcount_band"] = band
    kind = SIRENE_CATEGORY_KINDS.get(company.get("categorie_entreprise") or "")
    if kind is not None:
        values["kind"] = kind.value
    created = company.get("date_creation") or ""
    if re.match(r"\d{4}-", created):
        values["creation_year"] = int(created[:4])
    return {k: v for k, v in values.items() if v not in ("", None)}


def register_lookup(
    *, siren: str, transport: Transport | None = None, timeout: float = TIMEOUT_SECONDS
) -> dict[str, Any] | None:
    """The register's data of the company with this SIREN, as organisation fields, or
    None when the register has no such company. Raises ``IdentifierError`` for a SIREN
    that is not one (nothing is asked), ``SireneUnavailable`` when the register cannot
    be read now."""
    number = identifiers.clean_siren(siren)
    url = f"{SEARCH_URL}?{urllib.parse.urlencode({'q': number, 'page': 1, 'per_page': 1})}"
    try:
        answer = json.loads((transport or default_transport())(url, timeout))
    except (OSError, ValueError) as exc:  # URLError and timeouts are OSErrors
        raise SireneUnavailable(str(exc)) from exc
    if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
        raise SireneUnavailable("unexpected answer")
    for company in answer["results"]:
        if isinstance(company, dict) and company.get("siren") == number:
            return register_values(company)
    return None
