"""The admin site for filings: the expert pool is managed here; the workflow records are read-only, because
every change to them goes through the services (history, audit log, notifications)."""

from django.contrib import admin

from filings.models import Application, ExpertProfile, InstitutionCode, Receipt
from portal.admin import ReadOnlyAdmin


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "specialty", "province", "employer_name", "employer", "active"]
    list_filter = ["active", "province", "occupations"]
    search_fields = ["user__username", "user__last_name", "specialty", "employer_name"]
    autocomplete_fields = ["user", "employer"]
    filter_horizontal = ["occupations"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "state", "call", "submitted_at", "deadline"]
    list_filter = ["state", "call"]
    search_fields = ["reference", "organisation__name", "organisation__uscc"]


@admin.register(InstitutionCode)
class InstitutionCodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "application", "provisional", "issued_at"]
    search_fields = ["code"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["number", "application", "version_number", "status", "rendered_at", "attempts"]
    list_filter = ["status"]
    search_fields = ["number"]
