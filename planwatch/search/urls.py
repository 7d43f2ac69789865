"""URL of the search page."""

from django.urls import path

from planwatch.search import views

urlpatterns = [
    path("search/", views.search, name="search"),
]
