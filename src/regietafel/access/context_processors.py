from regietafel.access.policy import ACTIONS, RULES
from regietafel.access.scope import principal


def rights(request):
    """``rights.<resource>.<action>``: may the user do this on at least some objects (for menus and buttons).
    Pages still check each object through ``regietafel.access.scope``."""
    who = principal(getattr(request, "user", None))
    return {
        "principal": who,
        "rights": {
            resource: {action: who.role in RULES[resource].get(action, {}) for action in ACTIONS}
            for resource in RULES
        },
    }
