from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The top layer: pages and commands that span domains (the system page, `setup`,
    `serve`, `demo`)."""

    name = "planwatch.pages"
    label = "pages"
