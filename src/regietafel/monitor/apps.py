from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "regietafel.monitor"

    def ready(self):
        # Listen for writes: the figures version, then a round for the worker (in that order: connected so).
        from regietafel.monitor import pagecache, warmup  # noqa: F401
