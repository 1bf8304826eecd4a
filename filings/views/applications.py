from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.loaders import call_for
from filings.conditions import checks_as_shown
from filings.diff import compare_versions
from filings.display import display_sections
from filings.drafts import build_sections, parse_post
from filings.forms import SECTIONS
from filings.loaders import application_for, attachment_for, version_for, working_attachment_for
from filings.models import Application, Attachment, State
from filings.pdf import application_pdf, province_opinion_of
from filings.selectors import (
    SEARCH_MAX_LENGTH,
    application_editable_by,
    application_rows,
    applications_matching,
    applications_visible_to,
    current_attachments,
    versions_of,
)
from filings.services import (
    application_checks,
    application_create,
    application_personal_data_viewed,
    application_problems,
    application_reopen,
    application_save_draft,
    application_submit,
    application_withdraw,
    attachment_add,
    attachment_remove,
    required_materials,
)
from filings.views.detail import application_detail_context
from portal.lib.access import roles
from portal.lib.downloads import stored_file_response
from portal.lib.errors import refusal
from portal.lib.excel import xlsx_response
from portal.lib.links import link_to
from portal.lib.paging import ListPaginator
from portal.models import Role
from portal.services import content_key, document_stored

READERS = (Role.AGENCY, Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN)
# Who may open one application (which ones: ``applications_visible_to``): an expert only those assigned.
APPLICATION_READERS = (*READERS, Role.EXPERT)


LIST_PAGE_SIZE = 50


def _listed(request):
    """The applications of the list under the request's filters (the page and its Excel export)."""
    applications = applications_visible_to(request.user).order_by("-updated", "-pk")
    state = request.GET.get("state", "")
    if state in State.values:
        applications = applications.filter(state=state)
    text = request.GET.get("q", "")
    return applications_matching(applications, text), {"state": state, "q": text[:SEARCH_MAX_LENGTH]}


