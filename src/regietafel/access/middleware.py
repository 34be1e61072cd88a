from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.shortcuts import render

from regietafel.access.policy import Role
from regietafel.access.scope import principal

API_PREFIX = "/api/"


class AccessMiddleware(LoginRequiredMiddleware):
    """Anonymous visitors of a non-public page go to the login page; the API answers 401 itself.

    A signed-in user without a role (for example a new SSO user) gets one page saying that a beheerder has to
    assign them a role, and nothing else. What a user with a role may see is decided per object by
    ``regietafel.access.scope``.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(API_PREFIX):
            return None
        response = super().process_view(request, view_func, view_args, view_kwargs)
        if response is not None:
            return response
        if not getattr(view_func, "login_required", True) or getattr(view_func, "no_role_needed", False):
            return None
        if request.user.is_authenticated and principal(request.user).role == Role.NONE:
            return render(request, "access/pending.html", status=403)
        return None
