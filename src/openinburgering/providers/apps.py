from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "openinburgering.providers"
    label = "providers"
    verbose_name = "Aanbieders en plaatsingen"
