"""Clean and check the identifiers that make an organisation record unique.

SIREN and SIRET (INSEE's company and establishment numbers), EU VAT numbers, ROR ids for
research bodies, and free-form foreign ids. Each ``clean_*`` function returns the
canonical form or raises :class:`IdentifierError` with a message a person can act on.
The check algorithms come from python-stdnum wherever it has them.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.iso7064 import mod_97_10

FOREIGN_ID_MAX_LENGTH = 64

# Spreadsheets paste numbers with no-break and narrow no-break spaces as group separators.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


class IdentifierError(ValueError):
    """An identifier that cannot be accepted; ``str(error)`` is the translated reason.

    ``code`` names the problem for programs: ``empty``, ``format``, ``length``,
    ``checksum``, ``country`` or ``placeholder``.
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _digits_only(value: str, separators: str = " .") -> str:
    """Drop the separators people type inside numbers, and surrounding whitespace."""
    value = value.translate(_SPACES).strip()
    for separator in separators:
        value = value.replace(separator, "")
    return value


def _check_digits(value: str, label: str, length: int) -> None:
    """Raise unless ``value`` is exactly ``length`` digits and not a run of zeros."""
    if not value:
        raise IdentifierError(_("The %(label)s is empty.") % {"label": label}, "empty")
    if not value.isascii() or not value.isdigit():
        raise IdentifierError(
            _("A %(label)s has only digits; “%(value)s” has other characters.")
            % {"label": label, "value": value},
            "format",
        )
    if len(value) != length:
        raise IdentifierError(
            _("A %(label)s has %(length)d digits; “%(value)s” has %(count)d.")
            % {"label": label, "length": length, "value": value, "count": len(value)},
            "length",
        )
    # "000000000" passes the Luhn check, but it is how spreadsheets say "unknown".
    if value.count("0") == length:
        raise IdentifierError(
            _("“%(value)s” is a placeholder, not a %(label)s.") % {"label": label, "value": value},
            "placeholder",
        )


def clean_siren(value: str) -> str:
    """Return the 9-digit SIREN in ``value`` (spaces and dots allowed)."""
    number = _digits_only(value)
    _check_digits(number, "SIREN", 9)
    if not fr_siren.is_valid(number):
        raise IdentifierError(
            _("The SIREN “%(value)s” is not valid: its check digit is wrong (Luhn check).")
            % {"value": number},
            "checksum",
        )
    return number


def clean_siret(value: str) -> str:
    """Return the 14-digit SIRET in ``value`` (spaces and dots allowed).

    The SIREN part must pass its own Luhn check. The whole SIRET passes the Luhn check,
    except La Poste's establishments (SIREN 356000000), whose digits add up to a
    multiple of 5 instead; ``stdnum.fr.siret`` already applies that rule (and accepts
    La Poste's head office, 35600000000048, which is a Luhn number), so we rely on it.
    """
    number = _digits_only(value)
    _check_digits(number, "SIRET", 14)
    if not fr_siren.is_valid(number[:9]):
        raise IdentifierError(
            _(
                "The SIRET “%(value)s” is not valid: its first 9 digits are not a valid "
                "SIREN (Luhn check)."
            )
            % {"value": number},
            "checksum",
        )
    if not fr_siret.is_valid(number):
        raise IdentifierError(
            _("The SIRET “%(value)s” is not valid: its check digit is wrong (Luhn check).")
            % {"value": number},
            "checksum",
        )
    return number


def siren_of_siret(value: str) -> str:
    """Return the SIREN (the first 9 digits) of a valid SIRET."""
    return clean_siret(value)[:9]


def french_vat_from_siren(siren: str) -> str:
    """Return the French VAT number derived from a SIREN, e.g. ``FR40303265045``."""
    number = clean_siren(siren)
    return "FR" + fr_siren.to_tva(number)


