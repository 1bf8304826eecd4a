"""Certificate verification, for anyone (the JSON API is mounted with the others, see ``portal.api``)."""

from django.urls import path

from certificates import views

app_name = "certificate_check"
urlpatterns = [
    path("certificates/verify/", views.verify, name="verify"),
]
