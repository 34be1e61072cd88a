"""Upload a table, see what it would change, then confirm: nothing is written before confirmation."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from regietafel.access.scope import can, get_or_404, restrict
from regietafel.audit.models import Action, Channel
from regietafel.audit.services import record
from regietafel.core.downloads import attachment, for_systems
from regietafel.core.specs import all_specs, get_spec
from regietafel.core.tables import FORMATS, TableError, check_size
from regietafel.imports import services
from regietafel.imports.models import ImportBatch


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.csv or .xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except TableError as exc:
            raise forms.ValidationError(str(exc), code="too_large") from None
        return upload


def _spec(kind: str, user, action: str = "view"):
    try:
        spec = get_spec(kind)
    except KeyError:
        raise Http404 from None
    if not can(user, "view", spec.model) or (action == "add" and not services.may_import(user, spec)):
        raise Http404
    return spec


def _batches(user):
    return restrict(ImportBatch.objects.select_related("created_by").defer("content"), user)


def index(request):
    specs = [spec for spec in all_specs() if can(request.user, "view", spec.model)]
    return render(
        request,
        "imports/index.html",
        {
            "specs": specs,
            "importable": {spec.key for spec in specs if services.may_import(request.user, spec)},
            "batches": _batches(request.user)[:20],
        },
    )


@require_http_methods(["GET", "POST"])
def upload(request, kind: str):
    """Store the file (its size is checked first, by the form) and have it checked in the background."""
    spec = _spec(kind, request.user, "add")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.store(spec, upload.name, upload.read(), request.user, enqueue=True)
        return redirect("imports:preview", kind=spec.key, batch_id=batch.pk)
    return render(request, "imports/upload.html", {"spec": spec, "form": form})


@require_http_methods(["GET", "POST"])
def preview(request, kind: str, batch_id: int):
    """The page of one upload: being checked, its preview and the confirmation, being imported, the result.

    Confirming hands the import to the task queue and returns at once; the page follows the task."""
    spec = _spec(kind, request.user, "add")
    batch = get_or_404(_batches(request.user), request.user, pk=batch_id, kind=spec.key)
    if request.method == "POST":
        try:
            if "check_again" in request.POST:
                services.check_again(batch)
            else:
                services.confirm(
                    batch,
                    request.user,
                    request.POST.get("fingerprint") or None,
                    request.POST.get("reason", "").strip(),
                )
        except services.NotWaiting:
            pass  # applied, rejected or still running: the page says which
        else:
            batch.refresh_from_db(fields=["status", "summary"])
            if batch.status == ImportBatch.Status.APPLIED:
                # Done already (a worker was quick, or tasks run in the request): as before, to the index.
                messages.success(request, _imported(batch))
                return redirect("imports:index")
            return redirect("imports:preview", kind=spec.key, batch_id=batch.pk)
    return render(request, "imports/preview.html", _page(request, spec, batch))


@require_GET
def status(request, kind: str, batch_id: int):
    """The changing part of the batch page, which the page fetches again every two seconds while it is busy."""
    spec = _spec(kind, request.user, "add")
    batch = get_or_404(_batches(request.user), request.user, pk=batch_id, kind=spec.key)
    context = _page(request, spec, batch)
    # The live region is updated only when what it says changed, so a screen reader does not repeat it.
    context["update_announcement"] = request.GET.get("shown") != context["announcement_key"]
    return render(request, "imports/_batch.html", context)


def _imported(batch: ImportBatch) -> str:
    counts = {"create": 0, "update": 0, "unchanged": 0, **batch.summary.get("counts", {})}
    return _("Imported: %(create)s new, %(update)s updated, %(unchanged)s unchanged.") % counts


def _page(request, spec, batch: ImportBatch) -> dict:
    stalled = services.stalled(batch)
    busy = batch.busy and not stalled
    context = {"spec": spec, "batch": batch, "busy": busy, "stalled": stalled, "columns": spec.columns}
    progress = services.progress(batch) if busy else None
    if progress:
        progress["percent"] = 100 * progress["done"] // progress["total"] if progress["total"] else 0
    context["progress"] = progress
    if not busy:
        validation = services.preview(spec, batch, request.user)
        shown = validation.rows[: services.PREVIEW_ROWS]
        if spec.personal and shown:
            record(
                request,
                subjects=services.existing_records(spec, validation),
                action=Action.READ,
                channel=Channel.IMPORT,
            )
        context.update(
            validation=validation,
            counts=validation.counts(),
            rows=shown,
            may_confirm=validation.is_valid
            and (batch.status == ImportBatch.Status.STAGED or (stalled and batch.status == "importing")),
            refused=batch.summary.get("refused", ""),
        )
    context["announcement"], context["announcement_key"] = _announcement(batch, busy, stalled, progress)
    context["announcement_error"] = not busy and (
        batch.status == ImportBatch.Status.FAILED or bool(batch.summary.get("refused"))
    )
    return context


def _announcement(batch: ImportBatch, busy: bool, stalled: bool, progress: dict | None) -> tuple[str, str]:
    """What the live region says about the batch, and a key that changes when it does (progress in tens)."""
    checking = batch.status == ImportBatch.Status.CHECKING
    if stalled:
        text = (
            _("Checking was interrupted before it finished: the worker stopped. Check the file again.")
            if checking
            else _(
                "Importing was interrupted before it finished: the worker stopped and nothing was written. "
                "Confirm again to import the file."
            )
        )
        return text, f"{batch.status}-stalled"
    if busy and batch.started_at is None:
        text = (
            _("Waiting to be checked: the check starts as soon as a worker is free.")
            if checking
            else _("Waiting to be imported: the import starts as soon as a worker is free.")
        )
        return text, f"{batch.status}-waiting"
    if busy:
        tens = progress["percent"] // 10 * 10 if progress else None
        step = progress["step"] if progress else ""
        if checking:
            text = _("Checking the file…")
        elif step == "write":
            text = _("Importing: writing the rows…")
        elif step == "recheck":
            text = _("Importing: checking the rows again…")
        else:
            text = _("Importing…")
        if tens is not None:
            text = f"{text} {tens}%"
        return text, f"{batch.status}-{step}-{tens}"
    if batch.summary.get("refused"):
        return batch.summary["refused"], f"{batch.status}-refused"
    text = {
        ImportBatch.Status.STAGED: _("The file has been checked: see what importing it would change below."),
        ImportBatch.Status.REJECTED: _(
            "The file has been checked and has problems: nothing will be imported."
        ),
        ImportBatch.Status.APPLIED: _imported(batch),
        ImportBatch.Status.FAILED: batch.error,
    }.get(batch.status, batch.get_status_display())
    return text, batch.status


def _download(content: bytes, name: str, file_format: str) -> HttpResponse:
    return attachment(content, f"{name}.{file_format}", FORMATS[file_format])


def template(request, kind: str, file_format: str):
    spec = _spec(kind, request.user)
    if file_format not in FORMATS:
        raise Http404
    content = services.template(spec, file_format, for_systems(request))
    return _download(content, f"sjabloon-{spec.key}", file_format)


def export(request, kind: str, file_format: str):
    spec = _spec(kind, request.user)
    if file_format not in FORMATS:
        raise Http404
    records = restrict(spec.queryset(), request.user)
    if spec.personal:
        records = list(records)
        record(request, subjects=records, action=Action.EXPORT, channel=Channel.EXPORT)
    return _download(services.export(spec, file_format, records, for_systems(request)), spec.key, file_format)
