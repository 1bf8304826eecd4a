"""Every URL × every named person → the status they get. A URL missing from MATRIX fails the suite."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from portal.models import Notification
from tests.agencies.factories import gx_call
from tests.conftest import ROLE_NAMES, People
from tests.filings.factories import directory_entry, nanning_submission

SIGNED_IN = [name for name in ROLE_NAMES if name != "anonymous"]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLE_NAMES, status)


def signed_in(status: int = 200, **overrides: int) -> dict[str, int]:
    return {"anonymous": 302, **dict.fromkeys(SIGNED_IN, status), **overrides}


def only(*names: str, denied: int = 403) -> dict[str, int]:
    return {"anonymous": 302, **{n: 200 if n in names else denied for n in SIGNED_IN}}


@dataclass
class Case:
    expect: dict[str, int]
    kwargs: Callable[[People], dict] = field(default=lambda people: {})
    method: str = "get"


OFFICIALS = ("city_nanning", "city_liuzhou", "centre", "police_nanning", "police_liuzhou", "admin")

# Who may read 南宁's submitted application: the agency itself and the officials whose jurisdiction holds it.
NANNING_READERS = {
    **only("agency_nanning", "city_nanning", "centre", "police_nanning", "admin"),
    "agency_liuzhou": 404,
    "city_liuzhou": 404,
    "police_liuzhou": 404,
}
# The same once it is under technical assessment with expert_assigned on the panel: only that expert joins them.
ASSIGNED_READERS = {**NANNING_READERS, "expert_assigned": 200, "expert_other": 404}
# What only 南宁's agency may do to it (outside its state the view redirects with a message).
NANNING_AGENCY_ACTION = {**only(), "agency_nanning": 302, "agency_liuzhou": 404}


def application(people) -> dict:
    return {"pk": nanning_submission(people).pk}


def attachment(people) -> dict:
    submitted = nanning_submission(people)
    return {"pk": submitted.pk, "attachment_pk": submitted.attachments.first().pk}


def version(people) -> dict:
    return {"pk": nanning_submission(people).pk, "number": 1}


def assigned_application(people):
    """南宁's application under technical assessment, with expert_assigned on its panel (a guardian grant)."""
    from filings.models import State
    from filings.services import application_transition, panel_assign

    submitted = nanning_submission(people)
    if submitted.state != State.ASSESSMENT:
        application_transition(application=submitted, by=people.city_nanning, name="recommend", text="同意推荐。")
        application_transition(application=submitted, by=people.centre, name="accept")
        panel_assign(application=submitted, experts=[people.expert_assigned], by=people.centre)
    return submitted


def assigned(people) -> dict:
    return {"pk": assigned_application(people).pk}


def assigned_attachment(people) -> dict:
    submitted = assigned_application(people)
    return {"pk": submitted.pk, "attachment_pk": submitted.attachments.first().pk}


def assigned_version(people) -> dict:
    return {"pk": assigned_application(people).pk, "number": 1}


def record_photo(people) -> dict:
    from filings.examples import sample_pdf
    from filings.services import record_add

    submitted = assigned_application(people)
    record = record_add(
        application=submitted,
        by=people.police_nanning,
        kind="police_assessment",
        notes="同意。",
        photos=[sample_pdf("p")],
    )
    return {"pk": submitted.pk, "photo_pk": record.photos.get().pk}


def directory_entry_of_nanning(people) -> dict:
    return {"pk": directory_entry(people.org_nanning).pk}


def notification_of_city_nanning(people) -> dict:
    return {"pk": Notification.objects.create(recipient=people.city_nanning, subject="s", body="b").pk}


def published_notice(people):
    """A published notice with 南宁's application on it (assessed, then selected by the centre)."""
    from filings.models import Application, State
    from filings.services import application_transition, selection_mark, selection_notice_create
    from publicity.models import Notice
    from publicity.services import notice_publish

    existing = Notice.objects.filter(status=Notice.Status.PUBLISHED).first()
    if existing:
        return existing
    submitted = nanning_submission(people)
    application_transition(application=submitted, by=people.city_nanning, name="recommend", text="同意推荐。")
    application_transition(application=submitted, by=people.centre, name="accept")
    Application.objects.filter(pk=submitted.pk).update(state=State.ASSESSED, panel_score=88)
    selection_mark(application=submitted, by=people.centre, selected=True, reason="得分靠前。")
    notice = selection_notice_create(
        call=submitted.call, by=people.centre, title="公示", body="", window_days=5, applications=[submitted]
    )
    return notice_publish(notice=notice, by=people.centre)


