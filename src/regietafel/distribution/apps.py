from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "regietafel.distribution"
    verbose_name = "Distribution"
