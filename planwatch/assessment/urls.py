"""URLs of the 区域一体化发展指数 pages."""

from django.urls import path

from planwatch.assessment import result_views as rv
from planwatch.assessment import scheme_views, views

app_name = "assessment"
urlpatterns = [
    path("integration-index/", views.index, name="index"),
    path(
        "integration-index/plans/<slug:slug>/default/",
        views.method_create_default,
        name="method_create_default",
    ),
    path("integration-index/methods/<int:method_id>/", views.method_detail, name="method"),
    path(
        "integration-index/methods/<int:method_id>/attach/",
        views.method_attach,
        name="method_attach",
    ),
    path(
        "integration-index/methods/<int:method_id>/compute/",
        views.method_compute,
        name="method_compute",
    ),
    path("integration-index/methods/<int:method_id>/copy/", views.method_copy, name="method_copy"),
    path(
        "integration-index/methods/<int:method_id>/weight/",
        views.method_weight,
        name="method_weight",
    ),
    path("integration-index/editions/<int:edition_id>/", views.edition_detail, name="edition"),
    path(
        "integration-index/editions/<int:edition_id>/publish/",
        views.edition_publish,
        name="edition_publish",
    ),
    path("assessment/schemes/", scheme_views.scheme_list, name="schemes"),
    path("assessment/schemes/<int:scheme_id>/", scheme_views.scheme_detail, name="scheme"),
    path("assessment/schemes/<int:scheme_id>/copy/", scheme_views.scheme_copy, name="scheme_copy"),
    path("assessment/schemes/<int:scheme_id>/item/", scheme_views.scheme_item, name="scheme_item"),
    path(
        "assessment/schemes/<int:scheme_id>/freeze/",
        scheme_views.scheme_freeze,
        name="scheme_freeze",
    ),
    path("assessment/results/", rv.result_list, name="results"),
    path("assessment/results/compute/", rv.result_compute, name="result_compute"),
    path("assessment/results/<int:edition_id>/", rv.result_detail, name="result"),
    path("assessment/results/<int:edition_id>/xlsx/", rv.result_xlsx, name="result_xlsx"),
    path(
        "assessment/results/<int:edition_id>/recompute/",
        rv.result_recompute,
        name="result_recompute",
    ),
    path("assessment/results/<int:edition_id>/review/", rv.result_review, name="result_review"),
    path("assessment/results/<int:edition_id>/publish/", rv.result_publish, name="result_publish"),
    path("assessment/results/<int:edition_id>/adjust/", rv.adjustment_add, name="adjustment_add"),
    path(
        "assessment/results/<int:edition_id>/units/<int:unit_id>/",
        rv.score_card,
        name="score_card",
    ),
    path(
        "assessment/results/<int:edition_id>/units/<int:unit_id>/object/",
        rv.objection_file,
        name="objection_file",
    ),
    path(
        "assessment/objections/<int:objection_id>/answer/",
        rv.objection_answer,
        name="objection_answer",
    ),
]
