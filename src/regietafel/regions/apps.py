from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "regietafel.regions"
