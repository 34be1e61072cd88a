from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "regietafel.core"

    def ready(self):
        from regietafel.core import pagecache  # noqa: F401  (listens for writes: the figures version)
