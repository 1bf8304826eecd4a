"""Agency pages outside /agencies/ that anyone may open: registration and its e-mail verification.

Included from ``portal/urls.py`` under ``register/``; the names are global (``register``,
``registration_verify``, ``registration_resend``) because the e-mail and the sign-in page link to them.
"""

from django.urls import path

from agencies import views

urlpatterns = [
    path("", views.register, name="register"),
    path("verify/<str:token>/", views.registration_verify, name="registration_verify"),
    path("resend/", views.registration_resend, name="registration_resend"),
]
