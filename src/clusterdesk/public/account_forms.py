from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterdesk.accounts.login import login_identifier
from clusterdesk.accounts.models import User
from clusterdesk.accounts.services import user_password_set
from clusterdesk.core import forms as core_forms
from clusterdesk.core.forms import CheckedInputMixin
from clusterdesk.notifications.services import notify


class LoginForm(CheckedInputMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_username(self) -> str:
        # The spelling axes counts (accounts.login): the lockout and the sign-in agree.
        return login_identifier(self.cleaned_data.get("username"))


class ResetPasswordRequestForm(CheckedInputMixin, PasswordResetForm):
    """Django's reset request, with its e-mail sent like every other one (``notify``: in the
    person's language, once the transaction commits)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        notify(
            to=to_email,
            language=context["user"].language,
            template=email_template_name.removesuffix(".txt"),
            context=context,
        )


class ResetPasswordSetForm(CheckedInputMixin, SetPasswordForm):
    """The new password from a reset link, saved by the audited service."""

    def save(self, commit: bool = True) -> Any:
        return user_password_set(
            user=self.user, password=self.cleaned_data["new_password1"], how="reset"
        )


class TwoFactorCodeForm(core_forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class TwoFactorConfirmForm(core_forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class ProfileForm(core_forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]


class ApiTokenForm(core_forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for."))
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Leave empty for a token that does not expire."),
    )

    def expires_at(self) -> datetime.datetime | None:
        days = self.cleaned_data.get("valid_days")
        return timezone.now() + datetime.timedelta(days=days) if days else None


class SignUpForm(core_forms.Form):
    """The account an invited person creates to accept the invitation."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