# The country in the first two letters of an EU VAT number. Greece uses EL; XI is
# Northern Ireland (post-Brexit VAT for goods). Names are English msgids.
VAT_COUNTRIES: dict[str, Promise] = {
    "AT": gettext_lazy("Austria"),
    "BE": gettext_lazy("Belgium"),
    "BG": gettext_lazy("Bulgaria"),
    "CY": gettext_lazy("Cyprus"),
    "CZ": gettext_lazy("Czechia"),
    "DE": gettext_lazy("Germany"),
    "DK": gettext_lazy("Denmark"),
    "EE": gettext_lazy("Estonia"),
    "EL": gettext_lazy("Greece"),
    "ES": gettext_lazy("Spain"),
    "FI": gettext_lazy("Finland"),
    "FR": gettext_lazy("France"),
    "HR": gettext_lazy("Croatia"),
    "HU": gettext_lazy("Hungary"),
    "IE": gettext_lazy("Ireland"),
    "IT": gettext_lazy("Italy"),
    "LT": gettext_lazy("Lithuania"),
    "LU": gettext_lazy("Luxembourg"),
    "LV": gettext_lazy("Latvia"),
    "MT": gettext_lazy("Malta"),
    "NL": gettext_lazy("Netherlands"),
    "PL": gettext_lazy("Poland"),
    "PT": gettext_lazy("Portugal"),
    "RO": gettext_lazy("Romania"),
    "SE": gettext_lazy("Sweden"),
    "SI": gettext_lazy("Slovenia"),
    "SK": gettext_lazy("Slovakia"),
    "XI": gettext_lazy("Northern Ireland"),
}


def _vat_problem(error: ValidationError) -> str:
    if isinstance(error, InvalidChecksum):
        return _("its check digits are wrong")
    if isinstance(error, InvalidLength):
        return _("it has the wrong length")
    if isinstance(error, InvalidFormat):
        return _("it has the wrong format")
    if isinstance(error, InvalidComponent):
        return _("a part of it is not valid")
    return _("it is not valid")


def _vat_code(error: ValidationError) -> str:
    if isinstance(error, InvalidChecksum):
        return "checksum"
    return "length" if isinstance(error, InvalidLength) else "format"


def clean_vat(value: str) -> str:
    """Return the EU VAT number in ``value``, compact and with its country prefix.

    ``"fr 40 303 265 045"`` gives ``"FR40303265045"``; a Greek number written with the
    ISO code GR is given with EL, the prefix VAT uses.
    """
    number = value.translate(_SPACES).strip().upper().replace(" ", "")
    if not number:
        raise IdentifierError(_("The VAT number is empty."), "empty")
    prefix = number[:2]
    if prefix == "GR":
        prefix, number = "EL", "EL" + number[2:]
    if not prefix.isalpha() or not prefix.isascii():
        raise IdentifierError(
            _("The VAT number “%(value)s” has no country code: write it as e.g. FR40303265045.")
            % {"value": value.strip()},
            "country",
        )
    if prefix not in VAT_COUNTRIES:
        raise IdentifierError(
            _("“%(prefix)s” is not the country code of an EU VAT number (“%(value)s”).")
            % {"prefix": prefix, "value": value.strip()},
            "country",
        )
    try:
        cleaned: str = eu_vat.validate(number)
    except ValidationError as error:
        raise IdentifierError(
            _("The VAT number “%(value)s” is not a valid number for %(country)s: %(problem)s.")
            % {
                "value": value.strip(),
                "country": VAT_COUNTRIES[prefix],
                "problem": _vat_problem(error),
            },
            _vat_code(error),
        ) from error
    return cleaned


# ROR ids: "0", six characters of Crockford's base 32 (digits and lower-case letters
# without i, l, o, u), then two check digits: ISO 7064 Mod 97-10 over the decimal value
# of the first seven characters (ROR's documentation of its identifier).
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
_ROR_SHAPE = re.compile(r"0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}")
_ROR_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?ror\.org/", re.IGNORECASE)


