"""The words of the accounts' audit entries (see ``audit.wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from clusterdesk.audit.wording import actions_register


def register() -> None:
    actions_register(
        {
            "account.*": _("Accounts: every action"),
            "account.created": _("Account created"),
            "account.updated": _("Account changed"),
            "account.password_changed": _("Password changed"),
            "api_token.*": _("API tokens: every action"),
            "api_token.created": _("API token created"),
            "api_token.revoked": _("API token revoked"),
            "team.*": _("The team: every action"),
            "team.invited": _("Invited to the team"),
            "team.invitation_accepted": _("Invitation accepted"),
            "team.invitation_revoked": _("Invitation withdrawn"),
            "team.roles_changed": _("Roles changed"),
            "team.member_removed": _("Removed from the team"),
            "two_factor.*": _("Second factor: every action"),
            "two_factor.enabled": _("Second factor turned on"),
            "two_factor.disabled": _("Second factor turned off"),
            "two_factor.recovery_code_used": _("Recovery code used to sign in"),
            "two_factor.recovery_codes_renewed": _("Recovery codes renewed"),
            "region.*": _("The Region: every action"),
            "region.funder_granted": _("Funder access granted"),
        }
    )
