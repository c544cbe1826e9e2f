from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from clusterdesk.notifications.services import notify
from tests.factories import ClusterFactory

TEMPLATE = "accounts/email/invitation"


@pytest.mark.django_db
def test_notify_sends_in_the_recipients_language_once_the_write_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    cluster = ClusterFactory(name="Lyonbiopole")
    context = {"cluster": cluster, "invitation": None, "url": "https://example.org/x/"}
    with django_capture_on_commit_callbacks(execute=True):
        notify(to="fr@example.org", language="fr", template=TEMPLATE, context=context)
        notify(to="en@example.org", language="en", template=TEMPLATE, context=context)
        assert mail.outbox == []  # nothing leaves before the commit
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert by_recipient["en@example.org"].subject == "Join the team of Lyonbiopole on ClusterDesk"
    assert by_recipient["fr@example.org"].subject != by_recipient["en@example.org"].subject
    assert "Lyonbiopole" in by_recipient["fr@example.org"].subject


@pytest.mark.django_db(transaction=True)
def test_notify_sends_nothing_when_the_write_is_rolled_back() -> None:
    cluster = ClusterFactory()
    context = {"cluster": cluster, "invitation": None, "url": "https://example.org/x/"}
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(to="a@example.org", language="fr", template=TEMPLATE, context=context)
        raise RuntimeError
    assert mail.outbox == []
    notify(to="b@example.org", language="fr", template=TEMPLATE, context=context)
    assert [m.to[0] for m in mail.outbox] == ["b@example.org"]
