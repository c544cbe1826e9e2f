"""The words of the demo's audit entries (see ``audit.wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from clusterdesk.audit.wording import actions_register


def register() -> None:
    actions_register(
        {"demo.*": _("Demo data: every action"), "demo.generated": _("Demo data generated")}
    )
