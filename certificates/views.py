"""Certificates pages: the agency's results sessions (template, import, issue, revocation), the officials'
reading of them, and the public verification page.

Every write goes through ``certificates.services``; objects are loaded through ``certificates.loaders``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import DirectoryEntry, Level
from certificates import services
from certificates.forms import (
    CorrectionForm,
    DecideForm,
    ImportForm,
    PhotoForm,
    PubliciseForm,
    ReportForm,
    ResubmitForm,
    RevokeForm,
    VerifyForm,
    verify_given_plainly,
)
from certificates.importing import template_workbook
from certificates.loaders import candidate_of, certificate_of, import_of, session_for
from certificates.models import Certificate, ImportAttempt, Session, Verification
from certificates.pdf import session_zip
from certificates.selectors import (
    SESSION_ROW_RELATED,
    any_certificate_due,
    corrected_passed,
    holder_certificates,
    import_progress,
    latest_import,
    pending_objections,
    plans_awaiting_results,
    rendering_progress,
    session_counts,
    sessions_visible_to,
    statistics,
    withheld_reasons,
)
from certificates.verification import (
    certificate_data,
    limit_reached,
    log_verification,
    verification_answer,
    verify_counted,
)
from portal.lib.access import public, roles
from portal.lib.confirm import back_redirect, confirm_page, is_back, is_confirmed, kept_from_back
from portal.lib.csrftoken import masked_token
from portal.lib.errors import add_to_form, refusal
from portal.lib.excel import XLSX_TYPE
from portal.lib.http import object_or_404
from portal.lib.pageshell import shell_response
from portal.lib.paging import ListPaginator
from portal.lib.ratelimit import too_many_response
from portal.models import Role

SESSIONS_PER_PAGE = 25
CANDIDATES_PER_PAGE = 100
READERS = (Role.AGENCY, Role.POLICE, Role.CITY_HR, Role.CENTRE, Role.ADMIN)
# Who may read a candidate's ID number in clear, each reading audited: the agency that evaluated (its own
# sessions) and the HR bureau that reviews the results (its jurisdiction).
REVEALERS = (Role.AGENCY, Role.CITY_HR)


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@roles(*READERS)
def session_list(request):
    context = {
        # Paged: an official's jurisdiction holds thousands of sessions (issue 16).
        "page": _sessions_page(request),
        "plans": plans_awaiting_results(request.user),
        "today": timezone.localdate(),
        "show_statistics": request.user.role != Role.AGENCY,
    }
    return render(request, "certificates/session_list.html", context)


def _sessions_page(request):
    """The page's sessions chosen on the scoped list with what its order needs (late pages read backwards), then
    read by key with their plan, agency and city: the scope's filter over every plan is asked once, not again for
    the rows drawn (issue 16 item 4)."""
    # Every key of the list in one query, the pager counting them in Python: the count was a second pass of the
    # scope's filter over every plan (the centre's 3,500 sessions: 16 ms of the page's 37 ms of SQL), and a key
    # is 8 bytes (issue 16 item 4).
    keys = list(sessions_visible_to(request.user).order_by("-plan__first_day", "-pk").values_list("pk", flat=True))
    page = ListPaginator(keys, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    chosen = list(page.object_list)
    drawn = Session.objects.select_related(*SESSION_ROW_RELATED).in_bulk(chosen) if chosen else {}
    page.object_list = [drawn[key] for key in chosen if key in drawn]
    return page


@roles(Role.AGENCY)
@require_POST
def session_create(request):
    plan = object_or_404(plans_awaiting_results(request.user), request.POST.get("plan", ""))
    with refusal(request, errors_as_message=True) as refused:
        session = services.session_create(plan=plan, by=request.user, request=request)
    if refused:
        return redirect("certificates:session_list")
    return redirect("certificates:session_detail", session.pk)


def _detail(
    request,
    session,
    *,
    form=None,
    correction_form=None,
    resubmit_form=None,
    publicise_form=None,
    decide_form=None,
    photo_form=None,
    photo_candidate=None,
    revealed=None,
    revoking=None,
    revoke_reason: str = "",
    status: int = 200,
):
    candidates = session.candidates.select_related("certificate").order_by("row", "pk")
    counts = session_counts(session)
    rendering = rendering_progress(counts)
    attempt = latest_import(session)
    reasons = withheld_reasons(session)
    page = _candidates_page(
        request, candidates, counts["candidates"], photo_candidate or next(iter(revealed or {}), None)
    )
    for candidate in page:
        candidate.withheld_reason = reasons.get(candidate.pk, "")
    context = {
        "rendering": rendering,
        "issued": rendering["issued"],
        "session": session,
        "plan": session.plan,
        "candidates": page.object_list,
        "candidates_page": page,
        "candidate_count": counts["candidates"],
        "passed_count": counts["passed"],
        "corrected_count": counts["corrected"],
        "corrected_passed_count": corrected_passed(session, counts),
        "attempt": attempt,
        # The latest upload was refused: what was imported before it is not what the agency last sent, so it is
        # not offered for publicity (``services.publicity_blocker`` refuses it too).
        "last_refused": attempt is not None and attempt.status == ImportAttempt.Status.REFUSED,
        # A page answering a new upload's error shows that error alone, not an earlier upload's outcome above it.
        "show_outcome": status == 200,
        # The latest upload is being checked (and not lost: a lost check no longer hides the upload form).
        "checking": attempt is not None
        and attempt.status == ImportAttempt.Status.PENDING
        and attempt.created >= services.check_stale_since(),
        "form": form or ImportForm(),
        "correction_form": correction_form or CorrectionForm(),
        "resubmit_form": resubmit_form or ResubmitForm(),
        "report_form": ReportForm(),
        "photo_form": photo_form,
        "photo_candidate": photo_candidate,
        "is_agency": request.user.role == Role.AGENCY,
        "may_review": services.may_review(session, request.user),
        "may_reveal": request.user.role in REVEALERS,
        "revealed": revealed or {},
        "overdue": session.report_overdue(timezone.localdate()),
        "revoke_form": RevokeForm(),
        # Back from a revocation's confirmation: that certificate's form open, with the reason as typed.
        "revoking": revoking,
        "revoke_reason": revoke_reason,
        "publicise_form": publicise_form or PubliciseForm(),
        "decide_form": decide_form or DecideForm(),
        "pending_objections": pending_objections(session),
        # Suspended or removed from the directory: ``certificates_issue`` refuses the agency, so its page shows why
        # instead of the button, and the bureau reviewing its results reads it before approving (issue 12).
        "entry_barred": session.plan.entry.status != DirectoryEntry.Status.ACTIVE,
        "entry_status": session.plan.entry.get_status_display(),
        # Approved with no certificate due: the page says so instead of offering to issue an empty batch. The kept
        # count of those passed answers without a query when nobody passed.
        "certificate_due": session.status == Session.Status.APPROVED
        and bool(counts["passed"])
        and any_certificate_due(session),
    }
    return render(request, "certificates/session_detail.html", context, status=status)


def _candidates_page(request, candidates, total: int, shown_pk: int | None):
    """The session's candidates a page at a time (issue 16 item 4: a session's list grows with its candidates; the
    page listed the first 500 and no more), counted once for the page and its paginator. A page answering a reading
    of an ID number or a photo upload is the one holding that candidate, unless a page was asked for."""
    paginator = ListPaginator(candidates, CANDIDATES_PER_PAGE)
    paginator.count = total  # kept with the rows (``session_counts``): not counted again
    number = request.GET.get("page")
    if number is None and shown_pk is not None:
        shown = candidates.filter(pk=shown_pk).values("row").first()
        if shown is not None:
            before = candidates.filter(Q(row__lt=shown["row"]) | Q(row=shown["row"], pk__lt=shown_pk)).count()
            number = before // CANDIDATES_PER_PAGE + 1
    return paginator.get_page(number)


@roles(*READERS)
def session_detail(request, pk: int):
    kept = kept_from_back(request)  # back from a revocation's confirmation: that certificate's form as typed
    return _detail(
        request, session_for(request, pk), revoking=kept.get("revoking"), revoke_reason=kept.get("reason", "")
    )


# Seconds an ID number read in clear stays shown to the same signed-in browser on a reload (post-redirect-get).
REVEAL_SECONDS = 300
REVEALED_KEY = "certificates_revealed"


@roles(*REVEALERS)
def candidate_reveal(request, pk: int, candidate_pk: int):
    """POST: the candidate's ID number is read in clear (one audit row) and the browser follows to GET here
    (post-redirect-get): POST, because a reading leaves a trace and a link followed by a crawler or a prefetch must
    not. GET shows that reading again for ``REVEAL_SECONDS`` in the same session (a reload: no second audit row);
    later, or never read, it goes back to the session's page, the number masked, saying so."""
    session = session_for(request, pk)
    candidate = candidate_of(session, candidate_pk)
    now = timezone.now().timestamp()
    readings = {key: until for key, until in request.session.get(REVEALED_KEY, {}).items() if until > now}
    if request.method == "POST":
        services.id_number_reveal(candidate=candidate, by=request.user, request=request)
        readings[str(candidate.pk)] = now + REVEAL_SECONDS
        request.session[REVEALED_KEY] = readings
        return redirect("certificates:candidate_reveal", session.pk, candidate.pk)
    if str(candidate.pk) not in readings:
        messages.info(
            request, _("The ID number is masked again: show it with the eye button (each reading is recorded).")
        )
        return redirect("certificates:session_detail", session.pk)
    response = _detail(request, session, revealed={candidate.pk: services.id_number_read(candidate=candidate)})
    response["Cache-Control"] = "no-store"
    return response


