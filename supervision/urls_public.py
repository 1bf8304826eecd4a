"""Announced evaluations (认定公告), for anyone."""

from django.urls import path

from supervision import views

app_name = "evaluations"
urlpatterns = [
    path("evaluations/", views.evaluations, name="list"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="detail"),
]
