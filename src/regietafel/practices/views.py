"""The practices library: search and filter, read, publish, change and remove practices and attachments."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regietafel.access.scope import get_or_404, require, restrict
from regietafel.core.versioning import StaleEdit
from regietafel.practices import services
from regietafel.practices.forms import AttachmentForm, PracticeForm, SearchForm
from regietafel.practices.models import Attachment, Practice
from regietafel.practices.search import search, title_key, words


def practice_list(request):
    form = SearchForm(request.GET)
    form.is_valid()
    require(request.user, "view", Practice)
    practices = form.filter(
        restrict(Practice.objects.select_related("municipality").prefetch_related("themes"), request.user)
    )
    query = form.cleaned_data.get("q", "")
    return render(
        request,
        "practices/list.html",
        {
            "form": form,
            "query": query,
            "practices": search(query, practices) if query.strip() else sorted(practices, key=title_key),
            "searched": bool(query.strip()),
            "no_words": bool(query.strip()) and not words(query),
            "filtered": any(form.cleaned_data.get(name) for name in ("thema", "doelgroep", "gemeente")),
        },
    )


def _practice(request, pk: int, action: str = "view") -> Practice:
    return get_or_404(
        Practice.objects.select_related("municipality", "organisation").prefetch_related("themes"),
        request.user,
        action,
        pk=pk,
    )


def _detail(request, practice: Practice, attachment_form: AttachmentForm, status: int = 200):
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            "attachments": practice.attachments.all(),
            "related": practice.related(),
            "attachment_form": attachment_form,
        },
        status=status,
    )


@require_GET
def detail(request, pk: int):
    return _detail(request, _practice(request, pk), AttachmentForm())


def _form_page(request, form: PracticeForm, practice: Practice | None, stale: bool = False):
    return render(request, "practices/form.html", {"form": form, "practice": practice, "stale": stale})


@require_http_methods(["GET", "POST"])
def create(request):
    require(request.user, "add", Practice)
    form = PracticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        practice = services.save_practice(form.cleaned_data, form.cleaned_data["themes"], request.user)
        messages.success(request, _("The practice was published."))
        return redirect("practices:detail", pk=practice.pk)
    return _form_page(request, form, None)


@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    practice = _practice(request, pk, "change")
    # Validating a model form writes the input onto its instance; the page keeps showing the saved practice.
    form = PracticeForm(request.POST or None, instance=copy.copy(practice), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_practice(
                form.cleaned_data,
                form.cleaned_data["themes"],
                request.user,
                form.cleaned_data["version"],
                practice=practice,
            )
        except StaleEdit as exc:
            # The user's text stays in the form, so nothing typed is lost; the old version stays in it too,
            # so saving again is refused until the page is reloaded.
            form.add_error(None, str(exc))
            return _form_page(request, form, practice, stale=True)
        messages.success(request, _("The practice was saved."))
        return redirect("practices:detail", pk=practice.pk)
    return _form_page(request, form, practice)


def _version(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def delete(request, pk: int):
    practice = _practice(request, pk, "delete")
    if request.method == "POST":
        try:
            services.delete_practice(practice, _version(request.POST.get("version")))
        except StaleEdit as exc:
            messages.error(request, str(exc))
            if Practice.objects.filter(pk=practice.pk).exists():
                return redirect("practices:delete", pk=practice.pk)
            return redirect("practices:list")
        messages.success(request, _("The practice “%(title)s” was deleted.") % {"title": practice.title})
        return redirect("practices:list")
    return render(request, "practices/delete.html", {"practice": practice})


@require_POST
def add_attachment(request, pk: int):
    practice = _practice(request, pk, "change")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        attachment = services.add_attachment(practice, form.cleaned_data["file"], form.cleaned_data["name"])
        messages.success(request, _("The attachment “%(name)s” was added.") % {"name": attachment.name})
        return redirect("practices:detail", pk=practice.pk)
    return _detail(request, practice, form, status=400)


@require_POST
def remove_attachment(request, pk: int, attachment_id: int):
    attachment = get_or_404(Attachment, request.user, "change", pk=attachment_id, practice_id=pk)
    services.delete_attachment(attachment)
    messages.success(request, _("The attachment “%(name)s” was removed.") % {"name": attachment.name})
    return redirect("practices:detail", pk=pk)


# The middleware already asks every view for a login; the decorator keeps documents closed even if a later
# change opens other pages.
@login_required
@require_GET
def attachment(request, pk: int, attachment_id: int):
    attachment = get_or_404(Attachment, request.user, pk=attachment_id, practice_id=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attachment.download_name)
