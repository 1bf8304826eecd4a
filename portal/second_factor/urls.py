"""Included from ``portal/urls.py`` under ``accounts/``; the names are global (the middleware lets them open)."""

from django.urls import path

from portal.second_factor import views

urlpatterns = [
    path("second-step/", views.second_step, name="second_step"),
    path("second-factor/enrol/", views.enrol, name="second_factor_enrol"),
    path("second-factor/enrol/qr.svg", views.enrol_qr, name="second_factor_qr"),
    path("second-factor/recovery-codes/", views.recovery_codes, name="second_factor_recovery"),
    path("second-factor/recovery-codes/update/", views.recovery_codes_action, name="second_factor_recovery_action"),
]
