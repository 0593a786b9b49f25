from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "openinburgering.progress"
    label = "progress"
    verbose_name = "Voortgang"
    default_auto_field = "django.db.models.BigAutoField"
