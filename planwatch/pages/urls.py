"""URLs of the system page (planwatch/pages/system.py)."""

from django.urls import path

from planwatch.pages import system as views

app_name = "pages"

urlpatterns = [
    path("system/jobs/", views.system_jobs, name="system_jobs"),
    path("system/jobs/supervise/", views.system_supervise_now, name="system_supervise_now"),
]
