from django.urls import path

from regietafel.accounts import people as views

app_name = "access"
urlpatterns = [
    path("gebruikers/", views.user_list, name="users"),
    path("gebruikers/uitnodigen/", views.invite, name="invite"),
    path("gebruikers/tweestapsverificatie/", views.two_factor_rules, name="two-factor-rules"),
    path("gebruikers/<int:pk>/", views.user_detail, name="user"),
    path("gebruikers/<int:pk>/account/", views.user_account, name="user-account"),
    path("api-tokens/", views.tokens, name="tokens"),
    path("api-tokens/<str:prefix>/intrekken/", views.token_revoke, name="token-revoke"),
    path("logboek/", views.log, name="log"),
    path("wijzigingen/", views.history, name="history"),
    path("logboek/export.csv", views.log_export, name="log-export"),
]
