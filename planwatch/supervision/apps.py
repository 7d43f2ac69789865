from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "planwatch.supervision"
    label = "supervision"
