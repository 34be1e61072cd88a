"""Meetings, agendas, decisions, actions and referrals. Views parse and validate; services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from regietafel.access.scope import can, get_or_404, principal, require, restrict
from regietafel.audit.models import Action as Processing
from regietafel.audit.models import Activity, Channel
from regietafel.audit.services import record
from regietafel.core.downloads import table_download
from regietafel.core.tables import Heading
from regietafel.core.versioning import StaleEdit
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.meetings import calendar, services
from regietafel.meetings.forms import (
    ActionForm,
    ActionUpdateForm,
    AnswerForm,
    BodyForm,
    DecisionForm,
    DocumentForm,
    ForumForm,
    ItemForm,
    MeetingForm,
    MemberForm,
    MoveForm,
    ReferralForm,
    SignalAgendaForm,
    SignalCloseForm,
    SignalForm,
)
from regietafel.meetings.models import (
    Action,
    AgendaItem,
    Body,
    BodyMember,
    CalendarFeed,
    Decision,
    Document,
    Forum,
    Meeting,
    Referral,
    Signal,
)
from regietafel.monitor.tables import housing_table, readable
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area, default_region_id


def meeting_list(request):
    require(request.user, "view", Meeting)
    now = timezone.now()
    meetings = restrict(Meeting.objects.select_related("body"), request.user)
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at"),
            "past": meetings.filter(starts_at__lt=now).order_by("-starts_at")[:30],
        },
    )


def meeting_create(request):
    require(request.user, "add", Meeting)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.save_meeting(form.save(commit=False))
        messages.success(request, _("The meeting was created."))
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form})


def meeting_edit(request, pk: int):
    meeting = get_or_404(Meeting, request.user, "change", pk=pk)
    form = MeetingForm(request.POST or None, instance=meeting, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_meeting(form.save(commit=False), form.cleaned_data["version"])
        except (StaleEdit, services.MeetingHeld) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


def _items(meeting: Meeting):
    return meeting.items.prefetch_related(
        "documents",
        Prefetch(
            "decisions",
            queryset=Decision.objects.prefetch_related("actions__owner_user", "actions__owner_organisation"),
        ),
        Prefetch("referrals_made", queryset=Referral.objects.select_related("forum")),
    ).select_related("referral__forum", "signal__raised_by")


def meeting_detail(request, pk: int):
    meeting = get_or_404(Meeting.objects.select_related("body__region"), request.user, pk=pk)
    items = list(_items(meeting))
    live = {}
    if meeting.held_at is None and meeting.body.region:
        ledger = None
        for item in items:
            if item.monitor_half_year:
                ledger = ledger or HousingLedger(meeting.body.region)
                table = housing_table(ledger, HalfYear.parse(item.monitor_half_year))
                columns = [column.key for column in table.export_columns()]
                live[item.pk] = {"columns": columns, "rows": table.export_rows()}
    later = Meeting.objects.filter(body=meeting.body, starts_at__gt=meeting.starts_at, held_at=None).order_by(
        "starts_at"
    )
    today = timezone.localdate()
    rows = []
    for item in items:
        # Each item has its own small forms; distinct ids keep labels and fields paired on one page.
        prefix = f"punt{item.pk}_%s"
        rows.append(
            {
                "item": item,
                "monitor": readable(monitor) if (monitor := live.get(item.pk) or item.snapshot) else None,
                "decisions": [
                    (decision, ActionForm(auto_id=f"besluit{decision.pk}_%s"))
                    for decision in item.decisions.all()
                ],
                "decision_form": DecisionForm(auto_id=prefix),
                "referral_form": ReferralForm(auto_id=prefix, initial={"sent_on": today}),
                "document_form": DocumentForm(auto_id=prefix),
            }
        )
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "rows": rows,
            "later_meetings": later,
            "item_form": ItemForm(initial={"version": meeting.version}),
            "awaiting": services.referrals_awaiting_agenda(meeting.body),
            "today": today,
        },
    )


def _back(meeting_id: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("meetings:detail", args=[meeting_id]) + (f"#{anchor}" if anchor else ""))


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
def item_add(request, pk: int):
    meeting = get_or_404(Meeting, request.user, "change", pk=pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.add_item(
                meeting,
                form.cleaned_data["version"],
                form.cleaned_data["title"],
                form.cleaned_data["description"],
                form.cleaned_data["monitor_half_year"],
            )
        except (StaleEdit, services.MeetingHeld) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Agenda item added."))
            return _back(meeting.pk, f"punt-{item.pk}")
    else:
        _form_errors(request, form)
    return _back(meeting.pk, "nieuw-punt")


@require_POST
def item_move(request, pk: int):
    item = get_or_404(AgendaItem, request.user, "change", pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(item.meeting_id)
    data = form.cleaned_data
    try:
        if data["direction"] == "meeting":
            if data["target"] is None:
                messages.error(request, _("Choose the meeting to move the item to."))
                return _back(item.meeting_id, f"punt-{item.pk}")
            services.move_item_to_meeting(item, data["version"], data["target"], data["target_version"] or 0)
            messages.success(request, _("The item was moved to %(meeting)s.") % {"meeting": data["target"]})
        else:
            services.move_item(item, data["version"], -1 if data["direction"] == "up" else 1)
    except StaleEdit:
        messages.error(
            request,
            _(
                "Someone else changed this agenda while you were looking at it. Check the order below and try again."
            ),
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    return _back(item.meeting_id, f"punt-{item.pk}")


@require_POST
def document_add(request, pk: int):
    item = get_or_404(AgendaItem, request.user, "change", pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(item, form.cleaned_data["file"], request.user)
        except services.MeetingHeld as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Document attached."))
    else:
        _form_errors(request, form)
    return _back(item.meeting_id, f"punt-{item.pk}")


def document_download(request, pk: int):
    document = get_or_404(Document, request.user, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.name)


@require_POST
def decision_add(request, pk: int):
    item = get_or_404(AgendaItem, request.user, "decide", pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.add_decision(item, form.cleaned_data["text"])
        except services.MeetingHeld as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Decision recorded."))
    else:
        _form_errors(request, form)
    return _back(item.meeting_id, f"punt-{item.pk}")


@require_POST
def action_add(request, pk: int):
    require(request.user, "add", Action)
    decision = get_or_404(Decision.objects.select_related("agenda_item"), request.user, pk=pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.add_action(
            decision,
            data["title"],
            data["deadline"],
            request.user,
            owner_user=data["owner_user"],
            owner_organisation=data["owner_organisation"],
        )
        messages.success(request, _("Action added."))
    else:
        _form_errors(request, form)
    return _back(decision.agenda_item.meeting_id, f"punt-{decision.agenda_item_id}")


def _meeting_step(request, pk: int, step, done: str) -> HttpResponse:
    """Apply a step to the meeting the user may change, with the version their page showed (hold, publish)."""
    meeting = get_or_404(Meeting, request.user, "change", pk=pk)
    try:
        step(meeting, int(request.POST.get("version", 0)))
    except services.MeetingHeld as exc:
        messages.error(request, str(exc))
    except (StaleEdit, ValueError):
        messages.error(request, _("Someone else changed this meeting. Check it and try again."))
    else:
        messages.success(request, done % {"body": meeting.body})
    return _back(meeting.pk)


@require_POST
def meeting_hold(request, pk: int):
    return _meeting_step(
        request,
        pk,
        services.hold_meeting,
        _("The meeting is marked as held; its monitor figures are frozen."),
    )


@require_POST
def meeting_publish(request, pk: int):
    return _meeting_step(
        request, pk, services.publish_agenda, _("The agenda is published; the members of %(body)s are told.")
    )


def meeting_ics(request, pk: int):
    meeting = get_or_404(Meeting.objects.select_related("body"), request.user, pk=pk)
    response = HttpResponse(calendar.to_ics([meeting], request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vergadering-{meeting.pk}.ics"'
    return response


def calendar_ics(request):
    require(request.user, "view", Meeting)
    meetings = restrict(Meeting.objects.select_related("body").order_by("starts_at"), request.user)
    response = HttpResponse(calendar.to_ics(meetings, request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="regietafel.ics"'
    return response


# A personal calendar subscription: the meetings of the bodies one sits in, for a calendar app without a login.


@require_http_methods(["GET", "POST"])
def subscription(request):
    key = None
    if request.method == "POST" and request.POST.get("action") == "new":
        key = services.new_calendar_feed(request.user)
    elif request.method == "POST" and request.POST.get("action") == "revoke":
        services.revoke_calendar_feeds(request.user)
        messages.success(
            request, _("Your calendar address was revoked: calendars that use it get nothing more.")
        )
        return redirect("meetings:subscription")
    return render(
        request,
        "meetings/subscription.html",
        {
            # Shown once, in this answer only (never in a message or a log line).
            "address": request.build_absolute_uri(reverse("meetings:subscription_ics", args=[key]))
            if key
            else None,
            "feed": CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first(),
            "seats": BodyMember.objects.filter(user=request.user).select_related("body"),
        },
    )


@login_not_required
@never_cache
def subscription_ics(request, key: str):
    feed = services.calendar_feed(key)
    if feed is None:
        raise Http404
    response = HttpResponse(
        calendar.to_ics(services.subscribed_meetings(feed.user), request),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="regietafel.ics"'
    return response


# Actions ------------------------------------------------------------------------------------------------


def action_list(request):
    require(request.user, "view", Action)
    actions = restrict(
        Action.objects.select_related("owner_user", "owner_organisation", "decision__agenda_item__meeting"),
        request.user,
    )
    title = _("All actions")
    scope = request.GET.get("voor")
    organisation = None
    if scope == "mij":
        actions = actions.filter(owner_user=request.user)
        title = _("My actions")
    elif request.GET.get("organisatie"):
        organisation = get_or_404(Organisation, request.user, pk=_number(request.GET["organisatie"]))
        actions = actions.filter(owner_organisation=organisation)
        title = _("Actions of %(organisation)s") % {"organisation": organisation}
    status = request.GET.get("status", "open")
    if status == "open":
        actions = actions.filter(status__in=Action.OPEN_STATUSES)
    elif status in Action.Status.values:
        actions = actions.filter(status=status)
    return render(
        request,
        "meetings/actions.html",
        {
            "actions": actions,
            "title": title,
            "status": status,
            "statuses": Action.Status.choices,
            "organisations": Organisation.objects.filter(pk__in=actions.values("owner_organisation")),
            "organisation": organisation,
            "scope": scope,
            "today": timezone.localdate(),
        },
    )


def action_detail(request, pk: int):
    action = get_or_404(
        Action.objects.select_related("owner_user", "owner_organisation", "decision__agenda_item__meeting"),
        request.user,
        pk=pk,
    )
    may_change = can(request.user, "change", action)
    # Whoever an action is assigned to may report its status; only the program team reassigns or rewords it.
    may_edit_all = can(request.user, "add", Action)
    if request.method == "POST" and not may_change:
        raise Http404
    initial = {
        "title": action.title,
        "owner_user": action.owner_user,
        "owner_organisation": action.owner_organisation,
        "deadline": action.deadline,
        "status": action.status,
        "version": action.version,
    }
    form = ActionUpdateForm(request.POST or None, initial=initial)
    if not may_edit_all:
        for name in ("title", "owner_user", "owner_organisation", "deadline"):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_action(
                action,
                data["version"],
                request.user,
                status=data["status"],
                note=data["note"],
                title=data["title"],
                owner_user=data["owner_user"],
                owner_organisation=data["owner_organisation"],
                deadline=data["deadline"],
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The action was saved."))
            return redirect("meetings:action", pk=action.pk)
    return render(
        request,
        "meetings/action.html",
        {
            "action": action,
            "form": form,
            "history": action.history.select_related("changed_by"),
            "today": timezone.localdate(),
        },
    )


# Referrals ----------------------------------------------------------------------------------------------


@require_POST
def refer(request, pk: int):
    require(request.user, "add", Referral)
    item = get_or_404(AgendaItem, request.user, "change", pk=pk)
    form = ReferralForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.refer(item, data["forum"], data["title"], data["question"], data["sent_on"], request.user)
        messages.success(request, _("Referred to %(forum)s.") % {"forum": data["forum"]})
    else:
        _form_errors(request, form)
    return _back(item.meeting_id, f"punt-{item.pk}")


def referral_list(request):
    require(request.user, "view", Referral)
    referrals = restrict(
        Referral.objects.select_related("origin__meeting").order_by("-sent_on"), request.user
    )
    forums = (
        Forum.objects.filter(pk__in=referrals.values("forum"))
        if not can(request.user, "view", Forum)
        else Forum.objects.all()
    )
    forums = forums.prefetch_related(Prefetch("referrals", queryset=referrals))
    return render(request, "meetings/referrals.html", {"forums": forums, "today": timezone.localdate()})


def referral_detail(request, pk: int):
    referral = get_or_404(Referral.objects.select_related("forum", "origin__meeting"), request.user, pk=pk)
    may_answer = can(request.user, "change", referral)
    if request.method == "POST" and (
        not may_answer or ("close" in request.POST and not can(request.user, "add", Referral))
    ):
        raise Http404
    form = AnswerForm(
        request.POST or None,
        initial={"version": referral.version, "answered_on": timezone.localdate(), "answer": referral.answer},
    )
    if request.method == "POST" and "close" in request.POST:
        try:
            services.close_referral(referral, int(request.POST.get("version", 0)))
        except (StaleEdit, ValueError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The referral is closed."))
        return redirect("meetings:referral", pk=referral.pk)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.answer_referral(
                referral,
                form.cleaned_data["version"],
                form.cleaned_data["answer"],
                form.cleaned_data["answered_on"],
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        else:
            if item is not None:
                messages.success(
                    request,
                    _("Answer recorded; it is on the agenda of %(meeting)s.") % {"meeting": item.meeting},
                )
            else:
                messages.success(
                    request, _("Answer recorded; it goes on the agenda of the next meeting once planned.")
                )
            return redirect("meetings:referral", pk=referral.pk)
    return render(
        request,
        "meetings/referral.html",
        {
            "referral": referral,
            "form": form,
            "returned_on": referral.agenda_items.select_related("meeting"),
        },
    )


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise Http404 from None


# Bodies and forums: the table's own set-up ----------------------------------------------------------------


def body_list(request):
    require(request.user, "view", Body)
    bodies = restrict(
        Body.objects.select_related("region").annotate(
            member_count=Count("members", distinct=True), meeting_count=Count("meetings", distinct=True)
        ),
        request.user,
    )
    return render(
        request, "meetings/bodies.html", {"bodies": bodies, "may_add": can(request.user, "add", Body)}
    )


def body_detail(request, pk: int):
    body = get_or_404(Body.objects.select_related("region"), request.user, pk=pk)
    members = list(body.members.select_related("organisation", "user"))
    # Members are people with their work details, read like the partner register's contacts.
    record(
        request, subjects=members, action=Processing.READ, channel=Channel.PAGE, activity=Activity.PARTNERS
    )
    may_change = can(request.user, "change", body)
    return render(
        request,
        "meetings/body.html",
        {
            "body": body,
            "members": members,
            "may_change": may_change,
            "form": MemberForm(initial={"version": body.version}) if may_change else None,
            "upcoming": restrict(body.meetings.filter(starts_at__gte=timezone.now()), request.user).order_by(
                "starts_at"
            )[:5],
        },
    )


def _save_record(form, save) -> object | None:
    """Save a valid set-up form through its service; a refusal (a stale edit, a rule) shows on the form."""
    try:
        return save(form.save(commit=False), form.cleaned_data.get("version"))
    except (StaleEdit, services.SetUpError) as exc:
        form.add_error(None, str(exc))
        return None


def _set_up(request, kind: str, pk: int | None, created: str):
    """A body's or forum's page form: create one (``pk`` None) or edit it with the version its user read."""
    model, form_class, save = {
        "body": (Body, BodyForm, services.save_body),
        "forum": (Forum, ForumForm, services.save_forum),
    }[kind]
    record = get_or_404(model, request.user, "change", pk=pk) if pk else None
    if record is None:
        require(request.user, "add", model)
    form = form_class(
        request.POST or None, instance=record, initial={"version": record.version} if record else None
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_record(form, save)
        if saved is not None:
            message = created if record is None else _("The changes to %(name)s were saved.")
            messages.success(request, message % {"name": saved.name})
            return redirect("meetings:body", pk=saved.pk) if kind == "body" else redirect("meetings:forums")
    # The form may have put the user's input on the instance: the heading shows the stored record.
    stored = get_or_404(model, request.user, pk=pk) if pk else None
    return render(request, "meetings/setup_form.html", {"form": form, "kind": kind, "record": stored})


def body_create(request):
    return _set_up(request, "body", None, _("%(name)s was created. Add its members below."))


def body_edit(request, pk: int):
    return _set_up(request, "body", pk, "")


@require_POST
def member_add(request, pk: int):
    body = get_or_404(Body, request.user, "change", pk=pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            member = services.save_member(body, form.cleaned_data["version"], form.save(commit=False))
        except (StaleEdit, services.SetUpError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(name)s was added.") % {"name": member.name})
    else:
        _form_errors(request, form)
    return redirect(reverse("meetings:body", args=[pk]) + "#members")


def member_edit(request, pk: int, member_pk: int):
    body = get_or_404(Body, request.user, "change", pk=pk)
    member = get_or_404(BodyMember, request.user, "change", pk=member_pk, body=body)
    record(
        request, subjects=[member], action=Processing.READ, channel=Channel.PAGE, activity=Activity.PARTNERS
    )
    form = MemberForm(request.POST or None, instance=member, initial={"version": body.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_member(body, form.cleaned_data["version"], form.save(commit=False))
        except (StaleEdit, services.SetUpError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The member was saved."))
            return redirect(reverse("meetings:body", args=[pk]) + "#members")
    return render(request, "meetings/member_form.html", {"form": form, "body": body, "member": member})


@require_POST
def member_remove(request, pk: int, member_pk: int):
    body = get_or_404(Body, request.user, "change", pk=pk)
    member = get_or_404(BodyMember, request.user, "delete", pk=member_pk, body=body)
    try:
        version = request.POST.get("version", "")
        services.remove_member(member, int(version) if version.isdigit() else None)
    except StaleEdit as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(name)s no longer sits in %(body)s.") % {"name": member.name, "body": body.name}
        )
    return redirect(reverse("meetings:body", args=[pk]) + "#members")


def forum_list(request):
    require(request.user, "view", Forum)
    forums = restrict(Forum.objects.select_related("organisation"), request.user).annotate(
        referral_count=Count("referrals", distinct=True),
        open_count=Count("referrals", filter=Q(referrals__status=Referral.Status.SENT), distinct=True),
    )
    return render(
        request,
        "meetings/forums.html",
        {
            "forums": forums,
            "may_add": can(request.user, "add", Forum),
            "municipalities_without": services.municipalities_without_forum(),
        },
    )


def forum_create(request):
    return _set_up(request, "forum", None, _("%(name)s was added."))


def forum_edit(request, pk: int):
    return _set_up(request, "forum", pk, "")


@require_POST
def municipality_forums(request):
    require(request.user, "add", Forum)
    added = services.add_municipality_forums()
    messages.success(
        request,
        ngettext(
            "%(count)d forum was added: a question can now go back to that municipality.",
            "%(count)d forums were added: a question can now go back to each municipality.",
            len(added),
        )
        % {"count": len(added)},
    )
    return redirect("meetings:forums")


# Signals ------------------------------------------------------------------------------------------------------

SIGNAL_COLUMNS = ("title", "raised_by", "raised_on", "urgency", "group", "status", "closed_on", "outcome")


def _signals(request):
    return restrict(
        Signal.objects.select_related("raised_by").prefetch_related("municipalities"), request.user
    ).order_by("-raised_on", "-id")


def signal_list(request):
    require(request.user, "view", Signal)
    signals = list(_signals(request))
    return render(
        request,
        "meetings/signals.html",
        {
            "open": [signal for signal in signals if signal.is_open],
            "closed": [signal for signal in signals if not signal.is_open],
            "may_add": can(request.user, "add", Signal),
        },
    )


def signal_export(request, file_format: str):
    require(request.user, "view", Signal)
    fields = {name: Signal._meta.get_field(name) for name in SIGNAL_COLUMNS}
    columns = [
        Heading(name, field.verbose_name, dict(field.choices or ())) for name, field in fields.items()
    ] + [Heading("municipalities", Signal._meta.get_field("municipalities").verbose_name)]
    return table_download(
        request,
        filename="signalen",
        file_format=file_format,
        title=_("Signals"),
        columns=columns,
        rows=lambda: (
            {
                **{name: getattr(signal, name) for name in SIGNAL_COLUMNS},
                "raised_by": signal.raised_by.name,
                "municipalities": ", ".join(area.name for area in signal.municipalities.all()),
            }
            for signal in _signals(request)
        ),
    )


@require_http_methods(["GET", "POST"])
def signal_create(request):
    require(request.user, "add", Signal)
    who = principal(request.user)
    form = SignalForm(
        request.POST or None,
        initial={"raised_on": timezone.localdate()},
        organisation=None if who.is_admin else who.organisation_id,
        region=Area.objects.filter(pk=default_region_id()).first(),
    )
    if request.method == "POST" and form.is_valid():
        signal = services.raise_signal(**form.cleaned_data, user=request.user)
        messages.success(request, _("The signal was recorded."))
        return redirect("meetings:signal", pk=signal.pk)
    return render(request, "meetings/signal_form.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def signal_detail(request, pk: int):
    signal = get_or_404(_signals(request), request.user, pk=pk)
    may_change = can(request.user, "change", signal)
    if request.method == "POST" and not may_change:
        raise Http404
    meetings = restrict(
        Meeting.objects.filter(held_at=None, starts_at__date__gte=timezone.localdate()).order_by("starts_at"),
        request.user,
        "change",
    )
    agenda_form = SignalAgendaForm(
        request.POST if "agenda" in request.POST else None,
        initial={"version": signal.version},
        meetings=meetings,
        prefix="agenda",
    )
    close_form = SignalCloseForm(
        request.POST if "close" in request.POST else None,
        initial={"version": signal.version, "closed_on": timezone.localdate()},
        prefix="close",
    )
    for name, form in (("agenda", agenda_form), ("close", close_form)):
        if request.method == "POST" and name in request.POST and form.is_valid():
            data = form.cleaned_data
            try:
                if name == "agenda":
                    item = services.put_signal_on_agenda(signal, data["version"], data["meeting"])
                    done = _("The signal is on the agenda of %(meeting)s.") % {"meeting": item.meeting}
                else:
                    services.close_signal(signal, data["version"], data["outcome"], data["closed_on"])
                    done = _("The signal is closed.")
            except (StaleEdit, services.SignalError, services.MeetingHeld) as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, done)
                return redirect("meetings:signal", pk=signal.pk)
    items = restrict(signal.agenda_items.select_related("meeting"), request.user)
    actions = restrict(
        Action.objects.filter(decision__agenda_item__signal=signal).select_related("owner_organisation"),
        request.user,
    )
    errors = agenda_form.errors or close_form.errors
    return render(
        request,
        "meetings/signal.html",
        {
            "signal": signal,
            "may_change": may_change,
            "agenda_form": agenda_form,
            "close_form": close_form,
            "items": items,
            "actions": actions,
        },
        status=400 if errors else 200,
    )
