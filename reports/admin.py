from django.contrib import admin

from reports.models import Report, ReportVersion


class VersionInline(admin.TabularInline):
    model = ReportVersion
    fields = ("number", "generated_at", "generated_by")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("region", "year", "quarter", "due_on", "status", "submitted_at")
    list_filter = ("status", "year", "quarter")
    readonly_fields = ("submitted_at", "submitted_by", "progress")
    inlines = [VersionInline]
