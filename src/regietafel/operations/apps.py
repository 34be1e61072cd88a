from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running an installation: loading the data set and the demo, backup and restore, retention, health and
    metrics, the production server and the upgrade check. It stands on every other app; none stands on it."""

    name = "regietafel.operations"
