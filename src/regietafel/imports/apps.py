from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ImportsConfig(AppConfig):
    name = "regietafel.imports"

    def ready(self):
        # Every app's importable tables (its importers module registers them with core.specs.register), in the
        # order of INSTALLED_APPS: the import page lists them so, areas first.
        autodiscover_modules("importers")
