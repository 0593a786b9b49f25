from django.apps import AppConfig


class FollowUpConfig(AppConfig):
    name = "openinburgering.followup"
    label = "followup"
    verbose_name = "Vervolg na de inburgering"
    default_auto_field = "django.db.models.BigAutoField"
