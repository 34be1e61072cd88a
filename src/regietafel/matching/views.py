"""Homes, matching proposals, and a household's next step in the pipeline."""

import copy
import datetime

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regietafel.access.scope import get_or_404, require, restrict
from regietafel.audit.models import Channel
from regietafel.core.versioning import StaleEdit
from regietafel.housing.periods import PeriodLocked
from regietafel.matching import pipeline, services
from regietafel.matching.forms import DwellingForm, RunForm
from regietafel.matching.models import Dwelling, MatchRun, Proposal
from regietafel.matching.reasons import describe, describe_levels, describe_unmatched
from regietafel.persons import services as persons
from regietafel.persons.models import Household
from regietafel.regions.models import Area

PAGE_SIZE = 50


def _region() -> Area:
    region = Area.objects.regions().filter(code=settings.REGIETAFEL_DEFAULT_REGION).first()
    if region is None:
        raise Http404
    return region


# Matching -----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def index(request):
    """The pipeline in short, the form to ask the matcher for proposals, and earlier runs."""
    require(request.user, "view", Proposal)
    region = _region()
    form = RunForm(request.POST or None, user=request.user, region=region)
    if request.method == "POST":
        require(request.user, "change", Household)
        if form.is_valid():
            try:
                run = services.propose(
                    request,
                    region,
                    municipality=form.cleaned_data["municipality"],
                    available_before=form.cleaned_data["available_before"],
                    across_municipalities=form.cleaned_data.get("across_municipalities", False),
                )
            except (services.MatchingError, StaleEdit) as exc:
                messages.error(request, str(exc))
            else:
                return redirect("matching:run", pk=run.pk)
    runs = restrict(MatchRun.objects.select_related("municipality", "created_by"), request.user)[:10]
    return render(request, "matching/index.html", {"form": form, "runs": runs, "region": region})


@require_GET
def run(request, pk: int):
    match_run = get_or_404(MatchRun.objects.select_related("municipality", "region"), request.user, pk=pk)
    proposals = list(
        restrict(
            match_run.proposals.select_related("household__municipality", "dwelling__place"), request.user
        )
    )
    persons.read(request, [proposal.household for proposal in proposals], Channel.PAGE)
    rows = [(proposal, describe(proposal.reasons)) for proposal in proposals]
    areas = [match_run.municipality] if match_run.municipality else Area.objects.in_region(match_run.region)
    alternatives = restrict(Dwelling.objects.select_related("place"), request.user).filter(
        municipality__in=areas, status__in=[Dwelling.Status.AVAILABLE, Dwelling.Status.OFFERED]
    )
    levels = describe_levels(match_run.summary.get("levels", []))
    reasons = {item["household"]: describe_unmatched(item) for item in match_run.summary.get("unmatched", [])}
    waiting = list(
        restrict(Household.objects.select_related("municipality"), request.user).filter(pk__in=reasons)
    )
    persons.read(request, waiting, Channel.PAGE)
    unmatched = [
        (household, reasons[household.pk]) for household in sorted(waiting, key=lambda h: h.linked_on)
    ]
    context = {
        "run": match_run,
        "rows": rows,
        "alternatives": alternatives,
        "levels": levels,
        "unmatched": unmatched,
    }
    return render(request, "matching/run.html", context)


@require_POST
def decide(request, pk: int):
    """Accept (offer the home), reject (with a reason) or change the home of a proposal."""
    proposal = get_or_404(
        Proposal.objects.select_related("household", "dwelling", "run"), request.user, "change", pk=pk
    )
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        if "reject" in request.POST:
            services.reject(request, proposal, version, request.POST.get("reason", ""))
            messages.success(request, _("The proposal was rejected."))
        else:
            dwelling = None
            if request.POST.get("dwelling"):
                dwelling = get_or_404(Dwelling.objects.all(), request.user, pk=request.POST["dwelling"])
            housed_on = None
            if request.POST.get("housed_on"):
                housed_on = _date(request.POST["housed_on"])
                if housed_on is None or housed_on > timezone.localdate():
                    raise services.MatchingError(_("Moved in on: give a date, not in the future."))
            services.accept(
                request,
                proposal,
                version,
                dwelling=dwelling,
                on=timezone.localdate() if housed_on is None else min(housed_on, timezone.localdate()),
                housed_on=housed_on,
                reason=request.POST.get("reason", ""),
            )
            if housed_on is None:
                done = _("%(household)s was offered the home.") % {"household": proposal.household.reference}
            else:
                done = _housed(proposal.household, housed_on)
            messages.success(request, done)
    except (services.MatchingError, persons.HouseholdError, PeriodLocked, StaleEdit) as exc:
        messages.error(request, str(exc))
    return redirect("matching:run", pk=proposal.run_id)


