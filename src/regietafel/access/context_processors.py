from functools import cache

from regietafel.access.policy import ACTIONS, RULES, Role
from regietafel.access.scope import principal


def rights(request):
    """``rights.<resource>.<action>``: may the user do this on at least some objects (for menus and buttons).
    Pages still check each object through ``regietafel.access.scope``."""
    who = principal(getattr(request, "user", None))
    return {"principal": who, "rights": rights_of_role(who.role)}


@cache
def rights_of_role(role: Role) -> dict[str, dict[str, bool]]:
    """``{resource: {action: allowed}}`` for ``role`` (the rules are fixed in code: worked out once per role)."""
    return {
        resource: {action: role in RULES[resource].get(action, {}) for action in ACTIONS}
        for resource in RULES
    }
