"""The demo command and the national scale: each builds its own world."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from clusterdesk.core.models import Cluster
from clusterdesk.demo.build import DEMO_PASSWORD, build_demo

# Reproducibility is checked in test_members_demo.py and test_projects_demo.py.


def test_national_scale_adds_the_other_poles(db: None) -> None:
    build_demo(scale="national")
    assert Cluster.objects.count() > 40
    assert Cluster.objects.filter(name="Aerospace Valley").exists()


def test_demo_command_prints_accounts_and_is_idempotent(db: None) -> None:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert text.count("direction@lyonbiopole.test") == 2
    assert "already built" in text
    assert DEMO_PASSWORD in text
    assert Cluster.objects.count() == 13