@roles(*READERS)
def application_list(request):
    applications, filters = _listed(request)
    page = ListPaginator(application_rows(applications), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(State.choices)  # once per page, not a hash of every choice per row (get_state_display)
    # An agency opens its own draft or returned application in the form, everyone else the application's page;
    # each row's cells ready to print (a dictionary's key, where ``application.organisation.name`` tries a key,
    # then an attribute, at each step; the links reversed once: issue 16 item 4).
    detail, edit = link_to("filings:application_detail"), link_to("filings:application_edit")
    agency = request.user.role == Role.AGENCY
    rows = [
        {
            "application": application,
            "url": (edit if agency and application.is_editable else detail)(application.pk),
            "reference": application.reference,
            "organisation": application.organisation.name,
            "call_title": application.call_version.title,
            "state": application.state,
            "state_label": labels.get(application.state, application.state),
            "deadline": application.deadline.isoformat() if application.deadline else "",
            "updated": timezone.localtime(application.updated).strftime("%Y-%m-%d %H:%M"),
        }
        for application in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {**filters, "page": page, "rows": rows, "states": State.choices, "query": query.urlencode()}
    if request.user.role == Role.AGENCY:
        from agencies.selectors import open_calls_for

        context["open_calls"] = open_calls_for(request.user.organisation, timezone.localdate())
    return render(request, "filings/application_list.html", context)


@roles(*READERS)
def application_export(request):
    """The list under the same filters as the page, every row, as an Excel file."""
    applications, _filters = _listed(request)
    applications = applications.select_related("organisation", "region", "call_version")
    return xlsx_response(
        filename=f"applications-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Filing applications"),
        header=[
            _("Reference number"),
            _("Organisation"),
            _("Unified social credit code"),
            _("Call"),
            _("City"),
            _("State"),
            _("Decision due"),
            _("Last saved"),
        ],
        rows=(
            (
                a.reference or "",
                a.organisation.name,
                a.organisation.uscc,
                a.call_version.title,
                a.region.name,
                a.get_state_display(),
                a.deadline.isoformat() if a.deadline else "",
                timezone.localtime(a.updated).strftime("%Y-%m-%d %H:%M"),
            )
            for a in applications.iterator(chunk_size=500)
        ),
    )


@roles(Role.AGENCY)
@require_POST
def application_start(request):
    call = call_for(request, request.POST.get("call", ""))
    existing = application_editable_by(request.user).filter(call=call, state=State.DRAFT).first()
    if existing:
        messages.info(request, _("You already have a draft for this call; it has been opened."))
        return redirect("filings:application_edit", existing.pk)
    with refusal(request) as refused:
        application = application_create(organisation=request.user.organisation, call=call, by=request.user)
    if refused:
        return redirect("filings:application_list")
    return redirect("filings:application_edit", application.pk)


def _overview(states, flagged: list[str] = ()) -> list[dict]:
    """The section list beside the form; ``flagged``: the sections a correction request asks to change."""
    return [
        {
            "key": s.key,
            "title": str(s.section.title),
            "complete": s.complete,
            "errors": s.has_errors,
            "started": s.bound,
            "flagged": s.key in flagged,
        }
        for s in states
    ]


@roles(Role.AGENCY)
def application_edit(request, pk: int):
    application = application_for(request, pk, write=True)
    if not application.is_editable:
        messages.info(request, _("This application has been submitted and can no longer be edited."))
        return redirect("filings:application_detail", application.pk)
    editable_keys = (
        application.flagged_sections
        if application.state == State.CORRECTION
        else [s.key for s in SECTIONS] + ["materials"]
    )
    if request.method == "POST":
        sections = [s for s in SECTIONS if s.key in editable_keys]
        data = parse_post(request.POST, sections, call_version=application.call_version)
        autosave = bool(request.headers.get("X-Autosave"))
        with refusal(request, queue_message=not autosave) as refused:
            application = application_save_draft(application=application, data=data, by=request.user)
        if refused:
            if autosave:
                return JsonResponse({"ok": False, "error": refused.text}, status=409)
            return redirect("filings:application_detail", application.pk)
        if request.headers.get("X-Autosave"):
            return JsonResponse(
                {
                    "ok": True,
                    "saved_at": timezone.localtime(application.updated).strftime("%H:%M:%S"),
                    "overview": _overview(build_sections(application)),
                }
            )
        messages.success(request, _("Draft saved."))
        if request.POST.get("next") == "submit":
            return redirect("filings:application_submit", application.pk)
        return redirect(reverse("filings:application_edit", args=[application.pk]) + request.POST.get("anchor", ""))
    states = build_sections(application)
    context = {
        "application": application,
        "states": states,
        "overview": _overview(states, application.flagged_sections if application.state == State.CORRECTION else []),
        "editable_keys": editable_keys,
        "materials": _materials(application),
        "checks": application_checks(application),
        "offerings": application.call_version.offerings,
    }
    return render(request, "filings/application_form.html", context)


def _materials(application: Application) -> list[dict]:
    attached = current_attachments(application)
    required = {m["code"] for m in required_materials(application)}
    return [
        {
            **material,
            "required": material["code"] in required,
            "attachments": attached.get(material["code"], []),
        }
        for material in application.call_version.materials
    ]


@roles(Role.AGENCY)
def application_submit_view(request, pk: int):
    application = application_for(request, pk, write=True)
    if not application.is_editable:
        return redirect("filings:application_detail", application.pk)
    problems = application_problems(application)
    legal = (application.data.get("basic") or {}).get("legal_representative", "")
    typed_name, consent, error = "", False, ""
    if request.method == "POST":
        typed_name = request.POST.get("commitment_name", "")
        consent = request.POST.get("consent") == "on"
        with refusal(request) as refused:
            version = application_submit(
                application=application,
                by=request.user,
                commitment_name=typed_name,
                consent=consent,
                request=request,
            )
        error = refused.text if refused.errors else ""
        if refused.message:
            return redirect("filings:application_detail", application.pk)
        if not refused:
            messages.success(
                request,
                _("Version %(n)d has been submitted. You will be told when a reviewer acts on it.")
                % {"n": version.number},
            )
            return redirect("filings:application_detail", application.pk)
    context = {
        "application": application,
        "problems": problems,
        "checks": application_checks(application),
        "legal_representative": legal,
        "typed_name": typed_name,
        "consent": consent,
        "error": error,
    }
    return render(request, "filings/application_submit.html", context)


@roles(*APPLICATION_READERS)
def application_detail(request, pk: int):
    application = application_for(request, pk)
    application_personal_data_viewed(application=application, by=request.user, what=request.path)
    return render(request, "filings/application_detail.html", application_detail_context(request, application))


@roles(Role.AGENCY)
@require_POST
def application_withdraw_view(request, pk: int):
    application = application_for(request, pk, write=True)
    with refusal(request) as refused:
        application_withdraw(application=application, by=request.user, request=request)
    if not refused:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("filings:application_detail", application.pk)


@roles(Role.AGENCY)
@require_POST
def application_reopen_view(request, pk: int):
    application = application_for(request, pk, write=True)
    with refusal(request) as refused:
        application_reopen(application=application, by=request.user)
    if refused:
        return redirect("filings:application_detail", application.pk)
    return redirect("filings:application_edit", application.pk)


@roles(Role.AGENCY)
@require_POST
def attachment_upload(request, pk: int):
    application = application_for(request, pk, write=True)
    material = request.POST.get("material", "")
    uploaded = request.FILES.get("file")
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    error = ""
    attachment = None
    if uploaded is None:
        error = _("Choose a file to upload.")
    else:
        with refusal() as refused:
            attachment = attachment_add(application=application, material=material, uploaded=uploaded, by=request.user)
        error = refused.text
    if wants_json:
        if error:
            return JsonResponse({"ok": False, "error": error}, status=400)
        return JsonResponse(
            {
                "ok": True,
                "id": attachment.pk,
                "name": attachment.original_name,
                "size": attachment.size,
                "url": reverse("filings:attachment_download", args=[application.pk, attachment.pk]),
                "remove_url": reverse("filings:attachment_remove", args=[application.pk, attachment.pk]),
            }
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("“%(name)s” uploaded.") % {"name": attachment.original_name})
    target = "filings:application_detail" if material == "signed_scan" else "filings:application_edit"
    return redirect(reverse(target, args=[application.pk]) + "#materials")


@roles(Role.AGENCY)
@require_POST
def attachment_remove_view(request, pk: int, attachment_pk: int):
    application = application_for(request, pk, write=True)
    attachment = working_attachment_for(application, attachment_pk)
    with refusal(request):
        attachment_remove(attachment=attachment, by=request.user)
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"ok": True})
    return redirect(reverse("filings:application_edit", args=[application.pk]) + "#materials")


