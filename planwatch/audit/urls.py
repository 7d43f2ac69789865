from django.urls import path

from planwatch.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list_view, name="event_list"),
]
