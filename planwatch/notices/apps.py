from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "planwatch.notices"
    label = "notices"
