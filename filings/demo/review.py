"""Demo applications in every review state for both demo cities (南宁, 柳州), for `manage.py seed_demo`.

南宁市安盾职业技能培训学校 goes the long way: a correction request answered by the agency, the city's
recommendation, acceptance, and an expert panel drawn at random (the whole Guangxi pool of its occupation) with
expert1's scores handed in. Small demo organisations of each city fill the other states, each moved there through
the real services; each city's 天安 waits for its panel, for the centre to draw.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from agencies.models import Call, Organisation
from filings.examples import sample_application_data, sample_pdf
from filings.models import Application, State
from filings.selectors import draw_occupation_codes, eligible_experts
from filings.services import (
    application_create,
    application_save_draft,
    application_submit,
    application_transition,
    application_withdraw,
    attachment_add,
    panel_assign,
    panel_declare,
    panel_draw,
    panel_score,
)
from portal.lib.validators import uscc_expected_check_character
from portal.models import Region, Role, User

SECURITY_MANAGER = [("3-02-02-00", "保卫管理员", level) for level in (3, 2, 1)]
CITY_USERS = {"450100": "city_nanning", "450200": "city_liuzhou"}
# (name word, state) per demo city; every state of the review that a city can show.
FILLERS = [
    ("安邦", State.CITY_REVIEW),
    ("卫士", State.CORRECTION),
    ("平安", State.WITHDRAWN),
    ("长安", State.NOT_RECOMMENDED),
    ("护卫", State.ACCEPTANCE),
    ("警盾", State.REFUSED),
    ("天安", State.ASSESSMENT),
    ("神盾", State.ASSESSED),
]


# The landline area codes of the demo's Guangxi cities: 南宁 0771, 柳州 0772 (a 柳州 agency with a 0771 number
# reads as a 南宁 one).
AREA_CODES = {"450100": "0771", "450200": "0772"}


def demo_landline(region: Region, exchange: str, serial: int) -> str:
    """A 7-digit landline of the city, with its own area code: 0772-5500003 in 柳州."""
    return f"{AREA_CODES[region.code]}-{exchange}{serial:05d}"[:12]


def _uscc(region_code: str, serial: int) -> str:
    body = f"52{region_code}MJD{serial:05d}X"[:17]
    return body + uscc_expected_check_character(body)


def filler_agency(
    region: Region,
    serial: int,
    *,
    name: str,
    username: str,
    representative: str,
    contact: str,
    address: str,
    phone: str,
) -> tuple[Organisation, User]:
    """A small demo agency of ``region`` and its clerk's account, made once and found again by name."""
    organisation, _created = Organisation.objects.get_or_create(
        name=name,
        defaults={
            "uscc": _uscc(region.code, serial),
            "region": region,
            "nature": Organisation.Nature.PRIVATE_NON_ENTERPRISE,
            "legal_representative": representative,
            "address": address,
            "contact_name": contact,
            "contact_phone": phone,
            "email": "",
        },
    )
    agency, _created = User.objects.get_or_create(
        username=username, defaults={"role": Role.AGENCY, "organisation": organisation, "last_name": contact}
    )
    return organisation, agency


def _submitted(organisation: Organisation, call: Call, agency: User, scope: str = "city") -> Application:
    application = application_create(organisation=organisation, call=call, by=agency)
    levels = [("3-02-02-00", "保卫管理员", 3)]
    data = sample_application_data(organisation, occupations=levels, scope=scope)
    application_save_draft(application=application, data=data, by=agency)
    for material in application.call_version.materials:
        if material.get("required"):
            attachment_add(application=application, material=material["code"], uploaded=sample_pdf("扫描件"), by=agency)
    application_submit(
        application=application, by=agency, commitment_name=organisation.legal_representative, consent=True
    )
    application.refresh_from_db()
    return application


def _scores(call_version, factor: float) -> dict[str, str]:
    return {c["code"]: str(int(c["max"] * factor)) for c in call_version.scoring}


