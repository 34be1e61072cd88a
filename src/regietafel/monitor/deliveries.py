"""Reporting completeness: per month and municipality, which figures have arrived, from which source and when;
late ones marked; a reminder to a municipality's contacts in one step."""

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import Max
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regietafel.access.scope import require
from regietafel.domain import deliveries
from regietafel.housing import services
from regietafel.housing.models import DeliveryReminder, HousingRealisation
from regietafel.indicators.models import Value
from regietafel.reception.models import LocationObservation
from regietafel.regions.models import Area
from regietafel.regions.views import requested_region


@dataclass
class Cell:
    month: datetime.date
    record: HousingRealisation | None = None  # a sourced delivery
    demo: bool = False  # only a generated demo figure stands there
    late: bool = False


@dataclass
class Line:
    area: Area
    cells: list[Cell] = field(default_factory=list)
    observed: datetime.date | None = None  # the latest sourced location observation
    indicators: str = ""  # the latest period with a sourced indicator value
    reminded: DeliveryReminder | None = None

    @property
    def missing(self) -> list[datetime.date]:
        return [cell.month for cell in self.cells if cell.record is None]


def _year(request, today: datetime.date) -> int:
    try:
        year = int(request.GET.get("jaar", today.year))
    except ValueError:
        return today.year
    return year if 2019 <= year <= today.year else today.year


def lines(region: Area, year: int, today: datetime.date) -> tuple[list[datetime.date], list[Line]]:
    municipalities = list(Area.objects.in_region(region).order_by("name"))
    months = deliveries.asked_months(year, today)
    found = services.delivered(municipalities, months)
    demo = set(
        HousingRealisation.objects.filter(
            municipality__in=municipalities, month__in=months, is_demo=True
        ).values_list("municipality_id", "month")
    )
    observed = dict(
        LocationObservation.objects.filter(location__municipality__in=municipalities, is_demo=False)
        .values_list("location__municipality")
        .annotate(last=Max("reference_date"))
    )
    periods = dict(
        Value.objects.filter(area__in=municipalities, is_demo=False)
        .values_list("area")
        .annotate(last=Max("period"))
    )
    reminded = {}
    for reminder in DeliveryReminder.objects.filter(municipality__in=municipalities).order_by("sent_at"):
        reminded[reminder.municipality_id] = reminder
    result = []
    for area in municipalities:
        line = Line(
            area,
            observed=observed.get(area.pk),
            indicators=periods.get(area.pk, ""),
            reminded=reminded.get(area.pk),
        )
        for month in months:
            record = found.get((area.pk, month))
            line.cells.append(
                Cell(
                    month,
                    record,
                    demo=record is None and (area.pk, month) in demo,
                    late=record is None and deliveries.late(month, today),
                )
            )
        result.append(line)
    return months, result


def completeness(request):
    require(request.user, "view", HousingRealisation)
    region = requested_region(request)
    today = timezone.localdate()
    year = _year(request, today)
    months, found = lines(region, year, today)
    return render(
        request,
        "monitor/completeness.html",
        {
            "region": region,
            "regions": Area.objects.regions(),
            "year": year,
            "years": list(range(today.year, 2018, -1)),
            "months": months,
            "lines": found,
            "due_day": deliveries.DUE_DAY,
            "late_count": sum(1 for line in found for cell in line.cells if cell.late),
        },
    )


@require_POST
def remind(request, code: str):
    require(request.user, "add", DeliveryReminder)
    area = Area.objects.municipalities().filter(code=code).select_related("parent").first()
    if area is None or area.parent is None:
        return redirect("monitor:completeness")
    today = timezone.localdate()
    try:
        reminder = services.remind(area, services.missing_months(area, today), request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("A reminder about %(count)d months went to %(recipients)d addresses of %(name)s.")
            % {"count": len(reminder.months), "recipients": reminder.recipients, "name": area.name},
        )
    return redirect(reverse("monitor:completeness") + f"?regio={area.parent.code}")
