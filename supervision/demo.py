"""Demo supervision for `manage.py seed_demo`: filed Guangxi agencies at work in both demo cities.

- 柳州市神盾职业技能培训学校 (filed by filings.demo.filed, city scope) and 广西卫安保安服务有限公司 (南宁, filed
  here with province-wide scope, the same way: assessed → selected → notice (backdated) → closed → ministry →
  filed with its receipt) get sign-in accounts: ``agency_shendun`` and ``agency_weian``.
- Each is registered with the police of its own city and confirmed; 卫安 has also registered with 柳州's police
  for its evaluations there, still awaiting police_liuzhou.
- Each has an announced upcoming plan and a past one in its city; 卫安 has two cross-region plans in 柳州: one
  consented by city_liuzhou and announced, one still awaiting its consent (at /supervision/reports/).

Everything moves through the services; only a past plan's dates (and a notice's) are set back afterwards.
Idempotent: each registration and plan is made once, found again by its city or venue.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from agencies.models import Call, DirectoryEntry, Occupation, Organisation, Scope
from filings.demo.filed import file_through_notice
from filings.examples import sample_application_data, sample_pdf
from filings.models import Application, State
from filings.services import (
    application_create,
    application_save_draft,
    application_submit,
    application_transition,
    attachment_add,
    panel_assign,
    panel_declare,
    panel_score,
)
from filings.services.review import panel_conclude
from portal.demo import demo_user
from portal.models import Region, Role, User
from supervision.models import Draw, Plan, PoliceRegistration
from supervision.selectors import plan_roster
from supervision.services import (
    first_allowed_exam_day,
    plan_announce,
    plan_save,
    plan_submit,
    registration_confirm,
    registration_submit,
    report_decide,
)

CALL_CODE = "gx-security-manager-2026"
NANNING, LIUZHOU = "450100", "450200"
SHENDUN = "柳州市神盾职业技能培训学校"  # filed by filings.demo.filed
WEIAN_USCC = "91450100MA5L2Y8K3G"  # 广西卫安保安服务有限公司, of agencies.demo.ORGANISATIONS
WEIAN_NOTICE = "关于广西卫安保安服务有限公司遴选结果的公示"
SECURITY_MANAGER = "3-02-02-00"
# (username, organisation name, last name, first name)
ACCOUNTS = [("agency_shendun", SHENDUN, "覃", "小红"), ("agency_weian", "广西卫安保安服务有限公司", "潘", "婷")]


def seed() -> list[str]:
    call = Call.objects.filter(code=CALL_CODE).first()
    if call is None:
        return []
    users = {}
    for username, name, last, first in ACCOUNTS:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is not None:
            users[name] = demo_user(username, Role.AGENCY, last, first, department=None, organisation=organisation)
    weian = Organisation.objects.filter(uscc=WEIAN_USCC).first()
    if weian is not None:
        _file_weian(call, weian, users[weian.name])
    cities = {code: Region.objects.get(code=code) for code in (NANNING, LIUZHOU)}
    police = {
        NANNING: User.objects.get(username="police_nanning"),
        LIUZHOU: User.objects.get(username="police_liuzhou"),
    }
    city_hr = {NANNING: User.objects.get(username="city_nanning"), LIUZHOU: User.objects.get(username="city_liuzhou")}
    for name, agency in users.items():
        entry = _filed_entry(name)
        if entry is None:
            continue
        home = entry.region.code
        other = LIUZHOU if home == NANNING else NANNING
        # Registered with the police of its own city, confirmed.
        registration = _registration(entry, cities[home], agency)
        if registration.status == PoliceRegistration.Status.SUBMITTED:
            registration_confirm(registration=registration, by=police[home])
        _plans_at_home(entry, agency, cities[home])
        if entry.scope in (Scope.REGION, Scope.NATIONAL):
            # Evaluating in the other city too: registered with its police (awaiting them), a plan consented
            # and announced there, and one whose report awaits that city's HR bureau.
            _registration(entry, cities[other], agency)
            _cross_region_plans(entry, agency, cities[other], city_hr[other])
    from supervision.demo_oversight import seed as seed_oversight

    return [username for username, name, *_ in ACCOUNTS if name in users] + seed_oversight()


def demo_organisations() -> QuerySet[Organisation]:
    """The organisation made here (邕城, of the oversight demo); 卫安 and 神盾 are agencies' and filings' demo's."""
    from supervision.demo_oversight import YONGCHENG_USCC

    return Organisation.objects.filter(uscc=YONGCHENG_USCC)


