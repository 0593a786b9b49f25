from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "openinburgering.plans"
    label = "plans"
    verbose_name = "PIP"
