"""The managing official's pages of a notice; included from ``portal/urls.py`` under ``filings/notices/``,
where the centre's list of notices and the drafting page (``filings``) sit beside them."""

from django.urls import path

from publicity import views

app_name = "publicity"
urlpatterns = [
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.objection_attachment, name="objection_attachment"),
]