@roles(Role.AGENCY)
def session_template(request, pk: int):
    session = session_for(request, pk)
    return _xlsx(template_workbook(session), f"results-template-{session.pk}.xlsx")


@roles(Role.AGENCY)
def session_results_workbook(request, pk: int):
    """The template filled with the session's current results, to correct and upload again."""
    session = session_for(request, pk)
    with refusal(request, errors_as_message=True) as refused:
        data = services.results_workbook(session=session, by=request.user, request=request)
    if refused:
        return redirect("certificates:session_detail", session.pk)
    response = _xlsx(data, f"results-{session.pk}-current.xlsx")
    response["Cache-Control"] = "private, no-store"  # ID numbers in clear
    return response


def _upload(request, session, *, correction: bool):
    form_class = CorrectionForm if correction else ImportForm
    form = form_class(request.POST, request.FILES)
    form_key = "correction_form" if correction else "form"
    if not form.is_valid():
        return _detail(request, session, **{form_key: form}, status=400)
    uploaded = form.cleaned_data["workbook"]
    with refusal(request) as refused:
        attempt = services.results_upload(
            session=session,
            data=uploaded.read(),
            filename=uploaded.name,
            by=request.user,
            correction=correction,
            token=form.cleaned_data["token"],
            request=request,
        )
    if refused.errors:
        add_to_form(form, refused.errors)
        return _detail(request, session, **{form_key: form}, status=400)
    if not refused and getattr(attempt, "repeated", False):
        messages.info(request, _("This workbook was already received (the form was sent twice): its result is below."))
    return redirect("certificates:session_detail", session.pk)