@roles(*APPLICATION_READERS)
def attachment_download(request, pk: int, attachment_pk: int):
    application = application_for(request, pk)
    attachment = attachment_for(request, application, attachment_pk)
    application_personal_data_viewed(
        application=application, by=request.user, what=f"{request.path} {attachment.original_name}"
    )
    return stored_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@roles(*APPLICATION_READERS)
def version_detail(request, pk: int, number: int):
    application = application_for(request, pk)
    version = version_for(application, number)
    application_personal_data_viewed(application=application, by=request.user, what=request.path)
    attachments = Attachment.objects.filter(
        pk__in=[i for ids in version.attachments.values() for i in ids], application=application
    )
    context = {
        "application": application,
        "version": version,
        "attachments": attachments,
        "checks": checks_as_shown(version.checks, rules=version.call_version.rules, data=version.data),
        "sections": display_sections(
            version.data, call_version=version.call_version, organisation=application.organisation
        ),
    }
    return render(request, "filings/version_detail.html", context)


@roles(*APPLICATION_READERS)
def version_compare(request, pk: int):
    application = application_for(request, pk)
    versions = {v.number: v for v in versions_of(application)}
    try:
        old, new = versions[int(request.GET.get("a", 0))], versions[int(request.GET.get("b", 0))]
    except (KeyError, ValueError):
        numbers = sorted(versions)
        if not numbers:
            raise Http404 from None
        old, new = versions[numbers[max(len(numbers) - 2, 0)]], versions[numbers[-1]]
    context = {
        "application": application,
        "old": old,
        "new": new,
        "versions": sorted(versions.values(), key=lambda v: v.number),
        "changes": compare_versions(old, new),
    }
    return render(request, "filings/version_compare.html", context)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@roles(*APPLICATION_READERS)
def version_pdf(request, pk: int, number: int):
    application = application_for(request, pk)
    version = version_for(application, number)
    application_personal_data_viewed(application=application, by=request.user, what=request.path)
    # The city bureau's recommendation and the centre's decision go into their boxes on the form of the version
    # they decided on (the latest).
    latest = versions_of(application).last()
    if latest is not None and latest.number == version.number:
        city, province = application.city_opinion, province_opinion_of(application)
    else:
        city = province = ""
    # Rendered once per version and opinions, then served from storage: a submitted version never changes.
    stored = document_stored(
        kind="application_version",
        object_id=version.pk,
        key=content_key(city, province),
        render=lambda: application_pdf(application, version=version, city_opinion=city, province_opinion=province),
        name=f"{application.reference}-v{number}.pdf",
    )
    return stored_file_response(
        stored, filename=f"{application.reference}-v{number}.pdf", content_type="application/pdf"
    )


@roles(Role.AGENCY)
def draft_pdf(request, pk: int):
    application = application_for(request, pk, write=True)
    return _pdf_response(application_pdf(application, version=None), f"application-{application.pk}-draft.pdf")
