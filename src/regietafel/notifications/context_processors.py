from regietafel.access.policy import Role
from regietafel.access.scope import principal
from regietafel.notifications.services import unread_count


def unread(request):
    """``unread_notifications``: the number in the menu's "Meldingen" link."""
    user = getattr(request, "user", None)
    if principal(user).role == Role.NONE:
        return {}
    return {"unread_notifications": unread_count(user)}