@roles(Role.AGENCY)
@require_POST
def session_import(request, pk: int):
    """The upload is stored and checked by a Celery task; the page follows its progress and shows the outcome."""
    return _upload(request, session_for(request, pk), correction=False)


@roles(Role.AGENCY)
@require_POST
def session_correct(request, pk: int):
    """After a return: a workbook of the rows to correct, checked like an import."""
    return _upload(request, session_for(request, pk), correction=True)


@roles(Role.AGENCY)
@require_POST
def session_resubmit(request, pk: int):
    """After a return, no result changes: reported again with an explanation."""
    session = session_for(request, pk)
    form = ResubmitForm(request.POST)
    form.is_valid()
    with refusal(request) as refused:
        services.results_resubmit(
            session=session, by=request.user, answer=request.POST.get("answer", ""), request=request
        )
    if refused.errors:
        add_to_form(form, refused.errors)
        return _detail(request, session, resubmit_form=form, status=400)
    if not refused:
        messages.success(request, _("The results are reported to the HR bureau again."))
    return redirect("certificates:session_detail", session.pk)


@roles(*READERS)
def session_progress(request, pk: int):
    """The progress of the session's jobs, polled by the page (certificates/static/certificates/progress.js)."""
    session = session_for(request, pk)
    return JsonResponse(
        {"import": import_progress(session), "certificates": rendering_progress(session_counts(session))}
    )


