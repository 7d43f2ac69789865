from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "planwatch.intake"
    label = "intake"
