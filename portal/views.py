from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import check_for_language
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.http import require_http_methods, require_POST
from kombu import Connection

from portal.api import not_found_response
from portal.context_processors import public_items
from portal.forms import AuditFilterForm, NewPasswordChangeForm, NewPasswordSetForm, SignInForm
from portal.lib import ratelimit
from portal.lib.access import public, roles, signed_in
from portal.lib.display import ELDER_COOKIE, ELDER_COOKIE_AGE
from portal.lib.excel import xlsx_response
from portal.lib.http import client_ip
from portal.lib.lockout import attempts_warning, cooloff_minutes
from portal.lib.passwords import password_expired
from portal.models import AuditEvent, Role
from portal.second_factor.services import needs_second_factor
from portal.selectors import (
    INBOX_KIND_LABELS,
    WAITING,
    audit_events_filtered,
    dashboard_for,
    inbox_kind_counts,
    inbox_messages,
)
from portal.services import (
    PasswordChangeWay,
    audit_record,
    notification_mark_read,
    notifications_mark_all_read,
    password_changed_notify,
    password_reset_email_queue,
)

API_PREFIX = "/api/"


def not_found(request, exception):
    """The 404 page (``handler404``): JSON under /api/, as the API answers every error; the portal's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return not_found_response()
    return defaults.page_not_found(request, exception)


@public
def home(request):
    """The signed-in user's home (to-do list, figures); for anyone else the public portal's front page: what may be
    read without an account, and the sign-in — not a bounce to the sign-in page."""
    if not request.user.is_authenticated:
        links = [{"label": label, "url": url, "icon": icon} for label, url, icon in public_items()]
        return render(request, "portal/landing.html", {"public_links": links})
    context = dashboard_for(request.user)
    if computed := context.get("report_computed"):
        # The dashboard's charts and tables are drawn once per computation of their figures, not on every view:
        # 250 figures and 8 charts were a third of an official's home page (issue 16 item 4). Its HTML depends on
        # the figures (which computation: its time), whose they are (a department's jurisdiction, an agency's own
        # work: the role, department and organisation) and the language (the key's last part, in the template).
        user = request.user
        context["report_fragment"] = f"{user.role}:{user.department_id}:{user.organisation_id}:{computed.isoformat()}"
        context["report_fragment_seconds"] = settings.REPORT_DASHBOARD_SECONDS
    return render(request, "portal/home.html", context)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return False
    return True


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "down"
    return "ok"


@public
def healthz(request):
    database = "ok" if _database_ok() else "down"
    broker = _broker_status()
    healthy = database == "ok" and broker in ("ok", "eager")
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


@roles(Role.ADMIN)
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    form.is_valid()
    events = audit_events_filtered(**form.filters())
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})


@roles(Role.ADMIN)
def audit_export(request):
    form = AuditFilterForm(request.GET or None)
    form.is_valid()
    events = audit_events_filtered(**form.filters())
    header = [
        _("Time"),
        _("User name"),
        _("Role"),
        _("IP address"),
        _("Action"),
        _("Object"),
        _("Result"),
        _("Detail"),
    ]
    rows = (
        (
            timezone.localtime(e.time).strftime("%Y-%m-%d %H:%M:%S"),
            e.username,
            e.get_role_display(),
            e.ip,
            e.action_label,
            e.object_repr,
            e.get_result_display(),
            e.detail,
        )
        for e in events.iterator()
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(filename=f"audit-{stamp}.xlsx", title=str(_("Audit log")), header=header, rows=rows)


INBOX_PER_KIND = 5  # the newest to-dos of each kind on the inbox's first view; the kind's own list has them all


@signed_in
def inbox(request):
    """Two tabs: what is unread (to do), grouped by kind of work with counts, and what was read. A kind chosen
    (``?kind=filings``) lists its messages alone, newest first, page by page."""
    show = "read" if request.GET.get("show") == "read" else "todo"
    unread = show == "todo"
    kinds = inbox_kind_counts(request.user, unread=unread)
    kind = request.GET.get("kind", "")
    if kind not in INBOX_KIND_LABELS:
        kind = ""
    context = {
        "show": show,
        "kind": kind,
        "kind_label": INBOX_KIND_LABELS.get(kind, ""),
        "kinds": kinds,
        "read_count": request.user.notifications.exclude(WAITING).count(),
        "query": urlencode({"show": show, "kind": kind} if kind else {"show": show}),
    }
    if unread and not kind:
        # The first view: each kind of work with its count and its newest messages (one query per kind present).
        context["groups"] = [
            {
                "code": code,
                "label": label,
                "count": count,
                "messages": list(inbox_messages(request.user, unread=True, kind=code)[:INBOX_PER_KIND]),
            }
            for code, label, count in kinds
        ]
    else:
        messages_ = inbox_messages(request.user, unread=unread, kind=kind)
        context["page"] = Paginator(messages_, 30).get_page(request.GET.get("page"))
    return render(request, "portal/inbox.html", context)


@signed_in
def notification_open(request, pk: int):
    """Opening a message marks it read and follows its link (a to-do stays to do until its work is done); another
    user's message does not exist here."""
    notification = get_object_or_404(request.user.notifications, pk=pk)
    notification_mark_read(notification=notification)
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("inbox")


