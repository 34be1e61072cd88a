from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from regietafel.access.decorators import no_role_needed
from regietafel.accounts import home, oidc, views

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("inloggen/code/", views.login_code, name="login_code"),
    path("uitloggen/", no_role_needed(auth_views.LogoutView.as_view()), name="logout"),
    path("account/tweestapsverificatie/", views.two_factor, name="two_factor"),
    path("start/", home.start, name="start"),
    path("mijn/", home.mine, name="mine"),
    # An invitation's link: choose a password (Django's password-reset view; the token leaves the URL at once).
    path(
        "account/wachtwoord/<uidb64>/<token>/",
        login_not_required(views.PasswordSetView.as_view()),
        name="password_set",
    ),
    # Single sign-on: always routed, 404 unless REGIETAFEL_OIDC_* configures a provider. The names are the ones
    # mozilla-django-oidc reverses.
    path(
        "oidc/authenticate/",
        login_not_required(oidc.AuthenticateView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        login_not_required(oidc.CallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
]
