from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "planwatch.supervision"
    label = "supervision"

    def ready(self) -> None:
        from planwatch.supervision import contributions, reactions

        contributions.connect()
        reactions.connect()
