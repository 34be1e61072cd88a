"""The signals waiting for the table, as a line for another app's page (the overview): how many are open, how many
of them urgent, read through the one access path."""

from django import template
from django.db.models import Count, Q

from regietafel.access.scope import Principal, can, principal, restrict
from regietafel.core import memo
from regietafel.meetings.models import Signal

register = template.Library()


@register.inclusion_tag("meetings/_open_signals.html", takes_context=True)
def open_signals(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can(user, "view", Signal):
        return {"shown": False}
    # What a user sees of the signals depends on their role and organisation only (their principal).
    return {"shown": True, **memo.remembered((Signal,), _counts, principal(user))}


def _counts(who: Principal) -> dict[str, int]:
    return restrict(Signal.objects.filter(status__in=Signal.OPEN_STATUSES), who).aggregate(
        open=Count("pk"), urgent=Count("pk", filter=Q(urgency=Signal.Urgency.URGENT))
    )
