from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "regietafel.reports"
    verbose_name = "Reports"