@roles(Role.AGENCY)
def import_marked(request, pk: int, attempt_pk: int):
    attempt = import_of(session_for(request, pk), attempt_pk)
    if not attempt.marked:
        return redirect("certificates:session_detail", pk)
    return _xlsx(attempt.marked, f"results-errors-{attempt.pk}.xlsx")


@roles(Role.AGENCY)
@require_POST
def session_publicise(request, pk: int):
    """Two steps (``portal.lib.confirm``): a publicity cannot be taken back, so the first POST answers a page saying
    what will be published (how many candidates, how many passed, for how long); only its button publishes. A
    publicity that would be refused (the latest upload refused or being checked, no results, too short) is refused
    at once, without the confirmation."""
    session = session_for(request, pk)
    form = PubliciseForm(request.POST)
    if not is_confirmed(request):
        with refusal(request) as refused:
            preview = services.results_publicity_preview(
                session=session, by=request.user, window_days=request.POST.get("window_days", "")
            )
        if refused.errors:
            add_to_form(form, refused.errors)
            return _detail(request, session, publicise_form=form, status=400)
        if refused:
            return redirect("certificates:session_detail", session.pk)
        return _publicise_confirmation(request, session, preview)
    with refusal(request) as refused:
        services.results_publicise(
            session=session, by=request.user, window_days=request.POST.get("window_days", ""), request=request
        )
    if refused.errors:
        add_to_form(form, refused.errors)
        return _detail(request, session, publicise_form=form, status=400)
    if not refused:
        messages.success(request, _("The results are published on the public site."))
    return redirect("certificates:session_detail", session.pk)


def _publicise_confirmation(request, session, preview: dict):
    plan = session.plan
    return confirm_page(
        request,
        title=_("Publish the results of %(occupation)s · %(level)s?")
        % {"occupation": plan.occupation.name, "level": plan.level_label},
        summary=[
            (
                _("Results corrected") if preview["corrected"] else _("Candidates who took part"),
                str(preview["candidates"]),
            ),
            (_("Published as proposed qualified"), str(preview["passed"])),
            (_("Notice period (working days)"), str(preview["days"])),
        ],
        consequences=[
            _(
                "The list of candidates proposed as qualified goes on the public site at once, names and ID numbers "
                "masked, with the number who took part; anyone may object to it. Who did not pass is not published."
            )
            if preview["passed"]
            else _(
                "Nobody passed: the notice goes on the public site at once, saying that nobody is proposed as "
                "qualified and how many took part; no name is published. Anyone may object to these results."
            ),
            _("Once published, the notice cannot be withdrawn."),
        ],
        button=_("Publish the results notice"),
        cancel_url=reverse("certificates:session_detail", args=[session.pk]),
    )


@roles(Role.AGENCY)
@require_POST
def session_report(request, pk: int):
    session = session_for(request, pk)
    form = ReportForm(request.POST)
    form.is_valid()
    with refusal(request, errors_as_message=True) as refused:
        services.results_report(
            session=session, by=request.user, answer=form.cleaned_data.get("answer", ""), request=request
        )
    if not refused:
        messages.success(request, _("The results are reported to the HR bureau."))
    return redirect("certificates:session_detail", session.pk)


