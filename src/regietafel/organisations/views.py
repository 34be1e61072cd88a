"""The partner register: who the partners are, whom to call, and who does what where."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from regietafel.access.scope import can, get_or_404, require, restrict
from regietafel.audit.models import Action, Activity, Channel
from regietafel.audit.services import record
from regietafel.core.downloads import table_download
from regietafel.core.versioning import StaleEdit
from regietafel.organisations import services
from regietafel.organisations.forms import ContactForm, OrganisationForm, PartnerFilterForm
from regietafel.organisations.matrix import EXPORT_COLUMNS, build_matrix
from regietafel.organisations.models import Contact, Organisation
from regietafel.regions.models import Area
from regietafel.regions.views import requested_region


def _organisation(request, pk: int, action: str = "view") -> Organisation:
    return get_or_404(Organisation, request.user, action, pk=pk)


def _contact(request, organisation: Organisation, contact_pk: int, action: str = "view") -> Contact:
    return get_or_404(Contact, request.user, action, pk=contact_pk, organisation=organisation)


def organisation_list(request):
    form = PartnerFilterForm(request.GET, municipalities=Area.objects.municipalities().order_by("name"))
    filters = form.filters()
    require(request.user, "view", Organisation)
    organisations = restrict(
        Organisation.objects.annotate(contact_count=Count("contacts", distinct=True))
        .prefetch_related("themes", "works_in")
        .order_by("name"),
        request.user,
    )
    if filters["soort"]:
        organisations = organisations.filter(kind=filters["soort"])
    if filters["thema"]:
        organisations = organisations.filter(themes=filters["thema"])
    if filters["gemeente"]:
        organisations = organisations.filter(works_in=filters["gemeente"])
    organisations = list(organisations)
    return render(
        request,
        "organisations/list.html",
        {
            "form": form,
            "organisations": organisations,
            "filtered": any(filters.values()),
            "has_demo": any(organisation.is_demo for organisation in organisations),
            "missing": services.regions_missing_organisations()
            if can(request.user, "add", Organisation)
            else [],
        },
    )


@require_POST
def municipal_organisations(request):
    """Give every municipality of a region its own organisation, in one step."""
    require(request.user, "add", Organisation)
    region = Area.objects.regions().filter(code=request.POST.get("regio", "")[:10]).first()
    if region is None:
        messages.error(request, _("Choose a region whose municipalities to add."))
        return redirect("organisations:list")
    created = services.ensure_municipal_organisations(region)
    messages.success(
        request,
        ngettext(
            "%(count)d municipality of %(region)s added as an organisation.",
            "%(count)d municipalities of %(region)s added as organisations.",
            created,
        )
        % {"count": created, "region": region.name},
    )
    return redirect("organisations:list")


def detail(request, pk: int):
    organisation = get_or_404(
        Organisation.objects.select_related("municipality", "updated_by").prefetch_related(
            "themes", "works_in", "contacts"
        ),
        request.user,
        pk=pk,
    )
    # Contact persons are personal data: their reads are logged like the others.
    record(
        request,
        subjects=organisation.contacts.all(),
        action=Action.READ,
        channel=Channel.PAGE,
        activity=Activity.PARTNERS,
    )
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "actions": restrict(organisation.actions.order_by("deadline"), request.user),
            # The referrals to the consultations this organisation holds (read through the forums, so the
            # organisations app needs nothing of the meetings app's).
            "referrals": [
                referral
                for forum in organisation.forum_set.all()
                for referral in restrict(forum.referrals.select_related("forum"), request.user)
            ],
            "today": timezone.localdate(),
        },
    )


def _save(form: OrganisationForm, organisation: Organisation | None, user) -> Organisation | None:
    data = form.cleaned_data
    try:
        return services.save_organisation(
            organisation,
            **{name: data[name] for name in Organisation.WRITABLE},
            version=data["version"],
            user=user,
        )
    except (services.OrganisationError, StaleEdit) as exc:
        form.add_error(None, str(exc))
        return None


@require_http_methods(["GET", "POST"])
def create(request):
    require(request.user, "add", Organisation)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = _save(form, None, request.user)
        if organisation is not None:
            messages.success(request, _("%(name)s was added to the register.") % {"name": organisation.name})
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "organisation": None})


@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    organisation = _organisation(request, pk, "change")
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        may_define_scope=services.may_define_scope(request.user),
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(form, organisation, request.user)
        if saved is not None:
            messages.success(request, _("The changes to %(name)s were saved.") % {"name": saved.name})
            return redirect("organisations:detail", pk=saved.pk)
    # The form may have put the user's input on the instance: show the stored record's name and flags.
    return render(
        request, "organisations/form.html", {"form": form, "organisation": _organisation(request, pk)}
    )


def _contact_data(form: ContactForm) -> dict:
    return {name: form.cleaned_data[name] for name in ("name", "role", "email", "phone")}


@require_http_methods(["GET", "POST"])
def contact_add(request, pk: int):
    organisation = _organisation(request, pk, "change")
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = services.add_contact(organisation, user=request.user, **_contact_data(form))
        messages.success(request, _("%(name)s was added as a contact.") % {"name": contact.name})
        return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/contact_form.html",
        {"form": form, "organisation": organisation, "contact": None},
    )


@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int, contact_pk: int):
    organisation = _organisation(request, pk, "change")
    contact = _contact(request, organisation, contact_pk, "change")
    record(request, subjects=[contact], action=Action.READ, channel=Channel.PAGE, activity=Activity.PARTNERS)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact(
                contact, version=form.cleaned_data["version"], user=request.user, **_contact_data(form)
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The contact was saved."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/contact_form.html",
        {"form": form, "organisation": organisation, "contact": _contact(request, organisation, contact_pk)},
    )


def _version(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def contact_delete(request, pk: int, contact_pk: int):
    organisation = _organisation(request, pk, "change")
    contact = _contact(request, organisation, contact_pk, "change")
    if request.method == "POST":
        try:
            services.delete_contact(contact, version=_version(request.POST.get("version")), user=request.user)
        except StaleEdit as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(name)s was removed as a contact.") % {"name": contact.name})
        return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request, "organisations/contact_delete.html", {"organisation": organisation, "contact": contact}
    )


def matrix(request):
    require(request.user, "view", Organisation)
    region = requested_region(request)
    form = PartnerFilterForm(request.GET)
    filters = form.filters()
    return render(
        request,
        "organisations/matrix.html",
        {
            "form": form,
            "region": region,
            "regions": Area.objects.regions(),
            "matrix": build_matrix(region, kind=filters["soort"], theme=filters["thema"]),
            "export_query": request.GET.urlencode(),
        },
    )


def matrix_export(request, file_format: str):
    require(request.user, "view", Organisation)
    region = requested_region(request)
    filters = PartnerFilterForm(request.GET).filters()
    return table_download(
        request,
        filename=f"wie-doet-wat-waar-{region.code}",
        file_format=file_format,
        title=_("Who does what where"),
        columns=EXPORT_COLUMNS,
        rows=lambda: build_matrix(region, kind=filters["soort"], theme=filters["thema"]).export_rows(),
    )
