"""Demo selection and public notice for `manage.py seed_demo`: two more agencies, assessed and selected, on a
published notice whose objection window is open today, with one objection waiting for the centre.

Everything moves through the services (submission, city recommendation, acceptance, the expert panel,
selection, the notice), so the history and the audit log read as they would in real use. Idempotent: once the
notice exists nothing is done again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from agencies.models import Call, Organisation
from filings.demo.review import demo_landline
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
    selection_mark,
    selection_notice_create,
)
from filings.services.review import panel_conclude
from portal.lib.validators import uscc_expected_check_character
from portal.models import Region, Role, User
from publicity.models import Notice
from publicity.services import notice_publish, objection_raise

CALL_CODE = "gx-security-manager-2026"
NOTICE_TITLE = "关于广西保卫管理员职业技能等级认定评价机构遴选结果的公示"
# (name, city code, city HR user, legal representative, contact, scope, levels, share of the full score)
AGENCIES = [
    ("南宁市金盾保安培训中心", "450100", "city_nanning", "陆振华", "韦晓琳", "region", (3, 2, 1), 0.92),
    ("柳州市铁卫职业培训学校", "450200", "city_liuzhou", "覃国平", "梁春燕", "city", (3,), 0.86),
]


def _organisation(serial: int, name: str, city_code: str, legal: str, contact: str) -> Organisation:
    region = Region.objects.get(code=city_code)
    body = f"52{city_code}MJP{serial:05d}X"[:17]
    organisation, _created = Organisation.objects.get_or_create(
        name=name,
        defaults={
            "uscc": body + uscc_expected_check_character(body),
            "region": region,
            "nature": Organisation.Nature.PRIVATE_NON_ENTERPRISE,
            "legal_representative": legal,
            "address": f"{region.name}友爱路{serial * 17}号",
            "contact_name": contact,
            "contact_phone": demo_landline(region, "57", serial),
            "email": "",
        },
    )
    return organisation


def _assessed(organisation: Organisation, call: Call, *, scope, levels, share, city, centre, experts) -> Application:
    """The organisation's application, submitted and moved through review and assessment to "assessed"."""
    application = Application.objects.filter(organisation=organisation, call=call).first()
    if application is None:
        agency, _created = User.objects.get_or_create(
            username=f"agency_{organisation.uscc[-6:].lower()}",
            defaults={"role": Role.AGENCY, "organisation": organisation, "last_name": organisation.contact_name},
        )
        application = application_create(organisation=organisation, call=call, by=agency)
        occupations = [("3-02-02-00", "保卫管理员", level) for level in levels]
        data = sample_application_data(organisation, occupations=occupations, scope=scope)
        data["basic"]["supervising_department"] = f"{organisation.region.name}人力资源和社会保障局"
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
    if application.state == State.CITY_REVIEW:
        application_transition(application=application, by=city, name="recommend", text="材料齐全，同意推荐。")
        application_transition(application=application, by=centre, name="accept", text="予以受理。")
        application.refresh_from_db()
    if application.state == State.ASSESSMENT:
        panel_assign(application=application, experts=experts, by=centre)
        for index, expert in enumerate(experts):
            member = application.panel.get(expert=expert)
            panel_declare(member=member, by=expert, has_conflict=False)
            factor = share - 0.02 * index
            scores = {c["code"]: str(int(c["max"] * factor)) for c in application.call_version.scoring}
            panel_score(member=member, by=expert, scores=scores, comment="场地设施完善，管理制度健全。", submit=True)
        panel_conclude(application=application, by=centre, conclusion="专家组综合评估，同意通过技术评估。")
        application.refresh_from_db()
    return application


def selection_organisations() -> QuerySet[Organisation]:
    """The agencies ``seed_publicity`` makes, found by name as it finds them."""
    return Organisation.objects.filter(name__in=[row[0] for row in AGENCIES])


@transaction.atomic
def seed_publicity() -> None:
    call = Call.objects.filter(code=CALL_CODE).first()
    if call is None or Notice.objects.filter(title=NOTICE_TITLE).exists():
        return
    centre = User.objects.get(username="centre")
    experts = [User.objects.get(username="expert1"), User.objects.get(username="expert2")]
    selected = []
    for serial, (name, city_code, city_user, legal, contact, scope, levels, share) in enumerate(AGENCIES, start=1):
        organisation = _organisation(serial, name, city_code, legal, contact)
        application = _assessed(
            organisation,
            call,
            scope=scope,
            levels=levels,
            share=share,
            city=User.objects.get(username=city_user),
            centre=centre,
            experts=experts,
        )
        if application.state == State.ASSESSED:
            application = selection_mark(
                application=application,
                by=centre,
                selected=True,
                reason="技术评估得分位居前列，所在城市布局需要，予以遴选。",
            )
        if application.state == State.SELECTED:
            selected.append(application)
    if not selected:
        return
    notice = selection_notice_create(
        call=call,
        by=centre,
        title=NOTICE_TITLE,
        body=(
            "根据《广西保卫管理员职业技能等级认定评价机构征集》的工作安排，经设区市人力资源社会保障部门审核推荐、"
            "广西壮族自治区职业技能鉴定中心受理、专家技术评估和择优遴选，拟将下列机构纳入职业技能等级认定评价机构"
            "备案范围，现予以公示。"
        ),
        window_days=5,
        applications=selected,
    )
    notice = notice_publish(notice=notice, by=centre)
    objection_raise(
        notice=notice,
        item=notice.items.get(object_id=selected[-1].pk),
        name="王建军",
        contact="13977212345",
        content="该机构的技能操作考核场地实际为临时租用的仓库，面积不足申报的400平方米，且租期仅一年。",
        files=[sample_pdf("现场照片说明")],
        ip="127.0.0.1",
    )