def notice(people) -> dict:
    return {"pk": published_notice(people).pk}


def objection_attachment(people) -> dict:
    from filings.examples import sample_pdf
    from publicity.services import objection_raise

    published = published_notice(people)
    objection = objection_raise(
        notice=published,
        item=published.items.get(),
        name="王",
        contact="13977212345",
        content="异议",
        files=[sample_pdf("证明")],
    )
    return {"pk": published.pk, "attachment_pk": objection.attachments.get().pk}


def filed_application(people):
    """南宁's application filed after the ministry's approval, its receipt rendered (the notice pages are skipped)."""
    from django.utils import timezone

    from filings.models import Application, Receipt, State
    from filings.services import ministry_report, ministry_result, receipt_render

    submitted = nanning_submission(people)
    if submitted.state != State.FILED:
        Application.objects.filter(pk=submitted.pk).update(state=State.PUBLICISED)
        ministry_report(application=submitted, by=people.centre, reported_on=timezone.localdate())
        ministry_result(application=submitted, by=people.centre, approved=True, result_on=timezone.localdate())
        receipt_render(Receipt.objects.get(application=submitted))
    return submitted


def filed(people) -> dict:
    return {"pk": filed_application(people).pk}


def receipt_token(people) -> dict:
    return {"token": filed_application(people).receipts.get().token}


def nanning_entry(people):
    """南宁's directory entry, from its filed application."""
    application = filed_application(people)
    application.refresh_from_db()
    return application.directory_entry


def nanning_registration(people) -> dict:
    """南宁's registration with the police of 南宁 (submitted through the service)."""
    from supervision.models import PoliceRegistration
    from supervision.services import registration_submit

    entry = nanning_entry(people)
    registration = PoliceRegistration.objects.filter(entry=entry).first() or registration_submit(
        entry=entry,
        city=entry.region,
        by=people.agency_nanning,
        responsible="黄晓梅",
        phone="0771-5561234",
        sites="本部",
    )
    return {"pk": registration.pk}


def nanning_plan(people, *, status: str = "draft"):
    """A plan of 南宁's agency in 南宁, written straight into the table (the services' rules have their tests)."""
    import datetime as dt

    from django.utils import timezone

    from supervision.models import Plan

    entry = nanning_entry(people)
    existing = Plan.objects.filter(entry=entry, status=status).first()
    if existing:
        return existing
    first = timezone.localdate() + dt.timedelta(days=40)
    return Plan.objects.create(
        entry=entry,
        city=entry.region,
        occupation=entry.occupations.first().occupation,
        level=entry.occupations.first().level,
        first_day=first,
        last_day=first,
        venue="本部考场",
        venue_address="南宁市青秀区民族大道136号",
        expected_candidates=30,
        examiners=["甲", "乙", "丙"],
        supervisor="丁",
        fee="300",
        status=status,
        announced_at=timezone.now() if status == "announced" else None,
        created_by=people.agency_nanning,
    )


def plan(people) -> dict:
    return {"pk": nanning_plan(people).pk}


def plan_action(people) -> dict:
    return {"pk": nanning_plan(people).pk, "action": "submit"}


def announced_plan(people) -> dict:
    return {"pk": nanning_plan(people, status="announced").pk}


def agency_with_entry(people) -> dict:
    nanning_entry(people)
    return {}


# Who reads 南宁's registrations and plans: the agency and the officials whose jurisdiction holds 南宁.
NANNING_SUPERVISION_READERS = {**NANNING_READERS, "expert_assigned": 403, "expert_other": 403}
MONITORS = ("city_nanning", "city_liuzhou", "centre", "police_nanning", "police_liuzhou", "admin")


