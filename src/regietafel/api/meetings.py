"""The table's work in the REST API: meetings, decisions, actions and referrals.

Reading goes through the one access path. A beheerder plans meetings, whoever decides records decisions, an
action's owner changes its status (``PATCH /acties/{id}``), and the forum a question was referred to answers it
(``POST /doorverwijzingen/{id}/antwoord``), through the same forms and services as the pages, with the version the
caller saw: a change made meanwhile is a 409, never overwritten.
"""

import copy

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from regietafel.access.scope import get_or_404, principal, require
from regietafel.api.problems import Invalid
from regietafel.api.viewsets import (
    Conflict,
    FormWriteMixin,
    ScopedViewSet,
    by_code,
    by_name,
    filters_for,
    form_data,
    form_problems,
)
from regietafel.core.versioning import StaleEdit
from regietafel.meetings import services
from regietafel.meetings.forms import ActionForm, DecisionForm, MeetingForm, ReferralForm, SignalForm
from regietafel.meetings.models import Action, AgendaItem, Body, Decision, Forum, Meeting, Referral, Signal
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area, default_region_id


class MeetingSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.name")

    class Meta:
        model = Meeting
        fields = ["id", "body", "title", "starts_at", "ends_at", "place", "held_at", "is_demo"]


def version_read() -> serializers.IntegerField:
    """The ``version`` a change sends: the one it read (``core.versioning``)."""
    return serializers.IntegerField(min_value=1, help_text=_("The version read; a newer one is a conflict."))


class MeetingWrite(serializers.Serializer):
    """For the OpenAPI document; the page's form validates."""

    body = serializers.CharField(help_text="the body's name")
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True)
    participants = serializers.CharField(
        required=False, allow_blank=True, help_text="one per line (not read back)"
    )
    minutes = serializers.CharField(required=False, allow_blank=True, help_text="not read back")
    version = serializers.IntegerField(required=False, help_text="The version read (required to change).")


@extend_schema_view(
    create=extend_schema(request=MeetingWrite), partial_update=extend_schema(request=MeetingWrite)
)
class MeetingViewSet(FormWriteMixin, ScopedViewSet):
    """Meetings of the table and the bodies around it. A beheerder plans and changes them (``POST``, ``PATCH``)
    through the same form as the page; a new meeting takes up answered referrals waiting for an agenda."""

    queryset = Meeting.objects.select_related("body").order_by("starts_at", "id")
    serializer_class = MeetingSerializer
    filterset_class = filters_for(Meeting, area=None, period="starts_at", kind="datetime")
    write_form = MeetingForm
    # A changed version, or a held meeting that no longer changes: a conflict with the meeting's state (409).
    conflict_errors = (services.MeetingHeld,)
    lookups = {"body": by_name(lambda: Body.objects.all())}

    def form_kwargs(self, instance):
        return {"instance": copy.copy(instance) if instance else None}

    def stored(self, instance):
        return {**super().stored(instance), "version": instance.version}

    def save(self, form, instance):
        return services.save_meeting(
            form.save(commit=False), form.cleaned_data["version"] if instance else None
        )


class DecisionSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="agenda_item.meeting_id", read_only=True)
    agenda_item_title = serializers.CharField(source="agenda_item.title", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "agenda_item", "agenda_item_title", "text", "created_at"]
        read_only_fields = ["created_at"]


class DecisionWrite(serializers.Serializer):
    agenda_item = serializers.IntegerField(help_text="The id of the agenda item the decision is taken on.")
    text = serializers.CharField()


class DecisionViewSet(ScopedViewSet):
    """Decisions, with the meeting and agenda item they were taken on. Whoever decides in meetings (beheerder,
    bestuurder) records one on an agenda item with ``POST``."""

    queryset = Decision.objects.select_related("agenda_item").order_by("created_at", "id")
    serializer_class = DecisionSerializer
    filterset_class = filters_for(
        Decision, area=None, period="agenda_item__meeting__starts_at", kind="datetime"
    )

    @extend_schema(request=DecisionWrite, responses={201: DecisionSerializer})
    def create(self, request):
        require(request.user, "decide", AgendaItem)
        data = request.data if isinstance(request.data, dict) else {}
        item = get_or_404(AgendaItem, request.user, "decide", pk=_id(data.get("agenda_item"), "agenda_item"))
        form = DecisionForm(data=form_data(data, DecisionForm))
        if not form.is_valid():
            raise Invalid(form_problems(form))
        try:
            decision = services.add_decision(item, form.cleaned_data["text"])
        except services.MeetingHeld as exc:
            raise Conflict(str(exc)) from None
        return Response(
            DecisionSerializer(self.queryset.get(pk=decision.pk)).data, status=status.HTTP_201_CREATED
        )


