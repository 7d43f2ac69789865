from django.urls import path

from planwatch.publication import views

app_name = "publication"

urlpatterns = [
    path("publication/", views.manage, name="manage"),
    path("publication/<str:kind>/<int:subject_id>/publish/", views.publish, name="publish"),
    path("publication/<str:kind>/<int:subject_id>/withdraw/", views.withdraw, name="withdraw"),
]
