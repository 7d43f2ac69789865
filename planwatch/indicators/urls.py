"""URLs of the indicator pages."""

from django.urls import path

from planwatch.indicators import views

app_name = "indicators"
urlpatterns = [
    path("indicators/", views.index, name="index"),
    path("indicators/import/", views.import_page, name="import"),
    path("indicators/places/<str:code>/", views.matrix, name="matrix"),
    path("indicators/plans/<slug:slug>/drafts/", views.plan_drafts, name="plan_drafts"),
    path("indicators/<int:indicator_id>/", views.detail, name="detail"),
    path(
        "indicators/<int:indicator_id>/observations/", views.observation_add, name="observation_add"
    ),
    path("indicators/<int:indicator_id>/<str:action>/", views.indicator_action, name="action"),
    path(
        "indicators/observations/<int:observation_id>/verify/",
        views.observation_verify,
        name="observation_verify",
    ),
]
