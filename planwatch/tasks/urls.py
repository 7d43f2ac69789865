"""URLs of the task and annual-list pages."""

from django.urls import path

from planwatch.tasks import views

app_name = "tasks"
urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/bulk/", views.task_bulk, name="task_bulk"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("lists/", views.list_index, name="list_index"),
    path("lists/generate/", views.list_generate, name="list_generate"),
    path("lists/<int:list_id>/", views.list_detail, name="list_detail"),
    path("lists/<int:list_id>/issue/", views.list_issue, name="list_issue"),
    path("lists/<int:list_id>/reopen/", views.list_reopen, name="list_reopen"),
    path("lists/<int:list_id>/frequency/", views.list_frequency, name="list_frequency"),
    path("lists/<int:list_id>/export.xlsx", views.list_export, name="list_export"),
    path("lists/<int:list_id>/import/", views.list_import, name="list_import"),
]