@roles(Role.CITY_HR)
@require_POST
def session_decide(request, pk: int):
    session = session_for(request, pk)
    form = DecideForm(request.POST)
    form.is_valid()
    approve = request.POST.get("decision") == "approve"
    with refusal(request) as refused:
        services.results_decide(
            session=session,
            by=request.user,
            approve=approve,
            reasons=form.cleaned_data.get("reasons", ""),
            request=request,
        )
    if refused.errors:
        add_to_form(form, refused.errors)
        return _detail(request, session, decide_form=form, status=400)
    if not refused:
        messages.success(request, _("Approved.") if approve else _("Returned to the agency."))
    return redirect("certificates:session_detail", session.pk)


@roles(Role.AGENCY)
@require_POST
def session_issue(request, pk: int):
    session = session_for(request, pk)
    with refusal(request, errors_as_message=True) as refused:
        issued = services.certificates_issue(session=session, by=request.user, request=request)
    if not refused:
        messages.success(request, _("%(count)s certificates issued.") % {"count": len(issued)})
    return redirect("certificates:session_detail", session.pk)


@roles(Role.AGENCY)
def session_zip_download(request, pk: int):
    """The session's electronic certificates, one PDF each, in a zip."""
    session = session_for(request, pk)
    certificates = Certificate.objects.filter(candidate__session=session).exclude(pdf="").order_by("number")
    if not certificates.exists():
        raise Http404
    response = FileResponse(session_zip(certificates), as_attachment=True, filename=f"certificates-{session.pk}.zip")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@roles(*REVEALERS)
def certificate_pdf_download(request, pk: int, certificate_pk: int):
    """One electronic certificate's PDF, for the agency that issued it and the HR bureau of its jurisdiction (as
    the session's page). A revoked certificate's PDF is its copy rendered again after the revocation, marked
    本证书已撤销; until that copy is rendered there is none to give (the valid one was discarded)."""
    certificate = certificate_of(session_for(request, pk), certificate_pk)
    if not certificate.pdf:
        raise Http404
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@roles(Role.AGENCY)
@require_POST
def certificate_revoke(request, pk: int, certificate_pk: int):
    session = session_for(request, pk)
    certificate = certificate_of(session, certificate_pk)
    if is_back(request):  # back from the confirmation: the session's page by GET, this certificate's form as typed
        url = reverse("certificates:session_detail", args=[session.pk]) + f"#reason-{certificate.pk}"
        return back_redirect(request, url, {"revoking": certificate.pk, "reason": request.POST.get("reason", "")})
    form = RevokeForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "").strip()
    # Without a reason, or already revoked, the service refuses: only a revocation that would be taken is confirmed.
    if reason and certificate.status != Certificate.Status.REVOKED and not is_confirmed(request):
        return confirm_page(
            request,
            title=_("Revoke certificate %(number)s?") % {"number": certificate.number},
            summary=[(_("Holder"), certificate.candidate.name), (_("Reason for revocation"), reason)],
            consequences=[
                _("From now on the certificate verifies as revoked, for anyone, on the verification page and the API."),
                _("Its PDF is rendered again, marked revoked."),
                _("The revocation and its reason are recorded in the audit log. It cannot be undone."),
            ],
            button=_("Revoke the certificate"),
            cancel_url=reverse("certificates:session_detail", args=[session.pk]),
            back=True,
        )
    with refusal(request, errors_as_message=True) as refused:
        services.certificate_revoke(
            certificate=certificate,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
            request=request,
        )
    if not refused:
        messages.success(request, _("Certificate %(number)s revoked.") % {"number": certificate.number})
    return redirect("certificates:session_detail", session.pk)


@roles(*REVEALERS)
def candidate_photo(request, pk: int, candidate_pk: int):
    """The photo of a candidate, for the agency that evaluated and the HR bureau that reviews (personal data)."""
    candidate = candidate_of(session_for(request, pk), candidate_pk)
    if not candidate.photo:
        raise Http404
    extension = candidate.photo.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        candidate.photo.open("rb"), content_type="image/png" if extension == "png" else "image/jpeg"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@roles(Role.AGENCY)
