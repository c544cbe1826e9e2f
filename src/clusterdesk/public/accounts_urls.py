from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from clusterdesk.public import accounts as views
from clusterdesk.public import two_factor
from clusterdesk.public.account_forms import (
    LoginForm,
    ResetPasswordRequestForm,
    ResetPasswordSetForm,
)

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm,
            template_name="accounts/login.html",
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=ResetPasswordRequestForm,
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=ResetPasswordSetForm,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("two-factor/", two_factor.two_factor, name="two_factor"),
    path("two-factor/start/", two_factor.two_factor_start_view, name="two_factor_start"),
    path("two-factor/confirm/", two_factor.two_factor_enable_view, name="two_factor_enable"),
    path(
        "two-factor/recovery-codes/",
        two_factor.recovery_codes_renew_view,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/disable/", two_factor.two_factor_disable_view, name="two_factor_disable"),
    path("two-factor/verify/", two_factor.two_factor_verify_view, name="two_factor_verify"),
]
