"""The public check of a label certificate: anyone who holds the code printed on it sees
the label's public facts, and nothing else."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from clusterdesk.core.forms import Form
from clusterdesk.projects.models import Application, Partner

MAX_CODE_LENGTH = 16


class VerifyForm(Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=MAX_CODE_LENGTH,
        help_text=_("As printed on the certificate, for instance 3F9A1C0B7D2E."),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()


def label_verify_form(request: HttpRequest) -> HttpResponse:
    """``/verify/``: the address the certificate names, where the code is typed; a valid
    entry leads to that code's verification page."""
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("label_verify", code=form.cleaned_data["code"])
    status = 400 if form.is_bound else 200
    return render(request, "public/label_verify_form.html", {"form": form}, status=status)


def label_verify(request: HttpRequest, code: str) -> HttpResponse:
    """The labelled project a verification code belongs to, or an "unknown code" page."""
    application = None
    if len(code) <= MAX_CODE_LENGTH:
        # Unscoped on purpose: the visitor names no cluster, and the unguessable code printed
        # on the certificate is the only way in. Only labelled projects answer, and only
        # public facts are shown.
        application = (
            Application.objects.with_scopes_disabled()
            .filter(label_code=code.upper(), state=Application.State.LABELLED)
            .select_related("cluster")
            .first()
        )
    if application is None:
        return render(request, "public/label_verify.html", {"code": code}, status=404)
    # The code let the visitor in to this one project: its consortium is read in its
    # cluster's scope, names only.
    with scope(cluster=application.cluster):
        organisations = list(
            Partner.objects.filter(application=application)
            .order_by("role", "organisation__name")
            .values_list("organisation__name", flat=True)
        )
    context = {
        "code": application.label_code,
        "application": application,
        "cluster": application.cluster,
        "organisations": organisations,
    }
    return render(request, "public/label_verify.html", context)


# Mounted at /verify/ (the form) and /verify/<code>/ by the project's urls.py.
urlpatterns = [path("", label_verify, name="label_verify")]
form_urlpatterns = [path("", label_verify_form, name="label_verify_form")]