def demo_roots(organisations: QuerySet[Organisation]) -> list[QuerySet]:
    """The random draw of the demo, with its inspections (its picks name the demo's agencies)."""
    from supervision.demo_oversight import DRAW_TITLE

    return [Draw.objects.filter(title=DRAW_TITLE)]


def _filed_entry(name: str) -> DirectoryEntry | None:
    return (
        DirectoryEntry.objects.filter(organisation__name=name, status=DirectoryEntry.Status.ACTIVE)
        .select_related("region", "organisation")
        .first()
    )


# ---------------------------------------------------------------- 广西卫安, filed as filings.demo.filed does


def _file_weian(call: Call, organisation: Organisation, agency: User) -> None:
    """Apply (province-wide scope, levels 3 to 1), be recommended, accepted, assessed, selected, publicised
    on a notice whose window has passed, reported to the ministry and approved. Done once."""
    application = Application.objects.filter(organisation=organisation, call=call).first()
    if application is not None and application.state != State.CITY_REVIEW:
        return  # filed on an earlier run (or moved on by hand): nothing more to do
    city = User.objects.get(username="city_nanning")
    centre = User.objects.get(username="centre")
    experts = [User.objects.get(username="expert1"), User.objects.get(username="expert2")]
    if application is None:
        application = application_create(organisation=organisation, call=call, by=agency)
        occupations = [(SECURITY_MANAGER, "保卫管理员", level) for level in (3, 2, 1)]
        data = sample_application_data(organisation, occupations=occupations, scope="region")
        data["basic"]["registration_authority"] = "南宁市市场监督管理局"
        application_save_draft(application=application, data=data, by=agency)
        for material in application.call_version.materials:
            if material.get("required"):
                attachment_add(
                    application=application, material=material["code"], uploaded=sample_pdf("扫描件"), by=agency
                )
        application_submit(
            application=application, by=agency, commitment_name=organisation.legal_representative, consent=True
        )
        application.refresh_from_db()
    application_transition(application=application, by=city, name="recommend", text="材料齐全，同意推荐。")
    application_transition(application=application, by=centre, name="accept", text="予以受理。")
    application.refresh_from_db()
    panel_assign(application=application, experts=experts, by=centre)
    for index, expert in enumerate(experts):
        member = application.panel.get(expert=expert)
        panel_declare(member=member, by=expert, has_conflict=False)
        scores = {c["code"]: str(int(c["max"] * (0.9 - 0.03 * index))) for c in application.call_version.scoring}
        panel_score(member=member, by=expert, scores=scores, comment="考评队伍稳定，质量管控措施完备。", submit=True)
    panel_conclude(application=application, by=centre, conclusion="专家组综合评估，同意通过技术评估。")
    application.refresh_from_db()
    file_through_notice(
        application,
        call=call,
        centre=centre,
        reason="技术评估通过，全区布局需要，予以遴选。",
        title=WEIAN_NOTICE,
        published_days_ago=21,
    )


# ---------------------------------------------------------------- registrations and plans


def _registration(entry: DirectoryEntry, city: Region, agency: User) -> PoliceRegistration:
    registration = PoliceRegistration.objects.filter(entry=entry, city=city).first()
    if registration is not None:
        return registration
    return registration_submit(
        entry=entry,
        city=city,
        by=agency,
        responsible=agency.get_full_name() or agency.username,
        phone=entry.organisation.contact_phone or "0771-5832198",
        sites=_sites_in(entry, city),
    )


# The venues of the plans an agency of elsewhere holds in a city (``_cross_region_plans``): what it registers
# there. A registration names the sites of its own city, never the agency's home address (issue qa5b item 4).
CROSS_REGION_VENUES = (
    ("职工培训中心", "城中区公园路12号"),
    ("保安服务实训基地", "鱼峰区航银路6号"),
)


