"""URLs of the progress-report pages."""

from django.urls import path

from planwatch.reports import lists, views

app_name = "reports"
urlpatterns = [
    path("tasks/<int:task_id>/reports/start/", views.report_start, name="report_start"),
    path("reports/queue/", lists.review_queue, name="review_queue"),
    path("reports/queue/approve/", lists.review_bulk_approve, name="review_bulk_approve"),
    path("reports/health/", views.health_table, name="health"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/evidence/", views.evidence_upload, name="evidence_upload"),
    path(
        "reports/<int:report_id>/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "reports/<int:report_id>/evidence/<int:evidence_id>/delete/",
        views.evidence_delete,
        name="evidence_delete",
    ),
    path("reports/<int:report_id>/<str:action>/", views.report_action, name="report_action"),
]
