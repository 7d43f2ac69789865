"""URLs of messages: public under /gongkai/liuyan/, staff under /feedback/."""

from django.urls import path

from planwatch.feedback import views

app_name = "feedback"
urlpatterns = [
    path("gongkai/liuyan/", views.public_list, name="public_list"),
    path("gongkai/liuyan/new", views.message_new, name="new"),
    path("gongkai/liuyan/chaxun", views.lookup, name="lookup"),
    path("gongkai/liuyan/r/<str:code>/", views.receipt, name="receipt"),
    path("gongkai/liuyan/r/<str:code>/rate", views.receipt_rate, name="rate"),
    path("feedback/", views.index, name="index"),
    path("feedback/moderation/", views.moderation, name="moderation"),
    path("feedback/handling/", views.handling, name="handling"),
    path("feedback/words/", views.words, name="words"),
    path("feedback/messages/<int:message_id>/", views.detail, name="detail"),
    path("feedback/messages/<int:message_id>/<str:name>/", views.action, name="action"),
]
