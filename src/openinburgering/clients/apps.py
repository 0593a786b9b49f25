from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "openinburgering.clients"
    label = "clients"
    verbose_name = "Cliënten"
