"""Administration for the program team: users and their roles, and the processing log."""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from regietafel.access.models import Membership, Role, SystemToken, TwoFactorRule
from regietafel.access.scope import get_or_404, personal_models, require, restrict
from regietafel.accounts import services
from regietafel.accounts.forms import (
    ActiveForm,
    AssignForm,
    HistoryFilterForm,
    InviteForm,
    LogFilterForm,
    TokenForm,
    TwoFactorRulesForm,
)
from regietafel.audit.models import ProcessingLog, data_kinds
from regietafel.core.downloads import table_download
from regietafel.core.tables import Heading
from regietafel.core.versioning import StaleEdit

LOG_PAGE_SIZE = 100
LOG_COLUMNS = [
    "at",
    "actor",
    "organisation",
    "role",
    "activity",
    "action",
    "channel",
    "object_type",
    "subject",
]
LOG_COLUMNS += ["result", "request_id"]


@require_GET
def user_list(request):
    require(request.user, "view", get_user_model())
    users = list(
        restrict(
            # A token's system account is managed on the tokens page.
            get_user_model()
            .objects.filter(system_token__isnull=True)
            .select_related("membership__organisation"),
            request.user,
        ).order_by("username")
    )
    pending = [user for user in users if _role(user) == Role.NONE and not user.is_superuser]
    with_code = set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )
    return render(
        request,
        "accounts/users.html",
        {
            "users": [(user, user.pk in with_code) for user in users],
            "pending": pending,
            "rules": TwoFactorRulesForm(
                initial={"roles": list(TwoFactorRule.objects.values_list("role", flat=True))}
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def invite(request):
    require(request.user, "add", get_user_model())
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invite(request, **form.cleaned_data)
        except services.AccessError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s was invited: the e-mail with the link to choose a password is on its way.")
                % {"name": user.first_name},
            )
            return redirect("access:user", pk=user.pk)
    return render(request, "accounts/invite.html", {"form": form}, status=400 if form.errors else 200)


# The account changes a beheerder can make on a user's page: each with a reason, kept with the role changes.
ACCOUNT_CHANGES = {
    "deactivate": lambda request, user, reason: services.set_active(
        request, user, active=False, reason=reason
    ),
    "activate": lambda request, user, reason: services.set_active(request, user, active=True, reason=reason),
    "two_factor_off": lambda request, user, reason: services.turn_off_two_factor(
        request, user, reason=reason
    ),
    "unlock": lambda request, user, reason: services.unlock(request, user, reason=reason),
}


@require_POST
def user_account(request, pk: int):
    subject = get_or_404(
        get_user_model().objects.filter(system_token__isnull=True), request.user, "change", pk=pk
    )
    change = request.POST.get("change", "")
    if change not in ACCOUNT_CHANGES:
        messages.error(request, _("Choose what to change."))
        return redirect("access:user", pk=subject.pk)
    form = ActiveForm(request.POST, prefix=change)
    if form.is_valid():
        try:
            ACCOUNT_CHANGES[change](request, subject, form.cleaned_data["reason"])
        except services.AccessError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The account was saved."))
    else:
        messages.error(request, _("Say why."))
    return redirect("access:user", pk=subject.pk)


@require_POST
def two_factor_rules(request):
    require(request.user, "change", get_user_model())
    form = TwoFactorRulesForm(request.POST)
    if form.is_valid():
        services.set_two_factor_roles(request, set(form.cleaned_data["roles"]))
        messages.success(request, _("The two-factor rules were saved."))
    return redirect("access:users")


def _role(user) -> str:
    try:
        return user.membership.role
    except Membership.DoesNotExist:
        return Role.NONE


@require_http_methods(["GET", "POST"])
def user_detail(request, pk: int):
    subject = get_or_404(
        get_user_model().objects.filter(system_token__isnull=True), request.user, "change", pk=pk
    )
    membership = Membership.objects.filter(user=subject).select_related("organisation").first()
    initial = {
        "organisation": membership.organisation if membership else None,
        "role": membership.role if membership else Role.NONE,
        "version": membership.version if membership else None,
    }
    form = AssignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign(
                request,
                subject,
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except (services.AccessError, StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The role of %(user)s was saved.") % {"user": subject.get_username()})
            return redirect("access:user", pk=subject.pk)
    return render(
        request,
        "accounts/user.html",
        {
            "subject": subject,
            "membership": membership,
            "form": form,
            "changes": subject.role_changes.all()[:50],
            "account_forms": {change: ActiveForm(prefix=change) for change in ACCOUNT_CHANGES},
            "has_code": TOTPDevice.objects.filter(user=subject, confirmed=True).exists(),
            "locked_until": services.locked_until(subject),
            "identities": subject.external_identities.all(),
        },
        status=400 if form.errors else 200,
    )


def _log(request):
    require(request.user, "view", ProcessingLog)
    form = LogFilterForm(request.GET or None)
    return form, form.filter(restrict(ProcessingLog.objects.all(), request.user))


@require_GET
def log(request):
    form, lines = _log(request)
    page = Paginator(lines, LOG_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "accounts/log.html", {"form": form, "page": page})


def _recorded_kinds() -> dict[int, str]:
    """The kinds of data whose changes the record history keeps, by content type, as people read them; without
    person-level data, whose history is shown (and its reading logged) on the record's own page only."""
    personal = set(personal_models())
    models = [model for model in auditlog.get_models() if model._meta.label not in personal]
    return {
        content_type.pk: capfirst(model._meta.verbose_name_plural)
        for model, content_type in ContentType.objects.get_for_models(*models).items()
    }


@require_GET
def history(request):
    """Every recorded change of the region's set-up, table and register data: who changed what, old and new."""
    require(request.user, "view", ProcessingLog)
    kinds = _recorded_kinds()
    form = HistoryFilterForm(request.GET or None, kinds=kinds)
    entries = form.filter(
        LogEntry.objects.filter(content_type__in=kinds).select_related("actor").order_by("-timestamp", "-pk")
    )
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("pagina"))
    for entry in page.object_list:
        entry.kind = kinds[entry.content_type_id]
    return render(request, "accounts/history.html", {"form": form, "page": page})


@require_GET
def log_export(request):
    form, lines = _log(request)
    fields = {name: ProcessingLog._meta.get_field(name) for name in LOG_COLUMNS}
    choices = {name: dict(field.choices or ()) for name, field in fields.items()}
    choices |= {"role": dict(Role.choices), "object_type": data_kinds()}
    return table_download(
        request,
        filename="logboek-dataverwerkingen",
        file_format="csv",
        title=_("Processing log"),
        columns=[Heading(name, field.verbose_name, choices[name]) for name, field in fields.items()],
        rows=lambda: (
            {**{name: getattr(line, name) for name in LOG_COLUMNS}, "at": _moment(line.at)} for line in lines
        ),
    )


def _moment(at) -> str:
    return timezone.localtime(at).isoformat(timespec="seconds")


@require_http_methods(["GET", "POST"])
def tokens(request):
    """API tokens for systems: issue one (its key is shown once), see when each was last used, revoke."""
    require(request.user, "add", SystemToken)
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.issue_token(request, **form.cleaned_data)
        except (services.AccessError, StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            issued = {"token": token, "key": key}
            form = TokenForm()
    listed = restrict(
        SystemToken.objects.select_related("user__membership__organisation", "created_by"), request.user
    )
    return render(request, "accounts/tokens.html", {"form": form, "tokens": listed, "issued": issued})


@require_http_methods(["GET", "POST"])
def token_revoke(request, prefix: str):
    token = get_or_404(SystemToken.objects.select_related("user"), request.user, "change", prefix=prefix)
    if request.method == "POST":
        services.revoke_token(request, token)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("access:tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})
