from django.apps import AppConfig


class HandhavingConfig(AppConfig):
    name = "openinburgering.handhaving"
    label = "handhaving"
    verbose_name = "Handhaving (boetes W 23) en voldaan"
    default_auto_field = "django.db.models.BigAutoField"
