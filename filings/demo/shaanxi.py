"""Demo of the Shaanxi (police-first) call for `manage.py seed_demo`: applications in every state it reaches.

陕公通字〔2023〕64号: the agency applies to the local public-security organ, which reviews the materials and
visits the site, then sends its filing opinion to the same-level HR bureau; the provincial HR department
accepts, assesses and files. Here that is police_xian / police_baoji → city_xian / city_baoji → sx_centre.

- 西安市秦盾职业技能培训学校 (agency_xian) waits in police review: police_xian has it to assess.
- 陕西华卫保安服务有限公司 has its police opinion and waits in city review for city_xian.
- 宝鸡市安泰职业技能培训学校 (agency_baoji) was asked by the police to correct its application.
- 西安市保安协会 goes the whole way: a police correction answered, material review and site visit, the
  police opinion, the city's recommendation, acceptance, the expert panel, selection, a public notice,
  the ministry and the filing.
- Small demo organisations of 西安 and 宝鸡 fill the other states, each moved there through the services.

Idempotent: an organisation's application is created and moved only once; a notice only if it is missing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from agencies.models import Call, Occupation, Organisation
from filings.examples import sample_application_data, sample_pdf
from filings.models import Application, ExpertProfile, ReviewRecord, State
from filings.services import (
    application_create,
    application_save_draft,
    application_submit,
    application_transition,
    application_withdraw,
    attachment_add,
    ministry_report,
    ministry_result,
    panel_assign,
    panel_conclude,
    panel_declare,
    panel_score,
    record_add,
    selection_mark,
    selection_notice_create,
)
from portal.lib.provinces import SHAANXI
from portal.lib.validators import uscc_expected_check_character
from portal.lib.workdays import window_end
from portal.models import Region, Role, User
from publicity.models import Notice
from publicity.services import notice_close, notice_publish, objection_handle, objection_raise

CALL_CODE = "sx-security-manager-2024"
XIAN, BAOJI = "610100", "610300"
# city code: (city HR user, police user)
CITY_OFFICIALS = {XIAN: ("city_xian", "police_xian"), BAOJI: ("city_baoji", "police_baoji")}
SECURITY_MANAGER = [("3-02-02-00", "保卫管理员", level) for level in (3, 2, 1)]

# The experts' pool profiles: (username, specialty, occupation codes, employer).
EXPERT_PROFILES = [
    ("sx_expert1", "内部治安保卫管理", ["3-02-02-00"], "陕西警官职业学院"),
    ("sx_expert2", "安全防范与应急管理", ["3-02-02-00"], "西北政法大学"),
]

# The named organisations of agencies.demo: (name, agency user or None, target state).
NAMED = [
    ("西安市秦盾职业技能培训学校", "agency_xian", State.POLICE_REVIEW),
    ("陕西华卫保安服务有限公司", None, State.CITY_REVIEW),
    ("宝鸡市安泰职业技能培训学校", "agency_baoji", State.CORRECTION),
]
ASSOCIATION = "西安市保安协会"  # the long way, to filed

# Correction asked by the city rather than the police: the same state, its own filler.
CITY_CORRECTION = "city_correction"
# Fillers: (city code, name word, target). The states after "assessed" stop at "selected" here; the notices
# below take them further.
FILLERS = [
    (BAOJI, "卫达", State.DRAFT),
    (BAOJI, "金鼎", State.POLICE_REVIEW),
    (BAOJI, "秦安", State.CITY_REVIEW),
    (XIAN, "古城", CITY_CORRECTION),
    (XIAN, "长乐", State.WITHDRAWN),
    (BAOJI, "周原", State.NOT_RECOMMENDED),
    (XIAN, "鼓楼", State.ACCEPTANCE),
    (XIAN, "曲江", State.REFUSED),
    (BAOJI, "炎帝", State.ASSESSMENT),
    (XIAN, "未央", State.ASSESSED),
    (BAOJI, "渭滨", State.NOT_SELECTED),
    (XIAN, "灞桥", State.SELECTED),
    (BAOJI, "陈仓", State.PUBLICITY),
    (XIAN, "雁塔", State.OBJECTION_UPHELD),
    (BAOJI, "凤翔", State.PUBLICISED),
    (XIAN, "临潼", State.MINISTRY_REVIEW),
    (BAOJI, "岐山", State.MINISTRY_REJECTED),
]
# Where the fillers' drive stops before the notices take over.
ON_NOTICE = {
    State.PUBLICITY,
    State.OBJECTION_UPHELD,
    State.PUBLICISED,
    State.MINISTRY_REVIEW,
    State.MINISTRY_REJECTED,
    State.FILED,
}
PAST_NOTICE = "关于西安市保安协会等保卫管理员职业技能等级认定评价机构遴选结果的公示"
OPEN_NOTICE = "关于宝鸡市陈仓职业技能培训学校保卫管理员职业技能等级认定评价机构遴选结果的公示"
NOTICE_BODY = (
    "根据陕西省公安厅、陕西省人力资源和社会保障厅《关于加快推进保卫管理员职业技能等级认定的实施意见》"
    "（陕公通字〔2023〕64号），经属地公安机关审核评估、设区市人力资源社会保障部门复核推荐、"
    "省人力资源和社会保障厅受理、专家技术评估和择优遴选，拟将下列机构纳入保卫管理员职业技能等级认定"
    "评价机构备案范围，现予以公示。"
)

POLICE_REVIEW_NOTES = (
    "审核备案材料：法人登记证书、工作方案及质量管控措施、培训评价经历材料、信用报告齐全，内容与申报一致。"
)
SITE_VISIT_NOTES = "现场考察：理论考场、技能操作考核场地及视频监控系统与申报情况一致，试卷保密室、档案室设置规范。"
POLICE_OPINION = (
    "经审核备案材料、现场考察，该机构申报情况属实，符合保卫管理员职业技能等级认定评价机构备案条件，"
    "同意备案，报请同级人力资源社会保障部门复核。"
)
CITY_OPINION = "经复核，备案材料齐全，公安机关评估意见明确，同意推荐。"


def _filler_uscc(city_code: str, serial: int) -> str:
    body = f"52{city_code}MJT{serial:05d}X"[:17]
    return body + uscc_expected_check_character(body)


def _application_data(organisation: Organisation, levels) -> dict:
    city = organisation.region.name
    # City scope: level 3 and below only; the higher levels ask for province-wide scope.
    scope = "city" if all(level >= 3 for _code, _name, level in levels) else "region"
    data = sample_application_data(organisation, occupations=levels, scope=scope)
    data["basic"]["registration_authority"] = (
        f"{city}市场监督管理局" if organisation.nature == Organisation.Nature.ENTERPRISE else f"{city}民政局"
    )
    data["basic"]["supervising_department"] = f"{city}人力资源和社会保障局"
    data["basic"]["legal_phone"] = "13909181234"
    data["advantages"] = {
        "text": f"本机构自2019年起承担{city}企业事业单位保卫人员、保安员培训任务，累计培训评价6000余人次；"
        "参与全省保卫管理员培训教材编写和题库开发，拥有标准化考场和智能化考场各一个。"
    }
    return data


def _application(organisation: Organisation, call: Call, agency: User, *, submit: bool = True, levels=None):
    application = application_create(organisation=organisation, call=call, by=agency)
    data = _application_data(organisation, levels or SECURITY_MANAGER[:1])
    if not submit:  # a draft half filled in
        data = {key: data[key] for key in ("basic", "occupations", "advantages", "managers")}
    application_save_draft(application=application, data=data, by=agency)
    if not submit:
        return application
    for material in application.call_version.materials:
        if material.get("required"):
            attachment_add(
                application=application, material=material["code"], uploaded=sample_pdf(material["label"]), by=agency
            )
    application_submit(
        application=application, by=agency, commitment_name=organisation.legal_representative, consent=True
    )
    application.refresh_from_db()
    return application


def _resubmit(application: Application, agency: User, section: str, values: dict) -> None:
    application.refresh_from_db()
    application_save_draft(application=application, data={section: {**application.data[section], **values}}, by=agency)
    application_submit(
        application=application,
        by=agency,
        commitment_name=application.data["basic"]["legal_representative"],
        consent=True,
    )
    application.refresh_from_db()


def _police_assessment(application: Application, police: User) -> None:
    """Material review and site visit, then the opinion to the city HR bureau: police review → city review."""
    record_add(application=application, by=police, kind=ReviewRecord.Kind.POLICE_REVIEW, notes=POLICE_REVIEW_NOTES)
    record_add(application=application, by=police, kind=ReviewRecord.Kind.POLICE_SITE_VISIT, notes=SITE_VISIT_NOTES)
    application_transition(application=application, by=police, name="give_opinion", text=POLICE_OPINION)


def _panel(application: Application, *, centre: User, experts: list[User], share: float, submit_all: bool) -> None:
    panel_assign(application=application, experts=experts, by=centre)
    for index, expert in enumerate(experts):
        member = application.panel.get(expert=expert)
        panel_declare(member=member, by=expert, has_conflict=False)
        factor = share - 0.03 * index
        panel_score(
            member=member,
            by=expert,
            scores={c["code"]: str(int(c["max"] * factor)) for c in application.call_version.scoring},
            comment="考核场地与申报一致，考评人员结构合理，质量管控措施可行。",
            submit=submit_all or index == 0,
        )


def _drive(application: Application, target, *, city: User, police: User, centre: User, experts, share: float):
    """Move a freshly submitted (police review) application towards ``target`` through the services; the
    states that need a public notice stop at "selected"."""
    agency = application.created_by
    if target == State.POLICE_REVIEW:
        record_add(application=application, by=police, kind=ReviewRecord.Kind.POLICE_REVIEW, notes=POLICE_REVIEW_NOTES)
        return
    if target == State.WITHDRAWN:
        application_withdraw(application=application, by=agency)
        return
    if target == State.CORRECTION:
        record_add(
            application=application,
            by=police,
            kind=ReviewRecord.Kind.POLICE_REVIEW,
            notes="审核备案材料：考核场地租赁期限未填写，未见租赁合同。",
        )
        application_transition(
            application=application,
            by=police,
            name="request_correction",
            sections={"site": "请填写考核场地租赁期限，并上传场地租赁合同，以便安排现场考察。"},
            text="经审核备案材料，请按要求补正后重新提交。",
        )
        return
    _police_assessment(application, police)
    if target == State.CITY_REVIEW:
        return
    if target == CITY_CORRECTION:
        application_transition(
            application=application,
            by=city,
            name="request_correction",
            sections={"examiners": "请补充考评人员的职业资格（技能等级）证书编号。"},
        )
        return
    if target == State.NOT_RECOMMENDED:
        application_transition(
            application=application,
            by=city,
            name="not_recommend",
            text="经复核，该机构近三年培训评价规模未达到5000人次，不符合备案条件，不予推荐。",
        )
        return
    application_transition(application=application, by=city, name="recommend", text=CITY_OPINION)
    if target == State.ACCEPTANCE:
        return
    if target == State.REFUSED:
        application_transition(
            application=application, by=centre, name="refuse", text="经查，该机构近三年内有未通过年检记录，不予受理。"
        )
        return
    application_transition(application=application, by=centre, name="accept", text="材料齐全，予以受理。")
    if target == State.ASSESSMENT:
        # The police take part in the assessment (会同公安部门); one expert has handed in, the other not yet.
        record_add(
            application=application,
            by=police,
            kind=ReviewRecord.Kind.POLICE_ASSESSMENT,
            notes="会同专家组现场查看，考场视频监控覆盖完整，治安防范措施落实，无异议。",
        )
        _panel(application, centre=centre, experts=experts, share=share, submit_all=False)
        return
    _panel(application, centre=centre, experts=experts, share=share, submit_all=True)
    panel_conclude(application=application, by=centre, conclusion="专家组综合评估，同意通过技术评估。")
    if target == State.ASSESSED:
        return
    application.refresh_from_db()
    if target == State.NOT_SELECTED:
        selection_mark(
            application=application,
            by=centre,
            selected=False,
            reason="技术评估得分排名靠后，宝鸡市已有评价机构布局，暂不遴选。",
        )
        return
    selection_mark(
        application=application, by=centre, selected=True, reason="技术评估得分位居前列，所在城市布局需要，予以遴选。"
    )


def _seed_expert_profiles() -> list[User]:
    experts = []
    for username, specialty, codes, employer in EXPERT_PROFILES:
        user = User.objects.get(username=username)
        profile, _created = ExpertProfile.objects.update_or_create(
            user=user,
            defaults={
                "specialty": specialty,
                "employer_name": employer,
                "active": True,
                "province": Region.objects.get(code=SHAANXI),
            },
        )
        profile.occupations.set(Occupation.objects.filter(code__in=codes))
        experts.append(user)
    return experts


def shaanxi_organisations() -> QuerySet[Organisation]:
    """The small agencies ``seed_shaanxi`` makes, found by name as ``_filler`` finds them."""
    regions = {region.code: region.name for region in Region.objects.filter(code__in=[XIAN, BAOJI])}
    return Organisation.objects.filter(
        name__in=[f"{regions[code]}{word}职业技能培训学校" for code, word, _target in FILLERS]
    )


def _filler(serial: int, city_code: str, word: str) -> tuple[Organisation, User]:
    region = Region.objects.get(code=city_code)
    organisation, _created = Organisation.objects.get_or_create(
        name=f"{region.name}{word}职业技能培训学校",
        defaults={
            "uscc": _filler_uscc(city_code, serial),
            "region": region,
            "nature": Organisation.Nature.PRIVATE_NON_ENTERPRISE,
            "legal_representative": f"{word[0]}建国",
            "address": f"{region.name}{word}路{serial * 13}号",
            "contact_name": f"{word[1]}小红",
            "contact_phone": f"{'029' if city_code == XIAN else '0917'}-86{serial:05d}",
            "email": "",
        },
    )
    agency, _created = User.objects.get_or_create(
        username=f"agency_{city_code}_{serial}",
        defaults={"role": Role.AGENCY, "organisation": organisation, "last_name": organisation.contact_name},
    )
    return organisation, agency


def _selected(call: Call, names: list[str]) -> list[Application]:
    found = {
        a.organisation.name: a
        for a in Application.objects.filter(
            call=call, state=State.SELECTED, organisation__name__in=names
        ).select_related("organisation")
    }
    return [found[name] for name in names if name in found]


def _past_notice(call: Call, centre: User, targets: dict[str, State]) -> None:
    """A notice published two weeks ago: one objection upheld while it was open, the rest publicised; then
    the ministry: one still under review, one rejected, one filed."""
    applications = _selected(call, list(targets))
    if Notice.objects.filter(title=PAST_NOTICE).exists() or not applications:
        return
    notice = selection_notice_create(
        call=call, by=centre, title=PAST_NOTICE, body=NOTICE_BODY, window_days=5, applications=applications
    )
    notice = notice_publish(notice=notice, by=centre)
    for application in applications:
        if targets[application.organisation.name] == State.OBJECTION_UPHELD:
            objection = objection_raise(
                notice=notice,
                item=notice.items.get(object_id=application.pk),
                name="李红军",
                contact="13891234567",
                content="该机构的法定代表人同时担任另一家已备案评价机构的负责人，且申报的考评人员与该机构重复。",
                ip="127.0.0.1",
            )
            objection_handle(
                objection=objection,
                by=centre,
                upheld=True,
                reply="经核查，异议反映情况属实，该机构考评人员与其他评价机构重复申报，取消其遴选资格。",
            )
    today = timezone.localdate()
    opened = today - dt.timedelta(days=14)
    Notice.objects.filter(pk=notice.pk).update(
        opens_on=opened,
        closes_on=window_end(opened, notice.window_days),
        published_at=timezone.now() - dt.timedelta(days=14),
    )
    notice.refresh_from_db()
    notice_close(notice=notice, by=centre)
    for application in applications:
        target = targets[application.organisation.name]
        if target not in (State.MINISTRY_REVIEW, State.MINISTRY_REJECTED, State.FILED):
            continue
        application.refresh_from_db()
        ministry_report(application=application, by=centre, reported_on=today - dt.timedelta(days=3))
        if target == State.MINISTRY_REJECTED:
            ministry_result(
                application=application,
                by=centre,
                approved=False,
                result_on=today,
                note="人社部审核意见：申报的理论考场与另一机构共用，不符合独立设置要求。",
            )
        elif target == State.FILED:
            ministry_result(application=application, by=centre, approved=True, result_on=today)


def _open_notice(call: Call, centre: User, names: list[str]) -> None:
    """A notice published today: its objection window is open."""
    applications = _selected(call, names)
    if Notice.objects.filter(title=OPEN_NOTICE).exists() or not applications:
        return
    notice = selection_notice_create(
        call=call, by=centre, title=OPEN_NOTICE, body=NOTICE_BODY, window_days=5, applications=applications
    )
    notice_publish(notice=notice, by=centre)


@transaction.atomic
def seed_shaanxi() -> None:
    call = Call.objects.filter(code=CALL_CODE).first()
    if call is None:
        return
    centre = User.objects.get(username="sx_centre")
    experts = _seed_expert_profiles()
    officials = {
        code: (User.objects.get(username=city), User.objects.get(username=police))
        for code, (city, police) in CITY_OFFICIALS.items()
    }
    targets: dict[str, State] = {}  # organisation name → the state the notices take it to
    for name, username, target in NAMED:
        organisation = Organisation.objects.get(name=name)
        if Application.objects.filter(organisation=organisation, call=call).exists():
            continue
        agency = (
            User.objects.get(username=username)
            if username
            else User.objects.get_or_create(
                username=f"agency_{organisation.uscc[-6:].lower()}",
                defaults={"role": Role.AGENCY, "organisation": organisation, "last_name": organisation.contact_name},
            )[0]
        )
        city, police = officials[organisation.region.code]
        application = _application(organisation, call, agency)
        _drive(application, target, city=city, police=police, centre=centre, experts=experts, share=0.9)
    _association(call, centre=centre, experts=experts, officials=officials[XIAN])
    targets[ASSOCIATION] = State.FILED
    for serial, (city_code, word, target) in enumerate(FILLERS, start=1):
        organisation, agency = _filler(serial, city_code, word)
        if target in ON_NOTICE:
            targets[organisation.name] = target
        if Application.objects.filter(organisation=organisation, call=call).exists():
            continue
        if target == State.DRAFT:
            _application(organisation, call, agency, submit=False)
            continue
        city, police = officials[city_code]
        application = _application(organisation, call, agency)
        _drive(
            application,
            State.SELECTED if target in ON_NOTICE else target,
            city=city,
            police=police,
            centre=centre,
            experts=experts,
            share=0.92 - 0.01 * serial,
        )
    _open_notice(call, centre, [name for name, target in targets.items() if target == State.PUBLICITY])
    _past_notice(call, centre, {name: target for name, target in targets.items() if target != State.PUBLICITY})


def _association(call: Call, *, centre: User, experts: list[User], officials: tuple[User, User]) -> None:
    """西安市保安协会: the police ask for a correction, the association answers, the police review the
    materials and visit the site and give their opinion; the city recommends, the centre accepts and the panel
    assesses it; the centre selects it (the past notice and the ministry take it to filed)."""
    organisation = Organisation.objects.get(name=ASSOCIATION)
    if Application.objects.filter(organisation=organisation, call=call).exists():
        return
    city, police = officials
    agency, _created = User.objects.get_or_create(
        username=f"agency_{organisation.uscc[-6:].lower()}",
        defaults={"role": Role.AGENCY, "organisation": organisation, "last_name": organisation.contact_name},
    )
    application = _application(organisation, call, agency, levels=SECURITY_MANAGER)
    application_transition(
        application=application,
        by=police,
        name="request_correction",
        sections={"site": "租赁场地请填写租赁期限，并上传场地租赁合同。"},
        text="经审核备案材料，请按要求补正后重新提交。",
    )
    _resubmit(application, agency, "site", {"lease_years": "10"})
    _police_assessment(application, police)
    application_transition(
        application=application,
        by=city,
        name="recommend",
        text="经复核，该协会备案材料齐全，公安机关评估意见为同意备案，符合征集条件，同意推荐。",
    )
    application_transition(application=application, by=centre, name="accept", text="材料齐全，予以受理。")
    _panel(application, centre=centre, experts=experts, share=0.95, submit_all=True)
    panel_conclude(application=application, by=centre, conclusion="专家组综合评估，同意通过技术评估。")
    application.refresh_from_db()
    selection_mark(
        application=application,
        by=centre,
        selected=True,
        reason="技术评估得分第一，行业协会覆盖面广，西安市布局需要，予以遴选。",
    )
