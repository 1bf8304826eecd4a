"""The admin site for filings: the expert pool is managed here; the workflow records are read-only, because
every change to them goes through the services (history, audit log, notifications)."""

from django.contrib import admin

from filings.models import (
    Application,
    DirectoryEntry,
    ExpertProfile,
    InstitutionCode,
    Notice,
    Objection,
    Receipt,
)


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "specialty", "employer_name", "employer", "active"]
    list_filter = ["active", "occupations"]
    search_fields = ["user__username", "user__last_name", "specialty", "employer_name"]
    autocomplete_fields = ["user", "employer"]
    filter_horizontal = ["occupations"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the workflow's services."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "state", "call", "submitted_at", "deadline"]
    list_filter = ["state", "call"]
    search_fields = ["reference", "organisation__name", "organisation__uscc"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "opens_on", "closes_on"]
    list_filter = ["status"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "notice", "application", "status", "created"]
    list_filter = ["status"]


@admin.register(InstitutionCode)
class InstitutionCodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "application", "provisional", "issued_at"]
    search_fields = ["code"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["number", "application", "version_number", "status", "rendered_at", "attempts"]
    list_filter = ["status"]
    search_fields = ["number"]


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "institution_code", "region", "scope", "status", "filed_on"]
    list_filter = ["status", "scope"]
    search_fields = ["organisation__name", "institution_code"]
