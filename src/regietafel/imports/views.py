"""Upload a table, see what it would change, then confirm: nothing is written before confirmation."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from regietafel.access.scope import can, get_or_404, restrict
from regietafel.audit.models import Action, Channel
from regietafel.audit.services import record
from regietafel.housing.periods import PeriodLocked
from regietafel.imports import services
from regietafel.imports.models import ImportBatch
from regietafel.imports.specs import all_specs, get_spec
from regietafel.imports.tables import FORMATS, TableError, check_size, read_table


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
    spec = _spec(kind, request.user, "add")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch, _validation = services.stage(
            spec, upload.name, upload.read(), request.user, services.Guard(request.user)
        )
        return redirect("imports:preview", kind=spec.key, batch_id=batch.pk)
    return render(request, "imports/upload.html", {"spec": spec, "form": form})


@require_http_methods(["GET", "POST"])
def preview(request, kind: str, batch_id: int):
    spec = _spec(kind, request.user, "add")
    batch = get_or_404(_batches(request.user), request.user, pk=batch_id, kind=spec.key)
    if request.method == "POST" and batch.status == ImportBatch.Status.STAGED:
        guard = services.Guard(request.user, reason=request.POST.get("reason", "").strip())
        try:
            counts = services.apply(spec, batch, request.POST.get("fingerprint") or None, guard)
        except services.ImportRejected as exc:
            messages.error(request, _("Nothing was imported: %(errors)s") % {"errors": exc})
        except PeriodLocked as exc:
            messages.error(request, _("Nothing was imported: %(errors)s") % {"errors": exc})
        else:
            messages.success(
                request,
                _("Imported: %(create)s new, %(update)s updated, %(unchanged)s unchanged.") % counts,
            )
            return redirect("imports:index")
    validation = services.stored_validation(batch)
    if validation is None:
        try:
            validation = services.validate(
                spec, read_table(bytes(batch.content), batch.filename), services.Guard(request.user)
            )
        except TableError as exc:
            validation = services.Validation(errors=[services.RowError(1, "", str(exc))])
    if spec.personal:
        shown = services.existing_records(spec, validation)
        record(request, subjects=shown, action=Action.READ, channel=Channel.IMPORT)
    return render(
        request,
        "imports/preview.html",
        {
            "spec": spec,
            "batch": batch,
            "validation": validation,
            "counts": validation.counts(),
            "rows": validation.rows[: services.PREVIEW_ROWS],
            "columns": spec.columns,
        },
    )


def _download(content: bytes, name: str, file_format: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def template(request, kind: str, file_format: str):
    spec = _spec(kind, request.user)
    if file_format not in FORMATS:
        raise Http404
    return _download(services.template(spec, file_format), f"sjabloon-{spec.key}", file_format)


def export(request, kind: str, file_format: str):
    spec = _spec(kind, request.user)
    if file_format not in FORMATS:
        raise Http404
    records = restrict(spec.queryset(), request.user)
    if spec.personal:
        records = list(records)
        record(request, subjects=records, action=Action.EXPORT, channel=Channel.EXPORT)
    return _download(services.export(spec, file_format, records), spec.key, file_format)
