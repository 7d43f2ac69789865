from django.urls import path

from planwatch.surveys import views

app_name = "surveys"

urlpatterns = [
    path("gongkai/wenjuan/", views.public_index, name="public_index"),
    path("gongkai/wenjuan/<int:survey_id>/", views.public_detail, name="public_detail"),
    path("gongkai/wenjuan/<int:survey_id>/xiexie/", views.public_thanks, name="public_thanks"),
    path("gongkai/wenjuan/<int:survey_id>/jieguo/", views.public_results, name="public_results"),
    path("surveys/", views.manage_index, name="index"),
    path("surveys/new/", views.survey_new, name="new"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="detail"),
    path("surveys/<int:survey_id>/edit/", views.survey_edit, name="edit"),
    path("surveys/<int:survey_id>/questions/", views.question_add, name="question_add"),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("surveys/<int:survey_id>/open/", views.survey_open, name="open"),
    path("surveys/<int:survey_id>/close/", views.survey_close, name="close"),
    path("surveys/<int:survey_id>/publish/", views.results_publish, name="publish"),
    path("surveys/<int:survey_id>/withdraw/", views.results_withdraw, name="withdraw"),
    path("surveys/<int:survey_id>/results.xlsx", views.results_export, name="export"),
]
