"""Demo results and certificates for `manage.py seed_demo`, on the past evaluations of supervision's demo.

- Each Guangxi demo agency (广西卫安保安服务有限公司, 柳州市神盾职业技能培训学校) has a past session whose results were
  imported, publicised (the notice set back in time), reported, approved by its city's HR bureau and issued:
  certificates with their PDFs. 卫安's first certificate belongs to 陆海涛 (ID 450102198807152311): see README.
  Its candidates have photos, printed on their certificates.
- 卫安 has a second past evaluation whose results are on public notice now, a third whose reported results
  南宁's bureau returned (one skill score to check): to answer with a correction or an explanation; and a level-2
  one issued, so that 陆海涛 holds two certificates (verification by ID number lists both, newest first).
- 神盾 has a second past evaluation whose last upload was refused: its marked workbook is there to download; and a
  third whose results were publicised a month ago and never reported: overdue, the agency and 柳州's bureau told
  by the daily task (run here once).

Everything moves through the services; only dates are set back afterwards. Idempotent: a plan with a session
is left as it is.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image, ImageDraw

from agencies.models import DirectoryEntry, Occupation, Organisation
from certificates.idnumbers import check_character
from certificates.importing import COLUMNS, template_workbook
from certificates.models import Candidate, ImportAttempt, PassRule, Session
from certificates.reference import load_pass_rules
from certificates.services import (
    candidate_photo_set,
    certificates_issue,
    reports_overdue_notify,
    results_decide,
    results_import,
    results_publicise,
    results_report,
    session_create,
)
from portal.lib.workdays import window_end
from portal.models import User
from publicity.models import Notice
from publicity.selectors import notices_only_about
from publicity.services import notice_close
from supervision.models import Plan
from supervision.services import first_allowed_exam_day, plan_announce, plan_save, plan_submit

AGENCIES = {"agency_weian": "city_nanning", "agency_shendun": "city_liuzhou"}
# The candidates: name, first 17 characters of the ID number (the check character is computed), theory, skill.
CANDIDATES = {
    "agency_weian": [
        ("陆海涛", "45010219880715231", 86, 91),
        ("黄丽娟", "45010319900208132", 78, 83),
        ("韦国强", "45010519850611251", 92, 88),
        ("李秋萍", "45010719930917242", 55, 74),
        ("覃志勇", "45012219871103301", 67, 62),
        ("蒙晓燕", "45010219950426122", 81, 79),
    ],
    "agency_shendun": [
        ("刘建军", "45020219910322421", 74, 80),
        ("潘美玲", "45020319890514362", 88, 90),
        ("罗永明", "45020419860730211", 61, 58),
        ("吴春花", "45020519920112442", 90, 85),
    ],
}
PUBLICITY_CANDIDATES = [
    ("梁伟东", "45010219960318215", 73, 77),
    ("莫小雪", "45010219970624126", 84, 81),
    ("谢文斌", "45010319940209237", 59, 66),
]
# Where some candidates work (the workbook's optional columns): staff of key security units (治安保卫重点单位) are
# what section 8 of the departments' reports counts.
EMPLOYERS = {
    "陆海涛": ("广西电网有限责任公司南宁供电局", "是"),
    "韦国强": ("南宁轨道交通集团有限责任公司", "是"),
    "黄丽娟": ("南宁市某物业服务有限公司", "否"),
    "刘建军": ("柳州银行股份有限公司", "是"),
    "潘美玲": ("柳州市人民医院", "是"),
}
# The refused upload of 神盾: a score over 100, the same person twice, a wrong check character.
REFUSED_ROWS = [
    ("何家豪", "450202199204051239", 80, 85),
    ("陈思思", "450202199308071242", 101, 70),
    ("何家豪", "450202199204051239", 80, 85),
    ("钟丽华", "450202199501011230", 66, 72),
]


# The third sessions: 卫安's returned by the bureau, 神盾's publicised and never reported (overdue).
RETURNED_CANDIDATES = [
    ("甘振华", "45010219890304233", 82, 58),
    ("农秀英", "45010319920811124", 77, 85),
    ("陆建明", "45010519880129215", 69, 71),
]
RETURN_REASONS = "甘振华技能操作成绩与考评员评分记录不一致，请核对原始记录后更正或说明。"
# 卫安's level-2 (技师) evaluation: 陆海涛 now holds two certificates (verification by ID number lists both).
LEVEL_TWO_CANDIDATES = [
    ("陆海涛", "45010219880715231", 84, 80, 78),
    ("韦国强", "45010519850611251", 90, 86, 82),
]
OVERDUE_CANDIDATES = [
    ("蓝天佑", "45020219930705211", 88, 84),
    ("覃小梅", "45020319940316224", 71, 69),
]
# Portrait colours of the demo photos (drawn, not real people).
PHOTO_COLOURS = [(34, 62, 110), (120, 45, 45), (40, 90, 60), (90, 70, 40), (70, 40, 100), (30, 90, 100)]


def id_number(first17: str) -> str:
    return first17 + check_character(first17)


def workbook(session: Session, rows: list[tuple]) -> bytes:
    """The session's template with rows of (name, ID number, theory, skill[, comprehensive review])."""
    book = load_workbook(BytesIO(template_workbook(session)))
    sheet = book.worksheets[0]
    plan = session.plan
    for index, (name, number, theory, skill, *review) in enumerate(rows, start=2):
        values = {
            "name": name,
            "id_number": number,
            "occupation": plan.occupation.name,
            "level": plan.level,
            "theory_score": theory,
            "skill_score": skill,
            "review_score": review[0] if review else None,
        }
        if name in EMPLOYERS:
            values["employer"], values["key_unit"] = EMPLOYERS[name]
        # From the second row: the template's empty data rows are formatted (ID numbers as text).
        for position, column in enumerate(COLUMNS, start=1):
            sheet.cell(row=index, column=position, value=values.get(column.key))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def seed() -> list[str]:
    """Seed the sessions; the accounts are supervision's (nothing new to list)."""
    # Reference data, as the migration loads it (a flushed test database has lost it).
    load_pass_rules(PassRule, Occupation)
    for username, hr_username in AGENCIES.items():
        agency = User.objects.filter(username=username).first()
        hr = User.objects.filter(username=hr_username).first()
        if agency is None or hr is None:
            continue
        entry = DirectoryEntry.objects.filter(
            organisation_id=agency.organisation_id, status=DirectoryEntry.Status.ACTIVE
        ).first()
        if entry is None:
            continue
        past = _past_plans(entry)
        if not past:
            continue
        _issued(past[0], agency, hr, CANDIDATES[username], photos=username == "agency_weian")
        second = _extra_past_plan(entry, agency, "第二考场", days_ago=12)
        if second is not None and not Session.objects.filter(plan=second).exists():
            session = session_create(plan=second, by=agency)
            if username == "agency_weian":
                _sized(second, PUBLICITY_CANDIDATES)
                rows = [(name, id_number(first17), *scores) for name, first17, *scores in PUBLICITY_CANDIDATES]
                results_import(session=session, data=workbook(session, rows), filename="成绩.xlsx", by=agency)
                results_publicise(session=session, by=agency, window_days=5)
            else:
                _sized(second, REFUSED_ROWS)
                results_import(session=session, data=workbook(session, REFUSED_ROWS), filename="成绩.xlsx", by=agency)
        third = _extra_past_plan(entry, agency, "第三考场", days_ago=45)
        if third is not None and not Session.objects.filter(plan=third).exists():
            if username == "agency_weian":
                _returned(third, agency, hr)
            else:
                _overdue(third, agency)
        if username == "agency_weian":
            fourth = _extra_past_plan(entry, agency, "技师考场", days_ago=30, level=2)
            if fourth is not None:
                _issued(fourth, agency, hr, LEVEL_TWO_CANDIDATES)
    reports_overdue_notify()
    return []


