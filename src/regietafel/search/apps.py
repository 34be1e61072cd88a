from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "regietafel.search"
    verbose_name = "Zoeken"

    def ready(self):
        from regietafel.search import index

        index.connect()
