"""Complaints (投诉举报), for anyone: the form and the tracking page (no sign-in)."""

from django.urls import path

from supervision import views

app_name = "complaints"
urlpatterns = [
    path("complaints/new/", views.complaint_new, name="new"),
    path("complaints/received/", views.complaint_received, name="received"),
    path("complaints/track/", views.complaint_track, name="track"),
]
