"""Certificate verification, for anyone (the JSON API is mounted with the others, see ``portal.api``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from certificates import views

# The label of this page in the portal's menu (portal.context_processors), translated in this app's catalogue.
MENU_LABEL = _("Verify a certificate")

app_name = "certificate_check"
urlpatterns = [
    path("certificates/verify/", views.verify, name="verify"),
]
