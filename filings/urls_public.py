"""Public pages of the filing lifecycle (no sign-in): notices and objections, the directory, receipt
verification, and the read-only JSON API."""

from django.urls import path

from filings import api
from filings.views import directory, filing, publicity

app_name = "public"
urlpatterns: list = [
    # Added by topic: notices/…, directory/…, verify/…, api/v1/…
    path("notices/", publicity.public_notice_list, name="notice_list"),
    path("notices/<int:pk>/", publicity.public_notice_detail, name="notice_detail"),
    path("notices/<int:pk>/pdf/", publicity.public_notice_pdf, name="notice_pdf"),
    path("notices/<int:pk>/object/", publicity.objection_create, name="objection_create"),
    path("objections/track/", publicity.objection_track, name="objection_track"),
    path("directory/", directory.directory, name="directory"),
    path("directory/<int:pk>/", directory.directory_entry, name="directory_entry"),
    path("api/v1/directory/", api.directory_list, name="api_directory"),
    path("api/v1/directory/<int:pk>/", api.directory_detail, name="api_directory_entry"),
    path("api/v1/receipts/verify/", api.receipt_verify_view, name="api_receipt_verify"),
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
    path("verify/", filing.receipt_lookup, name="receipt_lookup"),
    path("verify/<str:token>/", filing.receipt_verify_page, name="receipt_verify"),
]
