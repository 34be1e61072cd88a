"""The province's supervision of the housing task, per region: the ladder, the step each municipality is on, and
what the misses propose; a beheerder records the province's decision."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from regietafel.access.scope import can, require
from regietafel.core.figures import SourceList
from regietafel.housing import supervision
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import SupervisionPlacement, SupervisionStep
from regietafel.monitor.forms import SupervisionForm
from regietafel.regions.models import Area
from regietafel.regions.views import requested_region


def overview(request):
    require(request.user, "view", SupervisionPlacement)
    region = requested_region(request)
    ledger = HousingLedger(region)
    half_year = ledger.default_half_year(timezone.localdate())
    rows = supervision.rows(ledger, half_year)
    ladder = rows[0].ladder if rows else []
    province = region.parent if region.parent and region.parent.kind == Area.Kind.PROVINCE else None
    return render(
        request,
        "monitor/supervision.html",
        {
            "region": region,
            "regions": Area.objects.regions(),
            "province": province,
            "ladder": ladder,
            "has_thresholds": any(step.threshold is not None for step in ladder),
            "sources": SourceList(),
            "rows": rows,
            "half_year": half_year,
            "may_record": can(request.user, "add", SupervisionPlacement),
        },
    )


@require_http_methods(["GET", "POST"])
def record(request, code: str):
    require(request.user, "add", SupervisionPlacement)
    area = get_object_or_404(
        Area.objects.municipalities().select_related("parent__parent"), code=code.upper()
    )
    province = area.province
    if province is None:
        raise Http404
    ladder = SupervisionStep.objects.filter(province=province).order_by("order")
    proposal = request.GET.get("stap")
    initial = {"step": ladder.filter(order=proposal).first()} if proposal and proposal.isdigit() else {}
    form = SupervisionForm(request.POST or None, ladder=ladder, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            supervision.place(
                area,
                data["step"],
                data["since"],
                data["occasion"],
                data["source"],
                data["note"],
                user=request.user,
            )
        except supervision.SupervisionError as error:
            form.add_error("since", str(error))
        else:
            messages.success(
                request,
                _("%(name)s is on step %(step)s from %(date)s.")
                % {"name": area.name, "step": data["step"], "date": data["since"].strftime("%d-%m-%Y")},
            )
            return redirect(reverse("monitor:municipality", args=[area.code]) + "#toezicht")
    return render(
        request,
        "monitor/supervision_form.html",
        {"area": area, "province": province, "form": form, "ladder": ladder},
        status=400 if form.errors else 200,
    )
