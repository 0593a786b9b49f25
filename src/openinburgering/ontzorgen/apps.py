from django.apps import AppConfig


class OntzorgenConfig(AppConfig):
    name = "openinburgering.ontzorgen"
    label = "ontzorgen"
    verbose_name = "Financieel ontzorgen (Pw 56a)"
    default_auto_field = "django.db.models.BigAutoField"
