"""The portal's stable URLs, under /gongkai/ (planwatch/urls.py)."""

from django.urls import path

from planwatch.portal import views
from planwatch.portal.feeds import NewlyPublished

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("feed.atom", NewlyPublished(), name="feed"),
    path("zones/<slug:slug>/", views.zone, name="zone"),
    path("places/<str:code>/", views.prefecture, name="prefecture"),
    path("lists/<int:list_id>/", views.annual_list, name="list"),
    path("tasks/<int:task_id>/", views.task, name="task"),
    path("indicators/<int:indicator_id>/", views.indicator, name="indicator"),
    path("projects/<int:project_id>/", views.project, name="project"),
    path("index/<int:edition_id>/", views.index_edition, name="index_edition"),
    path("results/<int:edition_id>/", views.result_edition, name="result_edition"),
]
