"""URLs of the dashboards."""

from django.urls import path

from planwatch.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("dashboards/", views.index, name="index"),
    path("dashboards/province/", views.province, name="province"),
    path("dashboards/zone/<slug:slug>/", views.zone, name="zone"),
    path("dashboards/unit/<str:code>/", views.unit, name="unit"),
    path("dashboards/plan/<slug:slug>/", views.plan, name="plan"),
]
