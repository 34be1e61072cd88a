from regietafel.access.policy import Role
from regietafel.access.scope import principal
from regietafel.core import memo
from regietafel.notifications.models import Notification
from regietafel.notifications.services import unread_count


def unread(request):
    """``unread_notifications``: the number in the menu's "Meldingen" link (kept until a notification changes:
    ``core.memo``)."""
    user = getattr(request, "user", None)
    if principal(user).role == Role.NONE:
        return {}
    return {"unread_notifications": memo.remembered((Notification,), unread_count, user.pk)}
