from django.apps import AppConfig


class PersonsConfig(AppConfig):
    name = "regietafel.persons"
