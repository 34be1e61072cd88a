"""The conditions register: what the region needs from the state, by theme, and the package for a new cabinet."""

from itertools import groupby

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from regietafel.access.scope import get_or_404, require, restrict
from regietafel.conditions import services
from regietafel.conditions.export import PACKAGES, document_bytes, filename
from regietafel.conditions.forms import ConditionForm, StatusForm
from regietafel.conditions.models import Condition
from regietafel.core.models import Theme
from regietafel.core.versioning import StaleEdit
from regietafel.regions.models import Area
from regietafel.regions.views import requested_region

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _condition(request, pk: int, action: str = "view") -> Condition:
    return get_or_404(
        Condition.objects.select_related("theme", "owner", "region"), request.user, action, pk=pk
    )


def condition_list(request):
    require(request.user, "view", Condition)
    region = requested_region(request)
    conditions = restrict(
        Condition.objects.filter(region=region).select_related("theme", "owner"), request.user
    )
    theme = None
    if slug := request.GET.get("thema"):
        theme = Theme.objects.filter(slug=slug).first()
        if theme is None:
            messages.error(request, _("Unknown theme %(value)s; showing all themes.") % {"value": slug[:50]})
        else:
            conditions = conditions.filter(theme=theme)
    # The counts follow the theme filter but not the status filter: they say what each status would show.
    counts = dict(conditions.order_by().values_list("status").annotate(count=Count("pk")))
    status = request.GET.get("status") or ""
    if status in Condition.Status.values:
        conditions = conditions.filter(status=status)
    elif status:
        messages.error(request, _("Unknown status %(value)s; showing every status.") % {"value": status[:50]})
        status = ""
    groups = [
        (group, list(items))
        for group, items in groupby(conditions.order_by("theme__name", "title", "pk"), key=lambda c: c.theme)
    ]
    return render(
        request,
        "conditions/list.html",
        {
            "region": region,
            "regions": Area.objects.regions(),
            "groups": groups,
            "themes": Theme.objects.filter(conditions__region=region).distinct(),
            "theme": theme,
            "status": status,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in Condition.Status.choices],
            "total": sum(counts.values()),
            "has_demo": any(c.is_demo for _theme, items in groups for c in items),
        },
    )


def detail(request, pk: int):
    condition = _condition(request, pk)
    return render(
        request,
        "conditions/detail.html",
        {"condition": condition, "changes": condition.changes.select_related("changed_by")},
    )


@require_http_methods(["GET", "POST"])
def create(request):
    require(request.user, "add", Condition)
    region = requested_region(request)
    initial = {"region": region.pk, "status": Condition.Status.NOT_AGREED}
    if slug := request.GET.get("thema"):
        initial["theme"] = Theme.objects.filter(slug=slug).values_list("pk", flat=True).first()
    form = ConditionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            condition = services.save_condition(None, **form.values(), user=request.user)
        except (services.ConditionError, StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The condition was added."))
            return redirect("conditions:detail", pk=condition.pk)
    return render(request, "conditions/form.html", {"form": form, "condition": None})


@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    condition = _condition(request, pk, "change")
    form = ConditionForm(request.POST or None, condition=condition)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.save_condition(
                condition, **form.values(), version=form.cleaned_data["version"], user=request.user
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
            stale = True
        except services.ConditionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The condition was saved."))
            return redirect("conditions:detail", pk=condition.pk)
    return render(request, "conditions/form.html", {"form": form, "condition": condition, "stale": stale})


@require_http_methods(["GET", "POST"])
def change_status(request, pk: int):
    condition = _condition(request, pk, "change")
    form = StatusForm(
        request.POST or None, initial={"status": condition.status, "version": condition.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_status(
                condition,
                form.cleaned_data["status"],
                request.user,
                form.cleaned_data["version"],
                form.cleaned_data["note"],
            )
        except (services.ConditionError, StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The status was saved."))
            return redirect("conditions:detail", pk=condition.pk)
    return render(request, "conditions/status.html", {"form": form, "condition": condition})


@require_GET
def export(request):
    """The package of one status as a Word document; without ?status= the 'nog niet akkoord' package."""
    require(request.user, "view", Condition)
    region = requested_region(request)
    status = request.GET.get("status") or Condition.Status.NOT_AGREED
    if status not in PACKAGES:
        raise Http404
    today = timezone.localdate()
    content, _count = document_bytes(region, status, today)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename(region, status, today)}"'
    return response
