from django.urls import path

from planwatch.documents import meeting_views, views

app_name = "documents"

urlpatterns = [
    path("documents/", views.document_list, name="list"),
    path("documents/new/", views.document_create, name="create"),
    path("documents/<int:pk>/", views.document_detail, name="detail"),
    path("documents/<int:pk>/texts/", views.document_texts, name="texts"),
    path("documents/<int:pk>/review/", views.document_review, name="review"),
    path("documents/<int:pk>/co-issuers/", views.document_co_issuers, name="co_issuers"),
    path("documents/<int:pk>/cosign/", views.document_cosign, name="cosign"),
    path("documents/<int:pk>/return/", views.document_return, name="return"),
    path("documents/<int:pk>/issue/", views.document_issue, name="issue"),
    path("documents/<int:pk>/reissue/", views.document_reissue, name="reissue"),
    path("documents/<int:pk>/download.docx", views.document_docx, name="docx"),
    path("documents/<int:pk>/download.pdf", views.document_pdf, name="pdf"),
    path("documents/<int:pk>/figures.json", views.document_figures, name="figures"),
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/new/", meeting_views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/decisions/", meeting_views.decision_add, name="decision_add"),
    path(
        "meetings/<int:pk>/decisions/<int:decision_id>/progress/",
        meeting_views.decision_progress,
        name="decision_progress",
    ),
    path("meetings/<int:pk>/minutes/", meeting_views.meeting_minutes, name="meeting_minutes"),
]
