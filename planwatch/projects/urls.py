"""URLs of the project pages."""

from django.urls import path

from planwatch.projects import views

app_name = "projects"
urlpatterns = [
    path("projects/", views.ledger_page, name="ledger"),
    path("projects/<int:project_id>/", views.detail, name="detail"),
    path("projects/lists/", views.lists_page, name="lists"),
    path("projects/lists/<str:action>/", views.lists_action, name="lists_action"),
    path("projects/plans/<slug:slug>/drafts/", views.plan_drafts, name="plan_drafts"),
    path("projects/<int:project_id>/reports/", views.report_start, name="report_start"),
    path("projects/<int:project_id>/<str:action>/", views.project_action, name="action"),
    path("projects/reports/<int:report_id>/", views.report_page, name="report"),
    path("projects/reports/<int:report_id>/step/", views.report_step, name="report_step"),
    path(
        "projects/reports/<int:report_id>/evidence/", views.report_evidence, name="report_evidence"
    ),
    path(
        "projects/reports/<int:report_id>/evidence/<int:evidence_id>/",
        views.report_evidence_file,
        name="report_evidence_file",
    ),
    path(
        "projects/reports/<int:report_id>/evidence/<int:evidence_id>/delete/",
        views.report_evidence_delete,
        name="report_evidence_delete",
    ),
    path(
        "projects/reports/<int:report_id>/issues/<int:issue_id>/escalate/",
        views.issue_escalate,
        name="issue_escalate",
    ),
]
