"""Reports: the regional monitor (web page and PDF), council letters, and the progress of report jobs."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regietafel.access.scope import get_or_404, require, require_area, restrict
from regietafel.core.figures import SourceList
from regietafel.domain.targets import HalfYear
from regietafel.regions.models import Area
from regietafel.reports import monitor, services
from regietafel.reports.docx import letter_docx
from regietafel.reports.forms import KIND_FORMS, LettersForm, MonitorForm
from regietafel.reports.letters import build_letter, letter_filename, letter_pdf
from regietafel.reports.models import ReportJob

RECENT_JOBS = 10


@require_GET
def index(request):
    require(request.user, "view", ReportJob)
    letters_form = LettersForm(request.GET if "half_year" in request.GET else None)
    letters = []
    region = _default_region()
    if letters_form.is_bound and letters_form.is_valid():
        region, half_year = letters_form.cleaned_data["region"], letters_form.cleaned_data["half_year"]
        require_area(request.user, region)
        letters = [(m, half_year) for m in services.letter_municipalities(request.user, region)]
    return render(
        request,
        "reports/index.html",
        {
            "monitor_form": MonitorForm(),
            "letters_form": letters_form,
            "letters": letters,
            "may_make_letters": bool(region and services.letter_municipalities(request.user, region)),
            "jobs": restrict(ReportJob.objects.select_related("region"), request.user).defer("content")[
                :RECENT_JOBS
            ],
        },
    )


def _default_region() -> Area | None:
    return Area.objects.regions().filter(code=settings.REGIETAFEL_DEFAULT_REGION).first()


@require_GET
def monitor_page(request):
    """The monitor report as a web page: the same template body as the PDF."""
    require(request.user, "view", ReportJob)
    form = MonitorForm(request.GET or None)
    report = None
    if form.is_bound and form.is_valid():
        region, on = form.cleaned_data["region"], form.cleaned_data["reference_date"]
        require_area(request.user, region)
        report = monitor.build(
            region, on, user=request.user, previous=services.previous_report_date(region, on)
        )
    return render(
        request,
        "reports/monitor.html",
        {"form": form, "report": report, "sources": SourceList(), "made_at": timezone.now()},
    )


@require_POST
def start(request):
    require(request.user, "add", ReportJob)
    kind = request.POST.get("kind")
    if kind not in KIND_FORMS:
        messages.error(request, _("Choose the monitor or the council letters."))
        return redirect("reports:index")
    form = KIND_FORMS[kind](request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("reports:index")
    require_area(request.user, form.cleaned_data["region"])
    try:
        job = services.start(
            request.user,
            kind,
            form.cleaned_data["region"],
            reference_date=form.cleaned_data.get("reference_date"),
            half_year=form.cleaned_data.get("half_year"),
        )
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:index")
    return redirect("reports:job", job.pk)


def _job(request, pk) -> ReportJob:
    return get_or_404(ReportJob.objects.select_related("region").defer("content"), request.user, pk=pk)


@require_GET
def job(request, pk):
    return render(request, "reports/job.html", {"job": _job(request, pk)})


@require_GET
def job_status(request, pk):
    """The progress part of the job page, which the page fetches again every second until the job is finished."""
    return render(request, "reports/_job_status.html", {"job": _job(request, pk)})


@require_GET
def job_download(request, pk):
    job = get_or_404(ReportJob.objects.all(), request.user, pk=pk)
    if job.status != ReportJob.Status.DONE or not job.content:
        raise Http404
    response = HttpResponse(bytes(job.content), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


@require_GET
def letter(request, code: str, half_year: str, extension: str):
    """One municipality's council letter, made on the spot (a single letter takes well under a second)."""
    require(request.user, "add", ReportJob)

    try:
        period = HalfYear.parse(half_year)
    except ValueError:
        raise Http404 from None
    municipality = Area.objects.municipalities().select_related("parent").filter(code=code.upper()).first()
    if municipality is None or municipality.parent is None:
        raise Http404
    if municipality not in services.letter_municipalities(request.user, municipality.parent):
        raise Http404
    made = build_letter(municipality, period)
    if extension == "docx":
        content = letter_docx(made)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif extension == "pdf":
        content, content_type = letter_pdf(made), services.PDF
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(made, extension)}"'
    return response
