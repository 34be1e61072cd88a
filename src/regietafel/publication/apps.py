from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "regietafel.publication"
    verbose_name = "Publication"