def demo_roots(organisations: QuerySet[Organisation]) -> list[QuerySet]:
    """The results notices of the demo agencies' sessions (``portal.demo.demo_reset``): those listing candidates,
    and those of a session where nobody passed (its one entry is the session)."""
    return [
        notices_only_about(Candidate.objects.filter(session__plan__entry__organisation__in=organisations)),
        notices_only_about(Session.objects.filter(plan__entry__organisation__in=organisations)),
    ]


def _past_plans(entry: DirectoryEntry) -> list[Plan]:
    return list(
        Plan.objects.filter(entry=entry, status=Plan.Status.ANNOUNCED, first_day__lt=timezone.localdate()).order_by(
            "first_day", "pk"
        )
    )


def _photo(index: int) -> ContentFile:
    """A drawn two-inch portrait (JPEG), one colour per candidate."""
    image = Image.new("RGB", (264, 384), (226, 234, 244))
    draw = ImageDraw.Draw(image)
    draw.ellipse((82, 56, 182, 176), fill=(150, 112, 88))
    draw.rectangle((46, 196, 218, 384), fill=PHOTO_COLOURS[index % len(PHOTO_COLOURS)])
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def _sized(plan: Plan, candidates) -> None:
    """The plan expected the people its session holds (each counted once): a plan of 60 whose results list 4
    reads as 56 absent (issue qa5b item 8). Sessions as large as the plans were measured instead: issuing 60
    certificates with their PDFs took 80 s against 12 s for 6 (2 shared cores), about 4 minutes more for the three
    issued sessions; the demo's point is each state, not volume."""
    Plan.objects.filter(pk=plan.pk).update(expected_candidates=len({row[1] for row in candidates}))


