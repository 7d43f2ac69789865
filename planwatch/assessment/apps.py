from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "planwatch.assessment"
    label = "assessment"
    verbose_name = "绩效考核与一体化发展指数"

    def ready(self) -> None:
        from planwatch.assessment.publication_kinds import register_kinds

        register_kinds()