def _drive(application: Application, target: State, *, city: User, centre: User, experts: list[User]) -> None:
    """Move a freshly submitted (city review) application to ``target`` through the services."""
    agency = application.created_by
    if target == State.CITY_REVIEW:
        return
    if target == State.WITHDRAWN:
        application_withdraw(application=application, by=agency)
        return
    if target == State.CORRECTION:
        application_transition(
            application=application, by=city, name="request_correction", sections={"site": "请补充考核场地租赁合同。"}
        )
        return
    if target == State.NOT_RECOMMENDED:
        application_transition(
            application=application,
            by=city,
            name="not_recommend",
            text="考评人员数量不足，培训评价规模未达到征集条件。",
        )
        return
    application_transition(application=application, by=city, name="recommend", text="经审核，材料齐全，同意推荐。")
    if target == State.ACCEPTANCE:
        return
    if target == State.REFUSED:
        application_transition(application=application, by=centre, name="refuse", text="申报职业不在本次征集范围内。")
        return
    application_transition(application=application, by=centre, name="accept", text="予以受理。")
    if target == State.ASSESSMENT:
        return
    _panel(application, centre=centre, experts=experts, submit_all=True)
    from filings.services import review

    review.panel_conclude(application=application, by=centre, conclusion="专家组综合评估，同意通过技术评估。")


def _panel(
    application: Application, *, centre: User, experts: list[User], submit_all: bool, drawn: bool = False
) -> None:
    """The panel of ``experts``: chosen by the centre, or (``drawn``) drawn by specialty from the pool, so that
    the draw's record is there to read. The draw takes every expert of the application's occupations: whoever the
    random order puts first, the panel is the same on every seeding (expert1 hands in, the others are scoring)."""
    if drawn:
        pool = eligible_experts(application, draw_occupation_codes(application))
        members = panel_draw(application=application, count=len(pool), by=centre, by_specialty=True)
        experts = sorted((member.expert for member in members), key=lambda expert: expert.username)
    else:
        panel_assign(application=application, experts=experts, by=centre)
    for index, expert in enumerate(experts):
        member = application.panel.get(expert=expert)
        panel_declare(member=member, by=expert, has_conflict=False)
        submit = submit_all or index == 0
        panel_score(
            member=member,
            by=expert,
            scores=_scores(application.call_version, 0.9 - 0.05 * index),
            comment="场地设施完善，考评人员结构合理。",
            submit=submit,
        )


@transaction.atomic
def review_organisations() -> QuerySet[Organisation]:
    """The small agencies ``seed_review`` makes, found by name as it finds them."""
    regions = Region.objects.filter(code__in=CITY_USERS)
    return Organisation.objects.filter(
        name__in=[f"{r.name}{word}职业技能培训学校" for r in regions for word, _ in FILLERS]
    )


def seed_review() -> None:
    """Idempotent: each demo organisation's application is created and moved only once."""
    call = Call.objects.filter(code="gx-security-manager-2026").first()
    if call is None:
        return
    centre = User.objects.get(username="centre")
    experts = [User.objects.get(username="expert1"), User.objects.get(username="expert2")]
    _andun(call, centre=centre, experts=experts)
    for city_code, city_username in CITY_USERS.items():
        region = Region.objects.get(code=city_code)
        city = User.objects.get(username=city_username)
        for serial, (word, state) in enumerate(FILLERS, start=1):
            organisation, agency = filler_agency(
                region,
                serial,
                name=f"{region.name}{word}职业技能培训学校",
                username=f"agency_{city_code}_{serial}",
                representative=f"{word[0]}建国",
                contact=f"{word[1]}小红",
                address=f"{region.name}民主路{serial * 11}号",
                phone=demo_landline(region, "55", serial),
            )
            if Application.objects.filter(organisation=organisation).exists():
                continue
            application = _submitted(organisation, call, agency)
            _drive(application, state, city=city, centre=centre, experts=experts)


def _andun(call: Call, *, centre: User, experts: list[User]) -> None:
    application = Application.objects.filter(organisation__uscc="52450100MJA7K3Q8X0", call=call).first()
    if application is None or application.state != State.CITY_REVIEW or application.versions.count() != 1:
        return
    city = User.objects.get(username="city_nanning")
    agency = User.objects.get(username="agency_nanning")
    application_transition(
        application=application,
        by=city,
        name="request_correction",
        sections={"site": "租赁场地请填写租赁期限，并上传租赁合同。"},
        text="请按要求补正后重新提交。",
    )
    application.refresh_from_db()
    site = {**application.data["site"], "lease_years": "10"}
    application_save_draft(application=application, data={"site": site}, by=agency)
    application_submit(
        application=application,
        by=agency,
        commitment_name=application.data["basic"]["legal_representative"],
        consent=True,
    )
    application_transition(
        application=application, by=city, name="recommend", text="经审核，该机构材料齐全，符合征集条件，同意推荐。"
    )
    application_transition(application=application, by=centre, name="accept", text="材料齐全，予以受理。")
    _panel(application, centre=centre, experts=experts, submit_all=False, drawn=True)
