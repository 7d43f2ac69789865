"""URLs of the pages across domains: the workbench (planwatch/pages/workbench.py) and the
system page (planwatch/pages/system.py)."""

from django.urls import path

from planwatch.pages import system as views
from planwatch.pages import workbench

app_name = "pages"

urlpatterns = [
    path("workbench/", workbench.workbench, name="workbench"),
    path("system/jobs/", views.system_jobs, name="system_jobs"),
    path("system/jobs/supervise/", views.system_supervise_now, name="system_supervise_now"),
]
