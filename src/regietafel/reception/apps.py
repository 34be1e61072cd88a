from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    name = "regietafel.reception"
