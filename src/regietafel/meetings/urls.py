from django.urls import path

from regietafel.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("agenda.ics", views.calendar_ics, name="calendar"),
    path("agenda-abonnement/", views.subscription, name="subscription"),
    path("agenda/<str:key>.ics", views.subscription_ics, name="subscription_ics"),
    path("vergadering/nieuw/", views.meeting_create, name="create"),
    path("vergadering/<int:pk>/", views.meeting_detail, name="detail"),
    path("vergadering/<int:pk>/bewerken/", views.meeting_edit, name="edit"),
    path("vergadering/<int:pk>/agendapunt/", views.item_add, name="item_add"),
    path("vergadering/<int:pk>/gehouden/", views.meeting_hold, name="hold"),
    path("vergadering/<int:pk>/agenda-publiceren/", views.meeting_publish, name="publish"),
    path("vergadering/<int:pk>/vergadering.ics", views.meeting_ics, name="ics"),
    path("agendapunt/<int:pk>/verplaatsen/", views.item_move, name="item_move"),
    path("agendapunt/<int:pk>/document/", views.document_add, name="document_add"),
    path("agendapunt/<int:pk>/besluit/", views.decision_add, name="decision_add"),
    path("agendapunt/<int:pk>/doorverwijzen/", views.refer, name="refer"),
    path("document/<int:pk>/", views.document_download, name="document"),
    path("besluit/<int:pk>/actie/", views.action_add, name="action_add"),
    path("acties/", views.action_list, name="actions"),
    path("acties/<int:pk>/", views.action_detail, name="action"),
    path("gremia/", views.body_list, name="bodies"),
    path("gremia/nieuw/", views.body_create, name="body_create"),
    path("gremia/<int:pk>/", views.body_detail, name="body"),
    path("gremia/<int:pk>/bewerken/", views.body_edit, name="body_edit"),
    path("gremia/<int:pk>/leden/", views.member_add, name="member_add"),
    path("gremia/<int:pk>/leden/<int:member_pk>/", views.member_edit, name="member_edit"),
    path("gremia/<int:pk>/leden/<int:member_pk>/verwijderen/", views.member_remove, name="member_remove"),
    path("overleggen/", views.forum_list, name="forums"),
    path("overleggen/nieuw/", views.forum_create, name="forum_create"),
    path("overleggen/gemeenten/", views.municipality_forums, name="municipality_forums"),
    path("overleggen/<int:pk>/bewerken/", views.forum_edit, name="forum_edit"),
    path("doorverwijzingen/", views.referral_list, name="referrals"),
    path("doorverwijzingen/<int:pk>/", views.referral_detail, name="referral"),
]
