from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "planwatch.indicators"
    label = "indicators"
