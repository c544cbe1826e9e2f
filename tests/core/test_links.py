"""The pages domain code names are registered by the view apps that serve them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from clusterdesk.core.links import page_path, page_url

CLUSTER = SimpleNamespace(slug="pole", pk=1)


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("accounts.invitation", {"token": "abc"}, "/accounts/invitation/abc/"),
        (
            "accounts.password_set",
            {"uidb64": "MQ", "token": "t-1"},
            "/accounts/password/reset/MQ/t-1/",
        ),
        (
            "projects.application_of_member",
            {"cluster": CLUSTER, "application": SimpleNamespace(pk=7)},
            "/portal/pole/applications/7/",
        ),
        ("projects.reviews_of_expert", {"cluster": CLUSTER}, "/c/pole/reviews/"),
        ("results.follow_ups_of_member", {"cluster": CLUSTER}, "/portal/pole/results/"),
        (
            "crm.interaction",
            {
                "cluster": CLUSTER,
                "organisation": SimpleNamespace(pk=3),
                "interaction": SimpleNamespace(pk=4),
            },
            "/c/pole/members/3/interactions/4/",
        ),
    ],
)
def test_named_page_resolves_to_the_view_apps_url(name: str, kwargs: dict, path: str) -> None:
    assert page_path(name, **kwargs) == path


def test_page_url_is_absolute(settings: Any) -> None:
    settings.SITE_URL = "https://desk.example.org"
    assert page_url("accounts.invitation", token="abc") == (
        "https://desk.example.org/accounts/invitation/abc/"
    )


def test_unregistered_page_is_an_error() -> None:
    with pytest.raises(KeyError):
        page_path("nowhere.page")
