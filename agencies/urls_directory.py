"""The public directory of filed agencies (no sign-in)."""

from django.urls import path

from agencies import views

app_name = "directory"
urlpatterns = [
    path("directory/", views.directory, name="search"),
    path("directory/export.xlsx", views.directory_export, name="export"),
    path("directory/<int:pk>/", views.directory_entry, name="entry"),
]