@signed_in
@require_POST
def inbox_mark_all_read(request):
    notifications_mark_all_read(user=request.user)
    return redirect("inbox")


# The two switches of every page's header, the language and the elder-friendly mode, are GET forms: each sets a
# preference cookie of this browser and goes back to the page, and a forged switch changes nothing but how the
# portal looks. As POST forms they needed a CSRF token, so that every public page, cached ones included, set a
# CSRF cookie for each visitor and could not be stored by a proxy (issue 16). A POST is still answered the same.


def _back(request, data) -> str:
    """The page to go back to: ``next`` when it is on this site, else the home page."""
    target = data.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if safe else reverse("home")


@public
@require_http_methods(["GET", "POST"])
def set_language(request):
    """Switch the portal's language for this browser (Django's ``set_language``, answering a GET too)."""
    data = request.POST if request.method == "POST" else request.GET
    response = redirect(_back(request, data))
    code = data.get("language", "")
    if code and check_for_language(code) and code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@public
@require_http_methods(["GET", "POST"])
def elder_mode(request):
    """Switch the elder-friendly mode (large text, high contrast) on or off for this browser, back to the page."""
    data = request.POST if request.method == "POST" else request.GET
    response = redirect(_back(request, data))
    if data.get("on") == "1":
        response.set_cookie(
            ELDER_COOKIE,
            "1",
            max_age=ELDER_COOKIE_AGE,
            samesite="Lax",
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
        )
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response


class SignInView(auth_views.LoginView):
    """The sign-in form. A refused attempt is told, beside the form, how many attempts are left once the lockout
    is near (``settings.LOCKOUT_WARNING_ATTEMPTS``), counted as django-axes counts them (``portal.lib.lockout``)."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        warning = attempts_warning(self.request)
        context = self.get_context_data(form=form, attempts_left=warning, lockout_minutes=cooloff_minutes())
        return self.render_to_response(context)


sign_in = public(SignInView.as_view())


@method_decorator(signed_in, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    form_class = NewPasswordChangeForm
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        # An official sent here because the password is too old (portal.second_factor.middleware) is told why.
        user = self.request.user
        expired = needs_second_factor(user) and password_expired(user)
        return super().get_context_data(expired=expired, max_age=settings.PASSWORD_MAX_AGE_DAYS, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(action=AuditEvent.Action.PASSWORD_CHANGE, request=self.request)
        password_changed_notify(user=form.user, way=PasswordChangeWay.CHANGE_PAGE)
        messages.success(self.request, _("Your password has been changed."))
        return response


password_change = PasswordChangeView.as_view()
password_change.gate = "signed_in"


class LogoutView(auth_views.LogoutView):
    """Signing out lands on the sign-in page, which says so (the message outlives the flushed session: it is
    stored in a cookie)."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, _("You have signed out safely."))
        return response


logout = public(LogoutView.as_view())


# Reset e-mails per client address and per e-mail address: enough for a typo or two, too few for a flood.
PASSWORD_RESET_LIMITS = (ratelimit.Limit(3, 10 * 60), ratelimit.Limit(10, 24 * 60 * 60))


class PasswordResetView(auth_views.PasswordResetView):
    """The "forgot password" form. The answer is the same page whether or not an active account has the address,
    and the request does the same work: the e-mail is queued for any address, and the task looks the accounts up
    (``portal.services.password_reset_email_queue``)."""

    template_name = "registration/password_reset_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(hours=settings.PASSWORD_RESET_TIMEOUT // 3600, **kwargs)

    def form_valid(self, form):
        ip, address = client_ip(self.request), form.cleaned_data["email"].lower()
        limit = ratelimit.exceeded("password-reset", ip, PASSWORD_RESET_LIMITS) or ratelimit.exceeded(
            "password-reset-address", address, PASSWORD_RESET_LIMITS
        )
        if limit:
            return ratelimit.too_many_response(self.request, limit)
        ratelimit.hit("password-reset", ip, PASSWORD_RESET_LIMITS)
        ratelimit.hit("password-reset-address", address, PASSWORD_RESET_LIMITS)
        password_reset_email_queue(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link's page: a new password. The user then signs in as usual (officials with their second step);
    the sign-in lockout of the name is lifted and the change is audited."""

    template_name = "registration/password_reset_confirm.html"
    form_class = NewPasswordSetForm

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.username)
        audit_record(
            action=AuditEvent.Action.PASSWORD_CHANGE,
            request=self.request,
            actor=form.user,
            detail="password reset with an e-mailed link",
        )
        password_changed_notify(user=form.user, way=PasswordChangeWay.RESET_LINK)
        return response


password_reset = public(PasswordResetView.as_view())
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html")
)
password_reset_confirm = public(PasswordResetConfirmView.as_view())
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html")
)