class ActionSerializer(serializers.ModelSerializer):
    owner_organisation = serializers.CharField(
        source="owner_organisation.name", allow_null=True, default=None
    )

    class Meta:
        model = Action
        fields = ["id", "decision", "title", "owner_organisation", "deadline", "status", "version", "is_demo"]


class ActionChange(serializers.Serializer):
    status = serializers.ChoiceField(choices=Action.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    version = version_read()


class ActionCreate(serializers.Serializer):
    decision = serializers.IntegerField(help_text="The id of the decision the action comes from.")
    title = serializers.CharField(max_length=300)
    owner_organisation = serializers.IntegerField(help_text="The id of the organisation that carries it.")
    deadline = serializers.DateField()


class ActionViewSet(ScopedViewSet):
    """Actions from decisions, with their owner, deadline and status. ``periode`` filters on the deadline."""

    queryset = Action.objects.select_related("owner_organisation").order_by("deadline", "id")
    serializer_class = ActionSerializer
    filterset_class = filters_for(Action, area="owner_organisation__municipality", period="deadline")

    @extend_schema(request=ActionCreate, responses={201: ActionSerializer})
    def create(self, request):
        """A beheerder adds an action to a decision (as on the meeting page), owned by an organisation."""
        require(request.user, "add", Action)
        data = request.data if isinstance(request.data, dict) else {}
        decision = get_or_404(Decision, request.user, pk=_id(data.get("decision"), "decision"))
        form = ActionForm(data=form_data(data, ActionForm))
        if not form.is_valid():
            raise Invalid(form_problems(form))
        created = services.add_action(
            decision,
            form.cleaned_data["title"],
            form.cleaned_data["deadline"],
            request.user,
            owner_organisation=form.cleaned_data["owner_organisation"],
        )
        return Response(ActionSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActionChange, responses={200: ActionSerializer})
    def partial_update(self, request, pk=None):
        """Change the status (with a note, kept in the action's history)."""
        found = get_or_404(self.queryset, request.user, "change", pk=pk)
        change = ActionChange(data=request.data)
        change.is_valid(raise_exception=True)
        try:
            updated = services.save_action(
                found,
                change.validated_data["version"],
                request.user,
                status=change.validated_data["status"],
                note=change.validated_data["note"],
            )
        except StaleEdit as exc:
            raise Conflict(str(exc)) from None
        return Response(ActionSerializer(updated).data)


class ReferralSerializer(serializers.ModelSerializer):
    forum = serializers.CharField(source="forum.name")

    class Meta:
        model = Referral
        fields = [
            "id",
            "forum",
            "title",
            "question",
            "status",
            "sent_on",
            "answer",
            "answered_on",
            "version",
            "is_demo",
        ]


class ReferralClose(serializers.Serializer):
    version = version_read()


class ReferralAnswer(serializers.Serializer):
    answer = serializers.CharField()
    answered_on = serializers.DateField(required=False)
    version = version_read()


class ReferralCreate(serializers.Serializer):
    agenda_item = serializers.IntegerField(help_text="The id of the agenda item the question comes from.")
    forum = serializers.CharField(help_text="The name of the forum it is referred to.")
    title = serializers.CharField(max_length=200)
    question = serializers.CharField()
    sent_on = serializers.DateField()


class ReferralViewSet(ScopedViewSet):
    """Questions the table referred to other forums, and their answers. ``periode`` filters on the date sent."""

    queryset = Referral.objects.select_related("forum").order_by("sent_on", "id")
    serializer_class = ReferralSerializer
    filterset_class = filters_for(Referral, area="forum__organisation__municipality", period="sent_on")

    @extend_schema(request=ReferralCreate, responses={201: ReferralSerializer})
    def create(self, request):
        """A beheerder refers a question from an agenda item to another forum (as on the meeting page)."""
        require(request.user, "add", Referral)
        data = request.data if isinstance(request.data, dict) else {}
        item = get_or_404(AgendaItem, request.user, "change", pk=_id(data.get("agenda_item"), "agenda_item"))
        values = form_data(data, ReferralForm)
        if "forum" in values:
            values["forum"] = by_name(lambda: Forum.objects.all())(values["forum"])
        form = ReferralForm(data=values)
        if not form.is_valid():
            raise Invalid(form_problems(form))
        created = services.refer(
            item,
            form.cleaned_data["forum"],
            form.cleaned_data["title"],
            form.cleaned_data["question"],
            form.cleaned_data["sent_on"],
            request.user,
        )
        return Response(ReferralSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralClose, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"], url_path="sluiten")
    def close(self, request, pk=None):
        """A beheerder closes a referral once its answer has been dealt with."""
        require(request.user, "add", Referral)
        found = get_or_404(self.queryset, request.user, "change", pk=pk)
        body = ReferralClose(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            closed = services.close_referral(found, body.validated_data["version"])
        except StaleEdit as exc:
            raise Conflict(str(exc)) from None
        return Response(ReferralSerializer(closed).data)

    @extend_schema(request=ReferralAnswer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"], url_path="antwoord")
    def answer(self, request, pk=None):
        """Answer the question; it returns on the next agenda of the body that referred it."""
        found = get_or_404(self.queryset, request.user, "change", pk=pk)
        answer = ReferralAnswer(data=request.data)
        answer.is_valid(raise_exception=True)
        try:
            services.answer_referral(
                found,
                answer.validated_data["version"],
                answer.validated_data["answer"],
                answer.validated_data.get("answered_on") or timezone.localdate(),
            )
        except StaleEdit as exc:
            raise Conflict(str(exc)) from None
        found.refresh_from_db()
        return Response(ReferralSerializer(found).data)


def _id(value, name: str) -> int:
    text = str(value if value is not None else "")
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise Invalid([(name, _("Give an id (a whole number)."))])
    return int(text)


class SignalSerializer(serializers.ModelSerializer):
    raised_by = serializers.CharField(source="raised_by.name")
    municipalities = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Signal
        fields = [
            "id",
            "title",
            "description",
            "raised_by",
            "raised_on",
            "urgency",
            "group",
            "municipalities",
            "status",
            "outcome",
            "closed_on",
            "version",
            "is_demo",
        ]


class SignalWrite(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    raised_by = serializers.CharField(
        help_text="The name of the organisation that raises it; a municipality or partner raises for its own."
    )
    raised_on = serializers.DateField()
    urgency = serializers.ChoiceField(choices=Signal.Urgency.choices)
    group = serializers.ChoiceField(choices=Signal.Group.choices)
    municipalities = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="CBS codes, e.g. GM0177; none: the region."
    )


class SignalClose(serializers.Serializer):
    outcome = serializers.CharField()
    closed_on = serializers.DateField(required=False)
    version = version_read()


@extend_schema_view(create=extend_schema(request=SignalWrite, responses={201: SignalSerializer}))
class SignalViewSet(FormWriteMixin, ScopedViewSet):
    """Signals raised at the table (``periode`` filters on the date raised). A municipality or partner raises one
    for its own organisation (``POST``, through the page's form); the programme team closes it (``sluiten``)."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = (
        Signal.objects.select_related("raised_by")
        .prefetch_related("municipalities")
        .order_by("raised_on", "id")
    )
    serializer_class = SignalSerializer
    filterset_class = filters_for(Signal, area="municipalities", period="raised_on")

    write_form = SignalForm
    lookups = {
        "raised_by": by_name(lambda: Organisation.objects.all()),
        "municipalities": by_code(lambda: Area.objects.municipalities()),
    }
    service_errors = (services.SignalError,)

    def form_kwargs(self, instance):
        who = principal(self.request.user)
        return {
            "organisation": None if who.is_admin else who.organisation_id,
            "region": Area.objects.filter(pk=default_region_id()).first(),
        }

    def save(self, form, instance):
        return services.raise_signal(**form.cleaned_data, user=self.request.user)

    @extend_schema(request=SignalClose, responses={200: SignalSerializer})
    @action(detail=True, methods=["post"], url_path="sluiten")
    def close(self, request, pk=None):
        """The programme team closes a signal with what came of it."""
        found = get_or_404(self.queryset, request.user, "change", pk=pk)
        body = SignalClose(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            closed = services.close_signal(
                found,
                body.validated_data["version"],
                body.validated_data["outcome"],
                body.validated_data.get("closed_on") or timezone.localdate(),
            )
        except StaleEdit as exc:
            raise Conflict(str(exc)) from None
        except services.SignalError as exc:
            raise Invalid([("", str(exc))]) from None
        return Response(SignalSerializer(self.queryset.get(pk=closed.pk)).data)
