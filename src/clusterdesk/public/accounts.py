"""The person's own pages: sign-in, password reset, profile and API tokens, invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterdesk.accounts.models import User
from clusterdesk.accounts.selectors import (
    two_factor_device,
    two_factor_required_for,
    user_api_tokens,
)
from clusterdesk.accounts.services import (
    api_token_create,
    api_token_revoke,
    invitation_accept,
    invitation_from_token,
    user_create,
    user_update_profile,
)
from clusterdesk.audit.selectors import audit_entries_of_person
from clusterdesk.core.selectors import user_role_clusters
from clusterdesk.public.account_forms import ApiTokenForm, ProfileForm, SignUpForm


def _profile_context(request: HttpRequest, **extra: object) -> dict[str, object]:
    user = request.user
    context: dict[str, object] = {
        "profile_form": ProfileForm(instance=user),
        "token_form": ApiTokenForm(),
        "tokens": user_api_tokens(user=user),  # type: ignore[arg-type]
        "roles": user_role_clusters(user),
        "history": audit_entries_of_person(user_id=int(user.pk or 0))[:20],
        "two_factor_on": two_factor_device(user=user) is not None,
        "two_factor_required": two_factor_required_for(user),
    }
    context.update(extra)
    return context


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            user = user_update_profile(
                user=request.user,  # type: ignore[arg-type]
                full_name=form.cleaned_data["full_name"],
                language=form.cleaned_data["language"],
            )
            translation.activate(user.language)
            response = redirect("accounts:profile")
            response.set_cookie("django_language", user.language, samesite="Lax")
            messages.success(request, _("Your profile is saved."))
            return response
        return render(
            request, "accounts/profile.html", _profile_context(request, profile_form=form)
        )
    return render(request, "accounts/profile.html", _profile_context(request))


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return render(
            request, "accounts/profile.html", _profile_context(request, token_form=form), status=400
        )
    _token, raw = api_token_create(
        user=request.user,  # type: ignore[arg-type]
        name=form.cleaned_data["name"],
        expires_at=form.expires_at(),
    )
    # Shown once: only a hash is kept.
    return render(request, "accounts/profile.html", _profile_context(request, new_token=raw))


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(user_api_tokens(user=request.user), pk=token_id)  # type: ignore[arg-type]
    api_token_revoke(user=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:profile")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: signed-in as the invited address, or by creating the account."""
    invite = invitation_from_token(token)
    if invite is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    context: dict[str, object] = {"invitation": invite}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invite.email.lower():
            context["wrong_account"] = True
            return render(request, "accounts/invitation.html", context, status=403)
        if request.method == "POST":
            invitation_accept(invitation=invite, user=user)
            messages.success(request, _("Welcome to %(cluster)s.") % {"cluster": invite.cluster})
            return redirect("backoffice:cluster_home", cluster_slug=invite.cluster.slug)
        return render(request, "accounts/invitation.html", context)

    if User.objects.filter(email__iexact=invite.email).exists():
        context["needs_login"] = True
        return render(request, "accounts/invitation.html", context)
    form = SignUpForm(request.POST or None, email=invite.email)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = user_create(
                email=invite.email,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                language=translation.get_language() or "fr",
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            invitation_accept(invitation=invite, user=new_user)
            login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(cluster)s.") % {"cluster": invite.cluster})
            return redirect("backoffice:cluster_home", cluster_slug=invite.cluster.slug)
    context["form"] = form
    return render(request, "accounts/invitation.html", context)
