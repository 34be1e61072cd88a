"""The table's work in the REST API: meetings, decisions, actions and referrals.

Reading goes through the one access path. An action's owner may change its status (``PATCH /acties/{id}``), and the
forum a question was referred to may answer it (``POST /doorverwijzingen/{id}/antwoord``), through the same services
as the pages, with the version the caller saw: a change made meanwhile is a 409, never overwritten.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from regietafel.access.scope import get_or_404
from regietafel.api.viewsets import Conflict, ScopedViewSet, filters_for
from regietafel.meetings import services
from regietafel.meetings.models import Action, Decision, Meeting, Referral


class MeetingSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.name")

    class Meta:
        model = Meeting
        fields = ["id", "body", "title", "starts_at", "ends_at", "place", "held_at", "is_demo"]


class MeetingViewSet(ScopedViewSet):
    """Meetings of the table and the bodies around it."""

    queryset = Meeting.objects.select_related("body").order_by("starts_at", "id")
    serializer_class = MeetingSerializer
    filterset_class = filters_for(Meeting, area=None, period="starts_at", kind="datetime")


class DecisionSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="agenda_item.meeting_id")
    agenda_item = serializers.CharField(source="agenda_item.title")

    class Meta:
        model = Decision
        fields = ["id", "meeting", "agenda_item", "text", "created_at"]


class DecisionViewSet(ScopedViewSet):
    """Decisions, with the meeting and agenda item they were taken on."""

    queryset = Decision.objects.select_related("agenda_item").order_by("created_at", "id")
    serializer_class = DecisionSerializer
    filterset_class = filters_for(
        Decision, area=None, period="agenda_item__meeting__starts_at", kind="datetime"
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
