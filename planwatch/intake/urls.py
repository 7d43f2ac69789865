"""URLs of the intake pages (documents into data)."""

from django.urls import path

from planwatch.intake import views

app_name = "intake"
urlpatterns = [
    path("intake/", views.index, name="index"),
    path("intake/<int:intake_id>/", views.detail, name="detail"),
    path("intake/<int:intake_id>/confirm/", views.confirm, name="confirm"),
    path("intake/<int:intake_id>/discard/", views.discard, name="discard"),
]
