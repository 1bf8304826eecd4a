"""Notices and objections are shown read-only: every change goes through ``publicity.services``."""

from django.contrib import admin

from portal.admin import ReadOnlyAdmin
from publicity.models import Notice, Objection


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "opens_on", "closes_on"]
    list_filter = ["status", "kind"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "notice", "item", "status", "created"]
    list_filter = ["status"]
