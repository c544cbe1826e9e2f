"""What an audit entry says in words, in the reader's language: the action, the fields it
changed and their values. The log keeps stable codes (``application.labelled``,
``fee_called_on``); readers see sentences. Domain apps register the words of their actions
from their ``AppConfig.ready()`` (``actions_register``), as they register who may read their
entries (``visibility.py``)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _lazy

from clusterdesk.core.formatting import format_money

ACTIONS: dict[str, str | Promise] = {
    "cluster.*": _lazy("The cluster: every action"),
    "cluster.updated": _lazy("Cluster settings changed"),
    "domain.*": _lazy("The cluster's domains: every action"),
    "domain.created": _lazy("Domain added"),
    "domain.updated": _lazy("Domain changed"),
    "theme.*": _lazy("The cluster's themes: every action"),
    "theme.created": _lazy("Theme added"),
    "theme.updated": _lazy("Theme changed"),
    "market.*": _lazy("The cluster's markets: every action"),
    "market.created": _lazy("Market added"),
    "market.updated": _lazy("Market changed"),
}


def actions_register(words: Mapping[str, str | Promise]) -> None:
    ACTIONS.update(words)


def action_words(action: str) -> str:
    """The action as a reader says it; an unregistered code shows as it is."""
    words = ACTIONS.get(action)
    if words is None and action.startswith("admin."):
        return _("Changed in the site administration")
    return str(words) if words is not None else action


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_words(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    label = getattr(field, "verbose_name", None)
    return str(label) if label else name.replace("_", " ")


# The keys of a structured value (a funding application's lines: each partner's requested
# and granted amounts) and how they read; a key labelled None titles the item with its
# value. An amount (a key ending in ``_eur``) reads as money.
STRUCTURE_KEYS: dict[str, str | Promise | None] = {
    "partner": None,
    "requested_eur": gettext_lazy("requested"),
    "granted_eur": gettext_lazy("granted"),
}


def _structure_words(value: Mapping[str, Any]) -> str:
    """``{"partner": "PME", "granted_eur": "300000"}`` reads "PME — granted : 300 000,00 €"."""
    title = [str(v) for k, v in value.items() if k in STRUCTURE_KEYS and STRUCTURE_KEYS[k] is None]
    parts = []
    for key, item in value.items():
        if key in STRUCTURE_KEYS and STRUCTURE_KEYS[key] is None:
            continue
        label = STRUCTURE_KEYS.get(key) or key.replace("_", " ")
        if key.endswith("_eur") and item not in (None, ""):
            try:
                shown = format_money(Decimal(str(item)))
            except InvalidOperation:
                shown = str(item)
        else:
            shown = value_words(None, key, item)
        parts.append(f"{label} : {shown}")
    body = ", ".join(parts)
    return f"{' '.join(title)} — {body}" if title else body


def value_words(model: type[models.Model] | None, name: str, value: Any) -> str:
    """A stored value as the reader expects it: choices by their label, yes/no, French
    dates and numbers."""
    if value is None or value == "":
        return "∅"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        joiner = "; " if any(isinstance(v, dict) for v in value) else ", "
        return joiner.join(value_words(model, name, v) for v in value) or "∅"
    if isinstance(value, dict):
        return _structure_words(value)
    field = _field(model, name)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            return formats.date_format(
                datetime.datetime.fromisoformat(value), "SHORT_DATETIME_FORMAT"
            )
        except ValueError:
            return value
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if isinstance(field, models.DecimalField | models.FloatField):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return formats.number_format(number, use_l10n=True, force_grouping=True)
    return str(value)