def _crockford_value(text: str) -> int:
    number = 0
    for char in text:
        number = number * 32 + _CROCKFORD.index(char)
    return number


def clean_ror(value: str) -> str:
    """Return the 9-character ROR id (lower case) in ``value``, a bare id or its URL."""
    text = value.strip()
    ror_id = _ROR_PREFIX.sub("", text).strip("/").lower()
    if not ror_id:
        raise IdentifierError(_("The ROR id is empty."), "empty")
    if len(ror_id) != 9:
        raise IdentifierError(
            _("A ROR id has 9 characters (e.g. 02feahw73); “%(value)s” has %(count)d.")
            % {"value": text, "count": len(ror_id)},
            "length",
        )
    if not _ROR_SHAPE.fullmatch(ror_id):
        raise IdentifierError(
            _(
                "“%(value)s” is not a ROR id: it starts with 0, then has 6 letters or digits "
                "(no i, l, o or u) and 2 digits."
            )
            % {"value": text},
            "format",
        )
    if not mod_97_10.is_valid(str(_crockford_value(ror_id[:7])) + ror_id[7:]):
        raise IdentifierError(
            _("The ROR id “%(value)s” is not valid: its check digits are wrong.") % {"value": text},
            "checksum",
        )
    return ror_id


def clean_foreign_id(value: str) -> str:
    """Return a foreign identifier (a PIC, a company number abroad …), trimmed."""
    text = value.strip()
    if not text:
        raise IdentifierError(_("The identifier is empty."), "empty")
    if len(text) > FOREIGN_ID_MAX_LENGTH:
        raise IdentifierError(
            _("An identifier has at most %(max)d characters; this one has %(count)d.")
            % {"max": FOREIGN_ID_MAX_LENGTH, "count": len(text)},
            "length",
        )
    return text


# The cleaner of each identifier field of an organisation, by field name.
CLEANERS: dict[str, Callable[[str], str]] = {
    "siren": clean_siren,
    "siret": clean_siret,
    "vat": clean_vat,
    "ror": clean_ror,
    "foreign_id": clean_foreign_id,
}


# -- two records, one organisation? ----------------------------------------------------------

# An identifier's label, for the message that says why two records are two organisations.
IDENTITY_LABELS: dict[str, Promise] = {
    "siren": gettext_lazy("SIREN"),
    "vat": gettext_lazy("VAT number"),
    "ror": gettext_lazy("ROR id"),
    "foreign_id": gettext_lazy("foreign identifier"),
}


def identity_keys(values: Mapping[str, str | None]) -> dict[str, str]:
    """The valid identities in an organisation's identifier fields: its SIREN (typed, or
    the first nine digits of its SIRET, or read from a French VAT number), its VAT number,
    ROR id and foreign identifier. An identifier that does not validate says nothing."""
    keys: dict[str, str] = {}
    for field, clean in (
        ("siren", clean_siren),
        ("vat", clean_vat),
        ("ror", clean_ror),
        ("foreign_id", clean_foreign_id),
    ):
        raw = values.get(field)
        if raw:
            try:
                keys[field] = clean(raw)
            except IdentifierError:
                continue
    if "siren" not in keys and values.get("siret"):
        with contextlib.suppress(IdentifierError):
            keys["siren"] = siren_of_siret(values["siret"] or "")
    vat = keys.get("vat", "")
    if "siren" not in keys and vat.startswith("FR") and len(vat) == 13:
        keys["siren"] = vat[4:]
    return keys


def different_identities(
    first: Mapping[str, str | None], second: Mapping[str, str | None]
) -> list[str]:
    """The identifiers (``identity_keys`` names) on which two organisations' records hold
    two different valid values: such records are two organisations, never duplicates."""
    a, b = identity_keys(first), identity_keys(second)
    return [k for k in a if k in b and a[k] != b[k]]
