from django.urls import path

from filings.views import applications as views
from filings.views import filing, panel, review, selection

app_name = "filings"
urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("export.xlsx", views.application_export, name="application_export"),
    path("queue/", review.queue, name="queue"),
    path("queue/export.xlsx", review.queue_export, name="queue_export"),
    path("<int:pk>/act/<slug:name>/", review.act, name="act"),
    path("start/", views.application_start, name="application_start"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("<int:pk>/submit/", views.application_submit_view, name="application_submit"),
    path("<int:pk>/withdraw/", views.application_withdraw_view, name="application_withdraw"),
    path("<int:pk>/reopen/", views.application_reopen_view, name="application_reopen"),
    path("<int:pk>/draft.pdf", views.draft_pdf, name="draft_pdf"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_remove_view,
        name="attachment_remove",
    ),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version_detail"),
    path("<int:pk>/versions/<int:number>/pdf/", views.version_pdf, name="version_pdf"),
    path("<int:pk>/compare/", views.version_compare, name="version_compare"),
    path("assessments/", panel.assessments, name="assessments"),
    path("<int:pk>/panel/", panel.panel, name="panel"),
    path("<int:pk>/assess/", panel.assess, name="assess"),
    path("<int:pk>/records/", panel.record_add_view, name="record_add"),
    path("<int:pk>/records/photos/<int:photo_pk>/", panel.record_photo, name="record_photo"),
    path("<int:pk>/ministry/", filing.ministry, name="ministry"),
    path("<int:pk>/receipt/", filing.receipt_download, name="receipt_download"),
    path("<int:pk>/receipt/status/", filing.receipt_status, name="receipt_status"),
    path("<int:pk>/receipt/regenerate/", filing.receipt_regenerate_view, name="receipt_regenerate"),
    path("calls/<int:call_pk>/selection/", selection.selection, name="selection"),
    path("notices/", selection.notice_list, name="notice_list"),
    path("notices/export.xlsx", selection.notice_export, name="notice_export"),
    path("notices/new/", selection.notice_new, name="notice_new"),
]
