from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "openinburgering.demo"
    label = "demo"
    verbose_name = "Demo en personas"
