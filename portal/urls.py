from captcha.views import captcha_image
from django.contrib import admin
from django.urls import include, path

from portal import views
from portal.forms import AdminSignInForm
from portal.lib.access import public

admin.site.login_form = AdminSignInForm
handler404 = views.not_found

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # First of the prefixed and "" includes: the public look-ups (the API under api/v1/, receipts under verify/)
    # are the busiest addresses, and Django tries the patterns in order (resolving the certificate verification
    # API at the end of the list cost 5× the bare view's resolution; bench/README.md, issue-ver3's section).
    path("", include("filings.urls_public")),
    # Then the directory and the certificate verification page, for the same reason (issue-ver4): every pattern of
    # theirs starts with "directory/" or "certificates/verify/", which no pattern before their old place matched.
    path("", include("agencies.urls_directory")),
    path("", include("certificates.urls_public")),
    path("accounts/login/", views.sign_in, name="login"),
    path("accounts/logout/", views.logout, name="logout"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path("accounts/password_reset/done/", views.password_reset_done, name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("accounts/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("accounts/", include("portal.second_factor.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The pictures of the public forms' challenge (portal.lib.captcha); the name is the one its widget reverses.
    path("captcha/<str:key>/", public(captcha_image), {"scale": 1}, name="captcha-image"),
    path("display/elder-mode/", views.elder_mode, name="elder_mode"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.notification_open, name="notification_open"),
    path("inbox/read-all/", views.inbox_mark_all_read, name="inbox_mark_all_read"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export.xlsx", views.audit_export, name="audit_export"),
    path("register/", include("agencies.urls_public")),
    path("agencies/", include("agencies.urls")),
    path("filings/notices/", include("publicity.urls")),
    path("filings/", include("filings.urls")),
    path("supervision/", include("supervision.urls")),
    path("certificates/", include("certificates.urls")),
    path("reports/", include("reports.urls")),
    path("", include("publicity.urls_public")),
    path("", include("agencies.urls_calls")),
    path("", include("supervision.urls_public")),
    path("", include("supervision.urls_complaints")),
    path("", include("supervision.urls_draws")),
    path("admin/", admin.site.urls),
]
