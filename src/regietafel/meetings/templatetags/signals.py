"""The signals waiting for the table, as a line for another app's page (the overview): how many are open, how many
of them urgent, read through the one access path."""

from django import template
from django.db.models import Count, Q

from regietafel.access.scope import can, restrict
from regietafel.meetings.models import Signal

register = template.Library()


@register.inclusion_tag("meetings/_open_signals.html", takes_context=True)
def open_signals(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can(user, "view", Signal):
        return {"shown": False}
    counts = restrict(Signal.objects.filter(status__in=Signal.OPEN_STATUSES), user).aggregate(
        open=Count("pk"), urgent=Count("pk", filter=Q(urgency=Signal.Urgency.URGENT))
    )
    return {"shown": True, **counts}
