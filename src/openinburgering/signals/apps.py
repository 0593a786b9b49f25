from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "openinburgering.signals"
    label = "signals"
    verbose_name = "Signalen"
