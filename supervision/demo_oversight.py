"""Demo of Supervision II for `manage.py seed_demo` (run by ``supervision.demo.seed`` after the plans):

- In 南宁 and in 柳州, a complaint in every state (received — one of them overdue —, accepted, under
  investigation, concluded, replied, declined), about the filed agencies of the city.
- In 柳州, an inspection of 神盾 by police_liuzhou with a rectification order the agency answered with evidence
  (to be verified by police_liuzhou or city_liuzhou).
- In 南宁, 南宁市邕城职业技能培训学校 (``agency_yongcheng``), entered in the directory here, and its whole chain:
  an upheld complaint → an inspection (poor) → a finding → a rectification order answered, then escalated →
  a suspension by city_nanning, in force (lift it from the sanction's page).
- 24 more complaints in 南宁 (received, accepted, under investigation or declined), so that its list pages.
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
from filings.services.filing import provisional_code_next
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
    if not Complaint.objects.filter(entry__in=[weian, shendun]).exists():
        _complaints(weian, people["city_nanning"])
        _complaints(shendun, people["city_liuzhou"])
        _answered_rectification(shendun, people["police_liuzhou"], people["agency_shendun"])
        _suspension_chain(yongcheng, people["city_nanning"], agency_yongcheng)
    if not Complaint.objects.filter(content__in=[content for content, _step in MORE_NANNING]).exists():
        _more_complaints([weian, yongcheng], people["city_nanning"])
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
            # The next provisional code by the portal's one rule (S, 45, the year, the province's next sequence
            # number), marked provisional in the directory as a filed agency's would be.
            institution_code=provisional_code_next(nanning.parent),
            code_provisional=True,
            approvals=[(occupation.pk, 3)],
            by=centre,
        )
    return entry, agency


def _complaints(entry: DirectoryEntry, handler: User) -> None:
    today = timezone.localdate()
    for index, (state, content) in enumerate(STATES):
        # 柳州's received one came in a month ago and was never handled: overdue (its reply date, and the
        # handlers' message, from that day).
        overdue = state == "received" and entry.region.code == LIUZHOU
        complaint = complaint_submit(
            entry=entry,
            happened_on=today - dt.timedelta(days=(33 if overdue else 3) + index),
            content=content,
            anonymous=index in (1, 3),
            name="" if index in (1, 3) else ["李明", "", "陈芳", "", "覃海", "莫兰"][index],
            contact=["li.ming@example.cn", "", "13877112345", "", "0771-5832198", "13977256789"][index],
            files=[sample_pdf("现场照片")] if index == 2 else [],
            received=timezone.now() - dt.timedelta(days=30) if overdue else None,
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


# 南宁's bureau gets enough complaints to page through its list (25 a page: with the six above and the suspension
# chain's, 32 in all, and its 共 N 条): what the public reports over a busy season, each waiting at some step.
MORE_NANNING = [
    ("考点卫生间门口张贴了“代考”小广告，机构未及时清理。", ""),
    ("理论考试机房有两台电脑无法登录，考生被要求改日再考。", "accept"),
    ("认定公告写明可现场缴费，到场后被告知只收现金。", ""),
    ("考评员在技能考核中提示考生操作步骤。", "investigate"),
    ("机构工作人员电话推销培训课程，称不报班考不过。", "accept"),
    ("考场视频监控有一路黑屏，考试照常进行。", "investigate"),
    ("成绩公示表上我的姓名写错了一个字。", "decline"),
    ("技能考核场地狭窄，两组考生同时操作相互干扰。", ""),
    ("考前未核验身份证原件，只看了复印件。", "accept"),
    ("机构网站公布的考评员名单与现场考评员不一致。", ""),
    ("补考费用未在公告中写明，现场临时收取。", "accept"),
    ("考试结束后试卷未当场密封，放在讲台上无人看管。", "investigate"),
    ("报名材料要求提供与考试无关的个人信息。", ""),
    ("机构拒绝退还因考点变更无法参加考试的报名费。", "accept"),
    ("夜间考试场地照明不足，影响实操考核。", ""),
    ("考场内有非考务人员随意走动。", "investigate"),
    ("理论考试题目与公布的考核大纲明显不符。", ""),
    ("成绩公示期只有两天，与公告的五个工作日不符。", "accept"),
    ("机构要求考生购买指定教材才能报名。", ""),
    ("实操考核器材老化，多名考生操作时出现故障。", "accept"),
    ("考评员迟到四十分钟，考试推迟开始但结束时间不变。", "investigate"),
    ("考场未设置考生物品存放处，手机随身带入考场。", ""),
    ("我的证书信息在平台上查询不到。", "decline"),
    ("考试当天临时更换考评员，未作说明。", ""),
]


def _more_complaints(entries: list[DirectoryEntry], handler: User) -> None:
    today = timezone.localdate()
    for index, (content, step) in enumerate(MORE_NANNING):
        complaint = complaint_submit(
            entry=entries[index % len(entries)],
            happened_on=today - dt.timedelta(days=2 + index % 20),
            content=content,
            anonymous=index % 3 == 0,
            name="" if index % 3 == 0 else ["黄伟", "蓝海燕", "覃志强", "韦丽", "陆斌", "农小梅"][index % 6],
            contact="" if index % 3 == 0 else f"1387711{index:04d}",
        )
        if step == "decline":
            text = "该事项不属于本局投诉受理范围，请向评价机构提出或通过平台证书查询核实。"
            complaint_act(complaint=complaint, step="decline", by=handler, text=text)
        elif step:
            complaint_act(complaint=complaint, step="accept", by=handler)
            if step == "investigate":
                complaint_act(complaint=complaint, step="investigate", by=handler)


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
        # Published the day the demo is built, so that the demo can draw at once.
        seed_published_on=timezone.localdate(),
    )
    draw = draw_perform(draw=draw, by=centre, seed_value="5 2 9")
    for inspection in Inspection.objects.filter(draw=draw).select_related("inspector"):
        inspection_checklist_save(inspection=inspection, by=inspection.inspector, results=ALL_OK)
        inspection_complete(
            inspection=inspection, by=inspection.inspector, rating="good", summary="考务组织规范，未发现问题。"
        )
