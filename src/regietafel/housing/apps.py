from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "regietafel.housing"

    def ready(self):
        from regietafel.housing import periods  # noqa: F401  (the period guard listens to every figure write)
