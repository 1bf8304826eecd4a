"""Public pages of notices (no sign-in): the notices, their PDF, objections and their tracking."""

from django.urls import path

from publicity import views

app_name = "notices"
urlpatterns = [
    path("notices/", views.public_notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.public_notice_detail, name="notice_detail"),
    path("notices/<int:pk>/pdf/", views.public_notice_pdf, name="notice_pdf"),
    path("notices/<int:pk>/object/", views.objection_create, name="objection_create"),
    path("objections/received/", views.objection_received, name="objection_received"),
    path("objections/track/", views.objection_track, name="objection_track"),
]
