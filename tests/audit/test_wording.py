"""Audit entries read as words: every action a service records has its sentence, fields
their labels and values their display (choices, yes/no, French numbers and dates)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import translation
from django_scopes import scopes_disabled

import clusterdesk
from clusterdesk.audit.services import audit_record
from clusterdesk.audit.wording import ACTIONS, action_words, value_words
from clusterdesk.crm.models import Membership, Organisation
from tests.conftest import Tenant
from tests.factories import MembershipFactory, follow

SOURCE = Path(clusterdesk.__file__).parent
# action="membership.renewed" and action="a" if x else "b": every literal code on the line.
ACTION_LINE = re.compile(r"\baction=(.*)")
CODE = re.compile(r'"([a-z_]+\.[a-z_]+)"')


def recorded_actions() -> set[str]:
    codes = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for line in path.read_text().splitlines():
            match = ACTION_LINE.search(line)
            if match:
                codes |= set(CODE.findall(match.group(1)))
    return codes


def test_every_recorded_action_has_words() -> None:
    codes = recorded_actions()
    assert len(codes) > 50
    missing = sorted(c for c in codes if c not in ACTIONS)
    assert not missing, f"actions without words in audit.wording: {missing}"
    assert all(f"{c.split('.')[0]}.*" in ACTIONS for c in codes)  # the filter's families


def test_words_follow_the_readers_language() -> None:
    with translation.override("fr"):
        assert action_words("membership.payment_recorded") == "Paiement enregistré"
        assert action_words("application.labelled") == "Dossier passé à « Labellisé »"
    with translation.override("en"):
        assert action_words("application.labelled") == "Application moved to “Labelled”"


@pytest.mark.django_db
def test_changes_show_labels_and_formatted_values(tenant_a: Tenant) -> None:
    with scopes_disabled():
        membership = MembershipFactory(
            cluster=tenant_a.cluster, organisation=follow(tenant_a.cluster)
        )
    with transaction.atomic():
        entry = audit_record(
            actor=tenant_a.director,
            action="membership.updated",
            obj=membership,
            before={"status": "prospect", "fee_called_on": None, "fee_amount": "1200.00"},
            after={"status": "active", "fee_called_on": "2026-03-02", "fee_amount": "1500.50"},
        )
    with translation.override("fr"), scopes_disabled():
        words = {name: (old, new) for name, old, new in entry.changes_in_words}
        status = Membership._meta.get_field("status")
        assert words[str(status.verbose_name)] == (
            str(dict(status.flatchoices)["prospect"]),
            str(dict(status.flatchoices)["active"]),
        )
        fee = str(Membership._meta.get_field("fee_amount").verbose_name)
        assert words[fee] == ("1\xa0200,00", "1\xa0500,50")
        called = str(Membership._meta.get_field("fee_called_on").verbose_name)
        assert words[called] == (None, "02/03/2026")


def test_a_change_named_like_a_reverse_relation_is_shown_as_it_is() -> None:
    # An entry may record "memberships: 3" about an organisation: a reverse relation has
    # no choices (the audit page once failed with a 500 on such an entry).
    assert value_words(Organisation, "memberships", 3) == "3"
