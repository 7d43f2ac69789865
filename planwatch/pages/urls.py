"""URLs of the system page (planwatch/core/views.py)."""

from django.urls import path

from planwatch.core import views

app_name = "core"

urlpatterns = [
    path("system/jobs/", views.system_jobs, name="system_jobs"),
    path("system/jobs/supervise/", views.system_supervise_now, name="system_supervise_now"),
]
