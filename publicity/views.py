"""Public notices: the managing official's page of one notice, and the public pages.

The official publishes a draft, answers each objection and closes the notice when its window has passed.
Anyone, signed in or not, reads the published notices, downloads their PDF, objects during the window (a
picture to read and rate limits keep floods out) and follows the objection with its tracking code. Every
write goes through ``publicity.services``; notices are loaded through ``publicity.loaders``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib import ratelimit
from portal.lib.access import public, roles
from portal.lib.captcha import CaptchaForm
from portal.lib.downloads import stored_file_response
from portal.lib.errors import refusal
from portal.lib.http import client_ip, is_digits
from portal.lib.tracking import RECEIVED_SECONDS, received_pk, received_remember
from portal.lib.uploads import ACCEPT
from portal.models import Role
from publicity.loaders import notice_for, objection_attachment_for, objection_for, public_notice_for
from publicity.models import Notice, Objection
from publicity.pdf import issuer_of, notice_pdf_file
from publicity.selectors import listed_entries, notice_entries, notices_public, objection_tracked, objections_of
from publicity.services import (
    MAX_OBJECTION_FILES,
    notice_close,
    notice_publish,
    notice_window_open,
    objection_handle,
    objection_problems,
    objection_raise,
)
from publicity.subjects import notice_headings, notice_wording, subject_for

# At most 3 objections a minute and 5 an hour from one address; every attempt (a wrong answer to the picture
# included) counts against a looser limit, and so do look-ups of tracking codes.
OBJECTION_LIMITS = (ratelimit.Limit(3, 60), ratelimit.Limit(5, 60 * 60))
ATTEMPT_LIMITS = (ratelimit.Limit(20, 10 * 60),)
TRACK_LIMITS = (ratelimit.Limit(30, 10 * 60),)


def _issuer(notice: Notice) -> str:
    return issuer_of(notice)


# ---------------------------------------------------------------- the managing official


@roles(Role.CENTRE)
def notice_detail(request, pk: int):
    notice = notice_for(request, pk)
    errors: dict[str, list[str]] = {}
    posted = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        with refusal(request) as refused:
            done = _notice_action(request, notice, action)
        if refused.message:
            return redirect("publicity:notice_detail", notice.pk)
        if refused.errors:
            errors, posted = refused.errors, request.POST
        else:
            messages.success(request, done)
            anchor = f"#objection-{request.POST.get('objection')}" if action == "handle" else ""
            return redirect(reverse("publicity:notice_detail", args=[notice.pk]) + anchor)
    notice.refresh_from_db()
    today = timezone.localdate()
    typed_for = posted.get("objection", "") if posted else ""
    rows = [
        {
            "objection": objection,
            "typed_reply": posted.get("reply", "") if typed_for == str(objection.pk) else "",
            "errors": errors.get("reply", []) if typed_for == str(objection.pk) else [],
        }
        for objection in objections_of(notice)
    ]
    pending = sum(row["objection"].status == Objection.Status.PENDING for row in rows)
    context = {
        "notice": notice,
        "entries": notice_entries(notice),
        "objections": rows,
        "pending": pending,
        "window_open": notice_window_open(notice, today),
        "can_close": notice.status == Notice.Status.PUBLISHED and today > notice.closes_on and not pending,
        "today": today,
        "back_link": subject_for(notice.kind).management_link(),
        "headings": notice_headings(notice),
        "wording": notice_wording(notice),
    }
    return render(request, "publicity/notice_detail.html", context, status=400 if errors else 200)


def _notice_action(request, notice: Notice, action: str) -> str:
    if action == "publish":
        notice = notice_publish(notice=notice, by=request.user, request=request)
        return _("Published. Objections are accepted until %(date)s.") % {"date": notice.closes_on.isoformat()}
    if action == "close":
        notice_close(notice=notice, by=request.user, request=request)
        return _("The notice is closed; the agencies on it have passed the public notice.")
    if action == "handle":
        objection = objection_for(notice, request.POST.get("objection", ""))
        decision = request.POST.get("decision", "")
        if decision not in ("uphold", "dismiss"):
            raise ValidationError({"reply": _("Choose “Uphold” or “Dismiss”.")})
        objection_handle(
            objection=objection,
            by=request.user,
            upheld=decision == "uphold",
            reply=request.POST.get("reply", ""),
            request=request,
        )
        if decision == "uphold":
            return str(notice_wording(notice).upheld) % {"name": objection.item.label}
        return _("Objection dismissed; the objector can read your reply with the tracking code.")
    raise ValidationError({"action": _("Unknown action.")})


@roles(Role.CENTRE)
def objection_attachment(request, pk: int, attachment_pk: int):
    attachment = objection_attachment_for(notice_for(request, pk), attachment_pk)
    return stored_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


# ---------------------------------------------------------------- public pages


@public
def public_notice_list(request):
    notices = notices_public().annotate(entries=listed_entries()).order_by("-published_at", "-pk")
    page = Paginator(notices, 20).get_page(request.GET.get("page"))
    return render(request, "publicity/public/notice_list.html", {"page": page, "today": timezone.localdate()})


def _public_notice_context(notice: Notice, *, posted=None, errors=None, files_dropped: bool = False) -> dict:
    today = timezone.localdate()
    entries = notice_entries(notice)
    open_ = notice_window_open(notice, today)
    return {
        "notice": notice,
        # The rows of the public table; an entry standing for the whole notice (``Entry.listed``) is no row of it.
        "entries": [e for e in entries if e.listed and not e.removed],
        "removed": [e for e in entries if e.removed],
        # What an objection may concern: every entry still on the notice, listed or not.
        "objectable": [e for e in entries if not e.removed],
        "window_open": open_,
        "captcha": CaptchaForm() if open_ else None,
        "posted": posted or {},
        "errors": errors or {},
        "files_dropped": files_dropped,
        "max_files": MAX_OBJECTION_FILES,
        "accept": ACCEPT,
        "headings": notice_headings(notice),
        "issuer": _issuer(notice),
    }


@public
def public_notice_detail(request, pk: int):
    notice = public_notice_for(pk)
    return render(request, "publicity/public/notice_detail.html", _public_notice_context(notice))


@public
def public_notice_pdf(request, pk: int):
    """The notice as it was published (every entry on it), in Chinese as an official document."""
    notice = public_notice_for(pk)
    stored = notice_pdf_file(notice)
    response = FileResponse(stored.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public
def objection_create(request, pk: int):
    notice = public_notice_for(pk)
    if request.method != "POST":
        return redirect(reverse("notices:notice_detail", args=[notice.pk]) + "#objection")
    ip = client_ip(request)
    limit = ratelimit.exceeded("objection-attempt", ip, ATTEMPT_LIMITS) or ratelimit.exceeded(
        "objection", ip, OBJECTION_LIMITS
    )
    if limit:
        return ratelimit.too_many_response(request, limit)
    ratelimit.hit("objection-attempt", ip, ATTEMPT_LIMITS)
    files = request.FILES.getlist("files")
    posted = {key: request.POST.get(key, "") for key in ("item", "name", "contact", "content")}
    errors: dict[str, list[str]] = {}
    captcha = CaptchaForm(request.POST)
    if not captcha.is_valid():
        # Every field is checked too, so one attempt shows everything that is missing.
        errors = objection_problems(name=posted["name"], contact=posted["contact"], content=posted["content"])
        if not (is_digits(posted["item"]) and notice.items.filter(pk=posted["item"], withdrawn_at=None).exists()):
            errors["item"] = [_("Choose the agency you object to from the notice.")]
        errors["captcha"] = captcha.errors["captcha"]
    else:
        raw = posted["item"]
        item = notice.items.filter(pk=raw).first() if is_digits(raw) else None
        with refusal(request) as refused:
            objection = objection_raise(
                notice=notice,
                item=item,
                name=posted["name"],
                contact=posted["contact"],
                content=posted["content"],
                files=files,
                ip=ip,
            )
        if refused.message:
            return redirect("notices:notice_detail", notice.pk)
        if not refused:
            ratelimit.hit("objection", ip, OBJECTION_LIMITS)
            received_remember(request, "objection", objection.pk)
            return redirect("notices:objection_received")
        errors = refused.errors
    context = _public_notice_context(notice, posted=posted, errors=errors, files_dropped=bool(files))
    return render(request, "publicity/public/notice_detail.html", context, status=400)


@public
def objection_received(request):
    """Where a raised objection goes (post-redirect-get): its tracking code, for the browser that raised it, and
    again on a reload for a while (``portal.lib.tracking.received_remember``); otherwise a page that says so."""
    pk = received_pk(request, "objection")
    objection = Objection.objects.select_related("item__notice").filter(pk=pk).first()
    context = {
        "objection": objection,
        "notice": objection.item.notice if objection else None,
        "minutes": RECEIVED_SECONDS // 60,
    }
    response = render(request, "publicity/public/objection_received.html", context)
    response["Cache-Control"] = "no-store"
    return response


@public
def objection_track(request):
    """The objector enters the tracking code (posted, so it stays out of addresses and server logs)."""
    context: dict = {"code": "", "objection": None, "not_found": False}
    if request.method == "POST":
        ip = client_ip(request)
        limit = ratelimit.exceeded("objection-track", ip, TRACK_LIMITS)
        if limit:
            return ratelimit.too_many_response(request, limit)
        ratelimit.hit("objection-track", ip, TRACK_LIMITS)
        code = request.POST.get("code", "").strip()
        objection = objection_tracked(code)
        context.update(code=code, objection=objection, not_found=objection is None)
    return render(request, "publicity/public/objection_track.html", context)
