from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "openinburgering.households"
    label = "households"
    verbose_name = "Huishoudens"