# The household's next step ------------------------------------------------------------------------------


def _household(request, pk: int) -> tuple[Household, int | None]:
    household = get_or_404(persons.households(request.user, "change"), request.user, "change", pk=pk)
    try:
        return household, int(request.POST.get("version", ""))
    except ValueError:
        return household, None


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


@require_POST
def respond(request, pk: int):
    household, version = _household(request, pk)
    accepted = request.POST.get("accepted") == "1"
    try:
        pipeline.respond(
            request, household, version, accepted, timezone.localdate(), request.POST.get("reason", "")
        )
    except (persons.HouseholdError, StaleEdit) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The household's answer was recorded."))
    return redirect("persons:detail", pk=household.pk)


@require_POST
def house(request, pk: int):
    household, version = _household(request, pk)
    on = _date(request.POST.get("on", ""))
    if on is None or on > timezone.localdate():
        messages.error(request, _("Moved in on: give a date, not in the future."))
        return redirect("persons:detail", pk=household.pk)
    try:
        pipeline.house(request, household, version, on, request.POST.get("reason", ""))
    except (persons.HouseholdError, PeriodLocked, StaleEdit) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _housed(household, on))
    return redirect("persons:detail", pk=household.pk)


def _housed(household: Household, on: datetime.date) -> str:
    return ngettext(
        "%(household)s is housed; %(people)s person was added to the realisation of %(month)s.",
        "%(household)s is housed; %(people)s people were added to the realisation of %(month)s.",
        household.size,
    ) % {"household": household.reference, "people": household.size, "month": date_format(on, "F Y")}


# Homes --------------------------------------------------------------------------------------------------


@require_GET
def dwellings(request):
    require(request.user, "view", Dwelling)
    queryset = restrict(Dwelling.objects.select_related("municipality", "place"), request.user)
    code = request.GET.get("gemeente", "")
    if code:
        queryset = queryset.filter(municipality__code=code.upper())
    status = request.GET.get("status", "")
    if status in Dwelling.Status.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("pagina"))
    municipalities = Area.objects.in_region(_region()).order_by("name")
    context = {"page": page, "municipalities": municipalities, "statuses": Dwelling.Status.choices}
    return render(request, "matching/dwellings.html", context)


def _dwelling_page(request, form, dwelling, stale=False):
    return render(
        request, "matching/dwelling_form.html", {"form": form, "dwelling": dwelling, "stale": stale}
    )


@require_http_methods(["GET", "POST"])
def dwelling_create(request):
    require(request.user, "add", Dwelling)
    form = DwellingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            dwelling = services.save_dwelling(request.user, None, form.cleaned_data, None)
        except (services.MatchingError, StaleEdit) as exc:
            form.add_error(None, str(exc))
            return _dwelling_page(request, form, None)
        messages.success(request, _("Home %(code)s was saved.") % {"code": dwelling.code})
        return redirect("matching:dwellings")
    return _dwelling_page(request, form, None)


@require_http_methods(["GET", "POST"])
def dwelling_edit(request, pk: int):
    dwelling = get_or_404(Dwelling.objects.select_related("place"), request.user, "change", pk=pk)
    form = DwellingForm(request.POST or None, instance=copy.copy(dwelling), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_dwelling(request.user, dwelling, form.cleaned_data, form.cleaned_data["version"])
        except (services.MatchingError, StaleEdit) as exc:
            form.add_error(None, str(exc))
            return _dwelling_page(request, form, dwelling, stale=isinstance(exc, StaleEdit))
        messages.success(request, _("Home %(code)s was saved.") % {"code": dwelling.code})
        return redirect("matching:dwellings")
    return _dwelling_page(request, form, dwelling)
