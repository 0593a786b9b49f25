from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "openinburgering.letters"
    label = "letters"
    verbose_name = "Brieven"