@require_POST
def candidate_photo_upload(request, pk: int, candidate_pk: int):
    session = session_for(request, pk)
    candidate = candidate_of(session, candidate_pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, session, photo_form=form, photo_candidate=candidate.pk, status=400)
    with refusal(request) as refused:
        services.candidate_photo_set(
            candidate=candidate, photo=form.cleaned_data["photo"], by=request.user, request=request
        )
    if refused.errors:
        add_to_form(form, refused.errors)
        return _detail(request, session, photo_form=form, photo_candidate=candidate.pk, status=400)
    if not refused:
        messages.success(request, _("Photo of %(name)s saved.") % {"name": candidate.name})
    return redirect("certificates:session_detail", session.pk)


def _bars(rows: list[dict], label) -> list[dict]:
    """Rows as bars of a chart: label, count, width in percent of the largest."""
    top = max((row["total"] for row in rows), default=0) or 1
    return [
        {
            "label": label(row),
            "total": row["total"],
            "revoked": row["revoked"],
            "width": round(100 * row["total"] / top),
        }
        for row in rows
    ]


@roles(Role.CITY_HR, Role.POLICE, Role.CENTRE, Role.ADMIN)
def certificate_statistics(request):
    """Certificates issued in the user's jurisdiction: by occupation and level, city and month, as bar charts."""
    data = statistics(request.user)
    charts = [
        (
            _("By occupation and level"),
            _bars(data["by_occupation"], lambda r: f"{r['occupation__name']} · {Level(r['level']).label}"),
        ),
        (_("By city of the evaluation"), _bars(data["by_city"], lambda r: r["session__plan__city__name"])),
        (_("By month of issue"), _bars(data["by_month"], lambda r: r["month"].strftime("%Y-%m"))),
    ]
    return render(request, "certificates/statistics.html", {"total": data["total"], "charts": charts})


# ---------------------------------------------------------------- public verification


@public
def verify(request):
    """The public verification page (全国联网查询 style): by number and name, or ID number and name."""
    if request.method != "POST":
        # The QR code of an electronic certificate brings its number; the name is the visitor's to give.
        form = VerifyForm(initial={"number": request.GET.get("number", "")[:40]})
        return _verify_page(request, {"form": form})
    # A plainly valid request (most of them) is answered without building the form: what it would clean the
    # fields to (``verify_given_plainly``, tests/certificates/test_verify_given.py) and what was typed are all
    # the answer needs (~0.1 ms of CPU a request, issue 16). Anything else goes through the form and its messages.
    data = verify_given_plainly(request.POST)
    form = VerifyForm(request.POST) if data is None else None
    if form is not None and not form.is_valid():
        limit = limit_reached(request)  # counted all the same
        if limit is not None:
            log_verification(request, channel=Verification.Channel.PAGE, limited=True)
            return too_many_response(request, limit)
        return _verify_page(request, {"form": form}, status=400)
    data = form.cleaned_data if form is not None else data
    limit, found = verify_counted(
        request,
        channel=Verification.Channel.PAGE,
        name=data["name"],
        number=data["number"],
        id_number=data["id_number"],
        as_json=True,
    )
    if limit is not None:
        return too_many_response(request, limit)
    if found is not None and getattr(found, "encoded", b""):  # by number: the certificate's card
        return _answer_page(request, request.POST, _card_html(found.encoded))
    if found is None:  # "no certificate matches", by number or by ID number alike
        return _answer_page(request, request.POST, None)
    if form is None:  # drawn by the template: the form it shows, valid as the fast check said
        form = VerifyForm(request.POST)
        form.is_valid()
    context = {"form": form, "searched": True, "certificate": found}
    if found is not None and not data["number"]:
        # By ID number: every certificate of the person, newest first (masked as the one found).
        context["certificates"] = [
            certificate_data(c) for c in holder_certificates(name=data["name"], id_number=data["id_number"])
        ]
    return _verify_page(request, context)


