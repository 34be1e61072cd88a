from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "regietafel.notifications"
    verbose_name = "Meldingen"
