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

from regietafel.access.scope import get_or_404, require
from regietafel.api.problems import Invalid
from regietafel.api.viewsets import (
    Conflict,
    FormWriteMixin,
    ScopedViewSet,
    by_name,
    filters_for,
    form_data,
    form_problems,
)
from regietafel.meetings import services
from regietafel.meetings.forms import DecisionForm, MeetingForm
from regietafel.meetings.models import Action, AgendaItem, Body, Decision, Meeting, Referral


class MeetingSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.name")

    class Meta:
        model = Meeting
        fields = ["id", "body", "title", "starts_at", "ends_at", "place", "held_at", "is_demo"]


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
    stale_errors = (services.StaleEdit,)
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
        item_id = str(data.get("agenda_item") or "")
        if not (item_id.isascii() and item_id.isdigit() and len(item_id) <= 18):
            raise Invalid([{"name": "agenda_item", "reason": _("Give the id of the agenda item.")}])
        item = get_or_404(AgendaItem, request.user, "decide", pk=int(item_id))
        form = DecisionForm(data=form_data(data, DecisionForm))
        if not form.is_valid():
            raise Invalid(form_problems(form))
        decision = services.add_decision(item, form.cleaned_data["text"])
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
    version = serializers.IntegerField(
        min_value=1, help_text=_("The version read; a newer one is a conflict.")
    )


class ActionViewSet(ScopedViewSet):
    """Actions from decisions, with their owner, deadline and status. ``periode`` filters on the deadline."""

    queryset = Action.objects.select_related("owner_organisation").order_by("deadline", "id")
    serializer_class = ActionSerializer
    filterset_class = filters_for(Action, area="owner_organisation__municipality", period="deadline")

    @extend_schema(request=ActionChange, responses={200: ActionSerializer})
    def partial_update(self, request, pk=None):
        """Change the status (with a note, kept in the action's history)."""
        found = get_or_404(self.queryset, request.user, "change", pk=pk)
        change = ActionChange(data=request.data)
        change.is_valid(raise_exception=True)
        try:
            updated = services.update_action(
                found,
                change.validated_data["version"],
                request.user,
                status=change.validated_data["status"],
                note=change.validated_data["note"],
            )
        except services.StaleEdit as exc:
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


class ReferralAnswer(serializers.Serializer):
    answer = serializers.CharField()
    answered_on = serializers.DateField(required=False)
    version = serializers.IntegerField(
        min_value=1, help_text=_("The version read; a newer one is a conflict.")
    )


class ReferralViewSet(ScopedViewSet):
    """Questions the table referred to other forums, and their answers. ``periode`` filters on the date sent."""

    queryset = Referral.objects.select_related("forum").order_by("sent_on", "id")
    serializer_class = ReferralSerializer
    filterset_class = filters_for(Referral, area="forum__organisation__municipality", period="sent_on")

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
        except services.StaleEdit as exc:
            raise Conflict(str(exc)) from None
        found.refresh_from_db()
        return Response(ReferralSerializer(found).data)
