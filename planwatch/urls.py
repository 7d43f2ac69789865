"""Root URL configuration: each app adds one include line here."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("planwatch.plans.urls")),
    path("", include("planwatch.plans.place_urls")),
    path("accounts/", include("planwatch.accounts.urls")),
    path("audit/", include("planwatch.audit.urls")),
    path("", include("planwatch.pages.urls")),
    path("", include("planwatch.search.urls")),
    path("", include("planwatch.tasks.urls")),
    path("", include("planwatch.reports.urls")),
    path("", include("planwatch.supervision.urls")),
    path("", include("planwatch.indicators.urls")),
    path("", include("planwatch.projects.urls")),
    path("", include("planwatch.surveys.urls")),
    path("", include("planwatch.assessment.urls")),
    path("", include("planwatch.feedback.urls")),
    path("", include("planwatch.publication.urls")),
    path("gongkai/", include("planwatch.portal.urls")),
    path("", include("planwatch.intake.urls")),
    path("", include("planwatch.documents.urls")),
    path("", include("planwatch.notices.urls")),
    path("", include("planwatch.dashboards.urls")),
    path("", include("planwatch.portal.opendata_urls")),
    path("", include("planwatch.api.urls")),
]
