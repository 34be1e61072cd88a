from django.urls import path

from regietafel.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("gelezen/", views.notification_read, name="read"),
    path("instellingen/", views.preferences, name="preferences"),
]
