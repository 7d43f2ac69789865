from django.apps import AppConfig


class OrgunitsConfig(AppConfig):
    name = "planwatch.orgunits"
    label = "orgunits"
