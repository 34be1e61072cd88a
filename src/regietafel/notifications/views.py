"""Meldingen: the user's own notifications, and how they want to receive them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from regietafel.notifications import services
from regietafel.notifications.forms import PreferencesForm
from regietafel.notifications.models import Notification

PAGE_SIZE = 50


def notification_list(request):
    page = Paginator(Notification.objects.filter(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "notifications/list.html",
        {"page": page, "notifications": services.visible(page.object_list, request.user)},
    )


def notification_open(request, pk: int):
    """Mark the notification read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if not services.visible([notification], request.user):
        raise Http404  # what it was about is gone, or no longer the user's to see
    services.mark_read(request.user, notification.pk)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
def notification_read(request):
    count = services.mark_read(request.user)
    messages.success(
        request,
        ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
        % {"count": count},
    )
    return redirect("notifications:list")


def preferences(request):
    current = services.preferences(request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(request.user, form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
