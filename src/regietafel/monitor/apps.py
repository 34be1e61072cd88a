from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "regietafel.monitor"

    def ready(self):
        from regietafel.monitor import pagecache  # noqa: F401  (listens for writes: the figures version)
