from django.apps import AppConfig


class NetwerkConfig(AppConfig):
    name = "openinburgering.netwerk"
    verbose_name = "Zorg en netwerk"
    default_auto_field = "django.db.models.BigAutoField"
