"""URLs of the task-division notice pages."""

from django.urls import path

from planwatch.notices import views

app_name = "notices"
urlpatterns = [
    path("notices/", views.notice_index, name="index"),
    path("notices/upload/", views.notice_upload, name="upload"),
    path("notices/<int:batch_id>/", views.notice_detail, name="detail"),
    path("notices/<int:batch_id>/map/", views.notice_map, name="map"),
    path("notices/<int:batch_id>/confirm/", views.notice_confirm, name="confirm"),
]
