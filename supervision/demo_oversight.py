"""Demo of Supervision II for `manage.py seed_demo` (run by ``supervision.demo.seed`` after the plans):

- In 南宁 and in 柳州, a complaint in every state (received — one of them overdue —, accepted, under
  investigation, concluded, replied, declined), about the filed agencies of the city.
- In 柳州, an inspection of 神盾 by police_liuzhou with a rectification order the agency answered with evidence
  (to be verified by police_liuzhou or city_liuzhou).
- In 南宁, 南宁市邕城职业技能培训学校 (``agency_yongcheng``), entered in the directory here, and its whole chain:
  an upheld complaint → an inspection (poor) → a finding → a rectification order answered, then escalated →
  a suspension by city_nanning, in force (lift it from the sanction's page).
- One random draw (双随机一公开) by the centre over Guangxi, drawn, its inspections completed: its public page
  at /inspections/draws/.

Everything moves through the services. Idempotent: each piece is made once, found again by a marker text.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from agencies.models import DirectoryEntry, Occupation, Organisation
from agencies.services import directory_enter
from filings.examples import sample_pdf
from portal.demo import demo_user
from portal.models import Region, Role, User
from supervision.models import CHECKLIST, Complaint, Draw, Inspection
from supervision.services import complaint_act, complaint_submit, sanction_decide
from supervision.services.draws import draw_define, draw_perform
from supervision.services.inspections import (
    finding_add,
    inspection_checklist_save,
    inspection_complete,
    inspection_open,
    inspection_photos_add,
    rectification_answer,
    rectification_escalate,
)
from supervision.services.sanctions import PILOT_EXIT_CLAUSE

NANNING, LIUZHOU = "450100", "450200"
YONGCHENG = "南宁市邕城职业技能培训学校"
YONGCHENG_USCC = "52450100MJA9N2Y6K6"
DRAW_TITLE = "2026年第四季度职业技能等级认定机构双随机抽查"
ALL_OK = {code: {"result": "ok", "note": ""} for code, _label in CHECKLIST}

# (status, what happened) — one complaint per state, per city.
STATES = [
    ("received", "考场门口有人兜售所谓“包过”资料，声称与机构有关。"),
    ("accepted", "报名时收取的费用高于公告的收费标准，且未开具发票。"),
    ("investigating", "实操考核时考评员只有两人，与公告不符。"),
    ("concluded", "理论考试时监考人员多次离开考场，考生之间交头接耳。"),
    ("replied", "认定公告发布后临时更换考点，未提前通知考生。"),
    ("declined", "对本人考试成绩有异议，要求复核。"),
]


def seed() -> list[str]:
    shendun = DirectoryEntry.objects.filter(organisation__name="柳州市神盾职业技能培训学校").first()
    weian = DirectoryEntry.objects.filter(organisation__name="广西卫安保安服务有限公司").first()
    if shendun is None or weian is None:
        return []
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "centre",
                "city_nanning",
                "city_liuzhou",
                "police_nanning",
                "police_liuzhou",
                "agency_shendun",
            ]
        )
    }
    yongcheng, agency_yongcheng = _yongcheng(people["centre"])
    if not Complaint.objects.exists():
        _complaints(weian, people["city_nanning"])
        _complaints(shendun, people["city_liuzhou"])
        _answered_rectification(shendun, people["police_liuzhou"], people["agency_shendun"])
        _suspension_chain(yongcheng, people["city_nanning"], agency_yongcheng)
    if not Draw.objects.filter(title=DRAW_TITLE).exists():
        _draw(people["centre"])
    return ["agency_yongcheng"]


def _yongcheng(centre: User) -> tuple[DirectoryEntry, User]:
    """A small 南宁 agency entered in the directory for the supervision demo (its filing is not the point)."""
    nanning = Region.objects.get(code=NANNING)
    organisation, _created = Organisation.objects.get_or_create(
        uscc=YONGCHENG_USCC,
        defaults={
            "name": YONGCHENG,
            "region": nanning,
            "nature": Organisation.Nature.PRIVATE_NON_ENTERPRISE,
            "legal_representative": "韦志宏",
            "address": "南宁市西乡塘区大学东路98号",
            "contact_name": "黄丽",
            "contact_phone": "0771-3126688",
        },
    )
    agency = demo_user("agency_yongcheng", Role.AGENCY, "黄", "丽", department=None, organisation=organisation)
    entry = DirectoryEntry.objects.filter(organisation=organisation).first()
    if entry is None:
        occupation = Occupation.objects.get(code="3-02-02-00")
        entry = directory_enter(
            organisation=organisation,
            region=nanning,
            scope="city",
            institution_code="S4520269001",
            approvals=[(occupation.pk, 3)],
            by=centre,
        )
    return entry, agency


def _complaints(entry: DirectoryEntry, handler: User) -> None:
    today = timezone.localdate()
    for index, (state, content) in enumerate(STATES):
        complaint = complaint_submit(
            entry=entry,
            happened_on=today - dt.timedelta(days=3 + index),
            content=content,
            anonymous=index in (1, 3),
            name="" if index in (1, 3) else ["李明", "", "陈芳", "", "覃海", "莫兰"][index],
            contact=["li.ming@example.cn", "", "13877112345", "", "0771-5832198", "13977256789"][index],
            files=[sample_pdf("现场照片")] if index == 2 else [],
        )
        if state == "received" and entry.region.code == LIUZHOU:
            # Received a month ago and never handled: overdue.
            old = today - dt.timedelta(days=30)
            Complaint.objects.filter(pk=complaint.pk).update(
                created=timezone.now() - dt.timedelta(days=30),
                deadline=_deadline_from(old),
            )
        steps = {
            "received": [],
            "accepted": [("accept", "", "")],
            "investigating": [("accept", "", ""), ("investigate", "", "")],
            "concluded": [("accept", "", ""), ("conclude", "upheld", "经调取监控核实，监考人员离岗属实。")],
            "replied": [
                ("accept", "", ""),
                ("conclude", "not_upheld", "考点变更已于考前5个工作日在平台公告并短信通知考生。"),
                ("reply", "", "经核查，考点变更已按规定提前公告并通知考生，投诉不属实。感谢您的监督。"),
            ],
            "declined": [("decline", "", "成绩复核请向评价机构提出；对复核结果仍有异议的，可再向本局反映。")],
        }[state]
        for step, outcome, text in steps:
            complaint_act(complaint=complaint, step=step, by=handler, outcome=outcome, text=text)


def _deadline_from(day: dt.date) -> dt.date:
    from supervision.services.complaints import complaint_deadline

    return complaint_deadline(day)


def _answered_rectification(entry: DirectoryEntry, police: User, agency: User) -> None:
    inspection = inspection_open(entry=entry, by=police)
    inspection_checklist_save(
        inspection=inspection,
        by=police,
        results={**ALL_OK, "notice": {"result": "fail", "note": "考场未张贴考场规则和投诉电话。"}},
    )
    inspection_photos_add(inspection=inspection, by=police, files=[sample_pdf("考场入口")], caption="考场入口")
    finding = finding_add(
        inspection=inspection,
        by=police,
        text="第2考场未张贴考场规则和投诉举报电话。",
        requirement="各考场张贴考场规则和投诉举报电话，并拍照报送。",
    )
    inspection_complete(inspection=inspection, by=police, rating="adequate", summary="总体规范，个别考场公示不到位。")
    rectification_answer(
        rectification=finding.rectification,
        by=agency,
        answer="已在全部考场入口张贴考场规则和投诉举报电话，照片附后。",
        files=[sample_pdf("整改照片")],
    )


def _suspension_chain(entry: DirectoryEntry, city: User, agency: User) -> None:
    today = timezone.localdate()
    complaint = complaint_submit(
        entry=entry,
        happened_on=today - dt.timedelta(days=12),
        content="保卫管理员三级考试时，考场视频监控全部关闭，考评员代考生填写操作记录。",
        anonymous=True,
    )
    complaint_act(complaint=complaint, step="accept", by=city)
    inspection = inspection_open(entry=entry, by=city, complaint=complaint)
    inspection_checklist_save(
        inspection=inspection,
        by=city,
        results={
            **ALL_OK,
            "video": {"result": "fail", "note": "监控设备断电，无录像。"},
            "examiners": {"result": "fail", "note": "仅2名考评人员。"},
        },
    )
    finding = finding_add(
        inspection=inspection,
        by=city,
        text="视频监控未运行，考评人员不足3名。",
        requirement="恢复视频监控并接入管理系统，补足考评人员，报送整改报告。",
        workdays=5,
    )
    inspection_complete(inspection=inspection, by=city, rating="poor", summary="考务管理失序，存在重大隐患。")
    complaint_act(complaint=complaint, step="conclude", by=city, outcome="upheld", text="经现场督导核实，投诉属实。")
    complaint_act(
        complaint=complaint, step="reply", by=city, text="经核查属实，已责令整改并依规处理，记入机构信用档案。"
    )
    rectification_answer(
        rectification=finding.rectification, by=agency, answer="已更换监控电源。", files=[sample_pdf("整改报告")]
    )
    rectification_escalate(
        rectification=finding.rectification, by=city, note="复查时监控仍未接入管理系统，考评人员仍不足，整改不到位。"
    )
    sanction_decide(
        entry=entry,
        kind="suspension",
        facts="经投诉核查和现场督导，该机构认定考试时视频监控未运行、考评人员不足3名，责令整改后复查仍不到位。",
        basis=PILOT_EXIT_CLAUSE,
        until=today + dt.timedelta(days=60),
        complaint=complaint,
        rectification=finding.rectification,
        by=city,
    )


def _draw(centre: User) -> None:
    draw = draw_define(
        by=centre,
        title=DRAW_TITLE,
        n=2,
        m=2,
        seed_source="2026年12月1日中国福利彩票3D开奖号码",
    )
    draw = draw_perform(draw=draw, by=centre, seed_value="5 2 9")
    for inspection in Inspection.objects.filter(draw=draw).select_related("inspector"):
        inspection_checklist_save(inspection=inspection, by=inspection.inspector, results=ALL_OK)
        inspection_complete(
            inspection=inspection, by=inspection.inspector, rating="good", summary="考务组织规范，未发现问题。"
        )
