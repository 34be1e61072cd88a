"""The one permission question a template asks, of the same policy as ``restrict()`` (``access.scope.can``):

    {% load access %}
    {% can "change" organisation as may_change %}           an object: may the user change this one?
    {% can "add" "indicators.Indicator" as may_add %}      a model by its label: may the user add any?

Menus keep ``rights.<resource>.<action>`` (the ``rights`` context processor: the role's rule, for links to whole
sections); a button on a page about one object asks ``can``."""

from django import template
from django.apps import apps

from regietafel.access import scope

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action: str, target) -> bool:
    request = context.get("request")
    if isinstance(target, str):
        target = apps.get_model(target)
    return scope.can(getattr(request, "user", None), action, target)
