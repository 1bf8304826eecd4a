"""Calls for applications as public documents (no sign-in): the published calls and each one's current version."""

from django.urls import path

from agencies import views

app_name = "public_calls"
urlpatterns = [
    path("calls/", views.public_call_list, name="list"),
    path("calls/<int:pk>/", views.public_call_detail, name="detail"),
]
