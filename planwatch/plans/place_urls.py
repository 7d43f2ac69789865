"""URLs of the place pages."""

from django.urls import path

from planwatch.orgunits import views

urlpatterns = [
    path("places/", views.place_list, name="place_list"),
    path("places/<str:code>/", views.place_detail, name="place_detail"),
    path("zones/<slug:slug>/", views.zone_detail, name="zone_detail"),
]
