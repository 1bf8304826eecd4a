from django.urls import path

from supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.agency_home, name="agency_home"),
    path("registrations/new/", views.registration_new, name="registration_new"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/act/<slug:action>/", views.plan_act, name="plan_act"),
    path("plans/<int:pk>/decide/", views.report_decide, name="report_decide"),
    path("reports/", views.reports, name="reports"),
    path("jurisdiction/", views.workspace, name="workspace"),
    path("jurisdiction/<slug:tab>.xlsx", views.workspace_export, name="workspace_export"),
    # Supervision II: the agency's file, sanctions.
    path("agencies/<int:pk>/", views.agency_file, name="agency_file"),
    path("agencies/<int:pk>/sanctions/new/", views.sanction_new, name="sanction_new"),
    path("sanctions/<int:pk>/", views.sanction_detail, name="sanction_detail"),
    path("sanctions/<int:pk>/lift/", views.sanction_lift, name="sanction_lift"),
    path("sanctions/<int:pk>/report/<int:file_pk>/", views.sanction_report_file, name="sanction_report_file"),
    path("sanctions/<int:pk>/decision.pdf", views.sanction_pdf, name="sanction_pdf"),
    path("agencies/<int:pk>/inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/photos/<int:photo_pk>/", views.inspection_photo, name="inspection_photo"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path(
        "rectifications/<int:pk>/evidence/<int:file_pk>/", views.rectification_evidence, name="rectification_evidence"
    ),
    path("draws/", views.draws, name="draws"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/files/<int:attachment_pk>/", views.complaint_attachment, name="complaint_attachment"),
]
