from django import forms
from django.contrib import admin

from agencies.models import Call, CallVersion, ConditionProfile, DirectoryEntry, Occupation, Organisation
from portal.admin import ReadOnlyAdmin
from portal.models import Region


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "levels", "classification", "active"]
    list_filter = ["active", "classification"]
    search_fields = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "region", "nature", "legal_representative", "contact_phone"]
    list_filter = ["nature", "region"]
    search_fields = ["name", "uscc"]
    autocomplete_fields = ["region"]


@admin.register(ConditionProfile)
class ConditionProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "source"]
    search_fields = ["name", "code", "source"]


class CallVersionAdminForm(forms.ModelForm):
    """A published version is history that applications refer to: every field is shown but locked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.published_at:
            for field in self.fields.values():
                field.disabled = True


class CallVersionInline(admin.StackedInline):
    model = CallVersion
    form = CallVersionAdminForm
    extra = 0
    can_delete = False
    readonly_fields = ["created", "created_by"]
    ordering = ["-number"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "province", "created"]
    list_filter = ["province"]
    search_fields = ["code", "versions__title"]
    inlines = [CallVersionInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province":
            kwargs["queryset"] = Region.objects.filter(level=Region.Level.PROVINCE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("province").prefetch_related("versions")


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "institution_code", "region", "scope", "status", "filed_on"]
    list_filter = ["status", "scope"]
    search_fields = ["organisation__name", "institution_code"]
