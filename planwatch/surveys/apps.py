from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "planwatch.surveys"
    label = "surveys"
