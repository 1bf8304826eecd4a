from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("statistics/", views.certificate_statistics, name="statistics"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/candidates/<int:candidate_pk>/id/", views.candidate_reveal, name="candidate_reveal"),
    path("sessions/<int:pk>/template.xlsx", views.session_template, name="session_template"),
    path("sessions/<int:pk>/results.xlsx", views.session_results_workbook, name="session_results_workbook"),
    path("sessions/<int:pk>/import/", views.session_import, name="session_import"),
    path("sessions/<int:pk>/correct/", views.session_correct, name="session_correct"),
    path("sessions/<int:pk>/resubmit/", views.session_resubmit, name="session_resubmit"),
    path("sessions/<int:pk>/progress/", views.session_progress, name="session_progress"),
    path("sessions/<int:pk>/candidates/<int:candidate_pk>/photo/", views.candidate_photo, name="candidate_photo"),
    path(
        "sessions/<int:pk>/candidates/<int:candidate_pk>/photo/upload/",
        views.candidate_photo_upload,
        name="candidate_photo_upload",
    ),
    path("sessions/<int:pk>/imports/<int:attempt_pk>/errors.xlsx", views.import_marked, name="import_marked"),
    path("sessions/<int:pk>/publicise/", views.session_publicise, name="session_publicise"),
    path("sessions/<int:pk>/report/", views.session_report, name="session_report"),
    path("sessions/<int:pk>/decide/", views.session_decide, name="session_decide"),
    path("sessions/<int:pk>/issue/", views.session_issue, name="session_issue"),
    path("sessions/<int:pk>/certificates.zip", views.session_zip_download, name="session_zip"),
    path(
        "sessions/<int:pk>/certificates/<int:certificate_pk>/certificate.pdf",
        views.certificate_pdf_download,
        name="certificate_pdf",
    ),
    path("sessions/<int:pk>/certificates/<int:certificate_pk>/revoke/", views.certificate_revoke, name="revoke"),
]