MATRIX: dict[str, Case] = {
    "home": Case(signed_in()),
    "healthz": Case(everyone(200)),
    "login": Case({"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)}),
    "logout": Case(everyone(302), method="post"),
    "password_change": Case(signed_in()),
    "set_language": Case(everyone(302), method="post"),
    "inbox": Case(signed_in()),
    # Opening one's own message redirects to its link (here the inbox); nobody else knows it exists.
    "notification_open": Case(
        {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 404), "city_nanning": 302}, kwargs=notification_of_city_nanning
    ),
    "inbox_mark_all_read": Case(signed_in(302), method="post"),
    "audit_list": Case(only("admin")),
    "audit_export": Case(only("admin")),
    "agencies:organisation_list": Case(only(*OFFICIALS)),
    "agencies:organisation_detail": Case(
        {
            **only("agency_nanning", "city_nanning", "centre", "police_nanning", "admin"),
            "agency_liuzhou": 404,
            "city_liuzhou": 404,
            "police_liuzhou": 404,
        },
        kwargs=lambda people: {"pk": people.org_nanning.pk},
    ),
    "register": Case(everyone(200)),
    "registration_resend": Case(everyone(200)),
    # A forged token: the same explanation page for everyone.
    "registration_verify": Case(everyone(400), kwargs=lambda people: {"token": "forged-token"}),
    "agencies:organisation_confirm_uscc": Case(
        {**only(denied=403), "city_nanning": 302, "city_liuzhou": 404},
        kwargs=lambda people: {"pk": people.org_nanning.pk},
        method="post",
    ),
    # Calls: a published Guangxi call; experts have no province, so they see no call.
    "agencies:call_list": Case(only("agency_nanning", "agency_liuzhou", *OFFICIALS)),
    "agencies:call_detail": Case(
        signed_in(expert_assigned=404, expert_other=404), kwargs=lambda people: {"pk": gx_call().pk}
    ),
    "agencies:call_create": Case(only("centre")),
    "agencies:call_edit": Case(only("centre"), kwargs=lambda people: {"pk": gx_call().pk}),
    "agencies:call_publish": Case({**only(), "centre": 302}, kwargs=lambda people: {"pk": gx_call().pk}, method="post"),
    "filings:queue": Case(only("city_nanning", "city_liuzhou", "centre", "police_nanning", "police_liuzhou")),
    "filings:queue_export": Case(only("city_nanning", "city_liuzhou", "centre", "police_nanning", "police_liuzhou")),
    # Recommending without an opinion: the Nanning bureau gets the form back with the error (400); officials
    # who may see it but not take this step are told so (302 with a message); other cities never see it.
    "filings:act": Case(
        {
            **only(),
            "city_nanning": 400,
            "centre": 302,
            "police_nanning": 302,
            "city_liuzhou": 404,
            "police_liuzhou": 404,
        },
        kwargs=lambda people: {**application(people), "name": "recommend"},
        method="post",
    ),
    "filings:application_list": Case(only("agency_nanning", "agency_liuzhou", *OFFICIALS)),
    "filings:application_export": Case(only("agency_nanning", "agency_liuzhou", *OFFICIALS)),
    "filings:application_start": Case(
        {**only(denied=403), "agency_nanning": 404, "agency_liuzhou": 404}, method="post"
    ),
    "filings:application_detail": Case(ASSIGNED_READERS, kwargs=assigned),
    "filings:application_edit": Case(NANNING_AGENCY_ACTION, kwargs=application),
    "filings:application_submit": Case(NANNING_AGENCY_ACTION, kwargs=application),
    "filings:application_withdraw": Case(NANNING_AGENCY_ACTION, kwargs=application, method="post"),
    "filings:application_reopen": Case(NANNING_AGENCY_ACTION, kwargs=application, method="post"),
    "filings:draft_pdf": Case({**only("agency_nanning"), "agency_liuzhou": 404}, kwargs=application),
    "filings:attachment_upload": Case(NANNING_AGENCY_ACTION, kwargs=application, method="post"),
    "filings:attachment_download": Case(ASSIGNED_READERS, kwargs=assigned_attachment),
    "filings:attachment_remove": Case(NANNING_AGENCY_ACTION, kwargs=attachment, method="post"),
    "filings:version_detail": Case(ASSIGNED_READERS, kwargs=assigned_version),
    "filings:version_pdf": Case(ASSIGNED_READERS, kwargs=assigned_version),
    "filings:version_compare": Case(ASSIGNED_READERS, kwargs=assigned),
    # The technical assessment: the centre's panel page, the expert's workspace, the review records.
    "filings:panel": Case(only("centre"), kwargs=application),
    "filings:assessments": Case(only("expert_assigned", "expert_other")),
    "filings:assess": Case({**only("expert_assigned"), "expert_other": 404}, kwargs=assigned),
    # An empty form: the expert sees it again with the error, the police officer is sent back with a message.
    "filings:record_add": Case(
        {**only(), "expert_assigned": 400, "expert_other": 404, "police_nanning": 302, "police_liuzhou": 404},
        kwargs=assigned,
        method="post",
    ),
    "filings:record_photo": Case(ASSIGNED_READERS, kwargs=record_photo),
    # Selection and public notices: the centre's pages.
    "filings:selection": Case(only("centre"), kwargs=lambda people: {"call_pk": nanning_submission(people).call_id}),
    "filings:notice_list": Case(only("centre")),
    "filings:notice_export": Case(only("centre")),
    "filings:notice_new": Case(only("centre")),
    "publicity:notice_detail": Case(only("centre"), kwargs=notice),
    "publicity:objection_attachment": Case(only("centre"), kwargs=objection_attachment),
    # The public notice, its PDF, objections and their tracking: the same for everyone, signed in or not. An
    # empty objection fails the check question (400); the tracking page is a form.
    "notices:notice_list": Case(everyone(200)),
    "notices:notice_detail": Case(everyone(200), kwargs=notice),
    "notices:notice_pdf": Case(everyone(200), kwargs=notice),
    "notices:objection_create": Case(everyone(400), kwargs=notice, method="post"),
    "notices:objection_track": Case(everyone(200)),
    # The public directory and its JSON API: the same for everyone, signed in or not.
    "directory:search": Case(everyone(200)),
    "directory:export": Case(everyone(200)),
    "directory:entry": Case(everyone(200), kwargs=directory_entry_of_nanning),
    "public:api_directory": Case(everyone(200)),
    "public:api_directory_entry": Case(
        everyone(200), kwargs=lambda people: {"id": directory_entry_of_nanning(people)["pk"]}
    ),
    # Without a token, or a number and a name, there is nothing to verify.
    "public:api_receipt_verify": Case(everyone(400)),
    "public:api_openapi": Case(everyone(200)),
    "public:api_docs": Case(everyone(200)),
    # The ministry's result and the filing receipt: the centre records them; the agency and the officials of its
    # jurisdiction follow and download the receipt; anyone verifies it, by QR token or by number and name.
    "filings:ministry": Case(only("centre"), kwargs=filed),
    "filings:receipt_status": Case(NANNING_READERS, kwargs=filed),
    "filings:receipt_download": Case(NANNING_READERS, kwargs=filed),
    "filings:receipt_regenerate": Case({**only(), "centre": 302}, kwargs=filed, method="post"),
    "public:receipt_verify": Case(everyone(200), kwargs=receipt_token),
    "public:receipt_lookup": Case(everyone(200)),
    # Supervision: the agency's registrations and plans; the jurisdiction workspace; the public announcements.
    "supervision:agency_home": Case(only("agency_nanning", "agency_liuzhou")),
    # An agency with no filed entry has no registration or plan to make: 404.
    "supervision:registration_new": Case({**only("agency_nanning"), "agency_liuzhou": 404}, kwargs=agency_with_entry),
    "supervision:registration_detail": Case(NANNING_SUPERVISION_READERS, kwargs=nanning_registration),
    "supervision:plan_new": Case({**only("agency_nanning"), "agency_liuzhou": 404}, kwargs=agency_with_entry),
    "supervision:plan_detail": Case(NANNING_SUPERVISION_READERS, kwargs=plan),
    "supervision:plan_edit": Case({**only("agency_nanning"), "agency_liuzhou": 404}, kwargs=plan),
    "supervision:plan_act": Case(NANNING_AGENCY_ACTION, kwargs=plan_action, method="post"),
    # The plan is in 南宁, the agency's own city: there is no cross-region report for anyone to decide.
    "supervision:report_decide": Case({**only(), "city_nanning": 404, "city_liuzhou": 404}, kwargs=plan, method="post"),
    "supervision:reports": Case(only("city_nanning", "city_liuzhou")),
    "supervision:workspace": Case(only(*MONITORS)),
    "supervision:workspace_export": Case(only(*MONITORS), kwargs=lambda people: {"tab": "agencies"}),
    "evaluations:list": Case(everyone(200)),
    "evaluations:detail": Case(everyone(200), kwargs=announced_plan),
}


# ---------------------------------------------------------------- the URL walk: every pattern, named or not


@dataclass(frozen=True)
class Route:
    """One URL pattern of the project: its full name (None when it has none), its full route and its view."""

    name: str | None
    route: str
    view: object
    converters: dict = field(default_factory=dict, compare=False, hash=False)


def _every_pattern(resolver: URLResolver, namespace: str = "", prefix: str = "", converters=None) -> list[Route]:
    """Every URL pattern of the project, named or not, with its view, except the Django admin's own (tested
    below). A pattern without a name cannot be reversed, so it cannot be in the matrix: the walk keeps it (with
    ``name=None``) for the tests to refuse, rather than skipping it."""
    found: list[Route] = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        known = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _every_pattern(pattern, inner, route, known)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            found.append(Route(name, route, pattern.callback, known))
        else:  # anything else Django would resolve: not in the matrix, and refused like an unnamed pattern
            found.append(Route(None, route, pattern))
    return found


def _gates(view) -> list[str]:
    """The gates stacked on a view, outermost first. ``functools.wraps`` copies a gate onto every wrapper above
    it (``require_POST`` over ``roles``), so a layer counts only when its gate is not the one it wraps."""
    gates, layer = [], view
    while layer is not None:
        gate = layer.__dict__.get("gate") if hasattr(layer, "__dict__") else None
        inner = getattr(layer, "__wrapped__", None)
        if gate and getattr(inner, "gate", None) != gate:
            gates.append(gate)
        layer = inner
    return gates


def _is_a_gate(gate: str) -> bool:
    return gate in ("public", "signed_in") or (gate.startswith("roles:") and len(gate) > len("roles:"))


def _sample_kwargs(route: Route) -> dict:
    """Values for the route's parameters that its converters accept, to reverse it without a database."""
    samples = {}
    for key, converter in route.converters.items():
        for value in (1, "x", uuid.UUID(int=1)):
            try:
                text = converter.to_url(value)
            except (TypeError, ValueError):
                continue
            if re.fullmatch(converter.regex, str(text)):
                samples[key] = value
                break
    return samples


def test_every_url_has_an_entry_in_the_role_matrix():
    routes = _every_pattern(get_resolver())
    assert [route.route for route in routes if route.name is None] == [], (
        "URL patterns without a name: the role matrix cannot reach them; name them and add an entry"
    )
    names = [route.name for route in routes if route.name]
    assert sorted({name for name in names if names.count(name) > 1}) == [], (
        "URL names used twice: reverse() reaches only one of the patterns"
    )
    assert sorted(set(names) - set(MATRIX)) == [], "URLs without a role-matrix entry"
    assert sorted(set(MATRIX) - set(names)) == [], "role-matrix entries for URLs that no longer exist"


def test_every_view_declares_one_gate():
    """Every resolvable view, named or not, carries exactly one of ``portal.lib.access``'s gates."""
    gates = {route.name or route.route: _gates(route.view) for route in _every_pattern(get_resolver())}
    assert {where: found for where, found in gates.items() if not found} == {}, "views without a gate"
    assert {where: found for where, found in gates.items() if len(found) > 1} == {}, "views with stacked gates"
    assert {where: found for where, found in gates.items() if not _is_a_gate(found[0])} == {}, "unknown gates"


def test_every_named_url_reaches_its_own_view():
    """What the matrix requests (``reverse(name)``) resolves to that very pattern, not to one earlier in the
    URL conf that matches the same address."""
    wrong = {}
    for route in _every_pattern(get_resolver()):
        if not route.name:
            continue
        try:
            match = resolve(reverse(route.name, kwargs=_sample_kwargs(route)))
        except (NoReverseMatch, Resolver404) as error:
            wrong[route.name] = repr(error)
            continue
        if match.view_name != route.name or match.func is not route.view:
            wrong[route.name] = match.view_name
    assert wrong == {}


def test_every_entry_names_every_person():
    incomplete = {name: sorted(set(ROLE_NAMES) - set(case.expect)) for name, case in MATRIX.items()}
    assert {name: missing for name, missing in incomplete.items() if missing} == {}


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_role_matrix(url_name, people, client_for):
    case = MATRIX[url_name]
    url = reverse(url_name, kwargs=case.kwargs(people))
    got = {}
    for person_name in ROLE_NAMES:
        client = client_for(people.get(person_name))
        response = getattr(client, case.method)(url)
        got[person_name] = response.status_code
    assert got == case.expect


def test_admin_site_is_only_for_the_admin_role(people, client_for):
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]
    for person_name in ROLE_NAMES:
        client = client_for(people.get(person_name))
        statuses = {url: client.get(url).status_code for url in urls}
        expected = 200 if person_name == "admin" else 302
        assert set(statuses.values()) == {expected}, (person_name, statuses)
