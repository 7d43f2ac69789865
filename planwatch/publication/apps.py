from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "planwatch.publication"
    label = "publication"
