"""URLs of the place pages (planwatch/plans/place_views.py)."""

from django.urls import path

from planwatch.plans import place_views as views

urlpatterns = [
    path("places/", views.place_list, name="place_list"),
    path("places/<str:code>/", views.place_detail, name="place_detail"),
    path("zones/<slug:slug>/", views.zone_detail, name="zone_detail"),
]
