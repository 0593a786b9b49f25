from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "openinburgering.operations"
    label = "operations"
    verbose_name = "Beheer: back-up en hersteltest"
