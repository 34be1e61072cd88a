from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "regietafel.core"
