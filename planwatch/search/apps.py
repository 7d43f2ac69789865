from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "planwatch.search"
    label = "search"
