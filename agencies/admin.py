from django.contrib import admin

from agencies.models import Occupation, Organisation


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
