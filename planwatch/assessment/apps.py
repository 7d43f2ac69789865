from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "planwatch.assessment"
    label = "assessment"
    verbose_name = "绩效考核与一体化发展指数"
