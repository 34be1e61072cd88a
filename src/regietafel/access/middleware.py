from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from regietafel.access.policy import Role
from regietafel.access.scope import principal

API_PREFIX = "/api/"


class AccessMiddleware(LoginRequiredMiddleware):
    """Anonymous visitors of a non-public page go to the login page; the API answers 401 itself.

    A signed-in user without a role (for example a new SSO user) gets one page saying that a beheerder has to
    assign them a role, and nothing else. What a user with a role may see is decided per object by
    ``regietafel.access.scope``.

    A user whose role a beheerder requires to log in with a code (``TwoFactorRule``), and whose session was not
    confirmed with one, is sent to set up or use two-factor login first. Single sign-on accounts log in at their
    own organisation, which decides on a second factor. The rule is read with the user's role (``principal``).
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(API_PREFIX):
            return None
        response = super().process_view(request, view_func, view_args, view_kwargs)
        if response is not None:
            return response
        if not getattr(view_func, "login_required", True) or getattr(view_func, "no_role_needed", False):
            return None
        if not request.user.is_authenticated:
            return None
        who = principal(request.user)
        if who.role == Role.NONE:
            return render(request, "access/pending.html", status=403)
        if who.two_factor and request.user.has_usable_password() and not request.user.is_verified():
            messages.warning(
                request,
                _("Your role requires two-factor login. Set it up now, or log in again with your code."),
            )
            return redirect("two_factor")
        return None
