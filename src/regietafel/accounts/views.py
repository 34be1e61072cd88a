"""Logging in: password (django-axes counts failures), then a code when the user enabled two-factor login."""

import logging
import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Max
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from regietafel.access.decorators import no_role_needed
from regietafel.access.scope import principal
from regietafel.accounts.forms import CodeForm, LoginForm, PasswordSetForm
from regietafel.accounts.home import landing
from regietafel.accounts.oidc import oidc_enabled
from regietafel.accounts.signals import describe
from regietafel.accounts.totp import confirmed_device, qr_svg, secret_text, unconfirmed_device, verify

logger = logging.getLogger(__name__)

# The user who gave the right password and still has to give a code: kept in the session, never in the URL.
PENDING = "regietafel.accounts.pending"
PENDING_SECONDS = 5 * 60


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        # Nobody is logged in until the code is right. A new session key, so a session id known before the
        # password was given is worth nothing.
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "since": int(time.time()),
        }
        return redirect("login_code")

    def get_default_redirect_url(self):
        """Without a ``next``: one's own page where there is one (accounts/home.py), straight away."""
        return resolve_url(landing(self.request.user))

    def get_context_data(self, **kwargs):
        return super().get_context_data(oidc_enabled=oidc_enabled(), **kwargs)


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        return None, None
    user = get_user_model()._default_manager.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def _failed(request, credentials: dict) -> None:
    """A wrong code counts as a failed login: django-axes counts it, the processing log records it."""
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        # This failure reached the limit; AxesMiddleware answers with the lock-out page.
        request.session.pop(PENDING, None)


def _wait_message(wait: int) -> str:
    return ngettext(
        "Too many wrong codes in a row. Wait %(seconds)s second and try again.",
        "Too many wrong codes in a row. Wait %(seconds)s seconds and try again.",
        wait,
    ) % {"seconds": wait}


@login_not_required
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code(request):
    """Second step: the code from the authenticator app. Only a right code logs the user in."""
    user, pending = _pending_user(request)
    device = confirmed_device(user)
    if device is None:
        request.session.pop(PENDING, None)
        messages.info(request, _("Log in with your user name and password first."))
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {get_user_model().USERNAME_FIELD: user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            # Locked since the password was given (by wrong codes, or attempts elsewhere): refused and logged,
            # as the authentication backend refuses a locked-out password login.
            request.session.pop(PENDING, None)
            request.axes_locked_out = True
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            return locked_out(request, None, credentials)
        accepted, wait = verify(device, form.cleaned_data["code"])
        if accepted:
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"])
        if wait is not None:
            form.add_error("code", _wait_message(wait))
        else:
            _failed(request, credentials)
            form.add_error("code", _("This code is not right. Enter the code your app shows now."))
    return render(request, "accounts/login_code.html", {"form": form}, status=400 if form.errors else 200)


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page for a locked user name.

    The same for every name, existing or not; it says when to try again (the lock counts from the attempt that
    reached the limit, see AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT).
    """
    cool_off = get_cool_off(request)
    unlock_at = None
    if cool_off:
        username = get_client_username(request, credentials)
        last = None
        if username:
            last = AccessAttempt.objects.filter(username=username).aggregate(last=Max("attempt_time"))["last"]
        unlock_at = (last or timezone.now()) + cool_off
    return render(
        request,
        "accounts/locked_out.html",
        {"unlock_at": unlock_at, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


@no_role_needed
@sensitive_post_parameters("code")
@never_cache
def two_factor(request):
    """Turn two-factor login with an authenticator app on (scan, confirm with a code) or off (with a code)."""
    user = request.user
    context = {"sso_only": not user.has_usable_password()}
    if context["sso_only"]:
        # Single sign-on accounts log in at their organisation, which decides on a second factor.
        return render(request, "accounts/two_factor.html", context)
    device = confirmed_device(user)
    enabled = device is not None
    if not enabled:
        device = unconfirmed_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted, wait = verify(device, form.cleaned_data["code"])
        if accepted and enabled and principal(user).two_factor:
            messages.error(request, _("Your role requires two-factor login: it cannot be turned off."))
            return redirect("two_factor")
        if accepted and enabled:
            TOTPDevice.objects.filter(user=user).delete()
            logger.info("Two-factor login turned off by %s", describe(user))
            messages.success(request, _("Two-factor login is off. You now log in with your password only."))
            return redirect("two_factor")
        if accepted:
            with transaction.atomic():
                TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            device.refresh_from_db()
            otp_login(request, device)
            logger.info("Two-factor login turned on by %s", describe(user))
            messages.success(
                request,
                _(
                    "Two-factor login is on. From now on you log in with your password and a code from the app."
                ),
            )
            return redirect("two_factor")
        if wait is not None:
            form.add_error("code", _wait_message(wait))
        else:
            logger.warning("Wrong two-factor code from %s on the settings page", describe(user))
            form.add_error("code", _("This code is not right. Enter the code your app shows now."))
    context.update(enabled=enabled, form=form)
    if not enabled:
        label = _("QR code to add Regietafel to your authenticator app")
        context.update(qr=mark_safe(qr_svg(device, label)), secret=secret_text(device))  # noqa: S308
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """An invited colleague chooses a password; then they log in with it."""

    template_name = "accounts/password_set.html"
    form_class = PasswordSetForm
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was saved. Log in with your user name and password."))
        return response
