from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "regietafel.practices"
