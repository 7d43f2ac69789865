"""URLs of the plans pages (the home page is here too: it is the list of plans)."""

from django.urls import path

from planwatch.plans import views

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/upload/", views.plan_upload, name="plan_upload"),
    path("plans/upload/jobs/", views.plan_upload_jobs, name="plan_upload_jobs"),
    path(
        "plans/upload/jobs/<int:job_id>/retry/", views.plan_upload_retry, name="plan_upload_retry"
    ),
    path("plans/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("plans/<slug:slug>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<slug:slug>/unpublish/", views.plan_unpublish, name="plan_unpublish"),
    path("plans/<slug:slug>/delete/", views.plan_delete, name="plan_delete"),
    path("plans/<slug:slug>/targets/", views.plan_targets, name="plan_targets"),
    path("plans/<slug:slug>/versions/", views.plan_versions, name="plan_versions"),
    path(
        "plans/<slug:slug>/versions/<int:number>/diff/",
        views.plan_version_diff,
        name="plan_version_diff",
    ),
    path("plans/<slug:slug>/source/", views.plan_source, name="plan_source"),
    path("plans/<slug:slug>/n/<str:key>/", views.node_detail, name="node_detail"),
]