def _publicised(plan: Plan, agency: User, candidates, *, days_ago: int, photos: bool = False) -> Session | None:
    """A session of ``plan`` whose results were publicised from ``days_ago`` days ago for a week, the notice
    closed as the night's task would."""
    _sized(plan, candidates)
    session = session_create(plan=plan, by=agency)
    rows = [(name, id_number(first17), *scores) for name, first17, *scores in candidates]
    attempt = results_import(session=session, data=workbook(session, rows), filename="成绩.xlsx", by=agency)
    if attempt.status != ImportAttempt.Status.IMPORTED:
        return None
    if photos:
        for index, candidate in enumerate(session.candidates.order_by("row")):
            candidate_photo_set(candidate=candidate, photo=_photo(index), by=agency)
    session = results_publicise(session=session, by=agency, window_days=5)
    today = timezone.localdate()
    Notice.objects.filter(pk=session.notice_id).update(
        published_at=timezone.now() - dt.timedelta(days=days_ago),
        opens_on=today - dt.timedelta(days=days_ago),
        closes_on=window_end(today - dt.timedelta(days=days_ago), 5),
    )
    notice_close(notice=Notice.objects.get(pk=session.notice_id), by=agency, today=today)
    session.refresh_from_db()
    return session


def _issued(plan: Plan, agency: User, hr: User, candidates, *, photos: bool = False) -> None:
    if Session.objects.filter(plan=plan).exists():
        return
    session = _publicised(plan, agency, candidates, days_ago=21, photos=photos)
    if session is None:
        return
    results_report(session=session, by=agency)
    results_decide(session=session, by=hr, approve=True)
    certificates_issue(session=session, by=agency)


def _returned(plan: Plan, agency: User, hr: User) -> None:
    session = _publicised(plan, agency, RETURNED_CANDIDATES, days_ago=20)
    if session is None:
        return
    results_report(session=session, by=agency)
    results_decide(session=session, by=hr, approve=False, reasons=RETURN_REASONS)


def _overdue(plan: Plan, agency: User) -> None:
    """Publicised a month ago and never reported: the report was due 10 working days after the publicity."""
    _publicised(plan, agency, OVERDUE_CANDIDATES, days_ago=35)


def _extra_past_plan(
    entry: DirectoryEntry, agency: User, room: str, *, days_ago: int, level: int | None = None
) -> Plan | None:
    """Another past evaluation at the agency's home (``room``), made like supervision's demo makes its past one."""
    venue = f"{entry.organisation.name}{room}"
    existing = Plan.objects.filter(entry=entry, venue=venue).first()
    if existing is not None:
        return existing
    from supervision.demo import _plan_fields

    today = timezone.localdate()
    fields = _plan_fields(
        entry,
        entry.region,
        first_allowed_exam_day(today),
        venue=venue,
        address=entry.organisation.address or entry.region.name,
    )
    if level is not None:
        fields["level"] = level
    plan = plan_submit(plan=plan_save(entry=entry, by=agency, **fields), by=agency)
    plan_announce(plan=plan, by=agency)
    first_day = today - dt.timedelta(days=days_ago)
    Plan.objects.filter(pk=plan.pk).update(
        first_day=first_day,
        last_day=first_day + dt.timedelta(days=1),
        created=timezone.now() - dt.timedelta(days=days_ago + 28),
        announced_at=timezone.now() - dt.timedelta(days=days_ago + 26),
    )
    plan.refresh_from_db()
    return plan
