"""Public pages of the filing lifecycle (no sign-in): receipt verification and the read-only JSON API."""

from django.urls import path

from filings import api
from filings.views import filing

app_name = "public"
urlpatterns: list = [
    path("api/v1/directory/", api.directory_list, name="api_directory"),
    path("api/v1/directory/<int:pk>/", api.directory_detail, name="api_directory_entry"),
    path("api/v1/receipts/verify/", api.receipt_verify_view, name="api_receipt_verify"),
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
    path("verify/", filing.receipt_lookup, name="receipt_lookup"),
    path("verify/<str:token>/", filing.receipt_verify_page, name="receipt_verify"),
]