def _card_html(encoded: bytes) -> str:
    if settings.DEBUG:  # an edited template shows at once
        return _card_drawn.__wrapped__(encoded, get_language())
    return _card_drawn(encoded, get_language())


@lru_cache(maxsize=2048)
def _card_drawn(encoded: bytes, language: str) -> str:
    """A found certificate's card on the page, drawn once per process for each state of it (its card's bytes,
    ``certificates.verification``: a revocation changes them) and language: drawing it was a fifth of the page."""
    certificate = verification_answer(encoded)
    return mark_safe(render_to_string("certificates/public/_certificate_card.html", {"certificate": certificate}))  # noqa: S308  escaped by the template


def _verify_page(request, context: dict, *, status: int = 200):
    """The page's content drawn on its own, in the frame every anonymous visitor shares (portal.lib.pageshell)."""
    token = masked_token(request)
    content = render_to_string("certificates/public/_verify.html", {**context, "csrf_token": token})
    return shell_response(request, "certificates/public/verify.html", content, status=status, token=token)


# The answer to a valid verification — the certificate's box (from its card), or "no certificate matches" — is
# drawn once per process for each language and outcome, with marks where each request's own values go: what was
# typed in each field, the CSRF token, the box. Each request fills them in, a typed value escaped as the template
# escapes it (``{{ value }}``: django.utils.html.escape), an empty one leaving out its ``value`` attribute as the
# template does (``{% if value %}``). Drawing the three fields through the template engine was most of the content's
# ~0.45 ms of CPU (bench/README.md). tests/certificates/test_verify_page_drawn.py compares the two drawings byte
# for byte. Invalid forms (their messages), by-ID answers (their list) and GETs are drawn by the template.
_FIELD_MARKS = {name: f"@@f-{name}@@" for name in VerifyForm.base_fields}
_TOKEN_MARK, _BOX_MARK = "@@t@@", "@@b@@"
_SLOTS = re.compile(r'( value="@@f-[a-z_]+@@"|@@t@@|@@b@@)')
_SLOT_FIELDS = {f' value="{mark}"': name for name, mark in _FIELD_MARKS.items()}


class _MarkedForm(VerifyForm):
    """The form bound to the marks: valid whatever they look like (a mark is no ID number), so no message is drawn;
    the answer is drawn only for what ``verify_given_plainly`` found valid."""

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"]


def _answer_pieces(language: str, found: bool) -> tuple[str, ...]:
    """The answer's content split at its slots: text, slot, text, … (``language`` is the active one)."""
    form = _MarkedForm(dict(_FIELD_MARKS))
    context = {"form": form, "searched": True, "csrf_token": _TOKEN_MARK}
    if found:
        context["card_html"] = mark_safe(_BOX_MARK)  # noqa: S308  a constant mark, replaced by the drawn box
    return tuple(_SLOTS.split(render_to_string("certificates/public/_verify.html", context)))


_answer_pieces_cached = lru_cache(maxsize=16)(_answer_pieces)


def _answer_content(typed, token: str, box: str | None) -> str:
    """The answer's content with ``typed`` (the POST: field name -> what was typed) filled in."""
    pieces = (_answer_pieces if settings.DEBUG else _answer_pieces_cached)(get_language(), box is not None)
    out = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            out.append(piece)
        elif piece == _TOKEN_MARK:
            out.append(token)
        elif piece == _BOX_MARK:
            out.append(box)
        elif value := typed.get(_SLOT_FIELDS[piece]):  # as typed, what the bound field shows
            out.append(f' value="{escape(value)}"')
    return "".join(out)


def _answer_page(request, typed, box: str | None):
    """The page answering a valid verification (``typed``: what was sent): the certificate's box (drawn from its
    card), or None: not found."""
    token = masked_token(request)
    content = _answer_content(typed, token, box)
    return shell_response(request, "certificates/public/verify.html", content, token=token)
