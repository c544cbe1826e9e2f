"""The person's second factor: set-up, recovery codes, turning it off, and the sign-in step.

``web.middleware.TwoFactorMiddleware`` decides who may reach which of these pages; they
only parse, call the services of ``accounts.two_factor`` and render.
"""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from clusterdesk.accounts.selectors import (
    recovery_codes_left,
    two_factor_device,
    two_factor_required_for,
)
from clusterdesk.accounts.two_factor import (
    recovery_codes_renew,
    two_factor_disable,
    two_factor_enable,
    two_factor_start,
    two_factor_verify,
)
from clusterdesk.public.account_forms import TwoFactorCodeForm, TwoFactorConfirmForm
from clusterdesk.web.views import apply_service


def _next_url(request: HttpRequest, default: str = "accounts:profile") -> str:
    """Where to go once done: the page the person was on its way to, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _qr_svg(device: TOTPDevice) -> str:
    # Inline SVG markup (no script, no style attribute): the page's CSP needs no exception.
    qr = segno.make(device.config_url, error="m")
    return str(qr.svg_inline(scale=4, title=_("QR code for your authenticator app"), svgclass="qr"))


def _secret_text(device: TOTPDevice) -> str:
    """The key as an app asks for it when typed by hand: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _grouped(codes: list[str]) -> list[str]:
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def _page(request: HttpRequest, status: int = 200, **extra: object) -> HttpResponse:
    user = request.user
    device = two_factor_device(user=user)
    pending = None if device else two_factor_device(user=user, confirmed=False)
    context: dict[str, object] = {
        "device": device,
        "pending": pending,
        "required": two_factor_required_for(user),
        "codes_left": recovery_codes_left(user=user) if device else 0,
        "confirm_form": TwoFactorConfirmForm(),
        "disable_form": TwoFactorCodeForm(),
        "next": _next_url(request),
    }
    if pending is not None:
        context["qr_svg"] = mark_safe(_qr_svg(pending))  # segno's own markup
        context["secret"] = _secret_text(pending)
    context.update(extra)
    return render(request, "accounts/two_factor.html", context, status=status)


@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def two_factor_start_view(request: HttpRequest) -> HttpResponse:
    form = TwoFactorConfirmForm()
    if not apply_service(form, lambda: two_factor_start(user=request.user)):  # type: ignore[arg-type]
        return _page(request, status=400, confirm_form=form)
    query = urlencode({"next": _next_url(request)})
    return redirect(f"{reverse('accounts:two_factor')}?{query}")


@never_cache
@login_required
@require_POST
def two_factor_enable_view(request: HttpRequest) -> HttpResponse:
    form = TwoFactorConfirmForm(request.POST)
    result: list[tuple[object, list[str]]] = []
    if form.is_valid() and apply_service(
        form,
        lambda: result.append(
            two_factor_enable(user=request.user, token=form.cleaned_data["code"])  # type: ignore[arg-type]
        ),
    ):
        device, codes = result[0]
        # The person has just shown the app's code: this session counts as verified.
        otp_login(request, device)
        return render(
            request,
            "accounts/two_factor_codes.html",
            {"codes": _grouped(codes), "next": _next_url(request), "enabled": True},
        )
    return _page(request, status=400, confirm_form=form)


@never_cache
@login_required
@require_POST
def recovery_codes_renew_view(request: HttpRequest) -> HttpResponse:
    form = TwoFactorCodeForm()
    codes: list[str] = []
    if not apply_service(form, lambda: codes.extend(recovery_codes_renew(user=request.user))):  # type: ignore[arg-type]
        return _page(request, status=400, disable_form=form)
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": _grouped(codes), "next": reverse("accounts:two_factor")},
    )


@login_required
@require_POST
def two_factor_disable_view(request: HttpRequest) -> HttpResponse:
    form = TwoFactorCodeForm(request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: two_factor_disable(user=request.user, token=form.cleaned_data["code"]),  # type: ignore[arg-type]
    ):
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("accounts:two_factor")
    return _page(request, status=400, disable_form=form)


@never_cache
@login_required
def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    if request.user.is_verified() or two_factor_device(user=request.user) is None:  # type: ignore[union-attr]
        return redirect(_next_url(request, "home"))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor_verify(user=request.user, token=form.cleaned_data["code"])  # type: ignore[arg-type]
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request, "home"))
        form.add_error(
            "code",
            _(
                "This code is not right. After several wrong codes, wait a little before "
                "trying again."
            ),
        )
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request, "home")},
        status=status,
    )
