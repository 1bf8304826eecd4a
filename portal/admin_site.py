"""The admin site of the portal: Django's, behind the same second factor as the rest of the portal.

``portal.second_factor.middleware.SecondFactorRequired`` already sends an administrator who has not passed the
second step there before any admin page; the site checks it again itself, so that the admin never opens to a
session that only knows the password, whatever the middleware order."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(AdminSite):
    site_header = site_title = "评价机构备案监管平台 · 系统管理"

    def has_permission(self, request) -> bool:
        user = request.user
        return super().has_permission(request) and getattr(user, "is_verified", lambda: False)()


class PortalAdminConfig(AdminConfig):
    """Django's admin app with the portal's site (named in INSTALLED_APPS instead of ``django.contrib.admin``)."""

    default_site = "portal.admin_site.PortalAdminSite"