def _sites_in(entry: DirectoryEntry, city: Region) -> str:
    if city.pk == entry.region_id:
        return f"{entry.organisation.name}考核基地：{entry.organisation.address or city.name}"
    return "\n".join(f"{city.name}{venue}：{city.name}{address}" for venue, address in CROSS_REGION_VENUES)


def _plan_fields(entry: DirectoryEntry, city: Region, first_day: dt.date, *, venue: str, address: str) -> dict:
    """A plan of the entry's first approved occupation and level, with the filed roster's people: the first
    supervisor, and the examiners of the occupation other than them (the roster names overlap)."""
    approved = entry.occupations.select_related("occupation").order_by("-level").first()
    occupation: Occupation = approved.occupation
    roster = plan_roster(entry)
    supervisor = roster["supervisors"][0]
    examiners = [name for name in roster["examiners"].get(occupation.name, []) if name != supervisor][:3]
    return {
        "city": city,
        "occupation": occupation,
        "work_type": "",
        "level": approved.level,
        "first_day": first_day,
        "last_day": first_day + dt.timedelta(days=1),
        "venue": venue,
        "venue_address": address,
        "expected_candidates": 60,
        "examiners": examiners,
        "supervisor": supervisor,
        "fee": "380",
        "notes": (
            f"{entry.organisation.name}定于{first_day.isoformat()}起在{venue}开展{occupation.name}"
            "职业技能等级认定，符合条件的人员可向本机构报名。"
        ),
    }


def _plan(entry: DirectoryEntry, agency: User, fields: dict) -> Plan | None:
    """The plan at this venue, made and submitted now unless an earlier run made it (then ``None``)."""
    if Plan.objects.filter(entry=entry, venue=fields["venue"]).exists():
        return None
    plan = plan_save(entry=entry, by=agency, **fields)
    return plan_submit(plan=plan, by=agency)


def _plans_at_home(entry: DirectoryEntry, agency: User, city: Region) -> None:
    today = timezone.localdate()
    allowed = first_allowed_exam_day(today)
    name = entry.organisation.name
    address = entry.organisation.address or city.name
    plan = _plan(
        entry,
        agency,
        _plan_fields(entry, city, allowed + dt.timedelta(days=7), venue=f"{name}标准化考场", address=address),
    )
    if plan is not None:
        plan_announce(plan=plan, by=agency)
    past = _plan(entry, agency, _plan_fields(entry, city, allowed, venue=f"{name}智能化考场", address=address))
    if past is not None:
        plan_announce(plan=past, by=agency)
        # A past evaluation: made and announced through the services with a future date, then its dates moved
        # back (as if announced two months ago and held last month) — the services rightly refuse past dates.
        first_day = today - dt.timedelta(days=30)
        Plan.objects.filter(pk=past.pk).update(
            first_day=first_day,
            last_day=first_day + dt.timedelta(days=1),
            created=timezone.now() - dt.timedelta(days=60),
            announced_at=timezone.now() - dt.timedelta(days=58),
        )


def _cross_region_plans(entry: DirectoryEntry, agency: User, city: Region, city_hr: User) -> None:
    allowed = first_allowed_exam_day(timezone.localdate())
    consented = _plan(
        entry,
        agency,
        _plan_fields(
            entry,
            city,
            allowed + dt.timedelta(days=14),
            venue=f"{city.name}{CROSS_REGION_VENUES[0][0]}",
            address=f"{city.name}{CROSS_REGION_VENUES[0][1]}",
        ),
    )
    if consented is not None:
        report_decide(report=consented.cross_region_report, by=city_hr, consent=True, reasons="")
        plan_announce(plan=consented, by=agency)
    # Submitted, its report awaiting the city's HR bureau.
    _plan(
        entry,
        agency,
        _plan_fields(
            entry,
            city,
            allowed + dt.timedelta(days=21),
            venue=f"{city.name}{CROSS_REGION_VENUES[1][0]}",
            address=f"{city.name}{CROSS_REGION_VENUES[1][1]}",
        ),
    )
