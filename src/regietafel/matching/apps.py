from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "regietafel.matching"
    verbose_name = "Matching"
