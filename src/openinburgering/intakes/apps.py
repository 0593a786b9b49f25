from django.apps import AppConfig


class IntakesConfig(AppConfig):
    name = "openinburgering.intakes"
    label = "intakes"
    verbose_name = "Brede intake"
