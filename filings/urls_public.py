"""Public pages of the filing lifecycle (no sign-in): receipt verification, and the read-only JSON API."""

from django.urls import include, path

from filings.views import filing
from portal.api import api

app_name = "public"
urlpatterns: list = [
    # The API's views keep the names of this namespace (public:api_directory …; see portal.api).
    path("api/v1/", include(api.urls[0])),
    path("verify/", filing.receipt_lookup, name="receipt_lookup"),
    path("verify/<str:token>/", filing.receipt_verify_page, name="receipt_verify"),
]
