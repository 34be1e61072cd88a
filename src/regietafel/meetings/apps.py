from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "regietafel.meetings"
