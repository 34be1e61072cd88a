from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    name = "regietafel.conditions"
