from rest_framework.permissions import BasePermission

from regietafel.access.policy import Role
from regietafel.access.scope import principal


class HasRole(BasePermission):
    """A signed-in caller without a role (waiting for a beheerder) gets nothing from the API."""

    message = "Your account has no role yet."

    def has_permission(self, request, view):
        return principal(request.user).role != Role.NONE
